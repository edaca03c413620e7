import { describe, expect, it } from 'vitest';
import { ArrivalProcess, Sampler } from './distributions';
import { Rng } from './rng';
import type { Dist } from './scenario';

function moments(d: Dist, n = 200_000): { mean: number; sd: number } {
	const s = Sampler.of(d);
	const r = new Rng(11);
	let a = 0;
	let b = 0;
	for (let i = 0; i < n; i++) {
		const x = s.draw(r);
		a += x;
		b += x * x;
	}
	return { mean: a / n, sd: Math.sqrt(b / n - (a / n) ** 2) };
}

describe('Sampler', () => {
	it.each<[string, Dist, number, number]>([
		['exponential', { dist: 'exponential', mean: 120 }, 120, 120],
		['lognormal', { dist: 'lognormal', mean: 300, sd: 150 }, 300, 150],
		['empirical, equal weights', { dist: 'empirical', values: [10, 20, 60] }, 30, Math.sqrt((400 + 100 + 900) / 3)],
		['empirical, weighted', { dist: 'empirical', values: [10, 30], weights: [3, 1] }, 15, Math.sqrt(0.75 * 25 + 0.25 * 225)],
		['constant', { dist: 'constant', value: 30 }, 30, 0]
	])('%s has the requested mean and sd', (_, d, mean, sd) => {
		const m = moments(d);
		expect(m.mean / mean).toBeCloseTo(1, 1);
		expect(Math.abs(m.sd - sd)).toBeLessThan(0.03 * Math.max(sd, 1));
		expect(Sampler.of(d).mean()).toBeCloseTo(mean, 6);
	});
});

describe('ArrivalProcess', () => {
	function counts(p: ArrivalProcess, bins: number, width: number, seed: number): number[] {
		const r = new Rng(seed);
		const out = new Array<number>(bins).fill(0);
		for (let t = p.next(0, r); t < Infinity; t = p.next(t, r)) out[Math.floor(t / width)]!++;
		return out;
	}

	it('perInterval: counts follow the profile, none where the rate is zero', () => {
		const profile = [100, 0, 300, 50];
		const total = [0, 0, 0, 0];
		for (let seed = 0; seed < 50; seed++) {
			const c = counts(new ArrivalProcess({ perInterval: profile }, 900, 3600), 4, 900, seed);
			expect(c[1]).toBe(0);
			c.forEach((x, i) => (total[i]! += x));
		}
		profile.forEach((want, i) => expect(Math.abs(total[i]! / 50 - want)).toBeLessThan(4 * Math.sqrt(want / 50) + 1e-9));
	});

	it('perHour: all arrivals in [0, horizon), about rate × horizon of them', () => {
		const p = new ArrivalProcess({ perHour: 360 }, 900, 7200);
		expect(p.expected()).toBe(720);
		const c = counts(p, 8, 900, 1);
		const n = c.reduce((a, b) => a + b, 0);
		expect(Math.abs(n - 720)).toBeLessThan(4 * Math.sqrt(720));
	});

	it('trace: exactly the given times, in order', () => {
		const p = new ArrivalProcess({ trace: [30, 5, 5, 100] }, 900, 3600);
		const r = new Rng(1);
		const got: number[] = [];
		for (let t = p.next(0, r); t < Infinity; t = p.next(t, r)) got.push(t);
		expect(got).toEqual([5, 5, 30, 100]);
	});
});
