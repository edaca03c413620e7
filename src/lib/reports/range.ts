import { computeKpis, sumCounts, type KpiCounts, type Kpis } from '../domain/kpi';
import { isToCome } from './dates';
import type { DayReport, MetVerdict } from './day';

/**
 * A week or a month of daily figures: one row per day (the day's own report, judged by its own
 * targets) and the whole range's figures from the summed counts (never an average of rates). Pure.
 */

/** One day of a range. */
export interface RangeDay {
	readonly date: string;
	/** 0 Sunday .. 6 Saturday. */
	readonly weekday: number;
	readonly source: string;
	readonly traffic: boolean;
	readonly met: MetVerdict;
	readonly kpis: Kpis;
	readonly recorded: DayReport['recorded'];
}

/** A range report. */
export interface RangeReport {
	readonly from: string;
	readonly to: string;
	readonly days: readonly RangeDay[];
	/** Dates in the range with no stored history (days still to come included: see `rangeGaps`). */
	readonly missing: readonly string[];
	readonly total: Kpis;
	readonly totalCounts: KpiCounts;
	/** Days judged met and missed (days without traffic count in neither). */
	readonly metDays: number;
	readonly missedDays: number;
}

/** Every date from `from` to `to` inclusive (YYYY-MM-DD, calendar arithmetic in UTC). */
export function datesBetween(from: string, to: string): string[] {
	const out: string[] = [];
	const end = Date.parse(`${to}T00:00:00Z`);
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
	return out;
}

/** Weekday (0 Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
	return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Builds the range report from the days' reports (any order; dates outside are ignored). */
export function buildRange(from: string, to: string, reports: readonly DayReport[]): RangeReport {
	const byDate = new Map(reports.map((r) => [r.date, r]));
	const dates = datesBetween(from, to);
	const days: RangeDay[] = [];
	const missing: string[] = [];
	for (const date of dates) {
		const r = byDate.get(date);
		if (!r) {
			missing.push(date);
			continue;
		}
		days.push({ date, weekday: weekdayOf(date), source: r.source, traffic: r.traffic, met: r.met, kpis: r.total, recorded: r.recorded });
	}
	const included = days.map((d) => byDate.get(d.date)).filter((r): r is DayReport => r !== undefined);
	const totalCounts = sumCounts(included.map((r) => r.totalCounts));
	let total = computeKpis(totalCounts, included[0]?.slFormula ?? 'abandons-count-against');
	// The range's occupancy is only meaningful when every day in it recorded agent time.
	if (!included.every((r) => r.recorded.agentTime)) total = { ...total, occupancy: null, slotUtilisation: null };
	return {
		from,
		to,
		days,
		missing,
		total,
		totalCounts,
		metDays: days.filter((d) => d.met.met === true).length,
		missedDays: days.filter((d) => d.met.met === false).length
	};
}

/** The dates of a range with no stored history, told apart at the center's today. */
export interface RangeGaps {
	/** Today or earlier: days that happened and have no history. */
	readonly withoutData: readonly string[];
	/** After today: days that have not happened yet, so no history is expected. */
	readonly toCome: readonly string[];
}

/**
 * Splits a range's `missing` dates at `today` (YYYY-MM-DD in the center's time zone, '' when
 * unknown: then every one is without data, as before). A day after today with history (clock
 * skew, ingested future events) is in `days`, not here, and reads as its data says.
 */
export function rangeGaps(missing: readonly string[], today: string): RangeGaps {
	return { withoutData: missing.filter((d) => !isToCome(d, today)), toCome: missing.filter((d) => isToCome(d, today)) };
}
