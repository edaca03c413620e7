import Database from 'better-sqlite3';
import { HistoryQueries } from '../../src/server/history/queries';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor, type FloorConfig } from '../../src/lib/domain/floor';
import type { HistorySource } from '../../src/lib/domain/history';
import { resolveSl } from '../../src/lib/domain/service-level';
import { LiveHistory } from '../../src/server/history/live';
import { deriveHistory, rederiveAfterMigration } from '../../src/server/history/rederive';
import { Intake } from '../../src/server/intake';
import { Metrics } from '../../src/server/metrics';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/server/migrations';
import { DB_FILE, Store } from '../../src/server/store';

/**
 * Per-event sources (emulator and ingest on one floor, one deleted without touching the other),
 * the stored daily snapshot (written at the reset, updated by late outcomes, frozen once final),
 * days written whole giving the same figures as days written live, and the schema step to v3.
 */

const config: FloorConfig = {
	...DEFAULT_FLOOR_CONFIG,
	queues: [
		{ id: 'billing', name: 'Billing', channel: 'voice', sl: resolveSl('voice') },
		{ id: 'mail', name: 'Mail', channel: 'email', sl: resolveSl('email') }
	]
};
const D = '2026-03-10';
const midnight = Date.parse('2026-03-11T00:00:00Z');
const at = (hhmm: string, day = D) => Date.parse(`${day}T${hhmm}:00Z`);

