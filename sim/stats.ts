import { atan } from './detmath';

/**
 * Small statistics for replications: means and Student-t confidence intervals. The t quantile
 * is solved from the exact CDF for integer degrees of freedom (Abramowitz & Stegun 26.7.3–4),
 * so no table is needed and small replication counts get the right, wide intervals. Only exact
 * operations and detmath's atan are used, so intervals are identical in Node and browsers.
 */

/** P(|T| ≤ t) for Student's t with integer `df` ≥ 1. */
export function tTwoSidedCdf(t: number, df: number): number {
	const x = Math.abs(t) / Math.sqrt(df);
	const th = atan(x);
	const r = Math.sqrt(1 + x * x);
	const c = 1 / r;
	const c2 = c * c;
	const s = x / r;
	if (df % 2 === 1) {
		let term = c;
		let sum = df > 1 ? term : 0;
		for (let k = 3; k <= df - 2; k += 2) {
			term *= (c2 * (k - 1)) / k;
			sum += term;
		}
		return (2 / Math.PI) * (th + s * sum);
	}
	let term = 1;
	let sum = 1;
	for (let k = 2; k <= df - 2; k += 2) {
		term *= (c2 * (k - 1)) / k;
		sum += term;
	}
	return s * sum;
}

/** The t such that P(|T| ≤ t) = `level` (0.95 → the 97.5 % quantile). */
export function tQuantile(df: number, level = 0.95): number {
	if (df < 1) return NaN;
	let lo = 0;
	let hi = 1;
	while (tTwoSidedCdf(hi, df) < level) hi *= 2;
	for (let i = 0; i < 100; i++) {
		const mid = (lo + hi) / 2;
		if (tTwoSidedCdf(mid, df) < level) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}

/** Mean and 95 % confidence interval of independent observations. */
export interface Estimate {
	readonly mean: number;
	/** [lo, hi]; null with fewer than two observations. */
	readonly ci95: readonly [number, number] | null;
	readonly n: number;
}

/** Mean and Student-t 95 % interval of `xs` (nulls and NaNs skipped); null when none remain. */
export function estimate(xs: readonly (number | null)[]): Estimate | null {
	const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
	const n = v.length;
	if (n === 0) return null;
	let mean = 0;
	for (const x of v) mean += x;
	mean /= n;
	if (n < 2) return Object.freeze({ mean, ci95: null, n });
	let ss = 0;
	for (const x of v) ss += (x - mean) * (x - mean);
	const half = (tQuantile(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
	return Object.freeze({ mean, ci95: Object.freeze([mean - half, mean + half] as const), n });
}
