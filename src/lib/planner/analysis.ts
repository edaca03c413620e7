import type { Channel } from '../domain/channels';
import { CHANNELS } from '../domain/channels';
import type { Kpis } from '../domain/kpi';
import { SUMMARY_KPIS, summariseKpis, type Comparison, type KpiSummary } from '../../../sim/replicate';
import { scopeKpis, type RunResult, type ScopeCounts } from '../../../sim/results';
import { estimate, type Estimate } from '../../../sim/stats';

/**
 * What the page shows after a run, computed off the page thread in two steps. Each worker turns
 * the replication pair it just ran (baseline and scenario on the same random numbers) into one
 * Float64Array of KPIs per scope and interval: baseline, scenario, their difference and the mean
 * number waiting (`pairKpis`, transferred, not copied). The analysing worker keeps those vectors
 * in replication order and answers the day view and one scope's intervals from them, so the end of
 * a run is a pass over small vectors rather than a re-analysis of whole results: in a Chromium
 * trace of bench:plan, analysing 20 pairs of the bundled day after the last one finished took the
 * first worker 440 ms of CPU (960 ms wall; a Node profile puts half of it in Student-t quantiles
 * for 14 000 intervals, the rest in KPIs recomputed per scope and interval); now the KPIs are per-
 * pair work spread over the pool while it simulates, and intervals are summarised per scope asked.
 */

/** A figure per scope (total, queue, channel). */
export interface Scoped<T> {
	readonly total: T;
	readonly queues: Readonly<Record<string, T>>;
	readonly channels: Readonly<Partial<Record<Channel, T>>>;
}

/** Where the numbers of a pair vector are: scope keys ("total", "q:<id>", "c:<channel>") and intervals. */
export interface PairLayout {
	readonly scopes: readonly string[];
	readonly intervals: number;
	/** Interval length, s. */
	readonly interval: number;
}

/** One replication pair's KPIs (see `pairKpis`). */
export interface PairKpis {
	readonly layout: PairLayout;
	readonly data: Float64Array;
}

const K = SUMMARY_KPIS.length;
/** Per scope and slot (each interval, then the whole day): K baseline, K scenario, K difference, waiting baseline, waiting scenario. */
const CELL = 3 * K + 2;
const BASE = 0;
const ALT = K;
const DIFF = 2 * K;
const WAIT_BASE = 3 * K;
const WAIT_ALT = 3 * K + 1;

function scopesOf(r: RunResult): [string, ScopeCounts][] {
	return [
		['total', r.total],
		...Object.entries(r.queues).map(([k, v]) => [`q:${k}`, v] as [string, ScopeCounts]),
		...CHANNELS.flatMap((c) => (r.channels[c] ? [[`c:${c}`, r.channels[c]!] as [string, ScopeCounts]] : []))
	];
}

/** A KPI as a number, NaN for "no denominator" (`estimate` skips both alike). */
const num = (v: number | null): number => (v === null ? NaN : v);

/**
 * The KPIs of replication r of the baseline and of the scenario, per scope and interval and for
 * the day, with the paired difference (scenario − baseline) and the mean number waiting per
 * interval (Little's law over the waits of the contacts answered from it: Σ wait / interval
 * length; abandoners' waits are not in the counts, so it is a lower bound when many abandon).
 */
export function pairKpis(base: RunResult, alt: RunResult): PairKpis {
	const scopes = scopesOf(base);
	const altScopes = new Map(scopesOf(alt));
	if (altScopes.size !== scopes.length || scopes.some(([k]) => !altScopes.has(k)) || base.intervals !== alt.intervals) {
		throw new RangeError('baseline and scenario must have the same queues, channels and intervals');
	}
	const I = base.intervals;
	const data = new Float64Array(scopes.length * (I + 1) * CELL);
	scopes.forEach(([key, b], s) => {
		const a = altScopes.get(key)!;
		for (let t = 0; t <= I; t++) {
			const day = t === I;
			const kb = day ? scopeKpis(b) : scopeKpis(b, t, t + 1);
			const ka = day ? scopeKpis(a) : scopeKpis(a, t, t + 1);
			const o = (s * (I + 1) + t) * CELL;
			for (let k = 0; k < K; k++) {
				const x = num(kb[SUMMARY_KPIS[k]!]);
				const y = num(ka[SUMMARY_KPIS[k]!]);
				data[o + BASE + k] = x;
				data[o + ALT + k] = y;
				data[o + DIFF + k] = y - x;
			}
			data[o + WAIT_BASE] = day ? NaN : b.intervals[t]!.answeredWaitSum / base.interval;
			data[o + WAIT_ALT] = day ? NaN : a.intervals[t]!.answeredWaitSum / alt.interval;
		}
	});
	return { layout: { scopes: scopes.map(([k]) => k), intervals: I, interval: base.interval }, data };
}

