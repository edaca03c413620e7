import type { IssuedAccuracy } from '../forecast/accuracy';
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

/** A day's report, or null without history. */
export function fetchDay(date: string): Promise<DayReportJson | null> {
	return getJson(`/api/reports/day/${date}`);
}

/** A range of days. */
export async function fetchRange(from: string, to: string): Promise<RangeReport> {
	const r = await getJson<RangeReport>(`/api/reports/range?from=${from}&to=${to}`);
	if (!r) throw new ReportApiError(404, `no range ${from}..${to}`);
	return r;
}

/** A comparison, or null when either day has no history. */
export function fetchComparison(day: string, other: string): Promise<ComparisonJson | null> {
	return getJson(`/api/reports/compare?day=${day}&with=${other}`);
}

/** Per-agent rows (supervisor token); null when the day's source recorded none. */
export async function fetchAgents(date: string, token: string): Promise<readonly AgentRow[] | null> {
	return (await getJson<{ agents: AgentRow[] }>(`/api/reports/day/${date}/agents`, token))?.agents ?? null;
}

/** The center's time zone (to open on its yesterday). */
export async function fetchTimeZone(): Promise<string> {
	const c = await getJson<{ timeZone?: string }>('/api/config');
	return c?.timeZone ?? 'UTC';
}

/**
 * The forecast issued for a past day against what happened; null when none was issued (404) or
 * the day has not ended (409).
 */
export function fetchForecastAccuracy(date: string): Promise<IssuedAccuracy | null> {
	return getJson(`/api/forecast/accuracy?date=${date}`, undefined, [404, 409]);
}
