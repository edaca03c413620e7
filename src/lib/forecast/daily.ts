import { weekdayOf } from './calendar';

/**
 * The daily total model: weekday factors times a level with a damped trend.
 *
 * - Weekday factor of a day = its total / the mean of a 7-day window around it (centered when
 *   the history allows, so a trend does not leak into the factors), averaged per weekday in logs
 *   with exponentially decaying weights (recent weeks count more). A weekday on which nothing was
 *   ever offered is closed (factor 0).
 * - Level and trend: Holt's linear method with a damped trend on log(total / weekday factor),
 *   one step per open day, so a level shift is followed within a few days and a trend is carried
 *   forward but damped. α, β, φ are picked from a small grid by the one-day-ahead squared error
 *   over the history given (nothing outside it is looked at).
 */

/** Input of the daily model: one entry per calendar day, consecutive. */
export interface DailyInput {
	readonly firstDay: number;
	/** Offered per day. */
	readonly totals: readonly number[];
	/** False for days that must not inform the model (not recorded, or a holiday/closed date). */
	readonly usable: readonly boolean[];
}

/** A fitted daily model. */
export interface DailyModel {
	/** Weekday factors, index 0 = Sunday; they sum to 7; 0 = closed that weekday. */
	readonly factors: readonly number[];
	readonly alpha: number;
	readonly beta: number;
	readonly phi: number;
	/** Log level and trend (per day) after the last usable day. */
	readonly level: number;
	readonly trend: number;
	/** Last day number the model saw. */
	readonly lastDay: number;
	/** Root mean squared one-day-ahead error of the log level (the fit criterion). */
	readonly rmse: number;
	/** Open days the fit used. */
	readonly days: number;
}

/** Weights halve every this many days: the weekday pattern may drift, but slowly. */
const FACTOR_HALF_LIFE_DAYS = 21;
/** One-step errors larger than this (in logs, ×/÷ 2.7) are clipped so one odd day cannot pull the level. */
const MAX_STEP_ERROR = 1;
const ALPHAS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const BETAS = [0, 0.05, 0.1, 0.2, 0.3];
const PHIS = [0.8, 0.9, 0.98];
/** The first week only initialises the level. */
const WARM_UP = 7;

function windowMean(x: DailyInput, d: number, open: readonly boolean[]): number | null {
	const n = x.totals.length;
	// Centered first, then shifted by one, two, three days either way.
	for (const shift of [3, 2, 4, 1, 5, 0, 6]) {
		const a = d - shift;
		if (a < 0 || a + 6 >= n) continue;
		let sum = 0;
		let ok = true;
		for (let k = a; k <= a + 6; k++) {
			// A closed weekday is part of the weekly rhythm (its zero counts); a holiday is not.
			if (!x.usable[k] && open[weekdayOf(x.firstDay + k)]) {
				ok = false;
				break;
			}
			sum += x.usable[k] ? (x.totals[k] ?? 0) : 0;
		}
		if (ok && sum > 0) return sum / 7;
	}
	return null;
}

