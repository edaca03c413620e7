import { describe, expect, it } from 'vitest';
import { readSharedData } from '../../tests/shared-data';
import { parseAnonymousBank } from '../../src/lib/domain/traces/anonymous-bank';
import type { Kpis } from '../../src/lib/domain/kpi';
import type { Summary } from '../replicate';
import { runReplications, summarise } from '../replicate';
import { validateScenario } from '../scenario';
import { actualKpis } from './actual';
import { calibrationMetrics } from './calibration';
import { bankDay } from './day';
import { BANK_PRIORITY_CREDIT, DIRECT_PRIORITY, dayScenario } from './scenario';

const ONE_DAY = readSharedData('anonymous-bank-1999-one-day.csv');
const rows = ONE_DAY.trim().split('\n').slice(1).map((l) => l.split(','));
const COL = { type: 2, q_start: 6, q_time: 8, outcome: 9 };

describe('a recorded day as a scenario', () => {
	const day = bankDay(parseAnonymousBank(ONE_DAY).calls, null);
	const built = dayScenario(day, { priorityCredit: BANK_PRIORITY_CREDIT });

	it('is a valid ordinary scenario (through JSON) with every offered call in its queue', () => {
		const v = validateScenario(JSON.parse(JSON.stringify(built.scenario)));
		expect(v.ok).toBe(true);
		const offered = rows.filter((r) => r[COL.outcome] !== 'PHANTOM' && (r[COL.q_start] !== '0:00:00' || r[COL.outcome] === 'AGENT'));
		expect(offered.length).toBe(2239);
		for (const q of built.scenario.queues) {
			const a = q.arrivals;
			if (!('trace' in a)) throw new Error('expected trace arrivals');
			expect(a.trace.length).toBe(offered.filter((r) => r[COL.type] === q.id).length);
			// Abandoners keep their own patience: one per hang-up in queue of that type.
			const hung = offered.filter((r) => r[COL.type] === q.id && r[COL.outcome] === 'HANG');
			expect(a.patience?.filter((p) => p !== null).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(hung.map((r) => Number(r[COL.q_time])).sort((x, y) => x - y));
		}
		// PS has hundreds of abandons: its own Kaplan–Meier; the thin TT and PE use the pooled one.
		expect(built.patience.PS?.source).toBe('queue');
		expect(built.patience.TT?.source).toBe('pooled');
		expect(built.staffing['*']?.available.length).toBe(96);
	});

	it('calls answered without queueing go first; other priorities keep their credit, or none without credit', () => {
		const month = parseAnonymousBank(readSharedData('anonymous-bank-1999-08-01-to-24.csv'), { date: '2010-08-19' });
		const d = bankDay(month.calls, '2010-08-19');
		const ps = (credit: number) => {
			const q = dayScenario(d, { priorityCredit: credit }).scenario.queues.find((x) => x.id === 'PS');
			if (!q || !('trace' in q.arrivals)) throw new Error('expected PS trace arrivals');
			return { q, a: q.arrivals };
		};
		const rawDirect = month.calls.filter((c) => c.queue === 'PS' && c.outcome === 'AGENT' && c.qStart === null).length;
		expect(rawDirect).toBeGreaterThan(300);
		const withCredit = ps(90);
		expect(withCredit.q.priorityCredit).toBe(90);
		expect(withCredit.a.priority?.filter((p) => p === DIRECT_PRIORITY).length).toBe(rawDirect);
		expect(new Set(withCredit.a.priority?.filter((p) => p !== DIRECT_PRIORITY))).toEqual(new Set([0, 1, 2]));
		const fifo = ps(0);
		expect(new Set(fifo.a.priority)).toEqual(new Set([0, DIRECT_PRIORITY]));
	});

	it('reports the day\'s own KPIs computed from the raw rows', () => {
		const actual = actualKpis(day, built.scenario);
		expect(actual.total.offered).toBe(2239);
		expect(actual.total.abandonRate).toBeCloseTo(728 / 2239, 12);
		const answered = rows.filter((r) => r[COL.outcome] === 'AGENT');
		expect(actual.total.asa).toBeCloseTo(answered.reduce((s, r) => s + Number(r[COL.q_time]), 0) / answered.length, 9);
		expect(actual.intervals.reduce((s, iv) => s + iv.total.offered, 0)).toBe(2239);
		expect(actual.queues.PS?.offered).toBe(rows.filter((r) => r[COL.type] === 'PS' && r[COL.outcome] !== 'PHANTOM' && (r[COL.q_start] !== '0:00:00' || r[COL.outcome] === 'AGENT')).length);
	});

	it('replays to the same number of contacts, and a fully staffed replay has no abandons', () => {
		const s = summarise(runReplications(built.scenario, 1, 2));
		expect(s.total.offered).toBe(2239);
		const flooded = { ...built.scenario, agents: [{ group: 'all', count: 200, skills: Object.fromEntries(built.scenario.queues.map((q) => [q.id, 1])) }] };
		const f = summarise(runReplications(flooded, 1, 1));
		expect(f.total.abandoned).toBe(0);
		expect(f.total.asa).toBe(0);
	});
});

describe('calibration metrics', () => {
	const k = (abandonRate: number, asa: number, offered = 100): Kpis =>
		({ offered, answered: offered, abandoned: 0, shortAbandoned: 0, transferred: 0, serviceLevel: null, asa, aht: null, abandonRate, occupancy: null, slotUtilisation: null, longestWait: 0, csat: null }) as Kpis;
	const summary = (ab: number, asa: number, ivs: [number, number][]) =>
		({ total: { ...k(ab, asa), ci95: { abandonRate: [ab - 0.01, ab + 0.01], asa: [asa - 5, asa + 5] } }, intervals: ivs.map(([a, s], index) => ({ index, total: k(a, s) })) }) as unknown as Summary;

	it('judges the bands and averages interval errors over busy intervals only', () => {
		const actual = { total: k(0.3, 100), queues: {}, intervals: [{ index: 0, start: 0, total: k(0.2, 50) }, { index: 1, start: 900, total: k(0.4, 150) }, { index: 2, start: 1800, total: k(0.9, 900, 3) }] };
		const m = calibrationMetrics(actual, summary(0.28, 85, [[0.25, 40], [0.3, 170], [0, 0]]));
		expect(m.withinTarget).toBe(true);
		expect(m.intervalMae.intervals).toBe(2);
		expect(m.intervalMae.abandonRate).toBeCloseTo((0.05 + 0.1) / 2, 12);
		expect(m.intervalMae.asa).toBeCloseTo((10 + 20) / 2, 12);
		// 21 s off a 100 s ASA is outside max(20 %, 10 s); 3.1 points is outside the abandon band.
		expect(calibrationMetrics(actual, summary(0.28, 79, [])).withinTarget).toBe(false);
		expect(calibrationMetrics(actual, summary(0.331, 100, [])).withinTarget).toBe(false);
		// Small ASA: the 10 s floor applies.
		const low = { ...actual, total: k(0.05, 20) };
		expect(calibrationMetrics(low, summary(0.05, 29, [])).withinTarget).toBe(true);
	});
});
