import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { BUSY, DEFAULT_FLOOR_CONFIG, Floor, IDLE, type FloorConfig } from '../../src/lib/domain/floor';
import type { HistoryDayResponse, HistoryTraceResponse } from '../../src/lib/domain/history';
import { KPI_COLUMNS } from '../../src/server/history/columns';
import { describeFloor } from '../../src/server/history/live';
import { HistoryQueries } from '../../src/server/history/queries';
import { HistoryWriter } from '../../src/server/history/writer';
import type { KpiCounts } from '../../src/lib/domain/kpi';
import { resolveSl } from '../../src/lib/domain/service-level';
import { dayKey } from '../../src/lib/domain/time';
import { Store } from '../../src/server/store';

/**
 * Parity: the same event stream (valid lifecycles, transfers, anomalies, duplicates, a midnight
 * crossing in the center's zone) goes to the Floor, whose observer writes history into a real
 * SQLite file; the stored rows must equal the Floor's own counts, interval by interval.
 */

const TZ = 'Europe/Berlin';
const config: FloorConfig = {
	...DEFAULT_FLOOR_CONFIG,
	timeZone: TZ,
	queues: [
		{ id: 'billing', name: 'Billing', channel: 'voice', sl: resolveSl('voice') },
		{ id: 'sales', name: 'Sales', channel: 'voice', sl: resolveSl('voice', { formula: 'answered-only' }) },
		{ id: 'web', name: 'Web chat', channel: 'chat', sl: resolveSl('chat') }
	]
};
// 22:00 local on 2026-03-09 (UTC+1), four hours across midnight.
const START = Date.parse('2026-03-09T21:00:00Z');
const END = START + 4 * 3600_000;
const MIDNIGHT = Date.parse('2026-03-09T23:00:00Z');

/** A seeded stream: mostly sensible lifecycles, with transfers, CSAT, breaks, and bad events mixed in. */
function stream(seed: number): FloorEvent[] {
	let s = seed;
	const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
	const out: FloorEvent[] = [];
	let n = 0;
	const id = () => `p${seed}-${n++}`;
	const agents = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
	for (const a of agents) {
		out.push({ type: 'agent.profile', id: id(), ts: START, agent: a, name: a.toUpperCase(), team: 'T', skills: { billing: 1, sales: 1, web: 1 }, capacity: { chat: 2 } });
		out.push({ type: 'agent.state', id: id(), ts: START, agent: a, state: 'available' });
	}
	type C = { id: string; queue: string; channel: 'voice' | 'chat'; phase: 'waiting' | 'active' | 'wrapup'; agent: string | null };
	const open = new Map<string, C>();
	let t = START + 1000;
	let k = 0;
	while (t < END - 60_000) {
		t += Math.floor(rnd() * 40_000);
		const r = rnd();
		const live = [...open.values()];
		if (r < 0.3 || live.length === 0) {
			const queue = pick(['billing', 'sales', 'web']);
			const c: C = { id: `c${k++}`, queue, channel: queue === 'web' ? 'chat' : 'voice', phase: 'waiting', agent: null };
			open.set(c.id, c);
			out.push({ type: 'contact.queued', id: id(), ts: t, contact: c.id, queue, channel: c.channel, ...(rnd() < 0.3 ? { priority: 2 } : {}) });
			continue;
		}
		const c = pick(live);
		if (r < 0.33) {
			// A bad producer: the anomalies the issue names, and plain retries.
			const bad = pick(['wrong-ender', 'requeue-on-call', 'wrong-abandon-queue', 'duplicate', 'unknown'] as const);
			if (bad === 'wrong-ender') out.push({ type: 'contact.ended', id: id(), ts: t, contact: c.id, agent: 'nobody' });
			else if (bad === 'requeue-on-call') out.push({ type: 'contact.queued', id: id(), ts: t, contact: c.id, queue: 'sales', channel: c.channel });
			else if (bad === 'wrong-abandon-queue') out.push({ type: 'contact.abandoned', id: id(), ts: t, contact: c.id, queue: c.queue === 'billing' ? 'sales' : 'billing' });
			else if (bad === 'duplicate') out.push({ ...pick(out), ts: t });
			else out.push({ type: 'contact.answered', id: id(), ts: t, contact: `ghost${k}`, queue: 'billing', agent: 'a1' });
			continue;
		}
		if (c.phase === 'waiting') {
			const x = rnd();
			if (x < 0.55) {
				c.phase = 'active';
				c.agent = pick(agents);
				out.push({ type: 'contact.answered', id: id(), ts: t, contact: c.id, queue: c.queue, agent: c.agent });
			} else if (x < 0.8) {
				open.delete(c.id);
				out.push({ type: 'contact.abandoned', id: id(), ts: t, contact: c.id, queue: c.queue });
			} else {
				const to = c.queue === 'billing' ? 'sales' : 'billing';
				out.push({ type: 'contact.transferred', id: id(), ts: t, contact: c.id, fromQueue: c.queue, toQueue: to });
				c.queue = to;
			}
		} else if (c.phase === 'active') {
			const x = rnd();
			if (x < 0.7) {
				c.phase = 'wrapup';
				out.push({ type: 'contact.wrapup', id: id(), ts: t, contact: c.id, agent: c.agent ?? '' });
			} else if (x < 0.85) {
				open.delete(c.id);
				out.push({ type: 'contact.ended', id: id(), ts: t, contact: c.id, agent: c.agent ?? '', csat: 1 + Math.floor(rnd() * 5) });
			} else {
				// An agent transfers the call on: that handling ends, the contact waits again.
				const to = c.queue === 'sales' ? 'billing' : 'sales';
				out.push({ type: 'contact.transferred', id: id(), ts: t, contact: c.id, fromQueue: c.queue, toQueue: to });
				c.queue = to;
				c.phase = 'waiting';
				c.agent = null;
			}
		} else {
			open.delete(c.id);
			out.push({ type: 'contact.ended', id: id(), ts: t, contact: c.id, agent: c.agent ?? '', ...(rnd() < 0.5 ? { csat: 1 + Math.floor(rnd() * 5) } : {}) });
		}
		if (rnd() < 0.05) {
			const a = pick(agents);
			out.push({ type: 'agent.state', id: id(), ts: t, agent: a, state: pick(['available', 'not-ready', 'offline'] as const), reason: pick(['lunch', 'training']) });
		}
	}
	return out;
}

