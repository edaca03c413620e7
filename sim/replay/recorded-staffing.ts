import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import type { AgentGroupSpec } from '../scenario';
import type { RecordedDay } from './day';
import { seenAnswering, type StaffingEstimate, type StaffingStep } from './staffing';

/**
 * Staffing of a day whose agent presence was recorded (a stored day's agent-state rows, which a
 * JSONL trace gets from the same Floor): logged-in agents per interval, and, when the agents'
 * profiles are recorded too, the day's agent groups with their own skills, concurrency and
 * staffing steps.
 */

/** Name of the method when staffing comes from recorded logins. */
export const RECORDED_LOGINS = 'recorded: agents available or on contacts (agent.state), time-averaged per interval';

/** Staffing from presence changes (`agent.state` events or a stored day's agent-state rows), by time. */
export function staffingFromStates(
	states: readonly { readonly agent: string; readonly ts: number; readonly state: string }[],
	dayStartMs: number,
	horizon: number,
	interval: number
): StaffingEstimate {
	const I = Math.ceil(horizon / interval);
	const available = new Array<number>(I).fill(0);
	const since = new Map<string, number>();
	const seen = Array.from({ length: I }, () => new Set<string>());
	const add = (from: number, to: number) => {
		let a = Math.max(0, from);
		const b = Math.min(horizon, to);
		while (a < b) {
			const iv = Math.floor(a / interval);
			const e = Math.min(b, (iv + 1) * interval);
			available[iv] = (available[iv] ?? 0) + (e - a);
			a = e;
		}
	};
	for (const e of states) {
		const t = (e.ts - dayStartMs) / 1000;
		const on = since.get(e.agent);
		if (e.state === 'available') {
			if (on === undefined) since.set(e.agent, t);
		} else if (on !== undefined) {
			add(on, t);
			since.delete(e.agent);
		}
		const iv = Math.floor(t / interval);
		if (iv >= 0 && iv < I) seen[iv]?.add(e.agent);
	}
	for (const on of since.values()) add(on, horizon);
	const len = (i: number) => Math.min(interval, horizon - i * interval);
	return {
		method: RECORDED_LOGINS,
		interval,
		available: available.map((x, i) => x / len(i)),
		seen: seen.map((s) => s.size),
		waitingShare: new Array<number>(I).fill(0)
	};
}

/** The day's agent groups as replayed, with each group's recorded staffing (per interval, for the report). */
export interface RecordedGroups {
	readonly groups: readonly AgentGroupSpec[];
	readonly staffing: Readonly<Record<string, StaffingEstimate>>;
}

/** Logged-in (available) agents of a set, as staffing steps from its presence changes; 0 before the first. */
function presenceSteps(states: HistoryTraceResponse['agentStates'], dayStartMs: number, horizon: number): StaffingStep[] {
	const on = new Set<string>();
	const steps: StaffingStep[] = [{ at: 0, count: 0 }];
	for (const s of states) {
		const at = Math.max(0, (s.ts - dayStartMs) / 1000);
		if (at >= horizon) break;
		if (s.state === 'available') on.add(s.agent);
		else on.delete(s.agent);
		const last = steps[steps.length - 1]!;
		if (last.at === at) steps[steps.length - 1] = { at, count: on.size };
		else steps.push({ at, count: on.size });
	}
	// No step repeats the count before it.
	return steps.filter((s, i) => i === 0 || s.count !== steps[i - 1]!.count);
}

/**
 * The day's agents as the simulator's agent groups: agents of the same team with the same skills
 * (on the day's queues), concurrency and reserve form one group, logged in step by step as their
 * presence rows say (available: taking work; not ready, offline: not). Null when the trace cannot
 * carry the groups: no presence rows, an agent who answered a contact without a profile skilled
 * on the day's queues, or a queue of the day that no profiled agent serves; the replay then pools
 * the agents.
 */
export function recordedGroups(
	trace: HistoryTraceResponse,
	day: RecordedDay,
	horizon: number,
	interval: number
): RecordedGroups | null {
	const queues = day.queues;
	if (!trace.recorded.agentStates || trace.agentStates.length === 0) return null;
	const ids = new Set(queues.map((q) => q.id));
	const byKey = new Map<string, { spec: Omit<AgentGroupSpec, 'count' | 'group'>; team: string; agents: Set<string> }>();
	const groupOf = new Map<string, string>();
	for (const a of trace.agents) {
		const skills = Object.fromEntries(Object.entries(a.skills).filter(([q, level]) => ids.has(q) && level > 0).sort(([x], [y]) => (x < y ? -1 : 1)));
		if (Object.keys(skills).length === 0) continue;
		const capacity = Object.fromEntries(Object.entries(a.capacity).sort(([x], [y]) => (x < y ? -1 : 1)));
		const reserve = Object.fromEntries(Object.entries(a.reserve ?? {}).filter(([q]) => q in skills).sort(([x], [y]) => (x < y ? -1 : 1)));
		const key = JSON.stringify([a.team, skills, capacity, reserve]);
		let g = byKey.get(key);
		if (!g) {
			const spec: Omit<AgentGroupSpec, 'count' | 'group'> = { skills, ...(Object.keys(capacity).length ? { capacity } : {}), ...(Object.keys(reserve).length ? { reserve } : {}) };
			g = { spec, team: a.team, agents: new Set() };
			byKey.set(key, g);
		}
		g.agents.add(a.agent);
		groupOf.set(a.agent, key);
	}
	const answeredBy = new Set(trace.contacts.flatMap((c) => (c.agent !== null && ids.has(c.queue) ? [c.agent] : [])));
	for (const agent of answeredBy) if (!groupOf.has(agent)) return null;
	const served = new Set([...byKey.values()].flatMap((g) => Object.keys(g.spec.skills)));
	if (queues.some((q) => !served.has(q.id))) return null;

	const groups: AgentGroupSpec[] = [];
	const staffing: Record<string, StaffingEstimate> = {};
	const names = new Set<string>();
	for (const g of byKey.values()) {
		const states = trace.agentStates.filter((s) => g.agents.has(s.agent));
		const steps = presenceSteps(states, trace.dayStart, horizon);
		const count = Math.max(0, ...steps.map((s) => s.count));
		if (count === 0) continue;
		// A team split by skills or concurrency gets a numbered name of its own.
		const base = g.team || 'agents';
		let name = base;
		for (let n = 2; names.has(name); n++) name = `${base} ${n}`;
		names.add(name);
		groups.push({ group: name, count, ...g.spec, staffing: steps });
		const answered = day.contacts.filter((c) => c.agent !== null && g.agents.has(c.agent));
		staffing[name] = { ...staffingFromStates(states, trace.dayStart, horizon, interval), seen: seenAnswering(answered, horizon, interval) };
	}
	return groups.length ? { groups, staffing } : null;
}
