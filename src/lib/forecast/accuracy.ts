import type { IntervalRow } from './series';
import type { ForecastDayJson } from './wire';

/**
 * A forecast day held against what happened, once the day is history: offered per interval,
 * WAPE (Σ|actual − forecast| / Σ actual) and the share of intervals inside the 80 % band
 * (over intervals in which something was offered or expected).
 */
export interface DayAccuracy {
	readonly date: string;
	/** Offered that day, and per interval of the forecast's length. */
	readonly offered: number;
	readonly intervals: readonly number[];
	/** Null when nothing was offered. */
	readonly wape: number | null;
	readonly coverage: number | null;
}

/** Compares a forecast day with the interval rows recorded for that date. */
export function dayAccuracy(day: ForecastDayJson, rows: readonly IntervalRow[], intervalSec: number): DayAccuracy {
	const actual = new Array<number>(day.intervals.length).fill(0);
	for (const r of rows) {
		if (r.date !== day.date) continue;
		const i = Math.min(actual.length - 1, Math.floor(r.start / intervalSec));
		actual[i] = (actual[i] ?? 0) + r.offered;
	}
	let offered = 0;
	let err = 0;
	let judged = 0;
	let inside = 0;
	day.intervals.forEach((iv, i) => {
		const a = actual[i] ?? 0;
		offered += a;
		err += Math.abs(a - iv.offered);
		if (a > 0 || iv.offered >= 0.5) {
			judged++;
			if (a >= iv.low && a <= iv.high) inside++;
		}
	});
	return { date: day.date, offered, intervals: actual, wape: offered > 0 ? err / offered : null, coverage: judged > 0 ? inside / judged : null };
}
