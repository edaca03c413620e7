import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { Scenario } from '../../../sim/scenario';
import type { PlanWorker } from '../../../workers/plan.worker';
import type { DayView, PairKpis, ScopeSeries } from './analysis';
import type { PackedRuns } from './packed';
import type { ErlangInterval } from './erlang-helper';
import type { CalibrationView } from './calibration';
import type { Actual } from '../../../sim/replay/actual';
import type { DayStaffing } from '../forecast/staffing';
import type { ForecastPlanInput } from './forecast-day';
import type { Baseline } from './sources';

/**
 * A pool of planner Web Workers (comlink). A run deals replications out one at a time to
 * whichever worker is free, each replication running baseline and scenario on the same random
 * streams; each pair comes back as its KPI vector in a transferred buffer, the vectors go on to
 * the first worker, which keeps the analysis, and the page asks it for the day and one scope at a
 * time, so the page thread only passes buffers along, receives small messages and draws. Progress
 * comes over one long-lived channel per worker, set when the pool starts.
 */

/** What a run needs. */
export interface PoolRun {
	readonly base: Scenario;
	readonly alt: Scenario;
	readonly seed: number;
	readonly replications: number;
}

/** Least time between two progress reports to the page, ms. */
const PROGRESS_MS = 150;

/** Rejection reason of a canceled run. */
export const CANCELED = 'canceled';

/** Workers to start: one per core the browser reports, at least 2. */
export function poolSize(cores: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
	return Math.max(2, Math.min(16, cores ?? 2));
}

/** The pool; `dispose` terminates its workers. */
export class PlanPool {
	readonly #workers: Worker[];
	readonly #remotes: Remote<PlanWorker>[];
	#generation = 0;
	/** Progress of the replication each worker runs, by replication index, for the job running now. */
	#onRep: (rep: number, done: number) => void = () => {};

