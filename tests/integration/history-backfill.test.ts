import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryDaysResponse } from '../../src/lib/domain/history';
import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { parseCliArgs } from '../../src/server/cli-args';
import { withQueues } from '../../src/server/floor-config';
import { backfill } from '../../src/server/history/backfill';
import { startBackfillThreads } from '../../src/server/history/backfill-threads';
import { HistoryQueries } from '../../src/server/history/queries';
import { startServer, type RunningServer } from '../../src/server/server';
import { DEFAULT_SCENARIO, loadScenario, scenarioQueues } from '../../src/server/sources/emulator';
import { Store } from '../../src/server/store';

/** A fresh install with the emulator: past days are there from the first start, once. */

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-backfill-'));
let server: RunningServer | null = null;
const start = () => startServer({ dataDir, host: '127.0.0.1', port: 0, source: { kind: 'emulator', speed: 1 }, timeZone: 'UTC', backfillDays: 7, log: () => {} });
const days = async (s: RunningServer) => ((await (await fetch(`${s.url}/api/history/days`)).json()) as HistoryDaysResponse).days.filter((d) => d.source === 'backfill');

afterAll(async () => {
	await server?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('backfill of the emulated center', () => {
	it('stores the days before today, with a weekly pattern, final and with agent states', async () => {
		server = await start();
		const list = await days(server);
		const DAY = 86_400_000;
		const today = Math.floor(Date.now() / DAY) * DAY;
		expect(list.map((d) => d.date).sort()).toEqual(Array.from({ length: 7 }, (_, k) => new Date(today - (7 - k) * DAY).toISOString().slice(0, 10)));
		expect(list.every((d) => d.status === 'final' && d.offered > 1000 && d.recorded.agentStates && d.occupancy !== null)).toBe(true);
		const weekend = list.filter((d) => [0, 6].includes(new Date(`${d.date}T12:00:00Z`).getUTCDay()));
		const weekdays = list.filter((d) => ![0, 6].includes(new Date(`${d.date}T12:00:00Z`).getUTCDay()));
		expect(Math.max(...weekend.map((d) => d.offered))).toBeLessThan(0.7 * Math.min(...weekdays.map((d) => d.offered)));
		// Day-to-day variation: no two weekdays alike.
		expect(new Set(weekdays.map((d) => d.offered)).size).toBe(weekdays.length);
	});

	it('a restart on the same data dir keeps those days as they were and backfills nothing again', async () => {
		const before = JSON.stringify(await days(server!));
		await server!.close();
		server = await start();
		expect(JSON.stringify(await days(server))).toBe(before);
	});

	it('days computed in worker threads are stored exactly as days computed in the main thread', async () => {
		const scenario = loadScenario(DEFAULT_SCENARIO);
		const config = withQueues({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'Europe/Berlin' }, scenarioQueues(scenario));
		const now = Date.UTC(2026, 2, 31, 10); // the days before cross the change to summer time
		const dump = async (helpers: number, computeHere: boolean) => {
			const dir = mkdtempSync(join(tmpdir(), 'sightline-backfill-threads-'));
			const store = new Store(dir);
			try {
				const r = await backfill(store, { scenario, config, days: 3, now, seed: 7, helpers, computeHere });
				const all = (sql: string) => store.db.prepare(sql).all();
				return {
					r,
					rows: {
						days: all('SELECT * FROM h_days ORDER BY source, date'),
						counts: all('SELECT * FROM h_counts ORDER BY source, date, event, part'),
						legs: all('SELECT * FROM h_legs ORDER BY source, date, leg'),
						// n orders an agent's rows of equal time; its base is the writer's clock, so compare the order it gives.
						agentStates: all('SELECT source, date, event, agent, ts, cause, activity, presence, reason, busy_slots, offered_slots FROM h_agent_states ORDER BY source, date, agent, ts, n'),
						agents: all('SELECT * FROM h_agents ORDER BY source, date, agent'),
						agentTime: all('SELECT * FROM h_agent_time ORDER BY source, date, agent')
					}
				};
			} finally {
				store.close();
				rmSync(dir, { recursive: true, force: true });
			}
		};
		const here = await dump(0, true);
		const threads = await dump(2, false);
		expect(here.r).toMatchObject({ days: 3, helpers: 0, helperDays: 0 });
		expect(threads.r).toMatchObject({ days: 3, helpers: 2, helperDays: 3, contacts: here.r!.contacts });
		expect(here.rows.days.map((d) => (d as { date: string }).date)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
		for (const [table, rows] of Object.entries(here.rows)) expect([table, rows.length > 0]).toEqual([table, true]);
		expect(threads.rows).toEqual(here.rows);
	}, 120_000);

	it('threads started beforehand (as main.ts does) compute days, and end with the backfill, also one that had nothing to do', async () => {
		const scenario = loadScenario(DEFAULT_SCENARIO);
		const config = withQueues({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, scenarioQueues(scenario));
		const dir = mkdtempSync(join(tmpdir(), 'sightline-backfill-prestarted-'));
		const store = new Store(dir);
		const ended = (threads: readonly { once(e: 'exit', f: () => void): unknown }[]) => Promise.all(threads.map((t) => new Promise<void>((r) => t.once('exit', r))));
		try {
			const first = startBackfillThreads(2);
			const firstEnded = ended(first);
			const r = await backfill(store, { scenario, config, days: 3, now: Date.UTC(2026, 4, 20, 10), seed: 5, threads: first, computeHere: false });
			expect(r).toMatchObject({ days: 3, helpers: 2, helperDays: 3 });
			await firstEnded;
			const second = startBackfillThreads(1);
			const secondEnded = ended(second);
			expect(await backfill(store, { scenario, config, days: 3, now: Date.UTC(2026, 4, 20, 10), seed: 5, threads: second })).toBeNull();
			await secondEnded;
		} finally {
			store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);

	it('stores each day with its summary, the same as computed from the rows when asked for', async () => {
		const scenario = loadScenario(DEFAULT_SCENARIO);
		const config = withQueues({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, scenarioQueues(scenario));
		const dir = mkdtempSync(join(tmpdir(), 'sightline-backfill-summary-'));
		const store = new Store(dir);
		try {
			await backfill(store, { scenario, config, days: 2, now: Date.UTC(2026, 4, 20, 10), seed: 5, helpers: 0 });
			const stored = store.db.prepare('SELECT date, summary FROM h_days ORDER BY date').all() as { date: string; summary: string | null }[];
			expect(stored.map((d) => [d.date, d.summary !== null])).toEqual([
				['2026-05-18', true],
				['2026-05-19', true]
			]);
			const queries = new HistoryQueries(store.db);
			const asStored = queries.days();
			store.db.prepare('UPDATE h_days SET summary = NULL').run();
			const computed = queries.days();
			expect(computed.every((d) => d.offered > 1000 && d.agents > 0 && d.occupancy !== null)).toBe(true);
			expect(asStored).toEqual(computed);
		} finally {
			store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);

	it('a backfill killed half-way is dropped at the next start whatever the source, and redone whole by the emulator: the same rows as one never interrupted', async () => {
		const scenario = loadScenario(DEFAULT_SCENARIO);
		const config = withQueues({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, scenarioQueues(scenario));
		const now = Date.UTC(2026, 4, 20, 10);
		const options = { scenario, config, days: 4, now, seed: 3, helpers: 0 };
		const rowsOf = (store: Store) => {
			const all = (sql: string) => store.db.prepare(sql).all();
			return {
				days: all('SELECT * FROM h_days ORDER BY source, date'),
				counts: all('SELECT * FROM h_counts ORDER BY source, date, event, part'),
				legs: all('SELECT * FROM h_legs ORDER BY source, date, leg'),
				agentStates: all('SELECT source, date, event, agent, ts, cause, activity, presence, reason, busy_slots, offered_slots FROM h_agent_states ORDER BY source, date, agent, ts, n'),
				agents: all('SELECT * FROM h_agents ORDER BY source, date, agent'),
				agentTime: all('SELECT * FROM h_agent_time ORDER BY source, date, agent'),
				meta: all('SELECT * FROM meta ORDER BY key')
			};
		};
		const whole = mkdtempSync(join(tmpdir(), 'sightline-backfill-whole-'));
		const cut = mkdtempSync(join(tmpdir(), 'sightline-backfill-cut-'));
		const ingestDir = mkdtempSync(join(tmpdir(), 'sightline-backfill-cut-ingest-'));
		const CUT_SHORT = 'backfill: the last backfill was cut short; its days are dropped (the emulator backfills them again)';
		try {
			const wholeStore = new Store(whole);
			expect(await backfill(wholeStore, options)).toMatchObject({ days: 4 });
			const expected = rowsOf(wholeStore);
			wholeStore.close();

			// A process that SIGKILLs itself once two of the four days are written.
			const root = resolve(import.meta.dirname, '../..');
			const child = spawnSync(
				process.execPath,
				[
					'--import',
					'tsx',
					'--input-type=module',
					'-e',
					`const { backfill } = await import(${JSON.stringify(join(root, 'src/server/history/backfill.ts'))});
					const { Store } = await import(${JSON.stringify(join(root, 'src/server/store.ts'))});
					const { loadScenario, DEFAULT_SCENARIO, scenarioQueues } = await import(${JSON.stringify(join(root, 'src/server/sources/emulator.ts'))});
					const { withQueues } = await import(${JSON.stringify(join(root, 'src/server/floor-config.ts'))});
					const { DEFAULT_FLOOR_CONFIG } = await import(${JSON.stringify(join(root, 'src/lib/domain/floor.ts'))});
					const scenario = loadScenario(DEFAULT_SCENARIO);
					const config = withQueues({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, scenarioQueues(scenario));
					await backfill(new Store(${JSON.stringify(cut)}), { scenario, config, days: 4, now: ${now}, seed: 3, helpers: 0, progress: (done) => { if (done === 2) process.kill(process.pid, 'SIGKILL'); } });`
				],
				{ cwd: root, encoding: 'utf8' }
			);
			expect([child.signal, child.stderr]).toEqual(['SIGKILL', '']);
			let store = new Store(cut);
			const left = rowsOf(store);
			expect(left.days.length).toBe(2);
			expect(left.meta).toEqual([{ key: 'backfill', value: '1' }]);
			store.close();

			// Started next with only ingest (no source, no backfill), the server still drops the partial past.
			cpSync(cut, ingestDir, { recursive: true });
			const serverLog: string[] = [];
			const ingest = await startServer({ dataDir: ingestDir, host: '127.0.0.1', port: 0, source: { kind: 'none' }, timeZone: 'UTC', log: (l) => serverLog.push(l) });
			try {
				expect(((await (await fetch(`${ingest.url}/api/history/days`)).json()) as HistoryDaysResponse).days).toEqual([]);
			} finally {
				await ingest.close();
			}
			expect(serverLog).toContain(CUT_SHORT);
			const after = new Store(ingestDir);
			expect([rowsOf(after).days, rowsOf(after).meta]).toEqual([[], []]);
			after.close();

			store = new Store(cut);
			const logged: string[] = [];
			expect(await backfill(store, { ...options, log: (l) => logged.push(l) })).toMatchObject({ days: 4 });
			expect(logged).toEqual([CUT_SHORT]);
			expect(rowsOf(store)).toEqual(expected);
			expect(await backfill(store, options)).toBeNull();
			store.close();
		} finally {
			rmSync(whole, { recursive: true, force: true });
			rmSync(cut, { recursive: true, force: true });
			rmSync(ingestDir, { recursive: true, force: true });
		}
	}, 120_000);

	it('npm start backfills 28 days by default; --backfill 0 turns it off; other sources never', () => {
		expect(parseCliArgs([]).backfillDays).toBe(28);
		expect(parseCliArgs(['--backfill', '0']).backfillDays).toBe(0);
		expect(parseCliArgs(['ingest']).backfillDays).toBe(0);
		expect(() => parseCliArgs(['--backfill', 'lots'])).toThrow(/--backfill must be a number/);
	});
});
