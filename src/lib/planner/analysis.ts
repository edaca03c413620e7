import type { Channel } from '../domain/channels';
import { CHANNELS } from '../domain/channels';
import { compareResults, summarise, summariseKpis, type Comparison, type KpiSummary, type Summary } from '../../../sim/replicate';
import { scopeKpis, type RunResult, type ScopeCounts } from '../../../sim/results';
import { estimate, type Estimate } from '../../../sim/stats';

/**
 * What the page shows after a run, computed where the replications ran (a worker), so the main
 * thread only draws: both summaries, the paired difference for the day and per interval, and the
 * mean number waiting per interval.
 */

/** A figure per scope (total, queue, channel). */
export interface Scoped<T> {
	readonly total: T;
	readonly queues: Readonly<Record<string, T>>;
	readonly channels: Readonly<Partial<Record<Channel, T>>>;
}

/** The analysed run of a baseline and a scenario on common random numbers. */
export interface PlanAnalysis {
	readonly replications: number;
	readonly base: Summary;
	readonly alt: Summary;
	/** Scenario − baseline for the day, paired by replication. */
	readonly diff: Comparison;
	/** Scenario − baseline per interval, paired by replication. */
	readonly intervalDiff: readonly Scoped<KpiSummary>[];
	/**
	 * Mean contacts waiting per interval (Little's law over the waits of the contacts answered
	 * from it: Σ wait / interval length; abandoners' waits are not in the counts, so it is a
	 * lower bound when many abandon).
	 */
	readonly waiting: { readonly base: readonly Scoped<Estimate | null>[]; readonly alt: readonly Scoped<Estimate | null>[] };
}

function scoped<T>(first: RunResult, f: (pick: (r: RunResult) => ScopeCounts | undefined) => T): Scoped<T> {
	const queues: Record<string, T> = {};
	for (const id of Object.keys(first.queues)) queues[id] = f((r) => r.queues[id]);
	const channels: Partial<Record<Channel, T>> = {};
	for (const ch of CHANNELS) if (first.channels[ch]) channels[ch] = f((r) => r.channels[ch]);
	return { total: f((r) => r.total), queues, channels };
}

function waitingPerInterval(runs: readonly RunResult[]): Scoped<Estimate | null>[] {
	const first = runs[0]!;
	return Array.from({ length: first.intervals }, (_, i) =>
		scoped(first, (pick) => estimate(runs.map((r) => {
			const c = pick(r)?.intervals[i];
			return c ? c.answeredWaitSum / r.interval : null;
		})))
	);
}

/** Summaries and paired differences of replications run on common random numbers. */
export function analyse(base: readonly RunResult[], alt: readonly RunResult[]): PlanAnalysis {
	if (base.length === 0 || base.length !== alt.length) throw new RangeError('analyse needs the same number of baseline and scenario replications');
	const first = base[0]!;
	const intervals = Math.min(first.intervals, alt[0]!.intervals);
	const intervalDiff = Array.from({ length: intervals }, (_, i) =>
		scoped(first, (pick) => {
			const d = base.flatMap((b, r) => {
				const x = pick(b);
				const y = pick(alt[r]!);
				if (!x || !y) return [];
				const kx = scopeKpis(x, i, i + 1);
				const ky = scopeKpis(y, i, i + 1);
				return [Object.fromEntries(Object.keys(kx).map((k) => {
					const a = kx[k as keyof typeof kx];
					const b2 = ky[k as keyof typeof ky];
					return [k, a === null || b2 === null ? null : b2 - a];
				}))];
			});
			return summariseKpis(d as never, false);
		})
	);
	return {
		replications: base.length,
		base: summarise(base),
		alt: summarise(alt),
		diff: compareResults(base, alt),
		intervalDiff,
		waiting: { base: waitingPerInterval(base), alt: waitingPerInterval(alt) }
	};
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

/** Picks a scope by key: "total", "q:<queue>", "c:<channel>". */
export function pickScope<T>(s: Scoped<T>, key: string): T | null {
	if (key === 'total') return s.total;
	if (key.startsWith('q:')) return s.queues[key.slice(2)] ?? null;
	if (key.startsWith('c:')) return s.channels[key.slice(2) as Channel] ?? null;
	return null;
}

/** The day-level view (small: it crosses to the page). */
export function dayView(a: PlanAnalysis): DayView {
	const day = (s: Summary): Scoped<KpiSummary> => ({ total: s.total, queues: s.queues, channels: s.channels });
	return { replications: a.replications, base: day(a.base), alt: day(a.alt), diff: a.diff };
}

/** One scope's intervals (small: it crosses to the page). */
export function scopeSeries(a: PlanAnalysis, key: string): ScopeSeries {
	return {
		base: a.base.intervals.map((i) => pickScope(i, key)),
		alt: a.alt.intervals.map((i) => pickScope(i, key)),
		diff: a.intervalDiff.map((i) => pickScope(i, key)),
		waitingBase: a.waiting.base.map((i) => pickScope(i, key)),
		waitingAlt: a.waiting.alt.map((i) => pickScope(i, key))
	};
}
