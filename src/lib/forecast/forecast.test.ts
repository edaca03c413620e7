import { describe, expect, it } from 'vitest';
import { dateOf, dayNumber, weekdayOf } from './calendar';
import { dayAccuracy } from './accuracy';
import { backtest } from './backtest';
import { forecastSeries, ForecastError } from './forecast';
import { seriesFromRows, type IntervalRow } from './series';

/**
 * Synthetic history generated here with a known weekly pattern, trend, closed days and level
 * shifts; the forecast must recover them within tolerance. Figures to compare with are computed
 * in the test from the generating formulas, not taken from the code's output.
 */

/** Deterministic uniform stream (mulberry32), so the noisy cases are reproducible. */
function uniform(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function poisson(lambda: number, u: () => number): number {
	if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(u)));
	const l = Math.exp(-lambda);
	let k = 0;
	let p = 1;
	do {
		k++;
		p *= u();
	} while (p > l);
	return k - 1;
}

function normal(u: () => number): number {
	return Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** Weekly pattern (Sun … Sat) of the synthetic center: a Sun–Thu week, short Friday, Saturday closed. */
const WEEK = [1.3, 1.2, 1.1, 1.0, 1.0, 0.4, 0];
/** Hourly shape of a full day (8:00–20:00) and of Friday (8:00–14:00). */
const FULL = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 20 ? 1 + Math.sin(((h - 8) / 12) * Math.PI) : 0));
const SHORT = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 14 ? 1 : 0));
const norm = (v: number[]) => {
	const s = v.reduce((a, b) => a + b, 0);
	return v.map((x) => x / s);
};
const FULL_SHARE = norm(FULL);
const SHORT_SHARE = norm(SHORT);
const shareOf = (w: number) => (w === 5 ? SHORT_SHARE : FULL_SHARE);

interface Gen {
	start: string;
	days: number;
	/** Expected day total before the weekday factor, by day index. */
	level: (d: number) => number;
	/** Poisson noise (seed) or exact expected values. */
	seed?: number;
	/** Day indexes with nothing recorded (holidays). */
	zero?: number[];
}

/** Expected offered of a generated day per hour (two queues: 'a' 70 %, 'b' 30 %). */
function truth(g: Gen, d: number): number[] {
	const day = (dayNumber(g.start) ?? 0) + d;
	const w = weekdayOf(day);
	const total = g.level(d) * (WEEK[w] ?? 0);
	return shareOf(w).map((s) => total * s);
}

function generate(g: Gen): IntervalRow[] {
	const u = uniform(g.seed ?? 1);
	const rows: IntervalRow[] = [];
	for (let d = 0; d < g.days; d++) {
		if (g.zero?.includes(d)) continue;
		const date = dateOf((dayNumber(g.start) ?? 0) + d);
		truth(g, d).forEach((mean, h) => {
			for (const [queue, share, aht] of [
				['a', 0.7, 180],
				['b', 0.3, 400]
			] as const) {
				const m = mean * share;
				const offered = g.seed === undefined ? m : poisson(m, u);
				if (offered === 0) continue;
				rows.push({ date, start: h * 3600, queue, channel: 'voice', offered, handled: offered, handleSum: offered * aht });
			}
		});
	}
	return rows;
}

function allDates(start: string, days: number): string[] {
	return Array.from({ length: days }, (_, d) => dateOf((dayNumber(start) ?? 0) + d));
}

// 2026-01-04 is a Sunday.
const START = '2026-01-04';

