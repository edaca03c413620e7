import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor, type FloorConfig } from '../../src/lib/domain/floor';
import { resolveSl } from '../../src/lib/domain/service-level';
import { dayKey } from '../../src/lib/domain/time';
import { LiveHistory } from '../../src/server/history/live';
import { Intake } from '../../src/server/intake';
import { Metrics } from '../../src/server/metrics';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/server/migrations';
import { DB_FILE, Store } from '../../src/server/store';

/** History over a real SQLite file: failed commits, the day reset, what is stored of a contact, migrations. */

const config: FloorConfig = { ...DEFAULT_FLOOR_CONFIG, queues: [{ id: 'billing', name: 'Billing', channel: 'voice', sl: resolveSl('voice') }] };
const T0 = Date.parse('2026-03-10T09:00:00Z');
const s = (sec: number) => T0 + sec * 1000;

const dirs: string[] = [];
const stores: Store[] = [];
function openStore(): Store {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-hist-'));
	dirs.push(dir);
	const store = new Store(dir);
	stores.push(store);
	return store;
}
afterEach(() => {
	for (const st of stores.splice(0)) st.close();
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A live floor with its history, as the server wires them. */
function live(store: Store, start = T0) {
	const floor = new Floor(config, start, { rollDayOnEventTime: false });
	const history = new LiveHistory(store, floor, { source: 'ingest', log: () => {} });
	const intake = new Intake(floor, store, history, new Metrics());
	return { floor, history, intake };
}

let n = 0;
const id = () => `h${++n}`;
function handled(contact: string, at: number, agent: string, csat?: number): FloorEvent[] {
	return [
		{ type: 'contact.queued', id: id(), ts: s(at), contact, queue: 'billing', channel: 'voice' },
		{ type: 'contact.answered', id: id(), ts: s(at + 12), contact, queue: 'billing', agent },
		{ type: 'contact.wrapup', id: id(), ts: s(at + 100), contact, agent },
		{ type: 'contact.ended', id: id(), ts: s(at + 130), contact, agent, ...(csat === undefined ? {} : { csat }) }
	];
}

describe('a failed commit leaves no trace (issue #9, disk full)', () => {
	it('a batch refused while the disk is full is stored whole, with its history, when retried', async () => {
		const store = openStore();
		const { floor, intake } = live(store);
		// Simulate a full disk: the file may not grow past the pages it has now.
		const pages = store.db.pragma('page_count', { simple: true }) as number;
		store.db.pragma(`max_page_count = ${pages}`);
		const batch = Array.from({ length: 60 }, (_, i) => handled(`full-${i}-${'x'.repeat(60)}`, i * 10, `agent-${i % 5}`, 5)).flat();
		await expect(intake.submit(batch)).rejects.toThrow(/could not commit/);
		expect(floor.queues.get('billing')!.today.offered).toBe(0);
		expect(floor.contactsInFlight).toBe(0);
		expect(store.eventCount()).toBe(0);
		expect((store.db.prepare('SELECT count(*) AS n FROM h_legs').get() as { n: number }).n).toBe(0);

		store.db.pragma('max_page_count = 1073741823');
		const r = await intake.submit(batch);
		expect(r).toMatchObject({ accepted: 240, duplicates: 0, anomalies: 0 });
		const date = dayKey(floor.dayStart, 'UTC');
		const day = new LiveHistory(store, floor, { source: 'ingest' }).queries.day(date, 'ingest', { agents: false })!;
		expect(day.snapshot.total.counts.offered).toBe(60);
		expect(day.snapshot.total.counts.handled).toBe(60);
		expect(day.snapshot.total.counts.csatAnswers).toBe(60);
		expect(day.snapshot.total.counts).toEqual(floor.queues.get('billing')!.today);
	});

	it('history rows that could not be written are kept and written by the next tick', () => {
		const store = openStore();
		const { floor, history } = live(store);
		const pages = store.db.pragma('page_count', { simple: true }) as number;
		store.db.pragma(`max_page_count = ${pages}`);
		for (const e of handled('kept', 0, 'a1').concat(Array.from({ length: 40 }, (_, i) => handled(`k${i}-${'y'.repeat(80)}`, i, 'a2')).flat())) floor.apply(e);
		expect(history.flush()).toBe(false);
		expect(history.writer.pending).toBeGreaterThan(0);
		store.db.pragma('max_page_count = 1073741823');
		history.tick(Date.now());
		expect(history.writer.pending).toBe(0);
		const t = history.queries.trace(dayKey(floor.dayStart, 'UTC'), 'ingest')!;
		expect(t.contacts.filter((c) => c.outcome === 'handled').length).toBe(41);
	});
});

describe('what is stored of a contact (issue #8 mutants)', () => {
	it('an ended contact keeps its end, talk, after-contact work and CSAT', async () => {
		const store = openStore();
		const { floor, history, intake } = live(store);
		await intake.submit([...handled('c1', 0, 'a1', 5), ...handled('c2', 20, 'a2', 2), ...handled('c3', 200, 'a1')]);
		const date = dayKey(floor.dayStart, 'UTC');
		const t = history.queries.trace(date, 'ingest')!;
		expect(t.contacts.map((c) => [c.contact, c.outcome, c.wait, c.talk, c.afterContactWork, c.agent, c.csat])).toEqual([
			['c1', 'handled', 12, 88, 30, 'a1', 5],
			['c2', 'handled', 12, 88, 30, 'a2', 2],
			['c3', 'handled', 12, 88, 30, 'a1', null]
		]);
		const d = history.queries.day(date, 'ingest', { agents: true })!;
		// CSAT: one of two answers was 4–5.
		expect(d.snapshot.total.csat).toBe(0.5);
		expect(d.snapshot.total.aht).toBe(118);
		expect(d.recorded).toEqual({ agentStates: false, afterContactWork: true, csat: true });
		expect(d.snapshot.agents!.map((a) => [a.agent, a.handled, a.onContact, a.wrapUp, a.available])).toEqual([
			['a1', 2, 176, 60, null],
			['a2', 1, 88, 30, null]
		]);
	});

	it('a duplicate sent again after the day reset is dropped by the floor and not stored twice', () => {
		const store = openStore();
		const midnight = Date.parse('2026-03-11T00:00:00Z');
		const { floor, history } = live(store, midnight - 600_000);
		const before: FloorEvent[] = [
			{ type: 'contact.queued', id: 'dup-q', ts: midnight - 500_000, contact: 'd1', queue: 'billing', channel: 'voice' },
			{ type: 'contact.answered', id: 'dup-a', ts: midnight - 490_000, contact: 'd1', queue: 'billing', agent: 'a1' },
			{ type: 'contact.ended', id: 'dup-e', ts: midnight - 400_000, contact: 'd1', agent: 'a1' }
		];
		for (const e of before) floor.apply(e);
		floor.advance(midnight + 60_000);
		expect(floor.dayStart).toBe(midnight);
		// The producer retries the whole contact after the reset.
		for (const e of before) expect(floor.apply(e).kind).toBe('duplicate');
		expect(floor.contactsInFlight).toBe(0);
		history.flush();
		const d = history.queries.day('2026-03-10', 'ingest', { agents: false })!;
		expect(d.snapshot.total.counts.offered).toBe(1);
		expect(d.snapshot.total.counts.handled).toBe(1);
	});

	it('an event stamped hours ahead does not roll the live floor’s day (issue #9)', () => {
		const store = openStore();
		const { floor, history } = live(store);
		floor.apply({ type: 'contact.queued', id: id(), ts: s(0), contact: 'f1', queue: 'billing', channel: 'voice' });
		floor.apply({ type: 'agent.state', id: id(), ts: T0 + 16 * 3600_000, agent: 'a9', state: 'available' });
		expect(floor.dayStart).toBe(Date.parse('2026-03-10T00:00:00Z'));
		expect(floor.queues.get('billing')!.today.offered).toBe(1);
		// The wall clock does roll it.
		floor.advance(Date.parse('2026-03-11T00:00:01Z'));
		expect(floor.queues.get('billing')!.today.offered).toBe(0);
		history.flush();
	});
});

describe('schema migrations (PRAGMA user_version)', () => {
	it('opens a store written by the first release (no user_version), keeps its events and configs, drops the old history tables', () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-old-'));
		dirs.push(dir);
		const old = new Database(join(dir, DB_FILE));
		// The schema exactly as the first release wrote it.
		old.exec(FIRST_RELEASE_SCHEMA);
		old.prepare('INSERT INTO events (id, ts, type, body, received) VALUES (?, ?, ?, ?, ?)').run(
			'old-1',
			T0,
			'contact.queued',
			JSON.stringify({ type: 'contact.queued', id: 'old-1', ts: T0, contact: 'o1', queue: 'billing', channel: 'voice' }),
			T0
		);
		old.prepare(`INSERT INTO contacts (contact, queue, channel, offered, wait, outcome) VALUES ('o1', 'billing', 'voice', ?, 0, 'transferred')`).run(T0);
		old.prepare(`INSERT INTO configs (kind, key, version, ts, actor, body) VALUES ('floor', 'default', 1, ?, 'admin', '{"timeZone":"UTC"}')`).run(T0);
		expect(old.pragma('user_version', { simple: true })).toBe(0);
		old.close();

		const store = new Store(dir);
		stores.push(store);
		expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		expect(store.eventCount()).toBe(1);
		expect(store.latestConfig('floor', 'default')?.body).toEqual({ timeZone: 'UTC' });
		const tables = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
		expect(tables).not.toContain('contacts');
		expect(tables).toEqual(expect.arrayContaining(['h_days', 'h_counts', 'h_legs', 'h_agent_states', 'h_agents']));
		// Its history is re-derived from the log by the Floor on the first start.
		expect(store.db.prepare(`SELECT value FROM meta WHERE key = 'rederive'`).get()).toEqual({ value: '1' });
	});

	it('runs each step once, in order, and refuses a file from a newer release', () => {
		const store = openStore();
		expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
		const path = join(store.dataDir, DB_FILE);
		store.close();
		const again = new Store(store.dataDir);
		stores.push(again);
		expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		again.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
		again.close();
		expect(() => new Store(store.dataDir)).toThrow(/newer release/);
		expect(path).toContain(DB_FILE);
	});
});

/** `src/server/store.ts` SCHEMA of the first release, verbatim. */
const FIRST_RELEASE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ts INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, received INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
CREATE TABLE IF NOT EXISTS contacts (contact TEXT NOT NULL, queue TEXT NOT NULL, channel TEXT NOT NULL, offered INTEGER NOT NULL, answered INTEGER, abandoned INTEGER, ended INTEGER, wait REAL NOT NULL, handle REAL, agent TEXT, outcome TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS contacts_offered ON contacts(offered);
CREATE TABLE IF NOT EXISTS agent_states (agent TEXT NOT NULL, ts INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT);
CREATE INDEX IF NOT EXISTS agent_states_ts ON agent_states(ts);
CREATE TABLE IF NOT EXISTS interval_kpis (start INTEGER NOT NULL, queue TEXT NOT NULL, "offered" REAL NOT NULL DEFAULT 0, "answered" REAL NOT NULL DEFAULT 0, "abandoned" REAL NOT NULL DEFAULT 0, "shortAbandoned" REAL NOT NULL DEFAULT 0, "transferred" REAL NOT NULL DEFAULT 0, "answeredWithinT" REAL NOT NULL DEFAULT 0, "abandonedWithinT" REAL NOT NULL DEFAULT 0, "answeredWaitSum" REAL NOT NULL DEFAULT 0, "handled" REAL NOT NULL DEFAULT 0, "handleSum" REAL NOT NULL DEFAULT 0, "csatAnswers" REAL NOT NULL DEFAULT 0, "csatPositive" REAL NOT NULL DEFAULT 0, "longestWait" REAL NOT NULL DEFAULT 0, PRIMARY KEY (start, queue));
CREATE TABLE IF NOT EXISTS configs (kind TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, ts INTEGER NOT NULL, actor TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, key, version));
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT);
`;
