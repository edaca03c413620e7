import type { Scenario } from '../../../sim/scenario';
import type { PlanDoc } from './plan-doc';
import type { DiffLine } from './diff';
import type { HistoryDaySummary, HistoryDaysResponse, HistoryTraceResponse } from '../domain/history';

/**
 * The plan API as the browser uses it (see src/server/routes/plans.ts and tokens.ts). Errors
 * carry the server's message, capped, so a page can say what was refused and why.
 */

/** localStorage key of the planner's own token (a supervisor's, to save and apply). */
export const PLAN_TOKEN_KEY = 'sightline.token';

/** A saved plan as listed. */
export interface PlanListing {
	readonly id: string;
	readonly name: string;
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
}

/** A saved plan version. */
export interface SavedPlanBody {
	readonly id: string;
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly doc: PlanDoc;
	readonly baseline?: Scenario;
}

/** A live plan version as the server lists it. */
export interface LiveVersion {
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly plan: { planId: string; planVersion: number; name: string; effective: string; weekdays: number[]; changes: DiffLine[]; rollbackOf?: number };
}

/** A person token as listed (no secret). */
export interface TokenListing {
	readonly id: string;
	readonly name: string;
	readonly role: string;
	readonly created: number;
	readonly createdBy: string;
	readonly revoked?: number;
	readonly revokedBy?: string;
}

/** Calls the API; throws an Error with the server's message. */
export async function api<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (token) headers.authorization = `Bearer ${token}`;
	const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
	const text = await res.text();
	if (!res.ok) {
		let msg = text || res.statusText;
		try {
			const j = JSON.parse(text) as { error?: unknown; errors?: unknown };
			msg = `${String(j.error ?? msg)}${Array.isArray(j.errors) ? `: ${j.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ')}` : ''}`;
		} catch {
			// Not JSON: keep the text.
		}
		throw new Error(`${res.status} ${msg}`.slice(0, 400));
	}
	return (text ? JSON.parse(text) : undefined) as T;
}

/** The stored token of this browser ('' when none). */
export function storedToken(key = PLAN_TOKEN_KEY): string {
	return typeof localStorage === 'undefined' ? '' : (localStorage.getItem(key) ?? '');
}

/** The store's days (`GET /api/history/days`, viewer), newest first. */
export async function historyDays(token: string | null): Promise<readonly HistoryDaySummary[]> {
	return (await api<HistoryDaysResponse>('GET', '/api/history/days', token)).days;
}

/** A stored day's contacts and agent states (`GET /api/history/days/:date/trace`, supervisor). */
export function historyTrace(date: string, source: string | undefined, token: string | null): Promise<HistoryTraceResponse> {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('a stored day is named by its date, YYYY-MM-DD');
	const q = source ? `?source=${encodeURIComponent(source)}` : '';
	return api<HistoryTraceResponse>('GET', `/api/history/days/${date}/trace${q}`, token);
}
