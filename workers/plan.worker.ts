/**
 * Browser Web Worker of the planner: the simulation service (sim/service.ts) with results packed
 * for transfer, the analysis of finished replications (kept here; the page asks for the day and
 * for one scope's intervals at a time), and the Erlang helper (exact Erlang A is slow). The pool
 * in src/lib/planner/pool.ts starts one per core, so the page thread only draws.
 */
import { expose, transfer } from 'comlink';
import { createSimService, type Progress, type SimJob } from '../sim/service';
import { analyse, dayView, scopeSeries, type PlanAnalysis } from '../src/lib/planner/analysis';
import { erlangNeeds } from '../src/lib/planner/erlang-helper';
import { packRuns, unpackRuns, type PackedRuns } from '../src/lib/planner/packed';
import { calibrationView } from '../src/lib/planner/calibration';
import { summarise } from '../sim/replicate';
import type { Actual } from '../sim/replay/actual';
import type { Scenario } from '../sim/scenario';
import { searchStaffing } from '../src/lib/forecast/staffing';
import { erlangPlan, searchedBaseline, type ForecastPlanInput } from '../src/lib/planner/forecast-day';

const sim = createSimService();
let last: PlanAnalysis | null = null;
let searchCanceled = false;

/** What a planner worker exposes. */
export const planWorker = {
	cancel: sim.cancel,
	/** Baseline and scenario replications, packed (transferred, not copied). */
	async compare(job: Extract<SimJob, { kind: 'compare' }>, onProgress?: Progress) {
		const r = await sim.run(job, onProgress);
		if (r.kind !== 'compare') throw new Error('unexpected answer');
		const base = packRuns(r.base);
		const alt = packRuns(r.alt);
		return transfer({ base, alt }, [base.data.buffer, alt.data.buffer]);
	},
	/** Replications of one scenario, packed (transferred). */
	async replications(job: Extract<SimJob, { kind: 'replications' }>, onProgress?: Progress) {
		const r = await sim.run(job, onProgress);
		if (r.kind !== 'replications') throw new Error('unexpected answer');
		const runs = packRuns(r.runs);
		return transfer(runs, [runs.data.buffer]);
	},
	/** A recorded day's replay against its record (small: it crosses to the page). */
	calibrate(runs: PackedRuns[], actual: Actual) {
		return calibrationView(actual, summarise(runs.flatMap(unpackRuns)));
	},
	/** Analyses all replications and keeps the result; returns the day-level view. */
	analyse(base: PackedRuns[], alt: PackedRuns[]) {
		last = analyse(base.flatMap(unpackRuns), alt.flatMap(unpackRuns));
		return dayView(last);
	},
	/** One scope's intervals of the last analysis. */
	series: (key: string) => (last ? scopeSeries(last, key) : null),
	erlangNeeds,
	/** A forecast day's Erlang staffing and its scenario (exact Erlang A is slow: off the page thread). */
	forecastErlang: (input: ForecastPlanInput) => erlangPlan(input),
	/** The simulation staffing search of a forecast day; `simulate` deals replications to the page's pool. */
	async forecastSearch(
		input: ForecastPlanInput,
		replications: number,
		simulate: (s: Scenario, seed: number, reps: number) => Promise<PackedRuns[]>,
		onRound: (round: number, maxRounds: number) => void
	) {
		searchCanceled = false;
		const result = await searchStaffing(input.day, input.intervalSec, input.queues, input.target, {
			...(input.groups ? { groups: input.groups } : {}),
			replications,
			simulate: async (s, seed, n) => (await simulate(s, seed, n)).flatMap(unpackRuns),
			onProgress: onRound,
			canceled: () => searchCanceled
		});
		return { result, baseline: searchedBaseline(input, result) };
	},
	cancelSearch() {
		searchCanceled = true;
	}
};
/** Its type, for `wrap<PlanWorker>`. */
export type PlanWorker = typeof planWorker;

expose(planWorker);