let dir: string;
let store: Store;
let floor: Floor;
let events: FloorEvent[];
let last: number;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'sightline-parity-'));
	store = new Store(dir);
	floor = new Floor(config, START);
	const writer = new HistoryWriter(store.db, 'ingest', () => describeFloor(floor), 'live');
	floor.observe(writer);
	events = stream(7);
	for (const e of events) floor.apply(e);
	last = events[events.length - 1]!.ts;
	floor.advance(last);
	writer.flush();
});
afterAll(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Counts rounded so that float sums in another order compare equal. */
function round(c: Readonly<KpiCounts>): Record<string, number> {
	return Object.fromEntries(KPI_COLUMNS.map((k) => [k, Math.round(c[k] * 1e6) / 1e6]));
}

const queries = () => new HistoryQueries(store.db);
const day1 = dayKey(START, TZ);
const day2 = dayKey(END, TZ);

describe('history is the Floor’s own counts', () => {
	it('the stream really exercises anomalies, duplicates, transfers and a midnight crossing', () => {
		expect(day1).toBe('2026-03-09');
		expect(day2).toBe('2026-03-10');
		expect(floor.dayStart).toBe(MIDNIGHT);
		expect(floor.stats.anomalies).toBeGreaterThan(10);
		expect(floor.stats.duplicates).toBeGreaterThan(3);
		expect(events.filter((e) => e.type === 'contact.transferred').length).toBeGreaterThan(10);
		// Outcomes after midnight of contacts offered before it.
		const offered = new Map<string, number>();
		let late = 0;
		for (const e of events) {
			if (e.type === 'contact.queued' && !offered.has(e.contact)) offered.set(e.contact, e.ts);
			if ((e.type === 'contact.answered' || e.type === 'contact.abandoned') && e.ts >= MIDNIGHT && (offered.get(e.contact) ?? Infinity) < MIDNIGHT) late++;
		}
		expect(late).toBeGreaterThan(0);
	});

	it('every interval of every queue, on both days, equals the Floor’s interval counts', () => {
		const stored = new Map<string, KpiCounts>();
		for (const date of [day1, day2]) {
			const d = queries().day(date, 'ingest', { agents: false })!;
			for (const r of d.intervals) if (r.queue !== '*') stored.set(`${r.queue}@${r.start}`, r.counts);
		}
		const live = new Map<string, KpiCounts>();
		for (const q of floor.queues.values()) for (const [start, c] of q.intervals) if (c.offered || c.answered || c.abandoned || c.handled || c.transferred) live.set(`${q.config.id}@${start}`, c);
		expect([...stored.keys()].sort()).toEqual([...live.keys()].sort());
		for (const [key, c] of live) expect(round(stored.get(key)!), key).toEqual(round(c));
	});

	it('today’s snapshot per queue equals the Floor’s today, and channel and total rows add up', () => {
		const d = queries().day(day2, 'ingest', { agents: false })!;
		for (const q of floor.queues.values()) {
			const row = d.snapshot.queues.find((r) => r.queue === q.config.id);
			if (q.today.offered === 0 && q.today.handled === 0 && q.today.answered === 0) continue;
			expect(round(row!.counts), q.config.id).toEqual(round(q.today));
		}
		const sum = (rows: readonly { counts: KpiCounts }[], k: keyof KpiCounts) => rows.reduce((x, r) => x + r.counts[k], 0);
		expect(d.snapshot.total.counts.offered).toBe(sum(d.snapshot.queues, 'offered'));
		expect(d.snapshot.total.counts.answered).toBe(sum(d.snapshot.channels, 'answered'));
		const sales = d.snapshot.queues.find((r) => r.queue === 'sales')!;
		expect(sales.slFormula).toBe('answered-only');
		expect(sales.serviceLevel).toBeCloseTo(sales.counts.answeredWithinT / sales.counts.answered, 12);
	});

	it('each agent’s time on contact and available today equals the Floor’s ledger', () => {
		const d = queries().day(day2, 'ingest', { agents: true })!;
		const rows = d.snapshot.agents!;
		expect(rows.length).toBe(floor.agents.size);
		for (const a of floor.agents.values()) {
			const r = rows.find((x) => x.agent === a.id)!;
			expect(r.onContact + (r.wrapUp ?? 0), a.id).toBeCloseTo(a.today[BUSY]!, 6);
			expect(r.available!, a.id).toBeCloseTo(a.today[IDLE]!, 6);
		}
		expect(d.recorded).toEqual({ agentStates: true, afterContactWork: true, csat: true });
	});

	it('the trace’s stays agree with the counts: answered, abandoned, transferred, waits, CSAT', () => {
		for (const date of [day1, day2]) {
			const d: HistoryDayResponse = queries().day(date, 'ingest', { agents: false })!;
			const t: HistoryTraceResponse = queries().trace(date, 'ingest')!;
			for (const q of d.snapshot.queues) {
				const legs = t.contacts.filter((c) => c.queue === q.queue);
				expect(legs.length, `${date} ${q.queue} offered`).toBe(q.counts.offered);
				// A stay was answered exactly when an agent took it.
				const answered = legs.filter((c) => c.agent !== null);
				expect(answered.length, `${date} ${q.queue} answered`).toBe(q.counts.answered);
				expect(legs.filter((c) => c.outcome === 'abandoned').length).toBe(q.counts.abandoned);
				expect(legs.filter((c) => c.outcome === 'transferred' && c.agent === null).length).toBe(q.counts.transferred);
				expect(answered.reduce((x, c) => x + (c.wait ?? 0), 0)).toBeCloseTo(q.counts.answeredWaitSum, 6);
				expect(legs.filter((c) => c.csat !== null).length).toBe(q.counts.csatAnswers);
			}
		}
	});

	it('bad events named in the issue leave no row: an ended by the wrong agent does not close the contact', () => {
		const t = queries().trace(day2, 'ingest')!;
		const wrongEnders = new Set(events.filter((e) => e.type === 'contact.ended' && e.agent === 'nobody').map((e) => (e as { contact: string }).contact));
		expect(wrongEnders.size).toBeGreaterThan(0);
		for (const c of [...t.contacts, ...queries().trace(day1, 'ingest')!.contacts]) if (c.outcome === 'handled') expect(c.agent).not.toBe('nobody');
	});

	it('writing the same changes again (a replay of the same events) changes nothing', () => {
		const before = JSON.stringify([queries().day(day1, 'ingest', { agents: true }), queries().trace(day2, 'ingest')]);
		const again = new Floor(config, START);
		const writer = new HistoryWriter(store.db, 'ingest', () => describeFloor(again), 'live');
		again.observe(writer);
		for (const e of events) again.apply(e);
		again.advance(last);
		writer.flush();
		expect(JSON.stringify([queries().day(day1, 'ingest', { agents: true }), queries().trace(day2, 'ingest')])).toBe(before);
	});
});