const dirs: string[] = [];
const stores: Store[] = [];
function openStore(dir = mkdtempSync(join(tmpdir(), 'sightline-hsrc-'))): Store {
	if (!dirs.includes(dir)) dirs.push(dir);
	const store = new Store(dir);
	stores.push(store);
	return store;
}
afterEach(() => {
	for (const st of stores.splice(0)) st.close();
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function live(store: Store, source: HistorySource, start: number, graceMs?: number) {
	const floor = new Floor(config, start, { rollDayOnEventTime: false });
	const history = new LiveHistory(store, floor, { source, graceMs, log: () => {} });
	const intake = new Intake(floor, store, history, new Metrics());
	return { floor, history, intake };
}

let n = 0;
/** A handled voice contact: queued at `t`, answered after `wait` s, talk 60 s, wrap-up 20 s. */
function handled(prefix: string, contact: string, t: number, wait: number, agent: string): FloorEvent[] {
	return [
		{ type: 'contact.queued', id: `${prefix}${++n}`, ts: t, contact, queue: 'billing', channel: 'voice' },
		{ type: 'contact.answered', id: `${prefix}${++n}`, ts: t + wait * 1000, contact, queue: 'billing', agent },
		{ type: 'contact.wrapup', id: `${prefix}${++n}`, ts: t + (wait + 60) * 1000, contact, agent },
		{ type: 'contact.ended', id: `${prefix}${++n}`, ts: t + (wait + 80) * 1000, contact, agent }
	];
}
function abandoned(prefix: string, contact: string, t: number, wait: number): FloorEvent[] {
	return [
		{ type: 'contact.queued', id: `${prefix}${++n}`, ts: t, contact, queue: 'billing', channel: 'voice' },
		{ type: 'contact.abandoned', id: `${prefix}${++n}`, ts: t + wait * 1000, contact, queue: 'billing' }
	];
}
const login = (prefix: string, agent: string, t: number): FloorEvent => ({ type: 'agent.state', id: `${prefix}${++n}`, ts: t, agent, state: 'available' });

describe('each row keeps the source of the event that made it', () => {
	it('emulator and ingest on one floor: two days of one date; deleting the emulator’s leaves ingest’s figures whole', async () => {
		const store = openStore();
		const { floor, history, intake } = live(store, 'emulator', at('09:00'));
		const emu: FloorEvent[] = [login('emu-', 'e1', at('09:00'))];
		for (let i = 0; i < 12; i++) emu.push(...(i % 4 === 3 ? abandoned('emu-', `ec${i}`, at('09:10') + i * 300_000, 40) : handled('emu-', `ec${i}`, at('09:10') + i * 300_000, 5 + i, 'e1')));
		const ing: FloorEvent[] = [login('ing-', 'i1', at('09:00'))];
		const ingWaits = [3, 9, 14, 25, 31];
		ingWaits.forEach((w, i) => ing.push(...handled('ing-', `ic${i}`, at('09:05') + i * 600_000, w, 'i1')));
		ing.push(...abandoned('ing-', 'ic-ab', at('10:30'), 12));
		// Interleaved as they would arrive: playback every tick, ingest batches in between.
		intake.applyVolatile(emu.slice(0, 20).sort((a, b) => a.ts - b.ts));
		await intake.submit(ing.slice(0, 10));
		intake.applyVolatile(emu.slice(20).sort((a, b) => a.ts - b.ts));
		await intake.submit(ing.slice(10));
		floor.advance(at('12:00'));
		history.tick(Date.now());

		const days = history.queries.days().filter((d) => d.date === D);
		expect(days.map((d) => d.source).sort()).toEqual(['emulator', 'ingest']);
		const byOf = Object.fromEntries(days.map((d) => [d.source, d]));
		// The wall counted both; each source's day counts its own.
		expect(byOf.emulator!.offered + byOf.ingest!.offered).toBe(floor.queues.get('billing')!.today.offered);
		expect(byOf.emulator).toMatchObject({ offered: 12, answered: 9, abandoned: 3, agents: 1 });
		const ingestBefore = JSON.stringify(history.queries.day(D, 'ingest', { agents: true }));

		expect(history.deleteDay(D, 'emulator')).toBeGreaterThan(0);
		expect(history.queries.days().filter((d) => d.date === D).map((d) => d.source)).toEqual(['ingest']);
		const day = history.queries.day(D, undefined, { agents: true })!;
		expect(day.source).toBe('ingest');
		expect(JSON.stringify(day)).toBe(ingestBefore);
		// Figures computed here from the ingest events alone.
		const t = day.snapshot.total;
		expect(t.counts).toMatchObject({ offered: 6, answered: 5, abandoned: 1, handled: 5 });
		expect(t.asa).toBeCloseTo(ingWaits.reduce((a, b) => a + b, 0) / ingWaits.length, 9);
		expect(t.aht).toBeCloseTo(80, 9);
		// voice T = 20 s: answered within it 3 of 5; abandons count against: 3 / 6.
		expect(t.serviceLevel).toBeCloseTo(ingWaits.filter((w) => w <= 20).length / 6, 9);
		expect(day.snapshot.agents!.map((a) => [a.agent, a.handled])).toEqual([['i1', 5]]);
		const i1 = day.snapshot.agents![0]!;
		// Logged in from 09:00 until 12:00 (the floor's clock): on contact 5 × 60 s, wrap-up 5 × 20 s, the rest available.
		expect([i1.onContact, i1.wrapUp, i1.available]).toEqual([300, 100, 3 * 3600 - 400]);
		expect(history.queries.trace(D, 'ingest')!.contacts.map((c) => c.contact).sort()).toEqual(['ic-ab', 'ic0', 'ic1', 'ic2', 'ic3', 'ic4']);
	});

	it('an emulator move of an agent ingested events moved before is the emulator’s', async () => {
		const store = openStore();
		const { floor, history, intake } = live(store, 'emulator', at('09:00'));
		// Ingested traffic (a past day, or today) moves e1 first; then the emulator's playback moves it.
		await intake.submit([login('ing-', 'e1', at('09:00')), ...handled('ing-', 'ic', at('09:05'), 4, 'e1')]);
		intake.applyVolatile([...handled('emu-', 'ec', at('09:20'), 6, 'e1')]);
		floor.advance(midnight + 60_000);
		history.flush();
		// Every row is its event's source; the state carried into the next day follows the emulator's last move.
		const rows = store.db.prepare(`SELECT source, event FROM h_agent_states WHERE agent = 'e1' AND cause != 'day' ORDER BY ts, n`).all() as { source: string; event: string }[];
		expect(rows.length).toBeGreaterThanOrEqual(5);
		for (const r of rows) expect(r.source, r.event).toBe(r.event.startsWith('emu-') ? 'emulator' : 'ingest');
		expect(store.db.prepare(`SELECT source FROM h_agent_states WHERE date = '2026-03-11' AND cause = 'day'`).all()).toEqual([{ source: 'emulator' }]);
	});

	it('a source’s day of agent rows alone is not preferred over one with contacts', async () => {
		const store = openStore();
		const { floor, history, intake } = live(store, 'emulator', at('09:00'));
		// An ingest producer logs an agent in, nothing more; the emulator plays contacts.
		await intake.submit([login('ing-', 'i1', at('09:00'))]);
		intake.applyVolatile([login('emu-', 'e1', at('09:00')), ...handled('emu-', 'ec', at('09:10'), 5, 'e1')]);
		floor.advance(at('10:00'));
		history.flush();
		expect(history.queries.days().filter((d) => d.date === D).map((d) => `${d.source} ${d.offered}`)).toEqual(['emulator 1', 'ingest 0']);
		expect(history.queries.sourcesOf(D)).toEqual(['emulator', 'ingest']);
		expect(history.queries.day(D, undefined, { agents: false })!.source).toBe('emulator');
		// Asked for by name, the ingest day is still there.
		expect(history.queries.trace(D, 'ingest')!.agents.map((a) => a.agent)).toEqual(['i1']);
	});

	it('an agent’s state carried into the next day goes to the source that last moved it', () => {
		const store = openStore();
		const { floor, history, intake } = live(store, 'emulator', at('22:00'));
		intake.applyVolatile([login('emu-', 'e1', at('22:00'))]);
		history.asIngest(() => floor.apply(login('ing-', 'i1', at('22:05'))));
		floor.advance(midnight + 60_000);
		history.flush();
		const rows = store.db.prepare(`SELECT source, agent FROM h_agent_states WHERE date = '2026-03-11' AND cause = 'day' ORDER BY agent`).all();
		expect(rows).toEqual([
			{ source: 'emulator', agent: 'e1' },
			{ source: 'ingest', agent: 'i1' }
		]);
	});
});

describe('the daily snapshot is stored at the reset, follows late outcomes, and is frozen once final', () => {
	const email = (id: string, contact: string, t: number): FloorEvent => ({ type: 'contact.queued', id, ts: t, contact, queue: 'mail', channel: 'email' });
	const stored = (store: Store) => store.db.prepare(`SELECT status, snapshot, changed, open_contacts AS open FROM h_days WHERE source = 'ingest' AND date = ?`).get(D) as {
		status: string;
		snapshot: string | null;
		changed: number;
		open: number;
	};

	it('an email answered after the reset updates the stored snapshot; the day is final when it closes', async () => {
		const store = openStore();
		const { floor, history, intake } = live(store, 'ingest', at('23:00'));
		let now = Date.now();
		const tick = (t: number) => {
			floor.advance(t);
			history.tick((now += 11_000));
		};
		await intake.submit([email('m1q', 'm1', at('23:10')), ...handled('v-', 'v1', at('23:20'), 4, 'a1')]);
		tick(at('23:59'));
		expect(stored(store)).toMatchObject({ status: 'open', snapshot: null });

		tick(midnight + 30_000);
		let s = stored(store);
		expect(s).toMatchObject({ status: 'closing', changed: 0, open: 1 });
		const atReset = JSON.parse(s.snapshot!) as { total: { counts: { offered: number; answered: number } } };
		expect(atReset.total.counts).toMatchObject({ offered: 2, answered: 1 });

		// Answered an hour after the reset: counted in D, in the interval it was offered in.
		await intake.submit([
			{ type: 'contact.answered', id: 'm1a', ts: midnight + 3600_000, contact: 'm1', queue: 'mail', agent: 'a2' },
			{ type: 'contact.ended', id: 'm1e', ts: midnight + 3900_000, contact: 'm1', agent: 'a2' }
		]);
		expect(stored(store).changed).toBe(1);
		// Until the next status update the API computes it from the rows, never answers a stale one.
		expect(history.queries.day(D, 'ingest', { agents: false })!.snapshot.total.counts.answered).toBe(2);
		tick(midnight + 3960_000);
		s = stored(store);
		expect(s).toMatchObject({ status: 'final', changed: 0, open: 0 });
		const day = history.queries.day(D, 'ingest', { agents: true })!;
		expect(day.snapshot).toMatchObject({ status: 'final', openContacts: 0 });
		expect(day.snapshot.total.counts).toMatchObject({ offered: 2, answered: 2, handled: 2 });
		expect(day.snapshot.queues.find((q) => q.queue === 'mail')!.asa).toBe((midnight + 3600_000 - at('23:10')) / 1000);
		expect(day.intervals.find((r) => r.queue === 'mail' && r.start === at('23:00'))!.counts.answered).toBe(1);
		expect(JSON.parse(s.snapshot!).agents.map((a: { agent: string }) => a.agent)).toEqual(['a1', 'a2']);
	});

	it('after the grace period the day is final with its open contact, and a later outcome no longer changes the snapshot', async () => {
		const store = openStore();
		const grace = 6 * 3600_000;
		const { floor, history, intake } = live(store, 'ingest', at('23:00'), grace);
		let now = Date.now();
		const tick = (t: number) => {
			floor.advance(t);
			history.tick((now += 11_000));
		};
		await intake.submit([email('g1q', 'g1', at('23:30'))]);
		tick(midnight + 60_000);
		expect(stored(store)).toMatchObject({ status: 'closing', open: 1 });
		tick(midnight + grace - 60_000);
		expect(stored(store).status).toBe('closing');
		tick(midnight + grace + 1000);
		const final = stored(store);
		expect(final).toMatchObject({ status: 'final', open: 1 });
		const before = history.queries.day(D, 'ingest', { agents: true })!.snapshot;
		expect(before).toMatchObject({ status: 'final', openContacts: 1 });
		expect(before.total.counts.answered).toBe(0);

		await intake.submit([{ type: 'contact.answered', id: 'g1a', ts: midnight + grace + 3600_000, contact: 'g1', queue: 'mail', agent: 'a1' }]);
		tick(midnight + grace + 3700_000);
		expect(stored(store).snapshot).toBe(final.snapshot);
		expect(history.queries.day(D, 'ingest', { agents: true })!.snapshot).toEqual(before);
	});

	it('a restart in the middle of the next day, and the same events again, give the identical stored snapshot', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-hsrc-restart-'));
		const events: FloorEvent[] = [login('r-', 'a1', at('20:00')), login('r-', 'a2', at('20:00'))];
		for (let i = 0; i < 30; i++) events.push(...(i % 5 === 2 ? abandoned('r-', `r${i}`, at('20:05') + i * 240_000, 30) : handled('r-', `r${i}`, at('20:05') + i * 240_000, i % 9, `a${(i % 2) + 1}`)));
		events.push(email('r-mail', 'rm', at('23:50')));
		events.sort((a, b) => a.ts - b.ts);
		let now = Date.now();
		const run = async (start: number, after: (h: ReturnType<typeof live>) => Promise<void> | void) => {
			const store = openStore(dir);
			const h = live(store, 'ingest', start);
			h.history.rebuild(store.eventPages(start, Number.MAX_SAFE_INTEGER));
			await after(h);
			h.history.tick((now += 11_000));
			const row = stored(store);
			store.close();
			return row;
		};
		const first = await run(at('20:00'), async ({ floor, intake, history }) => {
			await intake.submit(events);
			floor.advance(midnight + 3600_000);
			history.tick((now += 11_000));
			await intake.submit([{ type: 'contact.answered', id: 'r-mail-a', ts: midnight + 7200_000, contact: 'rm', queue: 'mail', agent: 'a1' }]);
			floor.advance(midnight + 7300_000);
		});
		expect(first.status).toBe('closing');
		expect(JSON.parse(first.snapshot!).total.counts.answered).toBe(25);
		// Restart at 06:00 the next day: the floor is rebuilt from the start of day D out of the event log.
		const second = await run(at('00:00'), ({ floor }) => floor.advance(midnight + 6 * 3600_000));
		expect(second.snapshot).toBe(first.snapshot);
		// The producer sends everything again.
		const third = await run(at('00:00'), async ({ floor, intake }) => {
			floor.advance(midnight + 6 * 3600_000);
			const r = await intake.submit(events);
			expect(r.accepted).toBe(0);
		});
		expect(third.snapshot).toBe(first.snapshot);
	});
});

describe('days written whole (backfill, import) read back like days written live', () => {
	it('the same events give the same intervals, agent rows, snapshot and trace either way', () => {
		const store = openStore();
		const events: FloorEvent[] = [];
		for (const a of ['a1', 'a2', 'a3']) events.push(login('w-', a, at('08:00')));
		events.push({ type: 'agent.state', id: 'w-lunch', ts: at('11:50'), agent: 'a2', state: 'not-ready', reason: 'lunch' });
		events.push({ type: 'agent.state', id: 'w-back', ts: at('12:35'), agent: 'a2', state: 'available' });
		events.push({ type: 'agent.state', id: 'w-out', ts: at('16:00'), agent: 'a3', state: 'offline' });
		for (let i = 0; i < 80; i++) events.push(...(i % 7 === 0 ? abandoned('w-', `w${i}`, at('08:10') + i * 360_000, 50) : handled('w-', `w${i}`, at('08:10') + i * 360_000, (i * 7) % 45, `a${(i % 3) + 1}`)));
		events.sort((a, b) => a.ts - b.ts);
		// An event of the next day: the day written live is past (closing), its agent time runs to its end.
		events.push(login('w-', 'z9', midnight + 1800_000));
		const liveDay = deriveHistory(store, { ...config, timeZone: 'UTC' }, 'replay', [events], 'live');
		const bulkDay = deriveHistory(store, { ...config, timeZone: 'UTC' }, 'import', [events.slice(0, 200), events.slice(200)], 'bulk');
		expect(liveDay.dates).toEqual([D, '2026-03-11']);
		expect(bulkDay.dates).toEqual([D, '2026-03-11']);
		// The live-written day is 'closing' (no status update ran), the other final: compare their rows.
		const strip = ({ source: _s, ...d }: Record<string, unknown>) => d;
		const r = store.db.prepare('SELECT count(*) AS n FROM h_agent_states WHERE source = ? AND date = ?');
		expect((r.get('import', D) as { n: number }).n).toBeLessThan((r.get('replay', D) as { n: number }).n / 10);
		const liveRead = history(store).day(D, 'replay', { agents: true, fresh: true })!;
		const bulkRead = history(store).day(D, 'import', { agents: true, fresh: true })!;
		expect(strip({ ...bulkRead, snapshot: { ...bulkRead.snapshot, status: null, finalAt: null } })).toEqual(strip({ ...liveRead, snapshot: { ...liveRead.snapshot, status: null, finalAt: null } }));
		// Time per state is there (not "not recorded"): lunch 11:50–12:35 less the contacts a2 was still on.
		const lunch = bulkRead.snapshot.agents!.find((a) => a.agent === 'a2')!.notReady!.lunch!;
		expect(lunch).toBeGreaterThan(30 * 60);
		expect(lunch).toBeLessThanOrEqual(45 * 60);
		const { source: _a, ...liveTrace } = history(store).trace(D, 'replay')!;
		const { source: _b, ...bulkTrace } = history(store).trace(D, 'import')!;
		expect(bulkTrace).toEqual(liveTrace);
		// The day written whole is final; its snapshot, stored by a later status update, is the one computed from its rows.
		const q = history(store);
		expect(q.storeSnapshots(10)).toBeGreaterThanOrEqual(2);
		expect(store.db.prepare(`SELECT status, snapshot IS NOT NULL AS stored FROM h_days WHERE source = 'import' AND date = ?`).get(D)).toEqual({ status: 'final', stored: 1 });
		expect(q.day(D, 'import', { agents: true })!.snapshot).toEqual({ ...bulkRead.snapshot, status: 'final' });
	});
});

describe('schema step 4 (PRAGMA user_version)', () => {
	it('opens a store of schema 3 with its days, adds the snapshot columns and agent-time table, and stores the snapshot', () => {
		const { dir, old } = storeOfSchema(3);
		old.close();

		const store = openStore(dir);
		expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		const cols = (store.db.prepare(`SELECT name FROM pragma_table_info('h_days')`).all() as { name: string }[]).map((c) => c.name);
		expect(cols).toEqual(expect.arrayContaining(['snapshot', 'changed']));
		expect(store.db.prepare(`SELECT count(*) AS n FROM h_agent_time`).get()).toEqual({ n: 0 });
		const floor = new Floor(config, midnight + 3600_000, { rollDayOnEventTime: false });
		const h = new LiveHistory(store, floor, { source: 'ingest', log: () => {} });
		h.tick(Date.now());
		const snap = JSON.parse((store.db.prepare(`SELECT snapshot FROM h_days WHERE date = ?`).get(D) as { snapshot: string }).snapshot);
		expect(snap.total.counts).toMatchObject({ offered: 3, answered: 2 });
		expect(h.queries.day(D, undefined, { agents: false })!.snapshot).toMatchObject({ status: 'final', total: { counts: { offered: 3, answered: 2 } } });
	});
});

describe('schema step 5 (history per site)', () => {
	it('opens a store of schema 4: its rows become the default site\'s, the site leads every history key, and each site reads only its own days', () => {
		const { dir, old } = storeOfSchema(4);
		old.prepare(
			`INSERT INTO h_legs (source, date, leg, contact, queue, channel, priority, offered, outcome) VALUES ('ingest', ?, 'l1', 'c1', 'billing', 'voice', 0, ?, 'answered')`
		).run(D, at('09:00'));
		old.prepare(`INSERT INTO h_agents (source, date, agent, name, team, skills, capacity) VALUES ('ingest', ?, 'a1', 'A', 'T', '{}', '{}')`).run(D);
		old.prepare(
			`INSERT INTO h_agent_states (source, date, event, agent, ts, n, cause, activity, presence, busy_slots, offered_slots) VALUES ('ingest', ?, 's1', 'a1', ?, 1, 'state', 'idle', 'available', 0, 1)`
		).run(D, at('09:00'));
		old.prepare(`INSERT INTO h_agent_time (source, date, agent, intervals) VALUES ('ingest', ?, 'a1', '[]')`).run(D);
		old.close();

		const store = openStore(dir);
		expect(SCHEMA_VERSION).toBe(5);
		expect(store.db.pragma('user_version', { simple: true })).toBe(5);
		for (const table of ['h_days', 'h_counts', 'h_legs', 'h_agents', 'h_agent_states', 'h_agent_time']) {
			// Every row kept, as the default site's; the site is the first key column.
			expect(store.db.prepare(`SELECT site, count(*) AS n FROM ${table} GROUP BY site`).all(), table).toEqual([{ site: 'main', n: 1 }]);
			const key = (store.db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as { name: string }[]).map((c) => c.name);
			expect(key.slice(0, 3), table).toEqual(['site', 'source', 'date']);
		}
		// The same source and date of another site is a row of its own, not a conflict.
		store.db
			.prepare(`INSERT INTO h_days (site, source, date, time_zone, day_start, day_end, interval_ms, queues, status, clock) VALUES ('ny', 'ingest', ?, 'America/New_York', ?, ?, 900000, '[]', 'final', ?)`)
			.run(D, at('05:00'), midnight + 5 * 3600_000, midnight + 5 * 3600_000);
		expect(new HistoryQueries(store.db).day(D, undefined, { agents: false })!.snapshot.total.counts).toMatchObject({ offered: 3, answered: 2 });
		expect(new HistoryQueries(store.db, 'ny').day(D, undefined, { agents: false })!.snapshot.total.counts).toMatchObject({ offered: 0, answered: 0 });
		expect(new HistoryQueries(store.db, 'ny').days().map((d) => d.timeZone)).toEqual(['America/New_York']);
		expect(new HistoryQueries(store.db, 'paris').days()).toEqual([]);
	});
});

describe('re-deriving after a migration, per site', () => {
	it("each site's logged events become that site's days on its own clock", () => {
		const store = openStore();
		const queued = (id: string, ts: number, site?: string): FloorEvent => ({ type: 'contact.queued', id, ts, contact: id, queue: 'billing', channel: 'voice', ...(site ? { site } : {}) });
		// 03:00 UTC on the 11th is still the 10th in New York (22:00).
		const late = Date.parse('2026-03-11T03:00:00Z');
		store.appendEvents([queued('m1', at('10:00')), queued('m2', at('11:00')), queued('n1', at('10:30'), 'ny'), queued('n2', late, 'ny'), queued('n3', late + 60_000, 'ny')], at('12:00'));
		store.db.prepare(`INSERT INTO meta (key, value) VALUES ('rederive', '1')`).run();
		const center = {
			...config,
			timeZone: 'UTC',
			resetTime: '00:00',
			sites: [
				{ id: 'main', name: 'Main', timeZone: 'UTC', resetTime: '00:00' },
				{ id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '00:00' }
			]
		};
		expect(rederiveAfterMigration(store, center, midnight + 86_400_000, () => {})).toBe(5);
		const days = (site: string) => new HistoryQueries(store.db, site).days().map((d) => [d.date, d.timeZone, d.offered]);
		expect(days('main')).toEqual([[D, 'UTC', 2]]);
		expect(days('ny')).toEqual([[D, 'America/New_York', 3]]);
	});
});

/** A store file as release `version` of the schema wrote it, holding one day of 3 offered and 2 answered (left open). */
function storeOfSchema(version: number): { dir: string; old: Database.Database } {
	const dir = mkdtempSync(join(tmpdir(), `sightline-v${version}-`));
	dirs.push(dir);
	const old = new Database(join(dir, DB_FILE));
	migrate(old, MIGRATIONS.slice(0, version));
	expect(old.pragma('user_version', { simple: true })).toBe(version);
	old.prepare(
		`INSERT INTO h_days (source, date, time_zone, day_start, day_end, interval_ms, queues, status, clock) VALUES ('ingest', ?, 'UTC', ?, ?, 900000, '[]', 'final', ?)`
	).run(D, at('00:00'), midnight, midnight);
	old.prepare(
		`INSERT INTO h_counts (source, date, event, part, queue, channel, start, agent, offered, answered) VALUES ('ingest', ?, 'e1', 0, 'billing', 'voice', ?, NULL, 3, 2)`
	).run(D, at('09:00'));
	return { dir, old };
}

function history(store: Store) {
	return new LiveHistory(store, new Floor(config, at('00:00'), { rollDayOnEventTime: false }), { source: 'ingest', log: () => {} }).queries;
}