/** Weekday factors (sum 7, 0 for a weekday never open). */
export function weekdayFactors(x: DailyInput): number[] {
	const n = x.totals.length;
	const seen = new Array<number>(7).fill(0);
	const volume = new Array<number>(7).fill(0);
	for (let d = 0; d < n; d++) {
		if (!x.usable[d]) continue;
		const w = weekdayOf(x.firstDay + d);
		seen[w] = (seen[w] ?? 0) + 1;
		volume[w] = (volume[w] ?? 0) + (x.totals[d] ?? 0);
	}
	// Closed weekdays: recorded but with nothing offered. Unseen weekdays stay open (no evidence).
	const open = seen.map((s, w) => s === 0 || (volume[w] ?? 0) > 0);
	const sum = new Array<number>(7).fill(0);
	const weight = new Array<number>(7).fill(0);
	for (let d = 0; d < n; d++) {
		const w = weekdayOf(x.firstDay + d);
		if (!x.usable[d] || !open[w]) continue;
		const m = windowMean(x, d, open);
		if (m === null) continue;
		const wt = Math.pow(0.5, (n - 1 - d) / FACTOR_HALF_LIFE_DAYS);
		sum[w] = (sum[w] ?? 0) + wt * Math.log(((x.totals[d] ?? 0) + 0.5) / m);
		weight[w] = (weight[w] ?? 0) + wt;
	}
	const raw = open.map((o, w) => {
		if (!o) return 0;
		const wt = weight[w] ?? 0;
		if (wt > 0) return Math.exp((sum[w] ?? 0) / wt);
		return NaN;
	});
	// An open weekday with no full window yet: its mean volume against the open weekdays' mean.
	const known = raw.filter((v) => Number.isFinite(v) && v > 0);
	const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
	const filled = raw.map((v, w) => {
		if (Number.isFinite(v)) return v;
		const s = seen[w] ?? 0;
		if (s === 0) return fallback;
		let tot = 0;
		let cnt = 0;
		for (let d = 0; d < n; d++) if (x.usable[d]) ((tot += x.totals[d] ?? 0), cnt++);
		const meanAll = cnt ? tot / cnt : 1;
		return meanAll > 0 ? (((volume[w] ?? 0) / s) / meanAll) * fallback : fallback;
	});
	const total = filled.reduce((a, b) => a + b, 0);
	return filled.map((v) => (total > 0 ? (v * 7) / total : 0));
}

interface Run {
	level: number;
	trend: number;
	sse: number;
	count: number;
}

function runHolt(obs: readonly number[], alpha: number, beta: number, phi: number): Run {
	const init = obs.slice(0, WARM_UP);
	let level = init.reduce((a, b) => a + b, 0) / Math.max(1, init.length);
	let trend = 0;
	let sse = 0;
	let count = 0;
	for (let t = init.length; t < obs.length; t++) {
		const pred = level + phi * trend;
		const raw = (obs[t] ?? pred) - pred;
		const e = Math.max(-MAX_STEP_ERROR, Math.min(MAX_STEP_ERROR, raw));
		sse += e * e;
		count++;
		level = pred + alpha * e;
		trend = phi * trend + alpha * beta * e;
	}
	return { level, trend, sse, count };
}

/** Fits the daily model on the given days. Throws when fewer than 7 usable days are given. */
export function fitDaily(x: DailyInput): DailyModel {
	const factors = weekdayFactors(x);
	const obs: number[] = [];
	for (let d = 0; d < x.totals.length; d++) {
		const f = factors[weekdayOf(x.firstDay + d)] ?? 0;
		if (!x.usable[d] || f <= 0) continue;
		obs.push(Math.log(((x.totals[d] ?? 0) + 0.5) / f));
	}
	if (obs.length < WARM_UP) throw new RangeError(`a forecast needs at least ${WARM_UP} open days of history (got ${obs.length})`);
	let best: (Run & { alpha: number; beta: number; phi: number }) | null = null;
	for (const alpha of ALPHAS) {
		for (const beta of BETAS) {
			for (const phi of PHIS) {
				const r = runHolt(obs, alpha, beta, phi);
				// Ties (e.g. exactly 7 days, no errors yet) go to the first, most conservative, set.
				if (!best || r.sse < best.sse - 1e-12) best = { ...r, alpha, beta, phi };
			}
		}
	}
	const b = best ?? { ...runHolt(obs, 0.5, 0, 0.9), alpha: 0.5, beta: 0, phi: 0.9 };
	return {
		factors,
		alpha: b.alpha,
		beta: b.beta,
		phi: b.phi,
		level: b.level,
		trend: b.trend,
		lastDay: x.firstDay + x.totals.length - 1,
		rmse: b.count ? Math.sqrt(b.sse / b.count) : NaN,
		days: obs.length
	};
}

/** Expected total offered on `day` (after the model's last day). */
export function dailyForecast(m: DailyModel, day: number): number {
	const f = m.factors[weekdayOf(day)] ?? 0;
	if (f <= 0) return 0;
	const h = Math.max(1, day - m.lastDay);
	let damp = 0;
	let p = 1;
	for (let j = 1; j <= h; j++) {
		p *= m.phi;
		damp += p;
	}
	return Math.max(0, Math.exp(m.level + damp * m.trend) * f - 0.5);
}
