/**
 * Browser Web Worker of the planner: the simulation service (sim/service.ts) with each replication
 * pair reduced to its KPI vector here and results packed for transfer, the analysis of a run
 * (kept here; the page asks for the day and for one scope's intervals at a time), and the Erlang
 * helper (exact Erlang A is slow). The pool in src/lib/planner/pool.ts starts one per core and
 * gives each its one long-lived progress channel (`listen`), so the page thread only draws.
 */
import { expose, transfer } from 'comlink';
import { createSimService, type SimJob } from '../sim/service';
import { analysePairs, dayView, pairKpis, scopeSeries, type PairKpis, type PlanAnalysis } from '../src/lib/planner/analysis';
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
/** The pool's progress channel: (first replication of the job, fraction of the job done). */
let report: (rep: number, done: number) => void = () => {};
const progressOf = (job: { reps: readonly number[] }) => (done: number) => report(job.reps[0] ?? 0, done);

/** What a planner worker exposes. */
export const planWorker = {
	cancel: sim.cancel,
	/** Sets the progress channel, once per worker (a proxy per job cost a message channel per replication). */
	listen(onProgress: (rep: number, done: number) => void) {
		report = onProgress;
	},
	/** Baseline and scenario replications, each pair as its KPI vector (transferred, not copied). */
	async compare(job: Extract<SimJob, { kind: 'compare' }>) {
		const r = await sim.run(job, progressOf(job));
		if (r.kind !== 'compare') throw new Error('unexpected answer');
		const pairs = r.base.map((b, i) => pairKpis(b, r.alt[i]!));
		return transfer(pairs, pairs.map((p) => p.data.buffer));
	},
	/** Replications of one scenario, packed (transferred). */
	async replications(job: Extract<SimJob, { kind: 'replications' }>) {
		const r = await sim.run(job, progressOf(job));
		if (r.kind !== 'replications') throw new Error('unexpected answer');
		const runs = packRuns(r.runs);
		return transfer(runs, [runs.data.buffer]);
	},
	/** A recorded day's replay against its record (small: it crosses to the page). */
	calibrate(runs: PackedRuns[], actual: Actual) {
		return calibrationView(actual, summarise(runs.flatMap(unpackRuns)));
	},
	/** Keeps a run's pair vectors (in replication order); returns the day-level view. */
	analyse(pairs: PairKpis[]) {
		last = analysePairs(pairs);
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
