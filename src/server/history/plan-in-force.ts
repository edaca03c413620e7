import type { HistoryTraceResponse } from '../../lib/domain/history';
import type { LivePlanVersion } from '../plans/plan-store';

/**
 * The live plan in force on a stored day, laid onto its trace: the plan's reserve rules (per agent
 * group, which the emulated center's agents carry as their team) become the trace agents'
 * `reserve`, so a replay of the day holds the same agents back. Agent events carry no reserve and
 * the floor does not decide by it; the plan is the record of it.
 */

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
function isoWeekday(date: string): number {
	return new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
}

/**
 * The version in force on `date`: of the versions published before the day ended, the newest whose
 * effective date has come and whose weekdays include the day's (a plan published during the day
 * counts for the whole of it). Null when none.
 */
function planInForce(versions: readonly LivePlanVersion[], date: string, dayEnd: number): LivePlanVersion | null {
	const wd = isoWeekday(date);
	const due = versions.filter((v) => v.ts < dayEnd && v.plan.effective <= date && v.plan.weekdays.includes(wd));
	return due.reduce<LivePlanVersion | null>((best, v) => (best === null || v.version > best.version ? v : best), null);
}

/** The trace with the reserve rules of the plan in force that day (its agents by team), and the plan named. */
export function withPlanInForce(trace: HistoryTraceResponse, versions: readonly LivePlanVersion[]): HistoryTraceResponse {
	const v = planInForce(versions, trace.date, trace.dayEnd);
	if (!v) return trace;
	const reserve = new Map(v.plan.agents.flatMap((g) => (g.reserve && Object.keys(g.reserve).length ? [[g.group, g.reserve] as const] : [])));
	return {
		...trace,
		livePlan: { version: v.version, name: v.plan.name },
		agents: trace.agents.map((a) => {
			const r = reserve.get(a.team);
			return r ? { ...a, reserve: { ...r } } : a;
		})
	};
}