describe('forecast on synthetic history', () => {
	it('recovers a weekly pattern with a trend, a closed weekday and the intraday shape', () => {
		const g: Gen = { start: START, days: 56, level: (d) => 1000 * Math.pow(1.01, d), seed: 7 };
		const s = seriesFromRows(generate(g), 3600, allDates(START, 56));
		const fc = forecastSeries(s, dateOf((dayNumber(START) ?? 0) + 56), 7);
		expect(fc.days).toHaveLength(7);
		// Weekday factors relative to Sunday, against the generating pattern.
		const f = fc.method.weekdayFactors;
		for (const [w, name] of ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri'].entries()) {
			expect((f[name] ?? 0) / (f.Sun ?? 1)).toBeCloseTo((WEEK[w] ?? 0) / (WEEK[0] ?? 1), 1);
		}
		expect(f.Sat).toBe(0);
		for (const [k, day] of fc.days.entries()) {
			const want = truth(g, 56 + k).reduce((a, b) => a + b, 0);
			if (want === 0) {
				expect(day.closed).toBe('closed weekday');
				expect(day.offered).toBe(0);
				continue;
			}
			// The 1 %/day trend is carried forward (a flat forecast would be 4–7 % low by then).
			expect(Math.abs(day.offered / want - 1)).toBeLessThan(0.05);
			expect(day.low).toBeLessThan(day.offered);
			expect(day.high).toBeGreaterThan(day.offered);
			// Intraday shape: each open hour within 10 % of its share, closed hours empty.
			const share = shareOf(weekdayOf((dayNumber(day.date) ?? 0)));
			for (const iv of day.intervals) {
				const h = iv.start / 3600;
				const expShare = share[h] ?? 0;
				if (expShare === 0) expect(iv.offered).toBeLessThan(0.5);
				else expect(Math.abs(iv.offered / day.offered / expShare - 1)).toBeLessThan(0.1);
			}
		}
		expect(fc.method.summary.join(' ')).toMatch(/Holt/);
		expect(fc.method.summary.join(' ')).toMatch(/closed every week: Sat/);
	});

	it('splits into queues by their mix and forecasts AHT per queue', () => {
		const g: Gen = { start: START, days: 28, level: () => 800, seed: 3 };
		const s = seriesFromRows(generate(g), 3600, allDates(START, 28));
		const fc = forecastSeries(s, dateOf((dayNumber(START) ?? 0) + 28), 1); // a Sunday
		const day = fc.days[0];
		expect(day).toBeDefined();
		let a = 0;
		let b = 0;
		for (const iv of day?.intervals ?? []) {
			a += iv.queues.a?.offered ?? 0;
			b += iv.queues.b?.offered ?? 0;
			if (iv.offered > 5) {
				expect(iv.queues.a?.aht).toBeCloseTo(180, 5);
				expect(iv.queues.b?.aht).toBeCloseTo(400, 5);
				// Interval AHT is the offered-weighted mean of the queues' AHT.
				const q = iv.queues;
				expect(iv.aht).toBeCloseTo(((q.a?.offered ?? 0) * 180 + (q.b?.offered ?? 0) * 400) / iv.offered, 5);
			}
		}
		expect(a / (a + b)).toBeCloseTo(0.7, 1);
		expect(Math.abs((a + b) / (800 * (WEEK[0] ?? 0)) - 1)).toBeLessThan(0.06);
	});

	it('follows a level shift within days', () => {
		// Level 1000 for five weeks, then 1500 for the last 9 days; a plain average of the
		// history would be 26 % low. Exact (noise-free) and Poisson versions.
		for (const [seed, tolerance] of [
			[undefined, 0.05],
			[11, 0.1]
		] as const) {
			const g: Gen = { start: START, days: 44, level: (d) => (d < 35 ? 1000 : 1500), ...(seed === undefined ? {} : { seed }) };
			const s = seriesFromRows(generate(g), 3600, allDates(START, 44));
			const fc = forecastSeries(s, dateOf((dayNumber(START) ?? 0) + 44), 5);
			for (const [k, day] of fc.days.entries()) {
				const want = truth(g, 44 + k).reduce((x, y) => x + y, 0);
				if (want === 0) continue;
				expect(Math.abs(day.offered / want - 1)).toBeLessThan(tolerance);
			}
		}
	});

	it('leaves marked holidays out of the fit and forecasts them as zero', () => {
		// Day 30 (a Tuesday) had nothing: a holiday. Marked, it must not pull the level down.
		const g: Gen = { start: START, days: 35, level: () => 1000, zero: [30, 31] };
		const rows = generate(g);
		const dates = allDates(START, 35);
		const s = seriesFromRows(rows, 3600, dates);
		const holidays = [dates[30] ?? '', dates[31] ?? ''];
		const next = dateOf((dayNumber(START) ?? 0) + 35);
		const marked = forecastSeries(s, next, 3, { closedDates: [...holidays, dateOf((dayNumber(next) ?? 0) + 1)] });
		const unmarked = forecastSeries(s, next, 1);
		const want = (WEEK[weekdayOf(dayNumber(next) ?? 0)] ?? 0) * 1000;
		expect(Math.abs((marked.days[0]?.offered ?? 0) / want - 1)).toBeLessThan(0.02);
		// Not marked, the two empty days read as a collapse of the level.
		expect(unmarked.days[0]?.offered ?? 0).toBeLessThan(want * 0.9);
		expect(marked.days[1]?.closed).toBe('holiday');
		expect(marked.days[1]?.offered).toBe(0);
		expect(marked.method.summary[0]).toMatch(/closed dates left out/);
	});

	it('applies planner overrides to the chosen days and queues only', () => {
		const g: Gen = { start: START, days: 21, level: () => 1000 };
		const s = seriesFromRows(generate(g), 3600, allDates(START, 21));
		const d0 = dateOf((dayNumber(START) ?? 0) + 21);
		const d1 = dateOf((dayNumber(START) ?? 0) + 22);
		const plain = forecastSeries(s, d0, 2);
		const adj = forecastSeries(s, d0, 2, { overrides: [{ dates: [d1], queues: ['b'], percent: 50, note: 'campaign' }] });
		expect(adj.days[0]?.offered).toBeCloseTo(plain.days[0]?.offered ?? NaN, 6);
		const p1 = plain.days[1];
		const a1 = adj.days[1];
		for (const [i, iv] of (a1?.intervals ?? []).entries()) {
			const base = p1?.intervals[i];
			expect(iv.queues.a?.offered).toBeCloseTo(base?.queues.a?.offered ?? NaN, 6);
			expect(iv.queues.b?.offered).toBeCloseTo((base?.queues.b?.offered ?? NaN) * 1.5, 6);
		}
		expect(a1?.adjustments).toHaveLength(1);
		expect(adj.method.summary.join(' ')).toMatch(/\+50% on .* for b \(campaign\)/);
	});

	it('refuses what it cannot forecast, naming the field', () => {
		const g: Gen = { start: START, days: 21, level: () => 1000 };
		const s = seriesFromRows(generate(g), 3600, allDates(START, 21));
		const next = dateOf((dayNumber(START) ?? 0) + 21);
		expect(() => forecastSeries(s, next, 0)).toThrow(/days must be a whole number from 1 to 28/);
		expect(() => forecastSeries(s, next, 29)).toThrow(ForecastError);
		expect(() => forecastSeries(s, '2026-02-30', 1)).toThrow(/start must be a date/);
		expect(() => forecastSeries(s, START, 1)).toThrow(/no history before/);
		expect(() => forecastSeries(s, dateOf((dayNumber(START) ?? 0) + 3), 1)).toThrow(/at least 7 open days/);
		expect(() => forecastSeries(s, next, 1, { closedDates: ['tomorrow'] })).toThrow(/closedDates\[0\]/);
		expect(() => seriesFromRows([{ date: '2026-01-01', start: -1, queue: 'a', channel: 'voice', offered: 1, handled: 0, handleSum: 0 }], 3600)).toThrow(
			/rows\[0\]\.start/
		);
	});
});

