/** Small statistics helpers of the forecast (pure). */

/** Empirical quantile with linear interpolation between order statistics (type 7). */
export function quantile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
	const lo = Math.floor(h);
	const a = sorted[lo] ?? NaN;
	const b = sorted[Math.min(sorted.length - 1, lo + 1)] ?? a;
	return a + (h - lo) * (b - a);
}

/** Smallest k with P(Poisson(λ) ≤ k) ≥ p. */
export function poissonQuantile(lambda: number, p: number): number {
	if (!(lambda > 0)) return 0;
	if (lambda > 200) {
		// Normal approximation with continuity correction; the pmf sum below underflows there.
		return Math.max(0, Math.ceil(lambda + normalQuantile(p) * Math.sqrt(lambda) - 0.5));
	}
	let k = 0;
	let pmf = Math.exp(-lambda);
	let cdf = pmf;
	while (cdf < p && k < 10_000) {
		k++;
		pmf *= lambda / k;
		cdf += pmf;
	}
	return k;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
	const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
	const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
	const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
	const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
	const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
	const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
	const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
	const [d0, d1, d2, d3] = d as [number, number, number, number];
	if (p <= 0) return -Infinity;
	if (p >= 1) return Infinity;
	const lowTail = 0.02425;
	if (p < lowTail) {
		const q = Math.sqrt(-2 * Math.log(p));
		return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
	}
	if (p > 1 - lowTail) {
		const q = Math.sqrt(-2 * Math.log(1 - p));
		return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
	}
	const q = p - 0.5;
	const r = q * q;
	return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}
