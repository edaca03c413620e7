import { describe, expect, it } from 'vitest';
import {
	computeKpis,
	countAbandoned,
	countAgentTime,
	countAnswered,
	countCsat,
	countHandled,
	countOffered,
	countTransferred,
	emptyCounts,
	mergeCounts,
	serviceLevel,
	sumCounts,
	type KpiCounts
} from './kpi';
import { resolveSl, type SlFormula } from './service-level';

const voice = resolveSl('voice'); // T = 20 s, short abandon < 5 s

/** Builds counts from a list of contacts: [outcome, wait] pairs. */
function counts(contacts: Array<['answered' | 'abandoned' | 'waiting', number]>): KpiCounts {
	const c = emptyCounts();
	for (const [outcome, wait] of contacts) {
		countOffered(c);
		if (outcome === 'answered') countAnswered(c, wait, voice);
		if (outcome === 'abandoned') countAbandoned(c, wait, voice);
	}
	return c;
}

// 10 offered: 6 answered (4 within 20 s, one exactly at 20 s), 3 abandoned (1 short at 2 s, 1 within T at 15 s, 1 at 90 s), 1 still waiting.
const day = counts([
	['answered', 0],
	['answered', 10],
	['answered', 20],
	['answered', 19.9],
	['answered', 45],
	['answered', 120],
	['abandoned', 2],
	['abandoned', 15],
	['abandoned', 90],
	['waiting', 0]
]);

describe('service level formulas', () => {
	it.each<[SlFormula, number]>([
		// answered ≤ T / (answered + abandoned − short) = 4 / (6 + 3 − 1)
		['abandons-count-against', 4 / 8],
		// answered ≤ T / answered = 4 / 6
		['answered-only', 4 / 6],
		// (answered ≤ T + abandoned ≤ T) / offered = (4 + 2) / 10; the 2 s short abandon is within T too
		['offered', 6 / 10]
	])('%s', (formula, expected) => {
		expect(serviceLevel(day, formula)).toBeCloseTo(expected, 12);
	});

	it('is null, not 0 or NaN, before anything counts', () => {
		for (const f of ['abandons-count-against', 'answered-only', 'offered'] as const) {
			expect(serviceLevel(emptyCounts(), f)).toBeNull();
		}
	});

	it('short abandons only leave the denominator of the default formula', () => {
		const onlyShort = counts([['abandoned', 1], ['answered', 5]]);
		expect(serviceLevel(onlyShort, 'abandons-count-against')).toBe(1);
	});

	it('the threshold is inclusive (answered at exactly T is within T)', () => {
		expect(serviceLevel(counts([['answered', 20]]), 'answered-only')).toBe(1);
		expect(serviceLevel(counts([['answered', 20.001]]), 'answered-only')).toBe(0);
	});
});

describe('short abandons', () => {
	it.each<[number, number, boolean]>([
		[5, 4.999, true],
		[5, 5, false],
		[5, 0, true],
		[0, 0, false],
		[10, 7, true]
	])('cut-off %d s, wait %d s → short %s', (cutoff, wait, short) => {
		const c = emptyCounts();
		countAbandoned(c, wait, { ...voice, shortAbandon: cutoff });
		expect(c.shortAbandoned).toBe(short ? 1 : 0);
	});
});

describe('other KPIs', () => {
	const k = computeKpis(day, 'abandons-count-against');

	it('ASA is the mean wait of answered contacts only', () => {
		expect(k.asa).toBeCloseTo((0 + 10 + 20 + 19.9 + 45 + 120) / 6, 12);
	});

	it('abandon rate is (abandoned − short) / (offered − short)', () => {
		expect(k.abandonRate).toBeCloseTo((3 - 1) / (10 - 1), 12);
	});

	it('longest wait covers answered and abandoned', () => {
		expect(k.longestWait).toBe(120);
	});

	it('AHT is the mean of handling incl. after-contact work over finished contacts', () => {
		const c = emptyCounts();
		countHandled(c, 180 + 30); // talk + hold + ACW
		countHandled(c, 90);
		expect(computeKpis(c, 'answered-only').aht).toBe(150);
		expect(computeKpis(emptyCounts(), 'answered-only').aht).toBeNull();
	});

	it('transfers count as offered but in neither SL numerator nor abandon rate', () => {
		const c = counts([['answered', 3]]);
		countOffered(c);
		countTransferred(c, 40);
		const t = computeKpis(c, 'abandons-count-against');
		expect([t.offered, t.transferred, t.serviceLevel, t.abandonRate, t.longestWait]).toEqual([2, 1, 1, 0, 40]);
	});

	it('CSAT is the share of 4-5 answers', () => {
		const c = emptyCounts();
		for (const s of [5, 4, 3, 1]) countCsat(c, s);
		expect(computeKpis(c, 'offered').csat).toBe(0.5);
	});
});

describe('occupancy and slot utilisation with concurrency', () => {
	it.each<[string, Array<[number, number, number, number]>, number, number]>([
		// [busy, idle, busySlots, offeredSlots] per agent
		['one voice agent, 45 min on calls of 60', [[2700, 900, 2700, 3600]], 0.75, 0.75],
		// A chat agent with capacity 3 holding one chat all hour is fully occupied but uses a third of its slots.
		['one chat agent, 1 of 3 slots all hour', [[3600, 0, 3600, 3 * 3600]], 1, 1 / 3],
		[
			'two agents: voice half busy, chat 2 of 3 slots half the hour',
			[
				[1800, 1800, 1800, 3600],
				[1800, 1800, 2 * 1800, 3 * 3600]
			],
			0.5,
			(1800 + 3600) / (3600 + 3 * 3600)
		],
		// Not-ready and offline time is neither busy nor idle: it leaves occupancy alone.
		['busy 30 min, idle 10 min, not ready 20 min', [[1800, 600, 1800, 2400]], 0.75, 0.75]
	])('%s', (_name, agents, occ, slots) => {
		const c = emptyCounts();
		for (const [b, i, bs, os] of agents) countAgentTime(c, b, i, bs, os);
		const k = computeKpis(c, 'offered');
		expect(k.occupancy).toBeCloseTo(occ, 12);
		expect(k.slotUtilisation).toBeCloseTo(slots, 12);
	});
});

describe('roll-ups', () => {
	it('intervals add up to the day exactly as counting all at once', () => {
		const morning = counts([['answered', 5], ['abandoned', 2], ['answered', 60]]);
		const afternoon = counts([['abandoned', 30], ['answered', 10]]);
		const whole = counts([['answered', 5], ['abandoned', 2], ['answered', 60], ['abandoned', 30], ['answered', 10]]);
		expect(sumCounts([morning, afternoon])).toEqual(whole);
	});

	it('merge keeps the max of longest waits', () => {
		const a = counts([['answered', 100]]);
		mergeCounts(a, counts([['answered', 30]]));
		expect(a.longestWait).toBe(100);
	});

	it('merge sums every field of the counts (a field added to KpiCounts must be merged too)', () => {
		const keys = Object.keys(emptyCounts()) as (keyof KpiCounts)[];
		const into = emptyCounts();
		const from = emptyCounts();
		keys.forEach((k, i) => {
			into[k] = 1000 * (i + 1);
			from[k] = i + 1;
		});
		mergeCounts(into, from);
		for (const [i, k] of keys.entries()) expect([k, into[k]]).toEqual([k, k === 'longestWait' ? 1000 * (i + 1) : 1001 * (i + 1)]);
		const bigger = emptyCounts();
		bigger.longestWait = 1e9;
		expect(mergeCounts(into, bigger).longestWait).toBe(1e9);
	});
});
