import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { standardNormal, unitExponential } from './ziggurat';

const N = 1_000_000;

/** P(X > k) from N draws against `p`, within 4.5 binomial standard deviations. */
function expectTail(draws: Float64Array, k: number, p: number): void {
	let above = 0;
	for (let i = 0; i < draws.length; i++) if (draws[i]! > k) above++;
	const sd = Math.sqrt(draws.length * p * (1 - p));
	expect(Math.abs(above - draws.length * p), `P(X > ${k})`).toBeLessThan(4.5 * sd + 1);
}

/** Standard normal upper tail, by Simpson's rule on the density (independent of the sampler). */
function normalAbove(k: number): number {
	const lo = Math.min(k, 0);
	const hi = Math.max(k, 0);
	const n = 20_000;
	const h = (hi - lo) / n;
	const f = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
	let s = f(lo) + f(hi);
	for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
	const between = (s * h) / 3;
	return k >= 0 ? 0.5 - between : 0.5 + between;
}

describe('ziggurat', () => {
	it('unitExponential: tail probabilities e^-k, in the layers, at the base strip edge (7.697) and beyond', () => {
		const r = new Rng(17);
		const d = Float64Array.from({ length: N }, () => unitExponential(r));
		for (const k of [0.01, 0.1, 0.5, 1, 2, 3, 5, 7.69, 8.5]) expectTail(d, k, Math.exp(-k));
		const mean = d.reduce((a, b) => a + b, 0) / N;
		expect(Math.abs(mean - 1)).toBeLessThan(4.5 / Math.sqrt(N));
		expect(d.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
	});

	it('standardNormal: tail probabilities of the normal on both sides, at the base strip edge (3.4426) and beyond', () => {
		const r = new Rng(23);
		const d = Float64Array.from({ length: N }, () => standardNormal(r));
		for (const k of [-3.6, -3.44, -2, -1, -0.25, 0, 0.25, 1, 2, 3, 3.44, 3.6]) expectTail(d, k, normalAbove(k));
		let m1 = 0;
		let m2 = 0;
		for (const x of d) {
			m1 += x;
			m2 += x * x;
		}
		expect(Math.abs(m1 / N)).toBeLessThan(4.5 / Math.sqrt(N));
		// Var of x² is 2 for a standard normal.
		expect(Math.abs(m2 / N - 1)).toBeLessThan(4.5 * Math.sqrt(2 / N));
	});

	it('same stream, same draws', () => {
		const a = new Rng(5);
		const b = new Rng(5);
		for (let i = 0; i < 1000; i++) {
			expect(unitExponential(a)).toBe(unitExponential(b));
			expect(standardNormal(a)).toBe(standardNormal(b));
		}
	});
});
