import type { FloorEvent } from '../events';
import type { QueueConfig } from '../floor';
import { resolveSl } from '../service-level';
import { BANK_QUEUE_NAMES, type BankCall } from './anonymous-bank';

/**
 * Anonymous Bank calls as floor events. Per offered call: `contact.queued` at its offer time (with
 * its priority), then `contact.answered` at ser_start and `contact.wrapup` + `contact.ended` at
 * ser_exit (the log records no after-call work), or `contact.abandoned` at q_exit. Calls never
 * offered (a HANG in the IVR) give no event.
 *
 * The log records no logins, so each agent gets a profile with the call types it served and is
 * "available" from a minute before its first call of a day until its last call ends. That
 * overstates availability (after-call work, breaks and specialists are invisible); the replay
 * estimates effective staffing separately (sim/replay/staffing.ts). Served calls with no agent
 * recorded go to one stand-in agent, "Agent not recorded".
 */

/** Agent id of the stand-in for served calls whose agent the log does not name. */
export const BANK_UNRECORDED_AGENT = 'NO_SERVER';

/** The queues the Anonymous Bank calls use (all voice). */
export function bankQueues(): QueueConfig[] {
	return Object.entries(BANK_QUEUE_NAMES).map(([id, name]) => ({ id, name, channel: 'voice', sl: resolveSl('voice') }));
}

/** Options of `bankCallsToEvents`. */
export interface BankEventOptions {
	/**
	 * Epoch ms of the local midnight the clock times of a call's date count from. Called with the
	 * call's date (null for an undated file).
	 */
	readonly dayStartMs: (date: string | null) => number;
}

/** Converts parsed calls to events sorted by time (ties keep the order written, queued first). */
export function bankCallsToEvents(calls: readonly BankCall[], options: BankEventOptions): FloorEvent[] {
	const timed: { ts: number; order: number; e: FloorEvent }[] = [];
	let order = 0;
	const push = (e: FloorEvent) => timed.push({ ts: e.ts, order: order++, e });
	const origins = new Map<string | null, number>();
	const origin = (date: string | null) => {
		let o = origins.get(date);
		if (o === undefined) origins.set(date, (o = options.dayStartMs(date)));
		return o;
	};
	// Per agent and day: first answer, last end, types served.
	const sessions = new Map<string, { agent: string; at: number; first: number; last: number; skills: Set<string> }>();

	for (const c of calls) {
		if (!c.offered || c.offeredAt === null) continue;
		const base = origin(c.date);
		const at = (s: number) => base + s * 1000;
		const contact = `bank-${c.date === null ? '' : `${c.date}-`}${c.id}`;
		const queue = c.queue;
		if (c.outcome === 'HANG') {
			const q = c.offeredAt;
			const x = Math.max(q, c.qExit ?? q);
			push({ type: 'contact.queued', id: `${contact}:q`, ts: at(q), contact, queue, channel: 'voice', priority: c.priority });
			push({ type: 'contact.abandoned', id: `${contact}:x`, ts: at(x), contact, queue });
			continue;
		}
		// No service times recorded (a few AGENT rows): answered when it left the queue, talk unknown (0).
		const s0 = c.serStart ?? c.qExit ?? c.offeredAt;
		// The log's clocks disagree by a second here and there (service starting before the queue exit).
		const q = Math.min(c.offeredAt, s0);
		const s = Math.max(s0, q);
		const end = Math.max(c.serExit ?? s, s);
		const agent = c.server ?? BANK_UNRECORDED_AGENT;
		push({ type: 'contact.queued', id: `${contact}:q`, ts: at(q), contact, queue, channel: 'voice', priority: c.priority });
		push({ type: 'contact.answered', id: `${contact}:a`, ts: at(s), contact, queue, agent });
		push({ type: 'contact.wrapup', id: `${contact}:w`, ts: at(end), contact, agent });
		push({ type: 'contact.ended', id: `${contact}:e`, ts: at(end), contact, agent });
		const key = `${agent}\u0000${c.date ?? ''}`;
		const sess = sessions.get(key) ?? { agent, at: base, first: s, last: end, skills: new Set<string>() };
		sess.first = Math.min(sess.first, s);
		sess.last = Math.max(sess.last, end);
		sess.skills.add(queue);
		sessions.set(key, sess);
	}

	for (const [key, a] of sessions) {
		const suffix = key.slice(a.agent.length + 1);
		const login = Math.max(0, a.first - 60);
		const at = (sec: number) => a.at + sec * 1000;
		const tag = `bank-agent-${a.agent}${suffix ? `-${suffix}` : ''}`;
		push({
			type: 'agent.profile',
			id: `${tag}:p`,
			ts: at(login),
			agent: a.agent,
			name: a.agent === BANK_UNRECORDED_AGENT ? 'Agent not recorded' : a.agent.charAt(0) + a.agent.slice(1).toLowerCase(),
			team: 'Anonymous Bank',
			skills: Object.fromEntries([...a.skills].sort().map((q) => [q, 1])),
			capacity: { voice: 1 }
		});
		push({ type: 'agent.state', id: `${tag}:in`, ts: at(login), agent: a.agent, state: 'available' });
		push({ type: 'agent.state', id: `${tag}:out`, ts: at(a.last + 1), agent: a.agent, state: 'offline' });
	}
	timed.sort((x, y) => x.ts - y.ts || x.order - y.order);
	return timed.map((t) => t.e);
}
