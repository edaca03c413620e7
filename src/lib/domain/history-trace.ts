import { CHANNELS, type Channel } from './channels';
import type { FloorEvent } from './events';
import { Floor, type AgentChange, type FloorConfig, type FloorObserver, type LegChange } from './floor';
import type { HistoryQueue, HistorySource, HistoryTraceAgent, HistoryTraceAgentState, HistoryTraceContact, HistoryTraceResponse } from './history';
import { dayKey, dayStart as dayStartOf } from './time';

/**
 * The day trace (`GET /api/history/days/:date/trace`) as a projection of what the Floor decided:
 * the one mapping from a contact's stay (as the Floor reports it, or as the store kept it) to a
 * trace contact, and an in-memory observer that builds whole day traces from a Floor, so a JSONL
 * events trace becomes the same day as a stored one without a second reading of the events.
 * Pure: no disk, no sockets (the store's query and the replay both use it).
 */

/** A stay as history keeps it: a `LegChange` without the event's identity, or an `h_legs` row. Times are epoch ms. */
export type StayTimes = Omit<LegChange, 'event' | 'leg' | 'dayStart'>;

/** A stay as a trace contact; `afterContactWorkRecorded`: an ended stay without wrap-up had none (0), not "not recorded". */
export function traceContact(l: StayTimes, afterContactWorkRecorded: boolean): HistoryTraceContact {
	const talkEnd = l.wrapup ?? l.ended;
	return {
		contact: l.contact,
		queue: l.queue,
		channel: l.channel,
		priority: l.priority,
		offered: l.offered,
		wait: l.left !== null ? Math.max(0, l.left - l.offered) / 1000 : null,
		talk: l.answered !== null && talkEnd !== null ? Math.max(0, talkEnd - l.answered) / 1000 : null,
		afterContactWork: l.wrapup !== null && l.ended !== null ? Math.max(0, l.ended - l.wrapup) / 1000 : l.ended !== null && afterContactWorkRecorded ? 0 : null,
		outcome: l.outcome,
		agent: l.agent,
		transferredTo: l.transferredTo,
		csat: l.csat
	};
}

/** Capacity per channel as a record (CHANNELS order on the floor), leaving out the default of 1. */
export function capacityRecord(capacity: readonly number[]): Partial<Record<Channel, number>> {
	const out: Partial<Record<Channel, number>> = {};
	CHANNELS.forEach((c, i) => {
		const n = capacity[i];
		if (n !== undefined && n !== 1) out[c] = n;
	});
	return out;
}

interface DayRecord {
	readonly dayStart: number;
	/** Leg id → the stay as it stands (later changes fill in, an outcome never reverts to open). */
	readonly legs: Map<string, StayTimes>;
	/** Agent → last profile seen that day. */
	readonly agents: Map<string, HistoryTraceAgent>;
	readonly states: HistoryTraceAgentState[];
	agentStates: boolean;
	afterContactWork: boolean;
	csat: boolean;
}

/**
 * Observes a Floor and keeps, per day, what the store's history keeps for a trace: stays, agent
 * profiles and presence changes (`state` and the state carried into a new day), with the same
 * merging and the same "recorded" flags as the history writer.
 */
export class TraceRecorder implements FloorObserver {
	readonly #days = new Map<number, DayRecord>();

	constructor(private readonly floor: () => Floor) {}

	#day(dayStart: number): DayRecord {
		let d = this.#days.get(dayStart);
		if (!d) {
			d = { dayStart, legs: new Map(), agents: new Map(), states: [], agentStates: false, afterContactWork: false, csat: false };
			this.#days.set(dayStart, d);
		}
		return d;
	}

	counts(): void {
		// The trace keeps stays, not counts.
	}

	leg(l: LegChange): void {
		const d = this.#day(l.dayStart);
		if (l.wrapup !== null) d.afterContactWork = true;
		if (l.csat !== null) d.csat = true;
		const was = d.legs.get(l.leg);
		d.legs.set(l.leg, {
			contact: l.contact,
			queue: l.queue,
			channel: l.channel,
			priority: l.priority,
			offered: l.offered,
			left: l.left ?? was?.left ?? null,
			answered: l.answered ?? was?.answered ?? null,
			wrapup: l.wrapup ?? was?.wrapup ?? null,
			ended: l.ended ?? was?.ended ?? null,
			outcome: l.outcome === 'open' ? (was?.outcome ?? 'open') : l.outcome,
			agent: l.agent ?? was?.agent ?? null,
			transferredTo: l.transferredTo ?? was?.transferredTo ?? null,
			csat: l.csat ?? was?.csat ?? null
		});
	}

	agent(a: AgentChange): void {
		const d = this.#day(a.dayStart);
		const s = a.agent;
		if (a.cause === 'state') d.agentStates = true;
		if (a.cause === 'state' || a.cause === 'day') d.states.push({ agent: s.id, ts: a.ts, state: s.presence, reason: s.presence === 'not-ready' ? s.reason : null });
		d.agents.set(s.id, { agent: s.id, name: s.name, team: s.team, skills: { ...s.skills }, capacity: capacityRecord(s.capacity) });
	}

	/** The day traces recorded so far, by date. */
	traces(source: HistorySource): HistoryTraceResponse[] {
		const f = this.floor();
		const { timeZone, resetTime } = f.config;
		const queues: HistoryQueue[] = [...f.queues.values()].map((q) => ({ id: q.config.id, name: q.config.name, channel: q.config.channel, sl: q.config.sl }));
		return [...this.#days.values()]
			.sort((a, b) => a.dayStart - b.dayStart)
			.map((d) => {
				const recorded = { agentStates: d.agentStates, afterContactWork: d.afterContactWork, csat: d.csat };
				const contacts = [...d.legs.entries()]
					.sort(([la, a], [lb, b]) => a.offered - b.offered || (a.contact < b.contact ? -1 : a.contact > b.contact ? 1 : la < lb ? -1 : la > lb ? 1 : 0))
					.map(([, l]) => traceContact(l, recorded.afterContactWork));
				return {
					date: dayKey(d.dayStart, timeZone),
					source,
					timeZone,
					dayStart: d.dayStart,
					dayEnd: dayStartOf(d.dayStart + 26 * 3600_000, timeZone, resetTime),
					queues,
					contacts,
					agents: [...d.agents.values()].sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0)),
					// Stable: changes of equal time keep the order the Floor reported them in.
					agentStates: recorded.agentStates ? [...d.states].sort((a, b) => a.ts - b.ts) : [],
					recorded
				};
			});
	}
}

/** Day traces of time-ordered events, played through a Floor of their own (its day follows the events' clock). */
export function eventsTraces(events: readonly FloorEvent[], config: FloorConfig, source: HistorySource): { traces: HistoryTraceResponse[]; anomalies: number } {
	const first = events[0];
	if (!first) return { traces: [], anomalies: 0 };
	const floor = new Floor(config, first.ts, { rollDayOnEventTime: true });
	const recorder = new TraceRecorder(() => floor);
	floor.observe(recorder);
	let anomalies = 0;
	for (const e of events) if (floor.apply(e).kind === 'anomaly') anomalies++;
	return { traces: recorder.traces(source), anomalies };
}
