import { parse } from 'csv-parse/sync';
import type { FloorEvent } from '../../lib/domain/events';
import type { QueueConfig } from '../../lib/domain/floor';
import { resolveSl } from '../../lib/domain/service-level';
import { parseClock } from '../../lib/domain/time';

/**
 * Imports the "Anonymous Bank" one-day call log (one row per call; see shared/data/README.md)
 * as events. Per call: `contact.queued` at q_start, then `contact.answered` at ser_start,
 * `contact.wrapup` and `contact.ended` at ser_exit (the file records no after-call work), or
 * `contact.abandoned` at q_exit. PHANTOM rows are ignored; a HANG that never queued was never
 * offered. An AGENT row without q_start went straight from the IVR to an agent: it is offered at
 * ser_start with no wait (README: "268 answered calls never waited"). The file records no logins,
 * so each agent is profiled with the call types it served and is available from a minute before its
 * first call until its last call ends (this overstates availability, as the README warns). The six
 * served calls with no agent recorded go to one stand-in agent, "Agent not recorded".
 */

/** Service types of the file, as queues (`type` → queue id). */
export const BANK_QUEUE_NAMES: Readonly<Record<string, string>> = {
	PS: 'Regular',
	PE: 'Regular (English)',
	IN: 'Internet consulting',
	NE: 'Stock exchange',
	NW: 'Prospective customers',
	TT: 'Call-backs'
};

/** The queues the import produces (all voice). */
export function bankQueues(): QueueConfig[] {
	return Object.entries(BANK_QUEUE_NAMES).map(([id, name]) => ({ id, name, channel: 'voice', sl: resolveSl('voice') }));
}

interface Row {
	'vru+line': string;
	call_id: string;
	type: string;
	vru_exit: string;
	q_start: string;
	q_exit: string;
	outcome: string;
	ser_start: string;
	ser_exit: string;
	server: string;
}

const NO_TIME = '0:00:00';
/** Six served calls name no agent; they are kept (they were answered) under one stand-in agent. */
const NO_SERVER = 'NO_SERVER';

/** "h:mm:ss" → seconds after midnight; throws naming the row and column. */
function seconds(v: string, line: number, column: string): number {
	const s = parseClock(v, { seconds: true, maxHours: 99 });
	if (s === null) throw new Error(`line ${line}: ${column} must be h:mm:ss, got ${JSON.stringify(v)}`);
	return s;
}

/**
 * A clock time `t` that follows `ref` on the same day, or just after midnight when it is far
 * earlier (a call running past midnight). Small negative differences are clock noise and kept.
 */
function after(t: number, ref: number): number {
	return t < ref - 12 * 3600 ? t + 86_400 : Math.max(t, ref);
}

/**
 * Parses the CSV text into events on the day starting at `dayStartMs` (epoch ms of the local
 * midnight the clock times count from), sorted by time.
 */
export function importBankCsv(text: string, dayStartMs: number): FloorEvent[] {
	const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Row[];
	const timed: { ts: number; order: number; e: FloorEvent }[] = [];
	let order = 0;
	const push = (e: FloorEvent) => timed.push({ ts: e.ts, order: order++, e });
	const at = (s: number) => dayStartMs + s * 1000;
	const agents = new Map<string, { first: number; last: number; skills: Set<string> }>();

	rows.forEach((r, i) => {
		const line = i + 2;
		for (const col of ['type', 'outcome', 'q_start', 'q_exit', 'ser_start', 'ser_exit', 'server', 'call_id'] as const) {
			if (r[col] === undefined) throw new Error(`line ${line}: column ${col} missing; is this the Anonymous Bank call log?`);
		}
		if (r.outcome === 'PHANTOM') return;
		const queue = r.type;
		if (!(queue in BANK_QUEUE_NAMES)) throw new Error(`line ${line}: unknown call type ${JSON.stringify(queue)}`);
		const contact = `bank-${r['vru+line']}-${r.call_id}`;
		const queued = r.q_start !== NO_TIME;
		if (r.outcome === 'HANG') {
			if (!queued) return;
			const q = seconds(r.q_start, line, 'q_start');
			const x = after(seconds(r.q_exit, line, 'q_exit'), q);
			push({ type: 'contact.queued', id: `${contact}:q`, ts: at(q), contact, queue, channel: 'voice' });
			push({ type: 'contact.abandoned', id: `${contact}:x`, ts: at(x), contact, queue });
			return;
		}
		if (r.outcome !== 'AGENT') throw new Error(`line ${line}: unknown outcome ${JSON.stringify(r.outcome)}`);
		let q = queued ? seconds(r.q_start, line, 'q_start') : seconds(r.ser_start, line, 'ser_start');
		const s = after(seconds(r.ser_start, line, 'ser_start'), q);
		const end = after(seconds(r.ser_exit, line, 'ser_exit'), s);
		// The log's clocks disagree by a second here and there (service starting before the queue exit).
		q = Math.min(q, s);
		const agent = r.server;
		push({ type: 'contact.queued', id: `${contact}:q`, ts: at(q), contact, queue, channel: 'voice' });
		push({ type: 'contact.answered', id: `${contact}:a`, ts: at(s), contact, queue, agent });
		push({ type: 'contact.wrapup', id: `${contact}:w`, ts: at(end), contact, agent });
		push({ type: 'contact.ended', id: `${contact}:e`, ts: at(end), contact, agent });
		const a = agents.get(agent) ?? { first: s, last: end, skills: new Set<string>() };
		a.first = Math.min(a.first, s);
		a.last = Math.max(a.last, end);
		a.skills.add(queue);
		agents.set(agent, a);
	});

	for (const [agent, a] of agents) {
		const login = Math.max(0, a.first - 60);
		push({
			type: 'agent.profile',
			id: `bank-agent-${agent}:p`,
			ts: at(login),
			agent,
			name: agent === NO_SERVER ? 'Agent not recorded' : agent.charAt(0) + agent.slice(1).toLowerCase(),
			team: 'Anonymous Bank',
			skills: Object.fromEntries([...a.skills].sort().map((q) => [q, 1])),
			capacity: { voice: 1 }
		});
		push({ type: 'agent.state', id: `bank-agent-${agent}:in`, ts: at(login), agent, state: 'available' });
		push({ type: 'agent.state', id: `bank-agent-${agent}:out`, ts: at(a.last + 1), agent, state: 'offline' });
	}
	// Stable by time, then by the order pushed (profile before state, queued before answered).
	timed.sort((x, y) => x.ts - y.ts || x.order - y.order);
	return timed.map((t) => t.e);
}