/** The analysed run of a baseline and a scenario on common random numbers: the pair vectors in replication order. */
export interface PlanAnalysis {
	readonly replications: number;
	readonly layout: PairLayout;
	readonly pairs: readonly Float64Array[];
}

/** Keeps the pairs of a run, in replication order. */
export function analysePairs(pairs: readonly PairKpis[]): PlanAnalysis {
	const first = pairs[0];
	if (!first) throw new RangeError('no replications to analyse');
	return { replications: pairs.length, layout: first.layout, pairs: pairs.map((p) => p.data) };
}

/** The day-level part of an analysis: what the summary table shows. */
export interface DayView {
	readonly replications: number;
	readonly base: Scoped<KpiSummary>;
	readonly alt: Scoped<KpiSummary>;
	readonly diff: Comparison;
}

/** One scope per interval: what the charts show. */
export interface ScopeSeries {
	readonly base: readonly (KpiSummary | null)[];
	readonly alt: readonly (KpiSummary | null)[];
	readonly diff: readonly (KpiSummary | null)[];
	readonly waitingBase: readonly (Estimate | null)[];
	readonly waitingAlt: readonly (Estimate | null)[];
}

/** Mean and interval per KPI over replications of one block (BASE, ALT or DIFF) of one cell; levels are clipped to their range, differences not. */
function summaryAt(a: PlanAnalysis, cell: number, block: number): KpiSummary {
	const runs = a.pairs.map((p) => {
		const r: Record<string, number> = {};
		for (let k = 0; k < K; k++) r[SUMMARY_KPIS[k]!] = p[cell + block + k]!;
		return r as unknown as Kpis;
	});
	return summariseKpis(runs, block !== DIFF);
}

const cellOf = (a: PlanAnalysis, s: number, t: number) => (s * (a.layout.intervals + 1) + t) * CELL;

function scoped<T>(a: PlanAnalysis, f: (s: number) => T): Scoped<T> {
	const queues: Record<string, T> = {};
	const channels: Partial<Record<Channel, T>> = {};
	let total: T | null = null;
	a.layout.scopes.forEach((key, s) => {
		if (key === 'total') total = f(s);
		else if (key.startsWith('q:')) queues[key.slice(2)] = f(s);
		else channels[key.slice(2) as Channel] = f(s);
	});
	return { total: total!, queues, channels };
}

/** The day-level view (small: it crosses to the page). */
export function dayView(a: PlanAnalysis): DayView {
	const day = (block: number) => scoped(a, (s) => summaryAt(a, cellOf(a, s, a.layout.intervals), block));
	return { replications: a.replications, base: day(BASE), alt: day(ALT), diff: day(DIFF) };
}

/** One scope's intervals, by key "total", "q:<queue>", "c:<channel>"; null for an unknown scope (small: it crosses to the page). */
export function scopeSeries(a: PlanAnalysis, key: string): ScopeSeries | null {
	const s = a.layout.scopes.indexOf(key);
	if (s < 0) return null;
	const per = <T>(f: (cell: number) => T): T[] => Array.from({ length: a.layout.intervals }, (_, t) => f(cellOf(a, s, t)));
	const waiting = (at: number) => per((cell) => estimate(a.pairs.map((p) => p[cell + at]!)));
	return {
		base: per((cell) => summaryAt(a, cell, BASE)),
		alt: per((cell) => summaryAt(a, cell, ALT)),
		diff: per((cell) => summaryAt(a, cell, DIFF)),
		waitingBase: waiting(WAIT_BASE),
		waitingAlt: waiting(WAIT_ALT)
	};
}
