import { describe, expect, it } from 'vitest';
import { agentsForTarget, erlangAMetrics, erlangB, erlangC, erlangCMetrics } from './erlang';

/** Poisson(a) probabilities 0..kmax, for the θ = μ case where M/M/n+M is M/M/∞. */
function poisson(a: number, kmax: number): number[] {
	const p = [Math.exp(-a)];
	for (let k = 1; k <= kmax; k++) p.push((p[k - 1]! * a) / k);
	return p;
}

describe('erlangB', () => {
	it.each([
		// Hand-computed: B(n, A) = (Aⁿ/n!) / Σ_{k≤n} Aᵏ/k!
		[0, 3, 1],
		[1, 1, 1 / 2],
		[2, 1, 0.5 / 2.5],
		[2, 2, 2 / 5],
		[3, 1, 1 / 6 / (1 + 1 + 1 / 2 + 1 / 6)]
	])('B(%i, %f) = %f', (n, a, want) => expect(erlangB(n, a)).toBeCloseTo(want, 12));

	it('stays finite and in (0, 1) for large systems', () => {
		const b = erlangB(1000, 950);
		expect(b).toBeGreaterThan(0);
		expect(b).toBeLessThan(1);
	});
});

describe('erlangC', () => {
	it.each([
		// n = 1: an arrival waits iff the server is busy, probability ρ.
		[1, 0.3, 0.3],
		[1, 0.9, 0.9],
		// n = 2, A = 1: B = 0.2, C = nB / (n − A(1 − B)) = 0.4 / 1.2.
		[2, 1, 1 / 3],
		// Overloaded: everyone waits.
		[3, 3, 1],
		[3, 4, 1]
	])('C(%i, %f) = %f', (n, a, want) => expect(erlangC(n, a)).toBeCloseTo(want, 12));

	it('M/M/1 figures match the textbook closed forms', () => {
		const lambda = 0.8;
		const r = erlangCMetrics({ lambda, aht: 1, agents: 1, threshold: 2 });
		expect(r.asa).toBeCloseTo(0.8 / (1 - 0.8), 12); // ρ / (μ − λ)
		expect(r.serviceLevel['answered-only']).toBeCloseTo(1 - 0.8 * Math.exp(-0.2 * 2), 12);
		expect(r.occupancy).toBeCloseTo(0.8, 12);
	});

	it('refuses an unstable queue', () => expect(() => erlangCMetrics({ lambda: 1, aht: 2, agents: 2, threshold: 20 })).toThrow(/unstable/));
});

