import { dateOf, weekdayOf, WEEKDAY_NAMES } from './calendar';
import { forecastSeries, ForecastError, type ForecastConfig } from './forecast';
import { coarsen, dayProfile, type Series } from './series';

/**
 * Rolling-origin backtest: each of the last `weeks` × 7 days of the history is forecast from the
 * days before it (one day ahead, as a planner refreshing the forecast every evening would) and
 * compared hour by hour with what happened, next to the seasonal-naive forecast (the same
 * weekday and hour a week earlier).
 *
 * WAPE = Σ |actual − forecast| / Σ actual over the hours. Coverage = share of hours whose actual
 * lies in the 80 % interval, over the hours in which something was offered or expected.
 */

/** Days of history before the first backtested day: a week for seasonal naive, and a day more to fit on. */
const MIN_DAYS_BEFORE = 8;

/** Figures over a stretch of backtested days. */
export interface BacktestScore {
	readonly from: string;
	readonly to: string;
	/** Contacts offered. */
	readonly actual: number;
	readonly wape: number;
	readonly naiveWape: number;
	/** wape / naiveWape (below 1: better than seasonal naive). */
	readonly ratio: number;
	/** Hours counted for coverage, and the share of them inside the interval. */
	readonly hours: number;
	readonly coverage: number;
}

/** One backtested day. */
export interface BacktestDay {
	readonly date: string;
	readonly weekday: string;
	readonly actual: number;
	readonly forecast: number;
	readonly naive: number;
	/** Σ |actual − forecast| over hours, and the same for seasonal naive. */
	readonly absError: number;
	readonly naiveAbsError: number;
	readonly hours: number;
	readonly covered: number;
}

export interface Backtest {
	readonly weeks: readonly BacktestScore[];
	readonly overall: BacktestScore;
	readonly days: readonly BacktestDay[];
}

function score(days: readonly BacktestDay[]): BacktestScore {
	let actual = 0;
	let err = 0;
	let naive = 0;
	let hours = 0;
	let covered = 0;
	for (const d of days) {
		actual += d.actual;
		err += d.absError;
		naive += d.naiveAbsError;
		hours += d.hours;
		covered += d.covered;
	}
	const wape = actual > 0 ? err / actual : NaN;
	const naiveWape = actual > 0 ? naive / actual : NaN;
	return {
		from: days[0]?.date ?? '',
		to: days[days.length - 1]?.date ?? '',
		actual,
		wape,
		naiveWape,
		ratio: wape / naiveWape,
		hours,
		coverage: hours > 0 ? covered / hours : NaN
	};
}

/** Backtests the last `weeks` weeks of `s`, hourly. */
export function backtest(s: Series, weeks: number, config: ForecastConfig = {}): Backtest {
	if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) throw new ForecastError(`backtest weeks must be a whole number from 1 to 52 (got ${String(weeks).slice(0, 20)})`);
	const hourly = coarsen(s, 3600);
	const n = hourly.offered.length;
	const first = n - weeks * 7;
	if (first < MIN_DAYS_BEFORE) {
		throw new ForecastError(
			`backtesting ${weeks} week(s) needs at least ${weeks * 7 + MIN_DAYS_BEFORE} days of history (got ${n}): ${MIN_DAYS_BEFORE} before the first backtested day`
		);
	}
	const closed = new Set(config.closedDates ?? []);
	const days: BacktestDay[] = [];
	const memo = new Map<number, Float64Array | null>();
	for (let d = first; d < n; d++) {
		const day = hourly.firstDay + d;
		const date = dateOf(day);
		const fc = forecastSeries(hourly, date, 1, { ...config, overrides: [], memo }).days[0];
		if (!fc) throw new ForecastError(`no forecast for ${date}`);
		const actual = dayProfile(hourly, d);
		const before = dayProfile(hourly, d - 7);
		let a = 0;
		let f = 0;
		let nv = 0;
		let absError = 0;
		let naiveAbsError = 0;
		let hours = 0;
		let covered = 0;
		for (let i = 0; i < hourly.intervals; i++) {
			const iv = fc.intervals[i];
			const ai = actual[i] ?? 0;
			const fi = iv?.offered ?? 0;
			const ni = before[i] ?? 0;
			a += ai;
			f += fi;
			nv += ni;
			absError += Math.abs(ai - fi);
			naiveAbsError += Math.abs(ai - ni);
			if (ai > 0 || fi >= 0.5) {
				hours++;
				if (iv && ai >= iv.low && ai <= iv.high) covered++;
			}
		}
		// A holiday is not scored: neither method is meant to forecast it.
		if (closed.has(date)) continue;
		days.push({ date, weekday: WEEKDAY_NAMES[weekdayOf(day)] ?? '', actual: a, forecast: f, naive: nv, absError, naiveAbsError, hours, covered });
	}
	const weekScores: BacktestScore[] = [];
	for (let w = 0; w < weeks; w++) {
		const from = dateOf(hourly.firstDay + first + w * 7);
		const to = dateOf(hourly.firstDay + first + w * 7 + 6);
		weekScores.push(score(days.filter((d) => d.date >= from && d.date <= to)));
	}
	return { weeks: weekScores, overall: score(days), days };
}
