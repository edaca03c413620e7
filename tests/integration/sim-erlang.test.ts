/**
 * The simulator against queueing theory: single-queue scenarios must reproduce Erlang C
 * (M/M/n) and Erlang A (M/M/n+M) within their confidence intervals. The analytic values come
 * from sim/erlang.ts (itself unit-tested against hand-computed cases), never from a run.
 *
 * Steady state: long horizons, and the first intervals (warm-up from an empty center) are
 * dropped before forming KPIs, which the additive interval counts allow. Each simulated figure
 * is the mean of R replications with its Student-t 95 % interval; the interval is widened by
 * half (×1.5) because about thirty figures are checked at once and a strict 95 % interval would
 * miss one of them by chance every so often. A negative control shows the check has power:
 * the Erlang figures for one agent more or fewer fall outside the same intervals.
 */
import { describe, expect, it } from 'vitest';
import { erlangAMetrics, type ErlangResult } from '../../sim/erlang';
import { runReplications } from '../../sim/replicate';
import { scopeKpis } from '../../sim/results';
import { validateScenario } from '../../sim/scenario';
import { estimate, type Estimate } from '../../sim/stats';

const AHT = 180;
const T = 20;
const HOUR = 3600;
const R = 8;
const WARMUP_INTERVALS = 2;

interface Case {
	readonly name: string;
	readonly agents: number;
	/** Offered load, erlangs. */
	readonly load: number;
	/** Mean patience, seconds; Infinity for none (Erlang C). */
	readonly patience: number;
	readonly hours: number;
}

const cases: Case[] = [
	{ name: 'M/M/n light', agents: 6, load: 4, patience: Infinity, hours: 600 },
	{ name: 'M/M/n 85%', agents: 20, load: 17, patience: Infinity, hours: 200 },
	{ name: 'M/M/n 95%', agents: 20, load: 19, patience: Infinity, hours: 500 },
	{ name: 'M/M/n+M small', agents: 6, load: 5, patience: 60, hours: 500 },
	{ name: 'M/M/n+M busy', agents: 20, load: 19, patience: 120, hours: 200 },
	{ name: 'M/M/n+M overloaded', agents: 50, load: 55, patience: 180, hours: 60 }
];

interface Observed {
	serviceLevel: Estimate;
	pAbandon: Estimate;
	asa: Estimate;
	occupancy: Estimate;
}

function simulate(c: Case): Observed {
	const v = validateScenario({
		name: c.name,
		horizon: c.hours * HOUR,
		interval: HOUR,
		queues: [
			{
				id: 'q',
				channel: 'voice',
				sl: { threshold: T, shortAbandon: 5 },
				arrivals: { perHour: (c.load / AHT) * HOUR },
				handle: { dist: 'exponential', mean: AHT },
				...(Number.isFinite(c.patience) ? { patience: { dist: 'exponential', mean: c.patience } } : {})
			}
		],
		agents: [{ group: 'g', count: c.agents, skills: { q: 1 } }]
	});
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	const runs = runReplications(v.scenario, 20240601, R).map((r) => scopeKpis(r.queues.q!, WARMUP_INTERVALS));
	return {
		serviceLevel: estimate(runs.map((k) => k.serviceLevel))!,
		pAbandon: estimate(runs.map((k) => k.abandoned / k.offered))!,
		asa: estimate(runs.map((k) => k.asa))!,
		occupancy: estimate(runs.map((k) => k.occupancy))!
	};
}

function analytic(c: Case, agents = c.agents): Record<keyof Observed, number> {
	const r: ErlangResult = erlangAMetrics({ lambda: c.load / AHT, aht: AHT, agents, threshold: T, patience: c.patience, shortAbandon: 5 });
	// The scenario uses the default formula: answered ≤ T / (answered + abandoned − short).
	return { serviceLevel: r.serviceLevel['abandons-count-against'], pAbandon: r.pAbandon, asa: r.asa, occupancy: r.occupancy };
}

/** Analytic value inside the CI widened by half around the mean. */
function inside(e: Estimate, x: number): boolean {
	const [lo, hi] = e.ci95!;
	const half = ((hi - lo) / 2) * 1.5;
	return Math.abs(x - e.mean) <= half + 1e-12;
}

const table: string[] = [];

describe('simulator vs Erlang C / Erlang A', () => {
	it.each(cases)('$name: n = $agents, A = $load, patience $patience', (c) => {
		const sim = simulate(c);
		const want = analytic(c);
		for (const k of Object.keys(want) as (keyof Observed)[]) {
			const e = sim[k];
			table.push(
				`${c.name.padEnd(20)} ${k.padEnd(13)} analytic ${want[k].toFixed(4).padStart(9)}  sim ${e.mean.toFixed(4).padStart(9)}  CI [${e.ci95![0].toFixed(4)}, ${e.ci95![1].toFixed(4)}]`
			);
			if (c.patience === Infinity && k === 'pAbandon') {
				expect(e.mean).toBe(0);
				continue;
			}
			expect(inside(e, want[k]), `${c.name} ${k}: analytic ${want[k]} vs ${e.mean} CI ${e.ci95}`).toBe(true);
		}
		// Negative control: the formulas for one agent fewer/more are told apart.
		// (Erlang C has no steady state with n ≤ A, so such a neighbour is left out.)
		const neighbours = [c.agents - 1, c.agents + 1].filter((n) => c.patience < Infinity || n > c.load);
		expect(neighbours.length).toBeGreaterThan(0);
		for (const n of neighbours) {
			const other = analytic(c, n);
			expect(inside(sim.serviceLevel, other.serviceLevel), `SL with ${n} agents`).toBe(false);
			expect(inside(sim.asa, other.asa), `ASA with ${n} agents`).toBe(false);
		}
	});

	it('report', () => {
		console.info(`\n${table.join('\n')}`);
		expect(table.length).toBe(cases.length * 4);
	});
});
