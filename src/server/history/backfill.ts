import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Scenario } from '../../../sim/scenario';
import type { FloorConfig } from '../../lib/domain/floor';
import { dayKey, dayStart } from '../../lib/domain/time';
import type { Store } from '../store';
import { backfillDay, type BackfillDay, type BackfillDayJob, type BackfillWorkerApi } from './backfill-day';
import { startBackfillThreads } from './backfill-threads';
import { HistoryQueries } from './queries';
import { HistoryRowWriter } from './writer';

/**
 * A fresh install's past: the emulated center's last N days, simulated and written as days of
 * source `backfill`, so reports, the forecast and the planner have honest history from the first
 * start. Each day is the emulator's scenario with its arrivals scaled by a weekly pattern and a
 * seeded day-to-day variation, run through a Floor of its own like an import (backfill-day.ts);
 * the raw events are not kept in the event log, the history rows the Floor derives from them are.
 *
 * Days are independent, so worker threads compute days beside this thread (one per spare core),
 * and this thread writes each day's rows in one transaction as they arrive: the same rows as
 * computing every day here (history-backfill.test.ts compares both).
 */

/** What a backfill did. */
export interface BackfillResult {
	readonly days: number;
	readonly contacts: number;
	readonly seconds: number;
	/** Worker threads that helped this thread compute days (and did not fail), and the days they computed. */
	readonly helpers: number;
	readonly helperDays: number;
}

/** Settings of a backfill. */
export interface BackfillOptions {
	readonly scenario: Scenario;
	readonly config: FloorConfig;
	readonly days: number;
	readonly now: number;
	readonly seed: number;
	/** Worker threads computing days beside this one (default: one per core but this thread's); 0: none. */
	readonly helpers?: number;
	/**
	 * Threads started beforehand (startBackfillThreads; main.ts starts them while the server loads),
	 * used instead of starting `helpers` new ones. The backfill owns them: it terminates them all,
	 * also when it has nothing to do.
	 */
	readonly threads?: readonly Worker[];
	/** False: this thread only writes, the helpers compute every day (a test compares their rows with this thread's). */
	readonly computeHere?: boolean;
	readonly progress?: (done: number, total: number) => void;
	/** Told when a worker thread failed (its days are computed in this thread). */
	readonly log?: (line: string) => void;
}

/** Tables holding a backfill's rows (all keyed by source first). */
const HISTORY_TABLES = ['h_days', 'h_counts', 'h_legs', 'h_agent_states', 'h_agents', 'h_agent_time'] as const;

/**
 * Marks a backfill under way (meta key `backfill`) until its last day is durable: a store whose
 * backfill was cut short (the process killed, the power lost) still holds the mark, and the next
 * start drops the days it wrote and backfills again, instead of taking a part of the past for all of it.
 */
const MARK = `'backfill'`;

/**
 * Drops the days of a backfill that was cut short (MARK still set), in one transaction; returns
 * whether there was one. Called at every start, whatever the source: a store left so by an
 * emulator start and then started with `ingest` must not show part of a past as all of it. The
 * emulator's backfill then starts over on the store it leaves empty.
 */
export function dropCutShortBackfill(store: Store, log?: (line: string) => void): boolean {
	if (!store.db.prepare(`SELECT 1 FROM meta WHERE key = ${MARK}`).get()) return false;
	store.transaction(() => {
		for (const t of HISTORY_TABLES) store.db.prepare(`DELETE FROM ${t} WHERE source = 'backfill'`).run();
		store.db.prepare(`DELETE FROM meta WHERE key = ${MARK}`).run();
	});
	log?.('backfill: the last backfill was cut short; its days are dropped (the emulator backfills them again)');
	return true;
}

/**
 * Writes the `days` days before today (the center's day holding `now`) unless the store already
 * holds any history or events (backfill is for an empty data directory). The emulated day starts
 * at 08:00 local. Resolves to null when it did nothing. A backfill cut short is redone (see MARK).
 */
export async function backfill(store: Store, options: BackfillOptions): Promise<BackfillResult | null> {
	try {
		return await backfillWith(store, options, options.threads ?? null);
	} finally {
		if (options.threads) await Promise.all(options.threads.map((t) => t.terminate()));
	}
}

