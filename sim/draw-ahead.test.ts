import { describe, expect, it } from 'vitest';
import { exp, expInPlace } from './detmath';
import { ArrivalProcess, Sampler } from './distributions';
import { AHEAD, ArrivalsAhead, DrawAhead } from './draw-ahead';
import { Rng } from './rng';
import type { Dist } from './scenario';
import { unitExponential } from './ziggurat';

describe('DrawAhead', () => {
	it.each<[string, Dist]>([
		['exponential', { dist: 'exponential', mean: 120 }],
		['lognormal', { dist: 'lognormal', mean: 300, sd: 150 }],
		['empirical', { dist: 'empirical', values: [10, 30], weights: [3, 1] }],
		['constant', { dist: 'constant', value: 30 }]
	])('%s: the n-th value is the n-th draw of the stream, across batches', (_, d) => {
		const n = AHEAD * 3 + 5;
		const ahead = new DrawAhead(Sampler.of(d), new Rng(5, 6));
		const got = new Float64Array(n + 1);
		for (let i = 0; i < n; i++) ahead.into(got, i + 1);
		const one = Sampler.of(d);
		const r = new Rng(5, 6);
		const want = Array.from({ length: n }, () => one.draw(r));
		expect(Array.from(got.subarray(1))).toEqual(want);
		// `into` writes only the slot it is given.
		expect(got[0]).toBe(0);
	});

	it('exponentiates in place, value for value as exp', () => {
		const xs = Float64Array.from([-800, -3.5, -1e-300, 0, 0.5, 1, 20.25, 709.7, 710, NaN]);
		const want = Array.from(xs, (x) => exp(x));
		expInPlace(xs);
		expect(Array.from(xs)).toEqual(want);
	});
});

describe('ArrivalsAhead', () => {
	/** Arrival times by inverting the cumulative rate of per-interval counts, from the same unit exponentials. */
	function byInversion(perInterval: number[], interval: number, horizon: number, rng: Rng): number[] {
		const out: number[] = [];
		let t = 0;
		for (;;) {
			let e = unitExponential(rng);
			for (;;) {
				const i = Math.floor(t / interval);
				if (i >= perInterval.length || t >= horizon) return out;
				const rate = perInterval[i]! / interval;
				const end = Math.min((i + 1) * interval, horizon);
				if (rate > 0 && t + e / rate < end) {
					t += e / rate;
					break;
				}
				e -= rate * (end - t);
				t = end;
			}
			out.push(t);
		}
	}

	function drain(ahead: ArrivalsAhead): number[] {
		const out: number[] = [];
		while (ahead.more()) out.push(ahead.times[ahead.pos++]!);
		return out;
	}

	it('gives the arrival times of a profile with empty intervals, batch after batch, to the horizon', () => {
		const perInterval = [40, 0, 130, 7, 0, 0, 90];
		const p = new ArrivalProcess({ perInterval }, 900, 6000);
		const got = drain(new ArrivalsAhead(p, new Rng(9)));
		const want = byInversion(perInterval, 900, 6000, new Rng(9));
		expect(got.length).toBeGreaterThan(AHEAD * 2);
		expect(got).toEqual(want);
		expect(got.every((t) => t < 6000)).toBe(true);
	});

	it('gives the times of a constant rate: sums of exponential gaps of mean 1/rate', () => {
		const got = drain(new ArrivalsAhead(new ArrivalProcess({ perHour: 3600 }, 900, 500), new Rng(3)));
		const r = new Rng(3);
		const want: number[] = [];
		for (let t = unitExponential(r); t < 500; t += unitExponential(r)) want.push(t);
		expect(got).toEqual(want);
	});

	it('ends when the horizon falls at a batch boundary', () => {
		const r = new Rng(4);
		const times: number[] = [];
		let t = 0;
		for (let i = 0; i < AHEAD; i++) times.push((t += unitExponential(r)));
		// A horizon just after the AHEAD-th arrival: one full batch, then none.
		const ahead = new ArrivalsAhead(new ArrivalProcess({ perHour: 3600 }, 900, times[AHEAD - 1]! + 1e-9), new Rng(4));
		const got = drain(ahead);
		expect(got.length).toBe(AHEAD);
		expect(ahead.more()).toBe(false);
	});
});
