import type { Channel } from '../../src/lib/domain/channels';
import type { FloorEvent } from '../../src/lib/domain/events';
import type { RecordedContact, RecordedDay } from './day';
import type { StaffingEstimate } from './staffing';

/**
 * A day of floor events (a JSONL trace, or a stored day) as a recorded day: one contact per
 * `contact.queued`, its wait up to `contact.answered` or `contact.abandoned`, handle time up to
 * `contact.wrapup`, after-contact work up to `contact.ended`. A transferred contact is kept in
 * the queue it was first offered to, with the time until its final answer as its wait (re-queues
 * are not replayed as such). Contacts neither answered nor abandoned (still waiting at the end of
 * the file) are left out.
 */

interface Open {
	queue: string;
	channel: Channel;
	at: number;
	priority: number;
	answered: number | null;
	abandoned: number | null;
	wrapup: number | null;
	ended: number | null;
	agent: string | null;
}

/** Contacts of the events, times in seconds from `dayStartMs`. */
export function eventsDay(events: readonly FloorEvent[], dayStartMs: number, date: string | null): RecordedDay {
	const open = new Map<string, Open>();
	const sec = (ts: number) => (ts - dayStartMs) / 1000;
	for (const e of events) {
		switch (e.type) {
			case 'contact.queued':
				if (!open.has(e.contact)) {
					open.set(e.contact, { queue: e.queue, channel: e.channel, at: sec(e.ts), priority: e.priority ?? 0, answered: null, abandoned: null, wrapup: null, ended: null, agent: null });
				}
				break;
			case 'contact.answered': {
				const c = open.get(e.contact);
				if (c && c.answered === null) {
					c.answered = sec(e.ts);
					c.agent = e.agent;
				}
				break;
			}
			case 'contact.abandoned': {
				const c = open.get(e.contact);
				if (c && c.answered === null) c.abandoned = sec(e.ts);
				break;
			}
			case 'contact.wrapup': {
				const c = open.get(e.contact);
				if (c) c.wrapup = sec(e.ts);
				break;
			}
			case 'contact.ended': {
				const c = open.get(e.contact);
				if (c) c.ended = sec(e.ts);
				break;
			}
			default:
				break;
		}
	}
	const contacts: RecordedContact[] = [];
	const queues = new Map<string, Channel>();
	for (const c of open.values()) {
		queues.set(c.queue, c.channel);
		if (c.answered !== null) {
			const talkEnd = c.wrapup ?? c.ended;
			contacts.push({
				queue: c.queue,
				channel: c.channel,
				at: c.at,
				priority: c.priority,
				outcome: 'answered',
				wait: Math.max(0, c.answered - c.at),
				handle: talkEnd === null ? null : Math.max(0, talkEnd - c.answered),
				wrapup: c.wrapup !== null && c.ended !== null ? Math.max(0, c.ended - c.wrapup) : null,
				agent: c.agent
			});
		} else if (c.abandoned !== null) {
			contacts.push({ queue: c.queue, channel: c.channel, at: c.at, priority: c.priority, outcome: 'abandoned', wait: Math.max(0, c.abandoned - c.at), handle: null, wrapup: null, agent: null });
		}
	}
	contacts.sort((a, b) => a.at - b.at);
	return { date, queues: [...queues].map(([id, channel]) => ({ id, channel })), contacts };
}

/** Name of the method when staffing comes from recorded logins. */
export const RECORDED_LOGINS = 'recorded: agents available or on contacts (agent.state), time-averaged per interval';

/**
 * Staffing from recorded agent states: an agent counts from `available` until `not-ready` or
 * `offline`. Null when the events hold no agent state at all (then it must be estimated).
 */
export function recordedStaffing(events: readonly FloorEvent[], dayStartMs: number, horizon: number, interval: number): StaffingEstimate | null {
	const states = events.flatMap((e) => (e.type === 'agent.state' ? [e] : []));
	return states.length === 0 ? null : staffingFromStates(states, dayStartMs, horizon, interval);
}

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
