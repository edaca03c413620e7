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

/** One interval of a forecast held against the day. */
export interface IntervalAccuracy {
	/** 'HH:MM', local. */
	readonly start: string;
	readonly forecast: number;
	readonly low: number;
	readonly high: number;
	readonly actual: number;
	/** Actual inside the 80 % band; null when the interval expected and saw nothing. */
	readonly inside: boolean | null;
	readonly ahtForecast: number | null;
	/** Handle time per handled contact that interval; null when nothing was handled. */
	readonly ahtActual: number | null;
}

/** A forecast day against the day, interval by interval, with the day's figures. */
export interface IntervalsAccuracy extends DayAccuracy {
	/** The day's forecast total. */
	readonly forecast: number;
	readonly rows: readonly IntervalAccuracy[];
}

/** `dayAccuracy` plus each interval's forecast, band, actual and AHT both ways. */
export function intervalsAccuracy(day: ForecastDayJson, rows: readonly IntervalRow[], intervalSec: number): IntervalsAccuracy {
	const acc = dayAccuracy(day, rows, intervalSec);
	const handled = new Array<number>(day.intervals.length).fill(0);
	const handleSum = new Array<number>(day.intervals.length).fill(0);
	for (const r of rows) {
		if (r.date !== day.date) continue;
		const i = Math.min(handled.length - 1, Math.floor(r.start / intervalSec));
		handled[i] = (handled[i] ?? 0) + r.handled;
		handleSum[i] = (handleSum[i] ?? 0) + r.handleSum;
	}
	return {
		...acc,
		forecast: day.offered,
		rows: day.intervals.map((iv, i) => {
			const actual = acc.intervals[i] ?? 0;
			const h = handled[i] ?? 0;
			return {
				start: iv.start,
				forecast: iv.offered,
				low: iv.low,
				high: iv.high,
				actual,
				// The same intervals dayAccuracy judges for coverage.
				inside: actual > 0 || iv.offered >= 0.5 ? actual >= iv.low && actual <= iv.high : null,
				ahtForecast: iv.aht,
				ahtActual: h > 0 ? (handleSum[i] ?? 0) / h : null
			};
		})
	};
}

/** An issued forecast against its day, as `GET /api/forecast/accuracy` sends it. */
export interface IssuedAccuracy extends IntervalsAccuracy {
	/** Epoch ms it was issued, and by whom. */
	readonly issuedAt: number;
	readonly issuedBy: string;
	/** Interval length, seconds. */
	readonly interval: number;
	/** Whether the store has a record of the day (without one, the actuals are zero: a closed day). */
	readonly recorded: boolean;
}
