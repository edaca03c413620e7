import type { Kpis } from '../domain/kpi';
import type { DayReport, GroupRow } from './day';

/**
 * A day held against another: signed differences (day − other) of every KPI, for the headline,
 * each interval (aligned by time of day) and each queue, channel and channel group. Pure.
 */

/** KPIs that are compared. */
export const COMPARED_KPIS = [
	'offered',
	'answered',
	'abandoned',
	'shortAbandoned',
	'serviceLevel',
	'abandonRate',
	'asa',
	'aht',
	'occupancy',
	'longestWait',
	'csat'
] as const satisfies readonly (keyof Kpis)[];
/** A compared KPI. */
export type ComparedKpi = (typeof COMPARED_KPIS)[number];

/** A KPI on both days and their difference; null where either side has no value. */
export interface Difference {
	readonly value: number | null;
	readonly other: number | null;
	readonly diff: number | null;
}

/** Differences of every compared KPI. */
export type Differences = Readonly<Record<ComparedKpi, Difference>>;

/** One row (interval, queue or channel) compared. */
export interface ComparedRow {
	readonly key: string;
	readonly diffs: Differences;
}

/** A comparison of two days. */
export interface Comparison {
	readonly day: DayReport;
	readonly other: DayReport;
	readonly headline: Differences;
	/** Interval i of the day against interval i of the other day (same time of day). */
	readonly intervals: readonly (ComparedRow & { readonly start: number; readonly otherStart: number | null })[];
	readonly queues: readonly ComparedRow[];
	readonly channels: readonly ComparedRow[];
	/** Per channel group (voice, messaging, email), keyed by group. */
	readonly groups: readonly ComparedRow[];
}

/** Differences of two KPI records. A missing side (a queue only one day had) has no values. */
export function differences(a: Kpis | null, b: Kpis | null): Differences {
	const out = {} as Record<ComparedKpi, Difference>;
	for (const k of COMPARED_KPIS) {
		const value = a ? a[k] : null;
		const other = b ? b[k] : null;
		out[k] = { value, other, diff: value !== null && other !== null ? value - other : null };
	}
	return out;
}

function compareGroups(a: readonly GroupRow[], b: readonly GroupRow[]): ComparedRow[] {
	const bByKey = new Map(b.map((r) => [r.key, r]));
	const keys = [...new Set([...a.map((r) => r.key), ...b.map((r) => r.key)])].sort();
	const aByKey = new Map(a.map((r) => [r.key, r]));
	return keys.map((key) => ({ key, diffs: differences(aByKey.get(key)?.kpis ?? null, bByKey.get(key)?.kpis ?? null) }));
}

/** Compares `day` with `other`. */
export function compareDays(day: DayReport, other: DayReport): Comparison {
	return {
		day,
		other,
		headline: differences(day.total, other.total),
		intervals: day.intervals.map((r, i) => {
			const o = other.intervals[i];
			return { key: String(i), start: r.start, otherStart: o?.start ?? null, diffs: differences(r.kpis, o?.kpis ?? null) };
		}),
		queues: compareGroups(day.queues, other.queues),
		channels: compareGroups(day.channels, other.channels),
		groups: compareGroups(day.groups, other.groups)
	};
}
