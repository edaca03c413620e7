import { describe, expect, it } from 'vitest';
import { erlangC } from '../../../sim/erlang';
import { bundledBaseline } from './sources';
import { erlangPlan, forecastPlanInput, type ForecastAnswer } from './forecast-day';
import { staffingOf } from './staffing';
import type { ForecastIntervalJson } from '../forecast/wire';

// One voice queue, 90 offered per 15 minutes at 10:00 with AHT 300 s (30 erlangs), nothing else.
const iv = (start: string, offered: number): ForecastIntervalJson => ({
	start,
	offered,
	low: offered * 0.9,
	high: offered * 1.1,
	aht: offered > 0 ? 300 : null,
	queues: offered > 0 ? { support: { channel: 'voice' as const, offered, low: offered * 0.9, high: offered * 1.1, aht: 300 } } : {}
});
const intervals = Array.from({ length: 96 }, (_, i) => iv(`${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`, i === 40 ? 90 : 0));
const answer: ForecastAnswer = {
	interval: 900,
	history: { from: '2026-11-01', to: '2026-11-28', days: 28 },
	queues: [{ id: 'support', channel: 'voice' }],
	method: [],
	days: [
		{ date: '2026-11-29', weekday: 'Sun', closed: 'closed weekday', offered: 0, low: 0, high: 0, adjustments: [], intervals: intervals.map((x) => iv(x.start, 0)) },
		{ date: '2026-11-30', weekday: 'Mon', closed: null, offered: 90, low: 81, high: 99, adjustments: [], intervals }
	],
	sl: { support: { threshold: 20, target: 0.8, shortAbandon: 5, formula: 'abandons-count-against' } },
	patience: { support: null }
};

/** Fewest agents whose Erlang C service level within 20 s reaches 80 %, computed here from P(wait) = C(n, a). */
function erlangCAgents(a: number, aht: number, t: number, target: number): number {
	for (let n = Math.floor(a) + 1; ; n++) if (1 - erlangC(n, a) * Math.exp(-((n - a) * t) / aht) >= target) return n;
}

describe('a forecast day as a plan', () => {
	it('staffs the day by Erlang (no patience: Erlang A is Erlang C) and loads it as a scenario of the forecast', () => {
		const input = forecastPlanInput(answer, '2026-11-30');
		expect(input.groups).toBeUndefined();
		expect(input.target).toEqual({ threshold: 20, target: 0.8, shortAbandon: 5, formula: 'abandons-count-against' });
		const { staffing, baseline } = erlangPlan(input);
		const need = erlangCAgents(30, 300, 20, 0.8);
		expect(staffing.intervals[40]!.erlangC).toBe(need);
		expect(staffing.intervals[40]!.erlangA).toBe(need);
		expect(baseline.source).toEqual({ kind: 'forecast', date: '2026-11-30' });
		expect(baseline.label).toMatch(/^forecast 2026-11-30 \(Mon, 90 contacts expected\); staffing by Erlang A/);
		// The scenario staffs `need` agents in 10:00–10:15 and none elsewhere.
		const heads = baseline.scenario.agents.reduce((sum, g) => sum.map((h, i) => h + (staffingOf(baseline.scenario, g)[i] ?? 0)), new Array<number>(96).fill(0));
		expect(heads[40]).toBe(need);
		expect(heads.reduce((a, b) => a + b, 0)).toBe(need);
		const q = baseline.scenario.queues[0]!;
		expect(q.arrivals && 'perInterval' in q.arrivals ? q.arrivals.perInterval[40] : null).toBe(90);
	});

	it("uses the center's groups when they serve every forecast queue, with skills cut to the forecast's queues", () => {
		const input = forecastPlanInput(answer, '2026-11-30', bundledBaseline().scenario);
		const ids = bundledBaseline().scenario.agents.filter((g) => 'support' in g.skills).map((g) => g.group);
		expect(input.groups?.map((g) => g.id)).toEqual(ids);
		for (const g of input.groups ?? []) expect(Object.keys(g.skills)).toEqual(['support']);
	});

	it('refuses a closed day and a day the forecast does not cover, naming them', () => {
		expect(() => forecastPlanInput(answer, '2026-11-29')).toThrow('2026-11-29 is a closed weekday: nothing to staff');
		expect(() => forecastPlanInput(answer, '2026-12-24')).toThrow('the forecast has no day 2026-12-24 (it covers 2026-11-29, 2026-11-30)');
	});
});
