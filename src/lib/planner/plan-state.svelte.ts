import type { Scenario } from '../../../sim/scenario';
import { intervalOf } from '../../../sim/scenario';
import type { DayView, ScopeSeries } from './analysis';
import { applyChanges, type PlanChanges, type QueueChange } from './changes';
import { describeChanges, type DiffLine } from './diff';
import type { BaselineSource, PlanDoc } from './plan-doc';
import { CANCELED, PlanPool } from './pool';
import { agentHours, intervalsOf, staffingOf } from './staffing';
import type { CalibrationView } from './calibration';
import type { Baseline, RecordedBaseline } from './sources';

/**
 * The planner page's state: a baseline, the changes over it, and the last run. Changes are
 * replaced, never mutated, so every derived figure (the scenario, its diff, its cost) follows.
 */

/** Where a run stands. */
export type RunStatus = 'idle' | 'running' | 'done' | 'canceled' | 'failed';

/** Default cost of an agent-hour, until the planner sets one per group. */
export const DEFAULT_COST = 30;

export class PlanState {
	baseline = $state.raw<Scenario | null>(null);
	source = $state.raw<BaselineSource>({ kind: 'bundled', id: 'multichannel-day' });
	/** What the baseline is, in words ("bundled multi-channel day", "2026-11-30 (emulator)"). */
	sourceLabel = $state('');
	name = $state('What-if');
	dayStart = $state(8 * 3600);
	changes = $state.raw<PlanChanges>({});
	costs = $state.raw<Record<string, number>>({});
	replications = $state(20);
	seed = $state(1);

	status = $state<RunStatus>('idle');
	progress = $state(0);
	error = $state('');
	analysis = $state.raw<DayView | null>(null);
	/** Per-interval series of the last run by scope key, fetched from the analysing worker on demand. */
	series = $state.raw<Readonly<Record<string, ScopeSeries>>>({});
	/** Wall time of the last finished run, ms. */
	elapsedMs = $state(0);
	/** The changes the shown results were run with (the page says when they are stale). */
	ranWith = $state.raw<PlanChanges | null>(null);

	readonly scenario = $derived(this.baseline ? applyChanges(this.baseline, this.changes) : null);
	readonly diff: DiffLine[] = $derived(this.baseline ? describeChanges(this.baseline, this.changes, this.dayStart) : []);
	readonly intervals = $derived(this.baseline ? intervalsOf(this.baseline) : 0);
	readonly intervalSeconds = $derived(this.baseline ? intervalOf(this.baseline) : 900);
	readonly groups = $derived(this.baseline ? this.baseline.agents.map((g) => g.group) : []);
	readonly stale = $derived(this.analysis !== null && this.ranWith !== this.changes);

	/** For a recorded day: what it recorded and how its staffing was found (null otherwise). */
	recorded = $state.raw<RecordedBaseline | null>(null);
	/** The recorded day replayed with its own staffing against its record. */
	calibration = $state.raw<CalibrationView | null>(null);
	calibrationStatus = $state<RunStatus>('idle');
	calibrationProgress = $state(0);

	#pool: PlanPool | null = null;

	/** Starts over from a baseline (drops changes and results); a recorded day gets its calibration run. */
	load(s: Scenario, source: BaselineSource, label: string, dayStart: number, recorded: RecordedBaseline | null = null): void {
		this.cancel();
		if (this.calibrationStatus === 'running') this.#pool?.cancel();
		this.recorded = recorded;
		this.calibration = null;
		this.calibrationStatus = 'idle';
		this.calibrationProgress = 0;
		this.baseline = s;
		this.source = source;
		this.sourceLabel = label;
		this.dayStart = dayStart;
		this.changes = {};
		this.costs = Object.fromEntries(s.agents.map((g) => [g.group, DEFAULT_COST]));
		this.seed = s.seed ?? 1;
		this.analysis = null;
		this.series = {};
		this.ranWith = null;
		this.status = 'idle';
		this.error = '';
	}

	/** Starts over from a loaded baseline; a recorded day's calibration starts at once. */
	use(b: Baseline): void {
		this.load(b.scenario, b.source, b.label, b.dayStart, b.recorded ?? null);
		if (b.recorded) void this.calibrate();
	}

	/** Lays a saved or shared plan over the loaded baseline. */
	adopt(doc: PlanDoc): void {
		this.name = doc.name;
		this.changes = doc.changes;
		this.costs = { ...this.costs, ...doc.costs };
		this.replications = doc.replications;
		this.seed = doc.seed;
		this.dayStart = doc.dayStart;
	}

	/** The plan as a document (to save, share or apply). */
	doc(): PlanDoc {
		return {
			version: 1,
			name: this.name.trim() || 'What-if',
			source: this.source,
			changes: this.changes,
			costs: this.costs,
			replications: this.replications,
			seed: this.seed,
			dayStart: this.dayStart
		};
	}

	/** Baseline heads per interval of a group. */
	baseHeads(group: string): number[] {
		const g = this.baseline?.agents.find((x) => x.group === group);
		return g && this.baseline ? staffingOf(this.baseline, g) : [];
	}

	/** Scheduled heads of a group in the scenario. */
	heads(group: string): number[] {
		return this.changes.staffing?.[group] ?? this.baseHeads(group);
	}

