import { CHANNELS, type Channel } from '../src/lib/domain/channels';
import type { Kpis } from '../src/lib/domain/kpi';
import { runEngine } from './engine';
import { compile, type Model } from './model';
import { collectResult, scopeKpis, type RunResult, type ScopeCounts } from './results';
import type { Scenario } from './scenario';
import { estimate } from './stats';

/**
 * Replications and their summary: R independent runs reported as mean and 95 % Student-t
 * interval per KPI, and the paired comparison of two scenarios run on common random numbers
 * (replication r of both uses the same streams), whose difference has its own interval.
 */

/** The KPIs reported per scope, in output order. */
export const SUMMARY_KPIS = [
	'offered',
	'answered',
	'abandoned',
	'shortAbandoned',
	'serviceLevel',
	'asa',
	'aht',
	'abandonRate',
	'occupancy',
	'slotUtilisation',
	'longestWait'
] as const;

/** A reported KPI. */
export type SummaryKpi = (typeof SUMMARY_KPIS)[number];

/** Means over replications (null where a KPI had no denominator in any run) and their 95 % intervals. */
export type KpiSummary = { readonly [K in SummaryKpi]: number | null } & {
	readonly ci95: { readonly [K in SummaryKpi]: readonly [number, number] | null };
};

/** One interval of the summary (contacts attributed to the interval they were offered in). */
export interface IntervalSummary {
	readonly index: number;
	/** Seconds from the start of the run. */
	readonly start: number;
	readonly total: KpiSummary;
	readonly queues: Readonly<Record<string, KpiSummary>>;
	readonly channels: Readonly<Partial<Record<Channel, KpiSummary>>>;
}

/** What a set of replications says about a scenario. */
export interface Summary {
	readonly name: string;
	readonly replications: number;
	/** Contacts simulated over all replications. */
	readonly contacts: number;
	readonly events: number;
	readonly total: KpiSummary;
	readonly queues: Readonly<Record<string, KpiSummary>>;
	readonly channels: Readonly<Partial<Record<Channel, KpiSummary>>>;
	readonly intervals: readonly IntervalSummary[];
}

/** Paired difference (alternative − base) per scope, over replications run on common random numbers. */
export interface Comparison {
	readonly total: KpiSummary;
	readonly queues: Readonly<Record<string, KpiSummary>>;
	readonly channels: Readonly<Partial<Record<Channel, KpiSummary>>>;
}

/** KPIs that are fractions: their intervals are clipped to [0, 1] (the others to ≥ 0). */
const FRACTIONS: ReadonlySet<SummaryKpi> = new Set(['serviceLevel', 'abandonRate', 'occupancy', 'slotUtilisation']);

/**
 * Summarises one KPI record per replication. With `bounded` (levels, not differences) an interval
 * is clipped to the KPI's range: with few replications a symmetric t interval can reach past it,
 * and a planner should never read a negative service level.
 */
export function summariseKpis(runs: readonly Kpis[], bounded = true): KpiSummary {
	const out: Record<string, number | null> = {};
	const ci: Record<string, readonly [number, number] | null> = {};
	for (const k of SUMMARY_KPIS) {
		const e = estimate(runs.map((r) => r[k]));
		out[k] = e ? e.mean : null;
		const c = e ? e.ci95 : null;
		ci[k] = c && bounded ? Object.freeze([Math.max(0, c[0]), FRACTIONS.has(k) ? Math.min(1, c[1]) : c[1]] as const) : c;
	}
	return Object.freeze({ ...out, ci95: Object.freeze(ci) }) as KpiSummary;
}

function diffKpis(a: Kpis, b: Kpis): Kpis {
	const d: Record<string, number | null> = {};
	for (const k of SUMMARY_KPIS) {
		const x = a[k];
		const y = b[k];
		d[k] = x === null || y === null ? null : y - x;
	}
	return d as unknown as Kpis;
}

function perScope<T>(
	results: readonly RunResult[],
	f: (scopes: ScopeCounts[]) => T
): { total: T; queues: Record<string, T>; channels: Partial<Record<Channel, T>> } {
	const first = results[0]!;
	const queues: Record<string, T> = {};
	for (const id of Object.keys(first.queues)) queues[id] = f(results.map((r) => r.queues[id]!));
	const channels: Partial<Record<Channel, T>> = {};
	for (const ch of CHANNELS) if (first.channels[ch]) channels[ch] = f(results.map((r) => r.channels[ch]!));
	return { total: f(results.map((r) => r.total)), queues, channels };
}

/** Mean and 95 % interval of every KPI over replications, whole run and per interval. */
export function summarise(results: readonly RunResult[]): Summary {
	if (results.length === 0) throw new RangeError('no replications to summarise');
	const first = results[0]!;
	const whole = perScope(results, (s) => summariseKpis(s.map((x) => scopeKpis(x))));
	const intervals: IntervalSummary[] = [];
	for (let i = 0; i < first.intervals; i++) {
		const p = perScope(results, (s) => summariseKpis(s.map((x) => scopeKpis(x, i, i + 1))));
		intervals.push(Object.freeze({ index: i, start: i * first.interval, ...p }));
	}
	return Object.freeze({
		name: first.name,
		replications: results.length,
		contacts: results.reduce((n, r) => n + r.contacts, 0),
		events: results.reduce((n, r) => n + r.events, 0),
		...whole,
		intervals: Object.freeze(intervals)
	});
}

/**
 * Paired comparison: the difference alternative − base per replication (same seed and
 * replication index, hence common random numbers), then its mean and interval. Scopes present
 * in only one scenario are left out.
 */
export function compareResults(base: readonly RunResult[], alt: readonly RunResult[]): Comparison {
	if (base.length !== alt.length || base.length === 0) throw new RangeError('paired comparison needs the same number of replications');
	const pair = (a: ScopeCounts[], b: (ScopeCounts | undefined)[]) =>
		summariseKpis(a.flatMap((x, r) => (b[r] ? [diffKpis(scopeKpis(x), scopeKpis(b[r]!))] : [])), false);
	const queues: Record<string, KpiSummary> = {};
	for (const id of Object.keys(base[0]!.queues)) {
		if (alt[0]!.queues[id]) queues[id] = pair(base.map((r) => r.queues[id]!), alt.map((r) => r.queues[id]));
	}
	const channels: Partial<Record<Channel, KpiSummary>> = {};
	for (const ch of CHANNELS) {
		if (base[0]!.channels[ch] && alt[0]!.channels[ch]) {
			channels[ch] = pair(base.map((r) => r.channels[ch]!), alt.map((r) => r.channels[ch]));
		}
	}
	return Object.freeze({ total: pair(base.map((r) => r.total), alt.map((r) => r.total)), queues, channels });
}

/** Runs replication `rep` of a scenario (or compiled model) with base seed `seed`. */
export function runReplication(s: Scenario | Model, seed: number, rep: number): RunResult {
	const m = 'queueIds' in s ? s : compile(s);
	return collectResult(m, runEngine(m, { seed, rep }));
}

/** Runs replications `0..count-1` in this thread (tests, or when workers are not worth it). */
export function runReplications(s: Scenario, seed: number, count: number): RunResult[] {
	const m = compile(s);
	return Array.from({ length: count }, (_, rep) => runReplication(m, seed, rep));
}

/** The seed a run uses: the one given, else the scenario's, else 1. */
export function seedOf(s: Scenario, seed?: number): number {
	return seed ?? s.seed ?? 1;
}
