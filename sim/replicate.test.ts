import { describe, expect, it } from 'vitest';
import { computeKpis, countAbandoned, countAnswered, countOffered, emptyCounts, type Kpis } from '../src/lib/domain/kpi';
import { resolveSl } from '../src/lib/domain/service-level';
import { summariseKpis } from './replicate';
import { tQuantile } from './stats';

const sl = resolveSl('voice');

/** KPIs of `answered` contacts answered at once and `abandoned` abandoned after a minute. */
function run(answered: number, abandoned: number): Kpis {
	const c = emptyCounts();
	for (let i = 0; i < answered; i++) {
		countOffered(c);
		countAnswered(c, 0, sl);
	}
	for (let i = 0; i < abandoned; i++) {
		countOffered(c);
		countAbandoned(c, 60, sl);
	}
	return computeKpis(c, sl.formula);
}

describe('replication summaries', () => {
	const runs = [run(1, 9), run(9, 1)]; // service level 0.1 and 0.9

	it('mean and Student-t interval of a KPI', () => {
		const s = summariseKpis(runs, false);
		const half = (tQuantile(1) * Math.sqrt(0.32)) / Math.sqrt(2); // sd of {0.1, 0.9} = √0.32
		expect(s.serviceLevel).toBeCloseTo(0.5, 12);
		expect(s.ci95.serviceLevel![0]).toBeCloseTo(0.5 - half, 9);
		expect(s.ci95.serviceLevel![1]).toBeCloseTo(0.5 + half, 9);
	});

	it('clips level intervals to the KPI range but not differences', () => {
		const level = summariseKpis(runs);
		expect(level.ci95.serviceLevel).toEqual([0, 1]);
		expect(level.ci95.abandoned![0]).toBe(0);
		const diff = summariseKpis(runs, false);
		expect(diff.ci95.serviceLevel![0]).toBeLessThan(0);
	});
});
