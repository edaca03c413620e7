import type { Channel } from '../domain/channels';
import { dateOf, dayNumber, weekdayOf, WEEKDAY_NAMES } from './calendar';
import { dailyForecast, fitDaily, type DailyModel } from './daily';
import { applyOverrides, type Override } from './overrides';
import { fitProfiles, type Profiles } from './profile';
import { dayProfile, dayTotal, lastDay, seriesBefore, type Series, type SeriesQueue } from './series';
import { poissonQuantile, quantile } from './stats';

/**
 * The forecast: expected offered contacts and AHT per day, interval and queue for a horizon of
 * 1–28 days, with a prediction interval, from a history `Series`. Pure; it says what it did in
 * `method` so a planner can judge it.
 *
 * expected(day, interval, queue) = daily total (weekday factor × damped-trend level, `daily.ts`)
 *   × intraday share of the interval for that weekday × queue share (`profile.ts`).
 *
 * Prediction interval: the method forecasts each of the last (up to) 28 days of the history one
 * day ahead from the days before it and keeps log((actual + 1) / (forecast + 1)) per interval;
 * the interval's bounds are the forecast moved by the 10th and 90th percentiles of those (for
 * 80 %), widened for days further ahead as the level's uncertainty grows
 * (× √(1 + (lead − 1)·α²)), and never narrower than Poisson noise around the forecast.
 */

/** Settings of a forecast run. */
export interface ForecastConfig {
	/** Holidays and other closed dates: left out of the fit and forecast as zero. */
	readonly closedDates?: readonly string[];
	/** Planner adjustments for known events (±% on chosen days and queues). */
	readonly overrides?: readonly Override[];
	/** Central coverage of the prediction interval (0.8 by default). */
	readonly coverage?: number;
	/**
	 * One-day-ahead forecasts by day number, shared between calls on the same series and closed
	 * dates (the backtest's origins re-forecast the same past days for their intervals).
	 */
	readonly memo?: Map<number, Float64Array | null>;
}

/** Expected offered with its prediction interval, and AHT (seconds, null with nothing expected). */
export interface ForecastCell {
	readonly offered: number;
	readonly low: number;
	readonly high: number;
	readonly aht: number | null;
}

/** A queue's cell, with its channel. */
export interface ForecastQueueCell extends ForecastCell {
	readonly channel: Channel;
}

/** One interval of a forecast day: totals over queues, and each queue. */
export interface ForecastInterval extends ForecastCell {
	/** Seconds from local midnight. */
	readonly start: number;
	readonly queues: Readonly<Record<string, ForecastQueueCell>>;
}

/** One forecast day. */
export interface ForecastDay {
	readonly date: string;
	readonly weekday: (typeof WEEKDAY_NAMES)[number];
	/** Why nothing is expected ('holiday', 'closed weekday'), else null. */
	readonly closed: string | null;
	/** Days after the last day of history (1 = the next day). */
	readonly lead: number;
	readonly offered: number;
	readonly low: number;
	readonly high: number;
	/** Overrides applied to this day, as written. */
	readonly adjustments: readonly Override[];
	readonly intervals: readonly ForecastInterval[];
}

/** What the method did, in figures and in words. */
export interface ForecastMethod {
	readonly summary: readonly string[];
	readonly weekdayFactors: Readonly<Record<string, number>>;
	readonly alpha: number;
	readonly beta: number;
	readonly phi: number;
	/** Residuals the prediction interval came from, and their quantiles (log ratios). */
	readonly residuals: number;
	readonly logLow: number;
	readonly logHigh: number;
}

/** A forecast. */
export interface Forecast {
	readonly intervalSec: number;
	readonly history: { readonly from: string; readonly to: string; readonly days: number };
	readonly queues: readonly SeriesQueue[];
	readonly days: readonly ForecastDay[];
	readonly method: ForecastMethod;
}

/** A request the forecast cannot serve (horizon, dates, too little history). */
export class ForecastError extends Error {
	override name = 'ForecastError';
}

/** Days a forecast may cover. */
export const MAX_HORIZON_DAYS = 28;
/** Most recent days backtested one day ahead for the prediction interval. */
const RESIDUAL_DAYS = 28;
/** Fewest residuals for an empirical interval; below it only Poisson noise is used (and said). */
const MIN_RESIDUALS = 30;
/** Fewest day residuals for the day total's own band. */
const MIN_DAY_RESIDUALS = 5;