async function backfillWith(store: Store, options: BackfillOptions, given: readonly Worker[] | null): Promise<BackfillResult | null> {
	const { scenario, config, days } = options;
	if (days <= 0) return null;
	dropCutShortBackfill(store, options.log);
	const had = store.db.prepare('SELECT (SELECT count(*) FROM h_days) + (SELECT count(*) FROM events) AS n').get() as { n: number };
	if (had.n > 0) return null;
	const t0 = performance.now();
	const today = dayStart(options.now, config.timeZone, config.resetTime);
	const jobs: BackfillDayJob[] = [];
	for (let k = days; k >= 1; k--) {
		// Noon k days back, to step over DST changes, then that day's date.
		const date = dayKey(dayStart(today - k * 86_400_000 + 12 * 3600_000, config.timeZone, config.resetTime), config.timeZone);
		jobs.push({ scenario, config, date, seed: options.seed });
	}
	store.transaction(() => store.db.prepare(`INSERT INTO meta (key, value) VALUES (${MARK}, '1')`).run());
	const rowWriter = new HistoryRowWriter(store.db, 'bulk');
	const queries = new HistoryQueries(store.db);
	const written = new Set<string>();
	let contacts = 0;
	const write = (day: BackfillDay) => {
		if (day.rows) {
			rowWriter.write(day.rows);
			queries.storeSummary('backfill', day.date);
		}
		written.add(day.date);
		contacts += day.contacts;
		options.progress?.(written.size, days);
	};
	// Days are dealt from one list: this thread and each helper take the next one when free.
	let next = 0;
	const threads = given?.slice(0, days - 1) ?? startBackfillThreads(Math.min(days - 1, options.helpers ?? availableParallelism() - 1));
	const helpers = threads.length;
	let failed = 0;
	let helperDays = 0;
	// Days commit without an fsync each (synchronous=NORMAL: in WAL mode a commit survives a crash of
	// the process, only a power loss can drop the last ones); the commit removing the mark fsyncs the
	// whole WAL, and a backfill cut short before it is redone (MARK). 28 days' writes (the
	// bench's rows) took 3.4 s wall with an fsync per day and 2.3 s without while other processes
	// kept the disk busy, 1.8 s either way on an idle disk (CPU 1.7-1.9 s in all four).
	store.db.exec('PRAGMA synchronous = NORMAL');
	try {
		const helping = Promise.allSettled(
			threads.map(async (thread) => {
				// comlink never settles a call whose thread died: race each call against the thread's end.
				const died = new Promise<never>((_, reject) => {
					thread.once('error', reject);
					thread.once('exit', (code) => reject(new Error(`exited with code ${code}`)));
				});
				died.catch(() => {});
				const remote = wrap<BackfillWorkerApi>(nodeEndpoint(thread));
				while (next < jobs.length) {
					write(await Promise.race([remote.day(jobs[next++]!), died]));
					helperDays++;
				}
			})
		);
		while ((options.computeHere ?? true) && next < jobs.length) {
			write(backfillDay(jobs[next++]!));
			// Let the helpers' finished days in between this thread's own.
			await new Promise((r) => setImmediate(r));
		}
		for (const r of await helping) {
			if (r.status === 'fulfilled') continue;
			failed++;
			options.log?.(`backfill: a worker thread failed (${r.reason instanceof Error ? r.reason.message : String(r.reason)}); its day is computed here`);
		}
		// A helper that died costs speed, never days.
		for (const job of jobs) if (!written.has(job.date)) write(backfillDay(job));
	} finally {
		store.db.exec('PRAGMA synchronous = FULL');
		// Given threads are terminated by backfill(), all of them.
		if (!given) await Promise.all(threads.map((t) => t.terminate()));
	}
	store.transaction(() => store.db.prepare(`DELETE FROM meta WHERE key = ${MARK}`).run());
	return { days, contacts, seconds: (performance.now() - t0) / 1000, helpers: helpers - failed, helperDays };
}

/**
 * Backfill at server start, with a progress line (rewritten in place on a terminal). The server
 * listens only once it is done, as the issue asks ("before going live"): serving the days as they
 * land would not bring the full list sooner (it is full when the last day is written), and a
 * listening server would have to hold its live floor and its ready line back anyway.
 */
export async function runBackfill(
	store: Store,
	scenario: Scenario,
	config: FloorConfig,
	days: number,
	log: (line: string) => void,
	/** Threads started beforehand (see BackfillOptions.threads); terminated in any case. */
	threads?: readonly Worker[]
): Promise<void> {
	const tty = process.stdout.isTTY === true;
	const r = await backfill(store, {
		scenario,
		config,
		days,
		now: Date.now(),
		seed: 1,
		log,
		...(threads ? { threads } : {}),
		progress: (done, total) => {
			if (tty) process.stdout.write(`\rbackfill: day ${done}/${total} of the emulated center`);
		}
	});
	if (tty && r) process.stdout.write('\n');
	if (r) log(`backfill: stored the emulated center's last ${r.days} days (${r.contacts} contacts) in ${r.seconds.toFixed(1)} s as source "backfill"`);
}
