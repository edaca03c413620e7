import { describe, expect, it } from 'vitest';
import { estimate, tQuantile, tTwoSidedCdf } from './stats';

describe('Student t', () => {
	it.each([
		// Exact closed forms: df 1 → tan(0.475π); df 2 → sqrt(2 / (1 − 0.95²) − 2)... t = q·sqrt(2/(1−q²)) with q = 0.95
		[1, Math.tan(0.475 * Math.PI)],
		[2, 0.95 * Math.sqrt(2 / (1 - 0.95 * 0.95))]
	])('97.5%% quantile, df %i, matches its closed form', (df, want) => expect(tQuantile(df)).toBeCloseTo(want, 9));

	it.each([
		// Printed tables (3 decimals).
		[3, 3.182],
		[4, 2.776],
		[9, 2.262],
		[19, 2.093],
		[29, 2.045],
		[120, 1.98]
	])('97.5%% quantile, df %i ≈ %f', (df, want) => expect(tQuantile(df)).toBeCloseTo(want, 3));

	it('tends to the normal quantile', () => expect(tQuantile(100000)).toBeCloseTo(1.95996, 4));

	it('CDF is increasing and bounded', () => {
		for (const df of [1, 2, 5, 30]) {
			let prev = 0;
			for (let t = 0; t < 10; t += 0.5) {
				const p = tTwoSidedCdf(t, df);
				expect(p).toBeGreaterThanOrEqual(prev);
				expect(p).toBeLessThan(1);
				prev = p;
			}
		}
	});
});

describe('estimate', () => {
	it('mean and interval of a small sample, by hand', () => {
		const e = estimate([1, 2, 3, 4, 5])!;
		const half = (tQuantile(4) * Math.sqrt(2.5)) / Math.sqrt(5);
		expect(e.mean).toBe(3);
		expect(e.ci95![0]).toBeCloseTo(3 - half, 12);
		expect(e.ci95![1]).toBeCloseTo(3 + half, 12);
	});

	it('skips nulls, has no interval for one value, nothing for none', () => {
		expect(estimate([null, 4, null])).toEqual({ mean: 4, ci95: null, n: 1 });
		expect(estimate([null])).toBeNull();
	});
});