interface Fit {
	readonly series: Series;
	readonly usable: readonly boolean[];
	readonly daily: DailyModel;
	readonly profiles: Profiles;
}

function usableDays(s: Series, closed: ReadonlySet<number>): boolean[] {
	return s.recorded.map((r, d) => r && !closed.has(s.firstDay + d));
}

function fit(s: Series, closed: ReadonlySet<number>): Fit {
	const usable = usableDays(s, closed);
	const totals = s.offered.map((_, d) => dayTotal(s, d));
	const daily = fitDaily({ firstDay: s.firstDay, totals, usable });
	const profiles = fitProfiles(s, usable, daily.factors);
	return { series: s, usable, daily, profiles };
}

/** Expected offered per queue and interval ([q * I + i]) on `day`. */
function expected(f: Fit, day: number): Float64Array {
	const { intervals: I, queues } = f.series;
	const w = weekdayOf(day);
	const total = dailyForecast(f.daily, day);
	const shape = f.profiles.shape[w];
	const mix = f.profiles.queueShare[w];
	const out = new Float64Array(queues.length * I);
	if (!shape || !mix) return out;
	for (let q = 0; q < queues.length; q++) {
		for (let i = 0; i < I; i++) out[q * I + i] = total * (shape[i] ?? 0) * (mix[q * I + i] ?? 0);
	}
	return out;
}

function sumQueues(cells: Float64Array, Q: number, I: number): Float64Array {
	const out = new Float64Array(I);
	for (let q = 0; q < Q; q++) for (let i = 0; i < I; i++) out[i] = (out[i] ?? 0) + (cells[q * I + i] ?? 0);
	return out;
}

/**
 * log((actual + 1) / (forecast + 1)) per interval, and per day, over the last usable days, each
 * forecast one day ahead from the days before it.
 */
function residuals(s: Series, closed: ReadonlySet<number>, memo?: Map<number, Float64Array | null>): { interval: number[]; daily: number[] } {
	const out: number[] = [];
	const daily: number[] = [];
	const usable = usableDays(s, closed);
	const n = s.offered.length;
	for (let d = Math.max(0, n - RESIDUAL_DAYS); d < n; d++) {
		if (!usable[d]) continue;
		const fc = oneDayAhead(s, s.firstDay + d, closed, memo);
		if (!fc) continue; // too little history before that day
		const actual = dayProfile(s, d);
		let fDay = 0;
		let aDay = 0;
		for (let i = 0; i < s.intervals; i++) ((fDay += fc[i] ?? 0), (aDay += actual[i] ?? 0));
		if (fDay >= 0.5 || aDay > 0) daily.push(Math.log((aDay + 1) / (fDay + 1)));
		for (let i = 0; i < s.intervals; i++) {
			const a = actual[i] ?? 0;
			const e = fc[i] ?? 0;
			if (a === 0 && e < 0.5) continue; // a closed interval, right either way
			out.push(Math.log((a + 1) / (e + 1)));
		}
	}
	const asc = (a: number, b: number) => a - b;
	return { interval: out.sort(asc), daily: daily.sort(asc) };
}

/** Expected offered per interval on `day` from the days before it; null with too little history. */
function oneDayAhead(s: Series, day: number, closed: ReadonlySet<number>, memo?: Map<number, Float64Array | null>): Float64Array | null {
	const known = memo?.get(day);
	if (known !== undefined) return known;
	let out: Float64Array | null = null;
	try {
		out = sumQueues(expected(fit(seriesBefore(s, day), closed), day), s.queues.length, s.intervals);
	} catch {
		out = null;
	}
	memo?.set(day, out);
	return out;
}

/** Bounds of an expected count: empirical log ratio band, never narrower than Poisson. */
function band(mean: number, logLow: number, logHigh: number, coverage: number): { low: number; high: number } {
	if (!(mean > 0)) return { low: 0, high: 0 };
	const tail = (1 - coverage) / 2;
	const pl = poissonQuantile(mean, tail);
	const ph = poissonQuantile(mean, 1 - tail);
	const el = Number.isFinite(logLow) ? (mean + 1) * Math.exp(logLow) - 1 : pl;
	const eh = Number.isFinite(logHigh) ? (mean + 1) * Math.exp(logHigh) - 1 : ph;
	return { low: Math.max(0, Math.min(el, pl)), high: Math.max(eh, ph) };
}

