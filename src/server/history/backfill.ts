import type { Scenario } from '../../../sim/scenario';
import { traceEvents } from '../../../sim/trace';
import type { FloorConfig } from '../../lib/domain/floor';
import { dayKey, dayStart } from '../../lib/domain/time';
import { emulatedDay } from '../sources/emulated-day';
import type { Store } from '../store';
import { deriveHistory } from './rederive';

/**
 * A fresh install's past: the emulated center's last N days, simulated and written as days of
 * source `backfill`, so reports, the forecast and the planner have honest history from the first
 * start. Each day is the emulator's scenario with its arrivals scaled by a weekly pattern and a
 * seeded day-to-day variation, run through a Floor of its own like an import; the raw events are
 * not kept in the event log, the history rows the Floor derives from them are.
 */

/** What a backfill did. */
export interface BackfillResult {
	readonly days: number;
	readonly contacts: number;
	readonly seconds: number;
}

/**
 * Writes the `days` days before today (the center's day holding `now`) unless the store already
 * holds any history or events (backfill is for an empty data directory). The emulated day starts
 * at 08:00 local. Returns null when it did nothing.
 */
export function backfill(
	store: Store,
	options: { scenario: Scenario; config: FloorConfig; days: number; now: number; seed: number; progress?: (done: number, total: number) => void }
): BackfillResult | null {
	const { scenario, config, days } = options;
	if (days <= 0) return null;
	const had = store.db.prepare('SELECT (SELECT count(*) FROM h_days) + (SELECT count(*) FROM events) AS n').get() as { n: number };
	if (had.n > 0) return null;
	const t0 = performance.now();
	const today = dayStart(options.now, config.timeZone, config.resetTime);
	let contacts = 0;
	for (let k = days; k >= 1; k--) {
		// Noon k days back, to step over DST changes, then that day's date.
		const date = dayKey(dayStart(today - k * 86_400_000 + 12 * 3600_000, config.timeZone, config.resetTime), config.timeZone);
		const day = emulatedDay(scenario, date, options.seed, config.timeZone);
		const events = traceEvents(day.scenario, { seed: day.seed, startTs: day.startTs });
		for (const e of events) if (e.type === 'contact.queued') contacts++;
		store.transaction(() => deriveHistory(store, config, 'backfill', [events], 'bulk', undefined, new Set([date])));
		options.progress?.(days - k + 1, days);
	}
	return { days, contacts, seconds: (performance.now() - t0) / 1000 };
}

/** Backfill at server start, with a progress line (rewritten in place on a terminal). */
export function runBackfill(store: Store, scenario: Scenario, config: FloorConfig, days: number, log: (line: string) => void): void {
	const tty = process.stdout.isTTY === true;
	const r = backfill(store, {
		scenario,
		config,
		days,
		now: Date.now(),
		seed: 1,
		progress: (done, total) => {
			if (tty) process.stdout.write(`\rbackfill: day ${done}/${total} of the emulated center`);
		}
	});
	if (tty && r) process.stdout.write('\n');
	if (r) log(`backfill: stored the emulated center's last ${r.days} days (${r.contacts} contacts) in ${r.seconds.toFixed(1)} s as source "backfill"`);
}
