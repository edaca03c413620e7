import { CHANNELS, type Channel } from '../src/lib/domain/channels';
import type { FloorEvent } from '../src/lib/domain/events';
import {
	Engine,
	TR_ABANDONED,
	TR_ANSWERED,
	TR_AVAILABLE,
	TR_ENDED,
	TR_OFFLINE,
	TR_QUEUED,
	TR_TRANSFERRED,
	TR_WRAPUP
} from './engine';
import { compile, NCH, type Model } from './model';
import type { Scenario } from './scenario';

/**
 * The event trace of one replication, in the domain schema, for the live server's emulator and
 * for replays. The engine records five numbers per happening only when asked; this module turns
 * them into `FloorEvent`s afterwards, so the measured path never builds an object.
 */

/** Options of `traceEvents`. */
export interface TraceOptions {
	/** Base seed (default: the scenario's, else 1). */
	readonly seed?: number;
	/** Replication index (default 0). */
	readonly rep?: number;
	/** Epoch ms of simulated time 0: events get `ts = startTs + round(t * 1000)`. */
	readonly startTs: number;
	/** Prefix of event ids (default `sim-<startTs in base 36>-`); ids are the prefix plus a counter. */
	readonly idPrefix?: string;
	/** Prefix of contact ids (default `c<startTs in base 36>-`), so two simulated days never share one. */
	readonly contactPrefix?: string;
}

/** Agent id of agent index `i`: `a001`, `a002`, ... (wider when there are more than 999). */
export function agentId(i: number, agents: number): string {
	return `a${String(i + 1).padStart(Math.max(3, String(agents).length), '0')}`;
}

/**
 * Runs one replication and returns the events it produced, in time order: `agent.profile` of
 * every agent at t = 0, `agent.state` available/offline at shift starts and ends, and per contact
 * `contact.queued`, then `contact.answered`, `contact.wrapup`, `contact.ended` or `contact.abandoned`;
 * a transferred contact has `contact.transferred` (from the queue that handled it, at the end of
 * that handling) in place of the wrap-up, and goes on in the receiving queue.
 * Deterministic: the same scenario, seed and startTs give the same events.
 */
export function traceEvents(scenario: Scenario | Model, opts: TraceOptions): FloorEvent[] {
	const m = 'queueIds' in scenario ? scenario : compile(scenario);
	const seed = opts.seed ?? m.scenario.seed ?? 1;
	const engine = new Engine(m, { seed, rep: opts.rep ?? 0, trace: true });
	const rec = engine.run().trace!;
	const base = opts.startTs;
	const idPrefix = opts.idPrefix ?? `sim-${base.toString(36)}-`;
	const cPrefix = opts.contactPrefix ?? `c${base.toString(36)}-`;
	const ids = Array.from({ length: m.agents }, (_, i) => agentId(i, m.agents));
	const ts = (t: number) => base + Math.round(t * 1000);
	let n = 0;
	const id = () => `${idPrefix}${(n++).toString(36)}`;
	const events: FloorEvent[] = [];

	for (let a = 0; a < m.agents; a++) {
		const g = m.agentGroup[a]!;
		const group = m.scenario.agents[g]!;
		const capacity: Partial<Record<Channel, number>> = {};
		for (const ch of m.groupChannels[g]!) capacity[CHANNELS[ch]!] = m.groupCap[g * NCH + ch]!;
		events.push({
			type: 'agent.profile',
			id: id(),
			ts: base,
			agent: ids[a]!,
			name: `${group.group} ${a - m.groupFirst[g]! + 1}`,
			team: group.group,
			skills: { ...group.skills },
			capacity
		});
	}
	// Agents whose first shift starts later are known to be offline until then (and agents of a
	// group with staffing steps until a step logs them on).
	for (let a = 0; a < m.agents; a++) {
		if ((m.groupShifts[m.agentGroup[a]!]![0]?.start ?? 1) > 0) {
			events.push({ type: 'agent.state', id: id(), ts: base, agent: ids[a]!, state: 'offline' });
		}
	}

	const channel = (q: number) => CHANNELS[m.queueChannel[q]!]!;
	const contact = (serial: number) => `${cPrefix}${serial}`;
	for (let i = 0; i < rec.length; i += 5) {
		const code = rec[i]!;
		const t = ts(rec[i + 1]!);
		const x = rec[i + 2]!;
		const y = rec[i + 3]!;
		const z = rec[i + 4]!;
		switch (code) {
			case TR_QUEUED: {
				const priority = m.queuePriority[y]!;
				events.push({
					type: 'contact.queued',
					id: id(),
					ts: t,
					contact: contact(x),
					queue: m.queueIds[y]!,
					channel: channel(y),
					...(priority ? { priority: Math.round(priority) } : {})
				});
				break;
			}
			case TR_TRANSFERRED:
				events.push({ type: 'contact.transferred', id: id(), ts: t, contact: contact(x), fromQueue: m.queueIds[y]!, toQueue: m.queueIds[z]! });
				break;
			case TR_ANSWERED:
				events.push({ type: 'contact.answered', id: id(), ts: t, contact: contact(x), queue: m.queueIds[y]!, agent: ids[z]! });
				break;
			case TR_ABANDONED:
				events.push({ type: 'contact.abandoned', id: id(), ts: t, contact: contact(x), queue: m.queueIds[y]! });
				break;
			case TR_WRAPUP:
				events.push({ type: 'contact.wrapup', id: id(), ts: t, contact: contact(x), agent: ids[y]! });
				break;
			case TR_ENDED:
				events.push({ type: 'contact.ended', id: id(), ts: t, contact: contact(x), agent: ids[y]! });
				break;
			case TR_AVAILABLE:
				events.push({ type: 'agent.state', id: id(), ts: t, agent: ids[x]!, state: 'available' });
				break;
			case TR_OFFLINE:
				events.push({ type: 'agent.state', id: id(), ts: t, agent: ids[x]!, state: 'offline' });
				break;
		}
	}
	return events;
}