describe('backtest', () => {
	it('scores WAPE and seasonal naive as computed independently from the raw rows', () => {
		// Deterministic 2 %/day growth: seasonal naive is 1 − 1.02^-7 of actual short, exactly.
		const days = 35;
		const g: Gen = { start: START, days, level: (d) => 500 * Math.pow(1.02, d) };
		const rows = generate(g);
		const s = seriesFromRows(rows, 3600, allDates(START, days));
		const bt = backtest(s, 2);
		const dates = allDates(START, days);
		const byDateHour = new Map<string, number>();
		for (const r of rows) byDateHour.set(`${r.date} ${r.start}`, (byDateHour.get(`${r.date} ${r.start}`) ?? 0) + r.offered);
		let actual = 0;
		let naiveErr = 0;
		let modelErr = 0;
		let hours = 0;
		let covered = 0;
		for (let d = days - 14; d < days; d++) {
			const date = dates[d] ?? '';
			const fc = forecastSeries(s, date, 1).days[0];
			for (let h = 0; h < 24; h++) {
				const a = byDateHour.get(`${date} ${h * 3600}`) ?? 0;
				const n = byDateHour.get(`${dates[d - 7]} ${h * 3600}`) ?? 0;
				const iv = fc?.intervals[h];
				const f = iv?.offered ?? 0;
				actual += a;
				naiveErr += Math.abs(a - n);
				modelErr += Math.abs(a - f);
				if (a > 0 || f >= 0.5) {
					hours++;
					if (iv && a >= iv.low && a <= iv.high) covered++;
				}
			}
		}
		expect(bt.overall.actual).toBeCloseTo(actual, 6);
		expect(bt.overall.naiveWape).toBeCloseTo(naiveErr / actual, 9);
		expect(bt.overall.naiveWape).toBeCloseTo(1 - Math.pow(1.02, -7), 9);
		expect(bt.overall.wape).toBeCloseTo(modelErr / actual, 9);
		expect(bt.overall.hours).toBe(hours);
		expect(bt.overall.coverage).toBeCloseTo(covered / hours, 9);
		// The trend model beats seasonal naive by a wide margin on a clean trend.
		expect(bt.overall.wape).toBeLessThan(bt.overall.naiveWape * 0.3);
		expect(bt.weeks).toHaveLength(2);
		expect(bt.weeks[0]?.from).toBe(dates[days - 14]);
		expect(bt.weeks[1]?.to).toBe(dates[days - 1]);
	});

	it('80 % intervals hold about 80 % of hours on Poisson traffic', () => {
		const days = 63;
		const g: Gen = { start: START, days, level: (d) => 1200 * (1 + 0.1 * Math.sin(d / 9)), seed: 5 };
		const s = seriesFromRows(generate(g), 3600, allDates(START, days));
		const bt = backtest(s, 3);
		expect(bt.overall.coverage).toBeGreaterThan(0.7);
		expect(bt.overall.coverage).toBeLessThan(0.92);
	});

	it('needs a week and a day of history before the first backtested day', () => {
		const g: Gen = { start: START, days: 20, level: () => 1000 };
		const s = seriesFromRows(generate(g), 3600, allDates(START, 20));
		expect(() => backtest(s, 2)).toThrow(/needs at least 22 days of history \(got 20\)/);
	});
});

describe('forecast against actual', () => {
	it('WAPE and band coverage of a day from its recorded rows', () => {
		const iv = (start: string, offered: number, low: number, high: number) => ({ start, offered, low, high, aht: null, queues: {} });
		const day = {
			date: '2026-03-02',
			weekday: 'Mon',
			closed: null,
			offered: 30,
			low: 20,
			high: 40,
			adjustments: [],
			intervals: [iv('00:00', 0, 0, 0), iv('01:00', 10, 5, 15), iv('02:00', 20, 15, 25)]
		};
		const row = (start: number, offered: number, date = '2026-03-02') => ({ date, start, queue: 'q', channel: 'voice' as const, offered, handled: 0, handleSum: 0 });
		const acc = dayAccuracy(day, [row(3600, 12), row(7200, 30), row(7200, 99, '2026-03-03')], 3600);
		expect(acc.intervals).toEqual([0, 12, 30]);
		expect(acc.offered).toBe(42);
		expect(acc.wape).toBeCloseTo((2 + 10) / 42, 12);
		// 01:00 inside [5, 15], 02:00 outside [15, 25]; 00:00 (nothing either way) not judged.
		expect(acc.coverage).toBe(0.5);
	});
});