describe('erlangAMetrics', () => {
	it('M/M/1+M with λ = μ = θ = 1 is M/M/∞: P(abandon) = 1/e, occupancy = 1 − 1/e', () => {
		const r = erlangAMetrics({ lambda: 1, aht: 1, patience: 1, agents: 1, threshold: 1 });
		expect(r.pAbandon).toBeCloseTo(Math.exp(-1), 10);
		expect(r.occupancy).toBeCloseTo(1 - Math.exp(-1), 10);
	});

	it.each([
		[3, 2],
		[10, 8],
		[20, 25]
	])('θ = μ (M/M/∞), n = %i, A = %f: P(abandon) = E[(K − n)⁺] / A with K ~ Poisson(A)', (n, a) => {
		const p = poisson(a, 200);
		const want = p.reduce((s, pk, k) => s + pk * Math.max(k - n, 0), 0) / a;
		const r = erlangAMetrics({ lambda: a / 100, aht: 100, patience: 100, agents: n, threshold: 20 });
		expect(r.pAbandon).toBeCloseTo(want, 9);
		// Waiting is the chance of finding all n busy.
		expect(r.pWait).toBeCloseTo(p.slice(n).reduce((s, x) => s + x, 0), 9);
	});

	it.each([
		[5, 4, 20],
		[20, 17, 20],
		[50, 47, 15]
	])('tends to Erlang C as patience grows (n = %i, A = %f, T = %f)', (n, a, t) => {
		const lambda = a / 180;
		const c = erlangCMetrics({ lambda, aht: 180, agents: n, threshold: t });
		const r = erlangAMetrics({ lambda, aht: 180, patience: 1e9, agents: n, threshold: t });
		expect(r.pWait).toBeCloseTo(c.pWait, 5);
		expect(r.asa).toBeCloseTo(c.asa, 3);
		expect(r.serviceLevel['answered-only']).toBeCloseTo(c.serviceLevel['answered-only'], 5);
		expect(r.occupancy).toBeCloseTo(c.occupancy, 5);
		expect(r.pAbandon).toBeLessThan(1e-4);
	});

	it('with no patience limit it is Erlang C', () => {
		const x = { lambda: 0.05, aht: 180, agents: 12, threshold: 20 };
		expect(erlangAMetrics({ ...x, patience: Infinity })).toEqual(erlangCMetrics(x));
	});

	it('answered within a very long threshold = all answered; abandoned within it = all abandons', () => {
		const r = erlangAMetrics({ lambda: 0.1, aht: 180, patience: 60, agents: 18, threshold: 5000 });
		expect(r.pAnsweredWithinT).toBeCloseTo(1 - r.pAbandon, 9);
		expect(r.pAbandonedWithinT).toBeCloseTo(r.pAbandon, 9);
	});

	it('service levels are ordered and consistent with their formulas', () => {
		const r = erlangAMetrics({ lambda: 0.1, aht: 180, patience: 120, agents: 18, threshold: 20, shortAbandon: 5 });
		expect(r.pShortAbandon).toBeGreaterThan(0);
		expect(r.pShortAbandon).toBeLessThan(r.pAbandonedWithinT);
		expect(r.serviceLevel['answered-only']).toBeCloseTo(r.pAnsweredWithinT / (1 - r.pAbandon), 12);
		expect(r.serviceLevel.offered).toBeCloseTo(r.pAnsweredWithinT + r.pAbandonedWithinT, 12);
		expect(r.serviceLevel['abandons-count-against']).toBeCloseTo(r.pAnsweredWithinT / (1 - r.pShortAbandon), 12);
		// Occupancy is the carried load: answered × AHT / n.
		expect(r.occupancy).toBeCloseTo((0.1 * (1 - r.pAbandon) * 180) / 18, 9);
	});

	it('more agents: less abandoning, shorter waits, higher service level', () => {
		const at = (n: number) => erlangAMetrics({ lambda: 0.1, aht: 180, patience: 90, agents: n, threshold: 20 });
		for (let n = 14; n < 24; n++) {
			expect(at(n + 1).pAbandon).toBeLessThan(at(n).pAbandon);
			expect(at(n + 1).asa).toBeLessThan(at(n).asa);
			expect(at(n + 1).serviceLevel['abandons-count-against']).toBeGreaterThan(at(n).serviceLevel['abandons-count-against']);
		}
	});
});

describe('agentsForTarget', () => {
	it.each([
		[0.05, 180, Infinity, 0.8],
		[0.1, 180, 90, 0.8],
		[1, 240, 120, 0.9]
	])('λ = %f, AHT %f, patience %f, target %f: the fewest agents that meet it', (lambda, aht, patience, target) => {
		const { agents, result } = agentsForTarget({ lambda, aht, patience, threshold: 20, target });
		expect(result.serviceLevel['abandons-count-against']).toBeGreaterThanOrEqual(target);
		const fewer = erlangAMetrics({ lambda, aht, patience, agents: agents - 1, threshold: 20 });
		expect(fewer.serviceLevel['abandons-count-against']).toBeLessThan(target);
	});

	it('finds the same count as trying one agent after another, across loads, thresholds and an occupancy ceiling', () => {
		for (const [lambda, aht, patience, threshold, target, maxOccupancy] of [
			[0.5, 300, 200, 20, 0.8, undefined],
			[2, 240, Infinity, 30, 0.9, undefined],
			[0.02, 600, 7200, 4 * 3600, 0.9, undefined],
			[1, 180, 300, 20, 0.5, 0.7]
		] as const) {
			const x = { lambda, aht, patience, threshold, target, ...(maxOccupancy ? { maxOccupancy } : {}) };
			const a = lambda * aht;
			let n = Number.isFinite(patience) ? Math.max(1, Math.floor(a * 0.5)) : Math.floor(a) + 1;
			for (; ; n++) {
				const r = erlangAMetrics({ ...x, agents: n });
				if (r.serviceLevel['abandons-count-against'] >= target && (maxOccupancy === undefined || r.occupancy <= maxOccupancy)) break;
			}
			expect(agentsForTarget(x).agents).toBe(n);
		}
	});
});
