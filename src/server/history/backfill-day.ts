import type { Scenario } from '../../../sim/scenario';
import { traceEvents } from '../../../sim/trace';
import type { FloorConfig } from '../../lib/domain/floor';
import { emulatedDay } from '../sources/emulated-day';
import { deriveHistoryRows } from './rederive';
import type { HistoryRows } from './writer';

/**
 * One backfilled day, computed without the store: the emulated center's day simulated and played
 * through a Floor of its own, its history rows returned for the caller to write. Pure given its
 * job (same job, same rows), so it runs in a worker thread or in the main thread alike.
 */

/** A day to backfill: plain data, posted to a worker thread. */
export interface BackfillDayJob {
	readonly scenario: Scenario;
	readonly config: FloorConfig;
	/** YYYY-MM-DD in the config's time zone. */
	readonly date: string;
	readonly seed: number;
}

/** A backfilled day's rows (null when the day had no events) and how many contacts it offered. */
export interface BackfillDay {
	readonly date: string;
	readonly contacts: number;
	readonly rows: HistoryRows | null;
}

/** What a backfill worker thread offers (workers/backfill.node-worker.ts). */
export interface BackfillWorkerApi {
	day(job: BackfillDayJob): BackfillDay;
}

/** Simulates `job.date` of the emulated center and derives its history rows as source `backfill`. */
export function backfillDay(job: BackfillDayJob): BackfillDay {
	const day = emulatedDay(job.scenario, job.date, job.seed, job.config.timeZone);
	const events = traceEvents(day.scenario, { seed: day.seed, startTs: day.startTs });
	let contacts = 0;
	for (const e of events) if (e.type === 'contact.queued') contacts++;
	// The simulator numbers its events (sim/trace.ts): no id repeats, so the Floor need not check.
	const { rows } = deriveHistoryRows(job.config, 'backfill', events, new Set([job.date]), true);
	return { date: job.date, contacts, rows };
}
