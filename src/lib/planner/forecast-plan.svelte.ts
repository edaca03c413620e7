import { api } from './api';
import { forecastPlanInput, type ForecastAnswer, type ForecastPlanInput } from './forecast-day';
import type { PlanState, RunStatus } from './plan-state.svelte';
import { CANCELED, ForecastWorker } from './pool';
import { bundledBaseline } from './sources';
import type { DayStaffing } from '../forecast/staffing';

/**
 * "Plan a future day": the forecast's days, the chosen one staffed by Erlang A (first answer,
 * loaded as the plan's baseline at once) and then by the simulation search in the worker pool,
 * whose staffing replaces the baseline, editable like any other.
 */
export class ForecastPlanner {
	answer = $state.raw<ForecastAnswer | null>(null);
	date = $state('');
	input = $state.raw<ForecastPlanInput | null>(null);
	/** Erlang's answer, or the search's once it ran. */
	staffing = $state.raw<DayStaffing | null>(null);
	status = $state<RunStatus | 'erlang'>('idle');
	round = $state(0);
	maxRounds = $state(0);
	/** Replications of the current round done, 0..1. */
	roundProgress = $state(0);
	/** Wall time of the last search, ms. */
	elapsedMs = $state(0);
	error = $state('');
	replications = $state(10);

	readonly #plan: PlanState;
	#worker: ForecastWorker | null = null;

	constructor(plan: PlanState) {
		this.#plan = plan;
	}

	/** Fetches the forecast of the next `days` days (`GET /api/forecast`). */
	async fetch(token: string | null, days = 7): Promise<void> {
		this.error = '';
		try {
			this.answer = await api<ForecastAnswer>('GET', `/api/forecast?days=${days}`, token);
			this.date = this.answer.days.find((d) => !d.closed)?.date ?? '';
		} catch (e) {
			this.error = `The forecast could not be loaded: ${(e as Error).message}`;
		}
	}

	/** Staffs the chosen day by Erlang A (in a worker) and loads it as the plan's baseline. */
	async open(): Promise<void> {
		if (!this.answer || !this.date || this.status === 'running' || this.status === 'erlang') return;
		this.error = '';
		try {
			// The center's own agent groups (skills, concurrency) when they serve every forecast queue.
			const input = forecastPlanInput(this.answer, this.date, bundledBaseline().scenario);
			this.status = 'erlang';
			this.#worker ??= new ForecastWorker();
			const { staffing, baseline } = await this.#worker.erlang(input);
			this.input = input;
			this.staffing = staffing;
			this.#plan.use(baseline);
			this.status = 'idle';
		} catch (e) {
			this.status = 'failed';
			this.error = (e as Error).message.slice(0, 400);
		}
	}

	/** The simulation search for the opened day; its staffing becomes the baseline. */
	async search(): Promise<void> {
		const input = this.input;
		if (!input || this.status === 'running' || this.status === 'erlang') return;
		this.status = 'running';
		this.round = 0;
		this.roundProgress = 0;
		this.error = '';
		const t0 = performance.now();
		try {
			this.#worker ??= new ForecastWorker();
			const { result, baseline } = await this.#worker.search(
				input,
				this.replications,
				this.#plan.pool(),
				(r, max) => {
					this.round = r;
					this.maxRounds = max;
					this.roundProgress = 0;
				},
				(p) => (this.roundProgress = p)
			);
			this.elapsedMs = performance.now() - t0;
			this.staffing = result;
			this.#plan.use(baseline);
			this.status = 'done';
		} catch (e) {
			const msg = (e as Error)?.message ?? String(e);
			this.status = msg.includes(CANCELED) ? 'canceled' : 'failed';
			if (this.status === 'failed') this.error = msg.slice(0, 400);
		}
	}

	/** Stops a running search. */
	cancel(): void {
		if (this.status !== 'running') return;
		this.#worker?.cancel();
		this.#plan.pool().cancel();
	}

	/** Stops the worker (page left). */
	dispose(): void {
		this.#worker?.dispose();
		this.#worker = null;
	}
}
