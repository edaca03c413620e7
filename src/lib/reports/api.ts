import type { IssuedAccuracy } from '../forecast/accuracy';
import type { HistoryDayStatus, HistoryDaysResponse } from '../domain/history';
import { statusKey } from './status';
import type { Comparison } from './compare';
import type { AgentRow, DayReport } from './day';
import type { RangeReport } from './range';

/**
 * The /api/reports calls the page makes. A day the store has no history for is `null`, not an
 * error: the calendar shows it as "no data".
 */

/** A day's report as the API sends it: the formula and the met rule also in words. */
export type DayReportJson = DayReport & { readonly slFormulaLabel: string; readonly metRuleLabel: string };

/** A comparison as the API sends it. */
export type ComparisonJson = Comparison & { readonly day: DayReportJson; readonly other: DayReportJson };

/** An answer other than 2xx or 404, with the server's message. */
export class ReportApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

async function getJson<T>(path: string, token?: string, absent: readonly number[] = [404]): Promise<T | null> {
	const res = await fetch(path, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
	if (absent.includes(res.status)) return null;
	const text = await res.text();
	if (!res.ok) {
		let msg = text;
		try {
			msg = String((JSON.parse(text) as { error?: unknown }).error ?? text);
		} catch {
			// not JSON
		}
		throw new ReportApiError(res.status, `${res.status} ${msg}`.slice(0, 300));
	}
	return JSON.parse(text) as T;
}

/** `path` of `site`: the default site's URLs stay as they were before sites. */
function ofSite(path: string, site: string): string {
	return site === 'main' ? path : `${path}${path.includes('?') ? '&' : '?'}site=${encodeURIComponent(site)}`;
}

/** A day's report of `site`, or null without history. */
export function fetchDay(date: string, site = 'main'): Promise<DayReportJson | null> {
	return getJson(ofSite(`/api/reports/day/${date}`, site));
}

/** A range of days of `site`. */
export async function fetchRange(from: string, to: string, site = 'main'): Promise<RangeReport> {
	const r = await getJson<RangeReport>(ofSite(`/api/reports/range?from=${from}&to=${to}`, site));
	if (!r) throw new ReportApiError(404, `no range ${from}..${to}`);
	return r;
}

/** A comparison, or null when either day has no history. */
export function fetchComparison(day: string, other: string, site = 'main'): Promise<ComparisonJson | null> {
	return getJson(ofSite(`/api/reports/compare?day=${day}&with=${other}`, site));
}

/** Per-agent rows (supervisor token); null when the day's source recorded none. */
export async function fetchAgents(date: string, token: string, site = 'main'): Promise<readonly AgentRow[] | null> {
	return (await getJson<{ agents: AgentRow[] }>(ofSite(`/api/reports/day/${date}/agents`, site), token))?.agents ?? null;
}

/**
 * Whether each stored day of `site` is still running ('open'), may still change ('closing') or is
 * final, keyed by `statusKey(date, source)`: the report endpoints do not say, the history's day
 * list does, one entry per date and source (a date may be held by several sources).
 */
export async function fetchDayStatuses(site = 'main'): Promise<ReadonlyMap<string, HistoryDayStatus>> {
	const r = await getJson<HistoryDaysResponse>(ofSite('/api/history/days', site));
	return new Map((r?.days ?? []).map((d) => [statusKey(d.date, d.source), d.status]));
}

/** A site as the page offers it: its id, name and time zone. */
export interface ReportSite {
	readonly id: string;
	readonly name: string;
	readonly timeZone: string;
}

/** The center's sites (the default one first; to open on a site's yesterday in its time zone). */
export async function fetchSites(): Promise<readonly ReportSite[]> {
	const c = await getJson<{ timeZone?: string; sites?: ReportSite[] }>('/api/config');
	return c?.sites?.length ? c.sites : [{ id: 'main', name: 'Main site', timeZone: c?.timeZone ?? 'UTC' }];
}

/**
 * The forecast issued for a past day against what happened; null when none was issued (404) or
 * the day has not ended (409).
 */
export function fetchForecastAccuracy(date: string): Promise<IssuedAccuracy | null> {
	return getJson(`/api/forecast/accuracy?date=${date}`, undefined, [404, 409]);
}