	constructor(size = poolSize(), make: () => Worker = defaultWorker) {
		this.#workers = Array.from({ length: size }, make);
		this.#remotes = this.#workers.map((w) => wrap<PlanWorker>(w));
		const onRep = proxy((rep: number, done: number) => this.#onRep(rep, done));
		for (const r of this.#remotes) void r.listen(onRep);
	}

	/** Workers in the pool. */
	get size(): number {
		return this.#remotes.length;
	}

	/**
	 * Deals replications 0..R-1 one at a time to whichever worker is free; `one` runs a replication
	 * on a worker, which reports its progress 0..1 over its channel. Rejects with `canceled` when canceled.
	 */
	async #deal<T>(R: number, one: (remote: Remote<PlanWorker>, rep: number) => Promise<T>, onProgress: (done: number) => void): Promise<T[]> {
		const gen = ++this.#generation;
		const out: T[] = new Array(R);
		const partial = new Float64Array(R);
		let next = 0;
		let done = 0;
		// Progress reaches the page at most every PROGRESS_MS: each report re-renders the progress bar
		// and its text, and two workers send one per slice each (a profile of bench:plan showed the
		// text updates among the longest main-thread work of a run).
		let last = -Infinity;
		const report = () => {
			const now = performance.now();
			if (now - last < PROGRESS_MS) return;
			last = now;
			onProgress(Math.min(0.99, done / R + partial.reduce((a, b) => a + b, 0) / R));
		};
		this.#onRep = (rep, p) => {
			if (gen !== this.#generation || rep >= R) return;
			partial[rep] = p < 1 ? p : 0;
			report();
		};
		const worker = async (remote: Remote<PlanWorker>) => {
			while (next < R) {
				if (gen !== this.#generation) throw new Error(CANCELED);
				const rep = next++;
				out[rep] = await one(remote, rep);
				partial[rep] = 0;
				done++;
				report();
			}
		};
		await Promise.all(this.#remotes.map(worker));
		if (gen !== this.#generation) throw new Error(CANCELED);
		return out;
	}

	/** Runs baseline and scenario `replications` times each; `onProgress` gets 0..1. Returns the day-level view. */
	async run(job: PoolRun, onProgress: (done: number) => void = () => {}): Promise<DayView> {
		const pairs: PairKpis[] = (
			await this.#deal(job.replications, (remote, rep) => remote.compare({ kind: 'compare', base: job.base, alt: job.alt, seed: job.seed, reps: [rep] }), onProgress)
		).flat();
		const gen = this.#generation;
		// The pair vectors move on to the analysing worker (transferred, not copied).
		const view = await this.#remotes[0]!.analyse(transfer(pairs, pairs.map((p) => p.data.buffer)));
		if (gen !== this.#generation) throw new Error(CANCELED);
		onProgress(1);
		return view;
	}

	/** Replications 0..R-1 of one scenario, packed. */
	replications(scenario: Scenario, seed: number, R: number, onProgress: (done: number) => void = () => {}): Promise<PackedRuns[]> {
		return this.#deal(R, (remote, rep) => remote.replications({ kind: 'replications', scenario, seed, reps: [rep] }), onProgress);
	}

	/** A recorded day replayed `R` times with its own staffing, against what it recorded. */
	async calibrate(scenario: Scenario, actual: Actual, seed: number, R: number, onProgress: (done: number) => void = () => {}): Promise<CalibrationView> {
		const runs = await this.replications(scenario, seed, R, onProgress);
		const gen = this.#generation;
		const view = await this.#remotes[0]!.calibrate(transfer(runs, runs.map((p) => p.data.buffer)), actual);
		if (gen !== this.#generation) throw new Error(CANCELED);
		onProgress(1);
		return view;
	}

	/** One scope's intervals of the last run ("total", "q:<id>", "c:<channel>"). */
	series(key: string): Promise<ScopeSeries | null> {
		return this.#remotes[0]!.series(key);
	}

	/** Stops the running job: workers stop at their next slice and the run rejects with `canceled`. */
	cancel(): void {
		this.#generation++;
		for (const r of this.#remotes) void r.cancel();
	}

	/** Terminates the workers. */
	dispose(): void {
		this.#generation++;
		for (const w of this.#workers) w.terminate();
	}
}

function defaultWorker(): Worker {
	return new Worker(new URL('../../../workers/plan.worker.ts', import.meta.url), { type: 'module', name: 'sightline-plan' });
}

/** A single worker for the Erlang helper, apart from the run pool so neither waits on the other. */
export class ErlangWorker {
	readonly #worker: Worker;
	readonly #remote: Remote<PlanWorker>;

	constructor(make: () => Worker = defaultWorker) {
		this.#worker = make();
		this.#remote = wrap<PlanWorker>(this.#worker);
	}

	/** Erlang C and A per interval of `s`; `onRow` gets each interval as it is done. */
	needs(s: Scenario, onRow: (row: ErlangInterval) => void): Promise<ErlangInterval[]> {
		return this.#remote.erlangNeeds(s, undefined, proxy(onRow));
	}

	/** Terminates the worker. */
	dispose(): void {
		this.#worker.terminate();
	}
}

/**
 * The worker that plans a forecast day: Erlang staffing, then the simulation search, whose rounds
 * of replications it asks the page's pool for (so all cores simulate and the page thread only
 * passes transferred buffers along).
 */
export class ForecastWorker {
	readonly #worker: Worker;
	readonly #remote: Remote<PlanWorker>;

	constructor(make: () => Worker = defaultWorker) {
		this.#worker = make();
		this.#remote = wrap<PlanWorker>(this.#worker);
	}

	/** Erlang C and A per interval and group, and the scenario staffed by Erlang A. */
	erlang(input: ForecastPlanInput): Promise<{ staffing: DayStaffing; baseline: Baseline }> {
		return this.#remote.forecastErlang(input);
	}

	/** The simulation search, replications run in `pool`; `onRound` and `onReps` report progress. */
	search(
		input: ForecastPlanInput,
		replications: number,
		pool: PlanPool,
		onRound: (round: number, maxRounds: number) => void,
		onReps: (done: number) => void
	): Promise<{ result: DayStaffing; baseline: Baseline }> {
		const simulate = async (s: Scenario, seed: number, n: number) => {
			const runs = await pool.replications(s, seed, n, onReps);
			return transfer(runs, runs.map((p) => p.data.buffer));
		};
		return this.#remote.forecastSearch(input, replications, proxy(simulate), proxy(onRound));
	}

	/** Stops the search at its next round. */
	cancel(): void {
		void this.#remote.cancelSearch();
	}

	/** Terminates the worker. */
	dispose(): void {
		this.#worker.terminate();
	}
}
