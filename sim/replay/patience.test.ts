import { describe, expect, it } from 'vitest';
import { Sampler, ConditionalSampler } from '../distributions';
import { Rng } from '../rng';
import { kaplanMeier, patienceDistribution, survivalAt, type PatienceSample } from './patience';

/** Exponential draw by inversion, independent of the code under test. */
const expo = (rng: Rng, mean: number) => -mean * Math.log(1 - rng.next());

/** Patience ~ Exp(mean 150 s); each contact is answered (censored) after an Exp(mean 100 s) wait. */
function censoredSample(n: number, seed: number): { samples: PatienceSample[]; truth: (t: number) => number } {
	const rng = new Rng(seed);
	const samples: PatienceSample[] = [];
	for (let i = 0; i < n; i++) {
		const patience = expo(rng, 150);
		const answerAfter = expo(rng, 100);
		samples.push(patience < answerAfter ? { time: patience, event: true } : { time: answerAfter, event: false });
	}
	return { samples, truth: (t) => Math.exp(-t / 150) };
}

describe('Kaplan–Meier patience', () => {
	it('matches a hand-worked example', () => {
		// Times 1,2+,3,3,4+ (+ censored): S(1)=4/5, S(3)=4/5 × (1 − 2/3) = 4/15.
		const km = kaplanMeier([
			{ time: 1, event: true },
			{ time: 2, event: false },
			{ time: 3, event: true },
			{ time: 3, event: true },
			{ time: 4, event: false }
		]);
		expect(km.times).toEqual([1, 3]);
		expect(km.survival[0]).toBeCloseTo(0.8, 12);
		expect(km.survival[1]).toBeCloseTo(4 / 15, 12);
		expect(survivalAt(km, 0.5)).toBe(1);
		expect(survivalAt(km, 2)).toBeCloseTo(0.8, 12);
	});

	it('recovers a known distribution from censored samples, where abandoners alone do not', () => {
		const { samples, truth } = censoredSample(20_000, 7);
		const events = samples.filter((s) => s.event);
		// About 40 % abandon (100 / (100 + 150)); most are censored.
		expect(events.length / samples.length).toBeGreaterThan(0.35);
		expect(events.length / samples.length).toBeLessThan(0.45);
		const km = kaplanMeier(samples);
		for (const t of [30, 60, 120, 200, 300]) expect(Math.abs(survivalAt(km, t) - truth(t))).toBeLessThan(0.02);
		// The naive mean of abandoners' waits is far below the true mean patience of 150 s.
		const naive = events.reduce((a, s) => a + s.time, 0) / events.length;
		expect(naive).toBeLessThan(80);
		// The fitted distribution (jumps + exponential tail) has about the true mean and quantiles.
		const fit = patienceDistribution(samples);
		expect(fit.dist).not.toBeNull();
		const sampler = Sampler.of(fit.dist ?? { dist: 'constant', value: 0 });
		expect(sampler.mean()).toBeGreaterThan(150 * 0.9);
		expect(sampler.mean()).toBeLessThan(150 * 1.1);
		const rng = new Rng(99);
		const draws = Array.from({ length: 20_000 }, () => sampler.draw(rng)).sort((a, b) => a - b);
		const q = (p: number) => draws[Math.floor(p * draws.length)] ?? 0;
		expect(q(0.5)).toBeGreaterThan(150 * Math.LN2 * 0.9);
		expect(q(0.5)).toBeLessThan(150 * Math.LN2 * 1.1);
		expect(q(0.9)).toBeGreaterThan(150 * Math.log(10) * 0.85);
		expect(q(0.9)).toBeLessThan(150 * Math.log(10) * 1.15);
	});

	it('draws conditioned on exceeding a wait: never below it, with the right excess', () => {
		const { samples } = censoredSample(20_000, 11);
		const fit = patienceDistribution(samples);
		const d = fit.dist ?? { dist: 'constant' as const, value: 0 };
		const cond = new ConditionalSampler(d, Sampler.of(d));
		const rng = new Rng(5);
		const draws = Array.from({ length: 10_000 }, () => cond.drawAbove(rng, 100));
		expect(Math.min(...draws)).toBeGreaterThan(100);
		// Exponential patience is memoryless: the excess over 100 s has mean about 150 s.
		const excess = draws.reduce((a, x) => a + x - 100, 0) / draws.length;
		expect(excess).toBeGreaterThan(150 * 0.85);
		expect(excess).toBeLessThan(150 * 1.15);
	});

	it('gives no patience when nobody abandoned', () => {
		expect(patienceDistribution([{ time: 5, event: false }]).dist).toBeNull();
	});
});