	/** Sets heads of `group` for intervals [from, to). */
	setHeads(group: string, from: number, to: number, value: number): void {
		const h = [...this.heads(group)];
		const v = Math.max(0, Math.min(10_000, Math.round(value)));
		for (let i = Math.max(0, from); i < Math.min(h.length, to); i++) h[i] = v;
		this.#setStaffing(group, h);
	}

	/**
	 * Adds `n` (may be negative) heads to `group` for intervals [from, to): a shift of n agents. A
	 * fractional curve (a replayed day's averaged staffing, 69.4) keeps its fraction: 79.4.
	 */
	addHeads(group: string, from: number, to: number, n: number): void {
		const h = this.heads(group).map((x, i) => (i >= from && i < to ? Math.max(0, Math.round((x + n) * 100) / 100) : x));
		this.#setStaffing(group, h);
	}

	#setStaffing(group: string, h: number[]): void {
		const base = this.baseHeads(group);
		const { [group]: _old, ...rest } = this.changes.staffing ?? {};
		const same = h.every((x, i) => x === base[i]);
		const staffing = same ? rest : { ...rest, [group]: h };
		this.#set({ staffing: Object.keys(staffing).length ? staffing : undefined });
	}

	/** Merges a change to one queue (undefined fields drop back to the baseline). */
	setQueue(id: string, patch: Partial<QueueChange>): void {
		const merged: Record<string, unknown> = { ...this.changes.queues?.[id], ...patch };
		for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
		const { [id]: _old, ...rest } = this.changes.queues ?? {};
		const queues = Object.keys(merged).length ? { ...rest, [id]: merged as QueueChange } : rest;
		this.#set({ queues: Object.keys(queues).length ? queues : undefined });
	}

	/** Sets (or clears, with undefined) one top-level lever. */
	setLever<K extends 'routing' | 'shrinkage' | 'concurrency' | 'skills'>(key: K, value: PlanChanges[K]): void {
		this.#set({ [key]: value } as Partial<PlanChanges>);
	}

	#set(patch: Partial<PlanChanges>): void {
		const next: Record<string, unknown> = { ...this.changes, ...patch };
		for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
		this.changes = next as PlanChanges;
	}

	/** Drops every change. */
	reset(): void {
		this.changes = {};
	}

	/** Scheduled agent-hours and cost of the baseline (`scenario` false) or the scenario. */
	cost(scenario: boolean): { hours: number; cost: number } {
		let hours = 0;
		let cost = 0;
		for (const g of this.groups) {
			const h = agentHours(scenario ? this.heads(g) : this.baseHeads(g), this.intervalSeconds);
			hours += h;
			cost += h * (this.costs[g] ?? DEFAULT_COST);
		}
		return { hours, cost };
	}

	/** Runs baseline and scenario in the worker pool. */
	async run(): Promise<void> {
		const base = this.baseline;
		const alt = this.scenario;
		if (!base || !alt || this.status === 'running' || this.calibrationStatus === 'running') return;
		this.#pool ??= new PlanPool();
		this.status = 'running';
		this.progress = 0;
		this.error = '';
		const changes = this.changes;
		const t0 = performance.now();
		try {
			const a = await this.#pool.run({ base, alt, seed: this.seed, replications: this.replications }, (p) => (this.progress = p));
			const total = await this.#pool.series('total');
			this.series = total ? { total } : {};
			this.analysis = a;
			this.ranWith = changes;
			this.elapsedMs = performance.now() - t0;
			this.status = 'done';
		} catch (e) {
			const msg = (e as Error)?.message ?? String(e);
			if (msg.includes(CANCELED)) this.status = 'canceled';
			else {
				this.status = 'failed';
				this.error = msg.slice(0, 500);
			}
		}
	}

	/** Replays the recorded baseline with its own staffing against its record (the calibration). */
	async calibrate(replications = 10): Promise<void> {
		const base = this.baseline;
		const rec = this.recorded;
		if (!base || !rec || this.status === 'running' || this.calibrationStatus === 'running') return;
		this.calibrationStatus = 'running';
		this.calibrationProgress = 0;
		try {
			const view = await this.pool().calibrate(base, rec.actual, this.seed, replications, (p) => (this.calibrationProgress = p));
			// A baseline loaded meanwhile has its own calibration.
			if (this.baseline !== base) return;
			this.calibration = view;
			this.calibrationStatus = 'done';
		} catch (e) {
			if (this.baseline !== base) return;
			const msg = (e as Error)?.message ?? String(e);
			this.calibrationStatus = msg.includes(CANCELED) ? 'canceled' : 'failed';
			if (this.calibrationStatus === 'failed') this.error = msg.slice(0, 500);
		}
	}

	/** Fetches one scope's intervals of the last run (cached). */
	async loadSeries(key: string): Promise<void> {
		if (!this.analysis || this.series[key] || !this.#pool) return;
		const s = await this.#pool.series(key);
		if (s) this.series = { ...this.series, [key]: s };
	}

	/** Stops a running run. */
	cancel(): void {
		if (this.status === 'running') this.#pool?.cancel();
	}

	/** Stops the workers (page left). */
	dispose(): void {
		this.#pool?.dispose();
		this.#pool = null;
	}

	/** The pool (for the Erlang helper, which runs in a worker too). */
	pool(): PlanPool {
		this.#pool ??= new PlanPool();
		return this.#pool;
	}
}