const round = (v: number, digits = 2) => {
	const k = 10 ** digits;
	return Math.round(v * k) / k;
};

/**
 * Forecasts `days` days from `start` with the history strictly before `start` (later days of
 * `s`, if any, are ignored: that is how the backtest uses it).
 */
export function forecastSeries(s: Series, start: string, days: number, config: ForecastConfig = {}): Forecast {
	const startDay = dayNumber(start);
	if (startDay === null) throw new ForecastError(`start must be a date YYYY-MM-DD (got ${JSON.stringify(String(start).slice(0, 20))})`);
	if (!Number.isInteger(days) || days < 1 || days > MAX_HORIZON_DAYS) {
		throw new ForecastError(`days must be a whole number from 1 to ${MAX_HORIZON_DAYS} (got ${String(days).slice(0, 20)})`);
	}
	const coverage = config.coverage ?? 0.8;
	if (!(coverage > 0 && coverage < 1)) throw new ForecastError('coverage must be between 0 and 1');
	const closed = new Set<number>();
	for (const [i, d] of (config.closedDates ?? []).entries()) {
		const n = dayNumber(d);
		if (n === null) throw new ForecastError(`closedDates[${i}]: must be YYYY-MM-DD (got ${JSON.stringify(String(d).slice(0, 20))})`);
		closed.add(n);
	}
	const hist = seriesBefore(s, startDay);
	if (hist.offered.length === 0) throw new ForecastError(`no history before ${start}`);
	const histLast = lastDay(hist);
	if (startDay - histLast > MAX_HORIZON_DAYS) {
		throw new ForecastError(`start ${start} is more than ${MAX_HORIZON_DAYS} days after the history ends (${dateOf(histLast)})`);
	}
	let f: Fit;
	try {
		f = fit(hist, closed);
	} catch (e) {
		throw new ForecastError((e as Error).message);
	}
	const { interval: res, daily: dayRes } = residuals(hist, closed, config.memo);
	const tail = (1 - coverage) / 2;
	const empirical = res.length >= MIN_RESIDUALS;
	const logLow = empirical ? quantile(res, tail) : NaN;
	const logHigh = empirical ? quantile(res, 1 - tail) : NaN;
	// Day totals get their own band (interval errors partly cancel over a day); too few days: the interval band.
	const dayEmpirical = dayRes.length >= MIN_DAY_RESIDUALS;
	const dayLogLow = dayEmpirical ? quantile(dayRes, tail) : logLow;
	const dayLogHigh = dayEmpirical ? quantile(dayRes, 1 - tail) : logHigh;
	const { intervals: I, queues, intervalSec } = hist;
	const Q = queues.length;

	const out: ForecastDay[] = [];
	for (let k = 0; k < days; k++) {
		const day = startDay + k;
		const w = weekdayOf(day);
		const lead = day - histLast;
		const holiday = closed.has(day);
		const weeklyClosed = (f.daily.factors[w] ?? 0) <= 0;
		const cells = holiday ? new Float64Array(Q * I) : expected(f, day);
		const widen = Math.sqrt(1 + (lead - 1) * f.daily.alpha * f.daily.alpha);
		const lo = logLow * widen;
		const hi = logHigh * widen;
		const intervals: ForecastInterval[] = [];
		for (let i = 0; i < I; i++) {
			const qs: Record<string, ForecastQueueCell> = {};
			let offered = 0;
			let handleWeighted = 0;
			for (let q = 0; q < Q; q++) {
				const queue = queues[q];
				if (!queue) continue;
				const v = cells[q * I + i] ?? 0;
				const aht = f.profiles.aht[q * I + i] ?? NaN;
				const b = band(v, lo, hi, coverage);
				qs[queue.id] = { channel: queue.channel, offered: v, low: b.low, high: b.high, aht: Number.isFinite(aht) && v > 0 ? aht : null };
				offered += v;
				if (Number.isFinite(aht)) handleWeighted += v * aht;
			}
			const b = band(offered, lo, hi, coverage);
			intervals.push({ start: i * intervalSec, offered, low: b.low, high: b.high, aht: offered > 0 ? handleWeighted / offered : null, queues: qs });
		}
		const base: ForecastDay = {
			date: dateOf(day),
			weekday: WEEKDAY_NAMES[w] ?? 'Sun',
			closed: holiday ? 'holiday' : weeklyClosed ? 'closed weekday' : null,
			lead,
			offered: 0,
			low: 0,
			high: 0,
			adjustments: [],
			intervals
		};
		const adjusted = applyOverrides(base, config.overrides ?? []);
		let dayOffered = 0;
		for (const iv of adjusted.intervals) dayOffered += iv.offered;
		const db = band(dayOffered, dayLogLow * widen, dayLogHigh * widen, coverage);
		out.push({ ...adjusted, offered: dayOffered, low: db.low, high: db.high });
	}

	const factors = Object.fromEntries(f.daily.factors.map((v, wd) => [WEEKDAY_NAMES[wd] ?? String(wd), round(v, 3)]));
	const closedWeekdays = f.daily.factors.flatMap((v, wd) => (v <= 0 ? [WEEKDAY_NAMES[wd]] : []));
	const summary = [
		`History: ${dateOf(hist.firstDay)} to ${dateOf(histLast)}, ${f.daily.days} open days used` +
			(closed.size ? `; closed dates left out and forecast as zero: ${[...closed].sort().map(dateOf).join(', ')}` : '') + '.',
		`Daily totals: weekday factor × level. Weekday factors (day / mean of the 7 days around it, log-averaged, weights halving every 3 weeks): ` +
			Object.entries(factors).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') +
			(closedWeekdays.length ? `; closed every week: ${closedWeekdays.join(', ')}` : '') + '.',
		`Level: Holt's damped trend on log(day total / weekday factor), α=${f.daily.alpha}, β=${f.daily.beta}, φ=${f.daily.phi}, picked by one-day-ahead error over the history (RMSE ${round(f.daily.rmse, 3)} in logs); ` +
			`trend now ${round((Math.exp(f.daily.trend) - 1) * 100, 2)}% a day, damped.`,
		`Intraday: share per ${intervalSec / 60}-minute interval per weekday, weights halving every 3 weeks` +
			(f.profiles.pooled.length > 1 ? `; full days (${f.profiles.pooled.map((wd) => WEEKDAY_NAMES[wd]).join(', ')}) share one day's worth of shape` : '') +
			`. Queues: each queue's share of the interval, pulled toward its share of the day. AHT: per queue and interval over recent days (half-life 2 weeks), pulled toward the queue's AHT by 20 contacts.`,
		empirical
			? `${Math.round(coverage * 100)}% interval: ${round(tail * 100, 1)}th–${round((1 - tail) * 100, 1)}th percentiles of log((actual+1)/(forecast+1)) over ${res.length} intervals of one-day-ahead forecasts of the last days (${round(logLow, 3)} … ${round(logHigh, 3)}), widened ×√(1+(lead−1)α²) for later days, never narrower than Poisson.`
			: `${Math.round(coverage * 100)}% interval: Poisson noise only (${res.length} backtest residuals, fewer than ${MIN_RESIDUALS}): too little history to measure the forecast's own error, so the band is too narrow.`
	];
	if ((config.overrides ?? []).length) summary.push(`Overrides applied: ${(config.overrides ?? []).map(describeOverride).join('; ')}.`);
	return {
		intervalSec,
		history: { from: dateOf(hist.firstDay), to: dateOf(histLast), days: hist.offered.length },
		queues,
		days: out,
		method: {
			summary,
			weekdayFactors: factors,
			alpha: f.daily.alpha,
			beta: f.daily.beta,
			phi: f.daily.phi,
			residuals: res.length,
			logLow,
			logHigh
		}
	};
}

function describeOverride(o: Override): string {
	const sign = o.percent >= 0 ? '+' : '';
	return `${sign}${o.percent}% on ${o.dates.join(', ')}${o.queues?.length ? ` for ${o.queues.join(', ')}` : ''}${o.note ? ` (${o.note.slice(0, 80)})` : ''}`;
}

