import type { FloorConfig } from '../../lib/domain/floor';
import { isHistorySource } from '../../lib/domain/history';
import type { SlSettings } from '../../lib/domain/service-level';
import { dateOf, dayNumber } from '../../lib/forecast/calendar';
import { ForecastError, forecastSeries, MAX_HORIZON_DAYS } from '../../lib/forecast/forecast';
import { dayAccuracy, intervalsAccuracy, type DayAccuracy, type IssuedAccuracy } from '../../lib/forecast/accuracy';
import { rowsFromHistoryDays } from '../../lib/forecast/history-days';
import { overrideError, type Override } from '../../lib/forecast/overrides';
import { HistoryError, seriesFromRows } from '../../lib/forecast/series';
import { exponentialPatienceMean } from '../../lib/forecast/staffing';
import { forecastJson, type ForecastJson } from '../../lib/forecast/wire';
import { todayIn } from '../../lib/reports/dates';
import type { Auth, Role } from '../auth';
import { IssuedForecasts } from '../forecasts/issued-forecasts';
import { HttpError, parseJsonBody, type HttpContext, type HttpRouter } from '../http-router';
import type { ReportService } from '../reports/report-service';
import { HistoryQueries } from '../history/queries';
import type { Store } from '../store';
import { actorOf } from './plans';

/**
 * `GET /api/forecast?start=YYYY-MM-DD&days=N[&interval=900|3600][&weeks=W][&closed=D1,D2]`
 * (viewer), and `POST /api/forecast` with `{ start, days, interval?, weeks?, closed?, overrides? }`
 * for planner overrides: the forecast from the store's history (complete days before `start`
 * and before today, the last `weeks` weeks, 8 by default), plus what staffing it needs to know
 * per queue: the service-level settings and the mean patience measured over the same days.
 *
 * `POST /api/forecast/issue` (supervisor, same body) computes that forecast and stores each of its
 * days as issued; `GET /api/forecast/accuracy?date=YYYY-MM-DD` (viewer) holds the latest forecast
 * issued for a past date against what the store recorded that day, interval by interval.
 */

/** The forecast answer: the forecast JSON and, per queue, its SL settings and patience. */
export interface ForecastResponse extends ForecastJson {
	/** Service-level settings of each queue (floor config). */
	readonly sl: Readonly<Record<string, SlSettings>>;
	/** Mean patience per queue, seconds (time at risk / abandons over the history); null: nobody abandoned. */
	readonly patience: Readonly<Record<string, number | null>>;
	/** Forecast against actual for the days of the range that are already history (by date). */
	readonly actuals: Readonly<Record<string, DayAccuracy>>;
}

/** What the forecast routes need from the composition root. */
export interface ForecastRouteDeps {
	readonly reports: ReportService;
	readonly store: Store;
	readonly floorConfig: () => FloorConfig;
	readonly require: (ctx: HttpContext, role: Role) => void;
	/** Wall-clock now, epoch ms (today's partial day is not history). */
	readonly now?: () => number;
	/** Names the request's token for the issued forecast and the audit log. */
	readonly auth: Pick<Auth, 'identify'>;
}


const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** A forecast request, parsed. */
export interface ForecastRequest {
	start: string | null;
	days: number;
	interval: number;
	weeks: number;
	closed: string[];
	overrides: Override[];
}

/** Parses a request's fields (query or body); throws a 400 naming the bad one. */
export function parseRequest(q: (name: string) => string | null | undefined): ForecastRequest {
	const start = q('start') ?? null;
	if (start !== null && dayNumber(start) === null) throw new HttpError(400, `start must be a date YYYY-MM-DD, got ${shown(start)}`);
	const int = (name: string, def: number, min: number, max: number) => {
		const v = q(name);
		if (v === null || v === undefined || v === '') return def;
		const n = Number(v);
		if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `${name} must be a whole number from ${min} to ${max}, got ${shown(String(v))}`);
		return n;
	};
	const days = int('days', 7, 1, MAX_HORIZON_DAYS);
	const iv = q('interval') ?? '900';
	if (iv !== '900' && iv !== '3600') throw new HttpError(400, `interval must be 900 or 3600, got ${shown(String(iv))}`);
	const interval = Number(iv);
	const weeks = int('weeks', 8, 2, 26);
	const closed = (q('closed') ?? '').split(',').filter((d) => d.trim() !== '');
	for (const d of closed) if (dayNumber(d.trim()) === null) throw new HttpError(400, `closed must list dates YYYY-MM-DD, got ${shown(d)}`);
	return { start, days, interval, weeks, closed: closed.map((d) => d.trim()), overrides: [] };
}

/** The forecast of a request from the store. */
export function forecastFromStore(deps: Omit<ForecastRouteDeps, 'require' | 'auth'>, r: ForecastRequest): ForecastResponse {
	const cfg = deps.floorConfig();
	const today = todayIn(cfg.timeZone, (deps.now ?? Date.now)());
	const todayN = dayNumber(today) ?? 0;
	const startN = r.start === null ? todayN + 1 : (dayNumber(r.start) ?? todayN + 1);
	// History: complete days before the forecast's start and before today.
	const lastN = Math.min(startN, todayN) - 1;
	const docs = [];
	for (let d = lastN - r.weeks * 7 + 1; d <= lastN; d++) {
		const input = deps.reports.dayInput(dateOf(d));
		if (input) docs.push(input);
	}
	if (docs.length === 0) throw new HttpError(404, `no history in the ${r.weeks} weeks before ${dateOf(lastN + 1)}`);
	try {
		const { rows } = rowsFromHistoryDays(docs);
		// The store records every day the server ran: a day without contacts after the first
		// recorded one is a closed day (zero), not a gap.
		const firstN = dayNumber(docs[0]?.date ?? '') ?? lastN;
		const dates = Array.from({ length: lastN - firstN + 1 }, (_, k) => dateOf(firstN + k));
		const series = seriesFromRows(rows, r.interval, dates);
		const fc = forecastSeries(series, dateOf(startN), r.days, { closedDates: r.closed, overrides: r.overrides });
		const patience = patienceByQueue(deps, docs);
		const sl = Object.fromEntries(cfg.queues.map((q) => [q.id, q.sl]));
		const json = forecastJson(fc);
		const actuals: Record<string, DayAccuracy> = {};
		for (const d of json.days) {
			if ((dayNumber(d.date) ?? todayN) >= todayN) continue;
			// As in the history read above, a past day without contacts was a closed day: zero.
			const input = deps.reports.dayInput(d.date);
			actuals[d.date] = dayAccuracy(d, input ? rowsFromHistoryDays([input]).rows : [], r.interval);
		}
		return {
			...json,
			actuals,
			sl,
			patience: Object.fromEntries(fc.queues.map((q) => [q.id, patience.get(q.id) ?? null]))
		};
	} catch (e) {
		if (e instanceof ForecastError || e instanceof HistoryError) throw new HttpError(422, e.message);
		throw e;
	}
}

function patienceByQueue(deps: Pick<ForecastRouteDeps, 'store'>, days: readonly { readonly date: string; readonly source: string }[]): Map<string, number> {
	const samples = new Map<string, { time: number; event: boolean }[]>();
	const history = new HistoryQueries(deps.store.db);
	// The stays of the same days (and sources) the forecast read: each contact's wait in its queue.
	for (const d of days) {
		for (const c of history.trace(d.date, isHistorySource(d.source) ? d.source : undefined)?.contacts ?? []) {
			if (c.outcome === 'transferred' || c.wait === null) continue;
			const list = samples.get(c.queue) ?? [];
			list.push({ time: c.wait, event: c.outcome === 'abandoned' });
			samples.set(c.queue, list);
		}
	}
	const out = new Map<string, number>();
	for (const [q, s] of samples) {
		const m = exponentialPatienceMean(s);
		if (Number.isFinite(m)) out.set(q, Math.round(m * 10) / 10);
	}
	return out;
}

/** A POST body's request with its overrides; throws a 400 naming the bad field. */
function requestOfBody(raw: Buffer): ForecastRequest {
	const body = parseJsonBody(raw);
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
	const b = body as Record<string, unknown>;
	const asText = (v: unknown) => (v === undefined || v === null ? null : Array.isArray(v) ? v.join(',') : String(v));
	const req = parseRequest((n) => asText(b[n]));
	const overrides = b.overrides ?? [];
	if (!Array.isArray(overrides) || overrides.length > 200) throw new HttpError(400, 'overrides must be a list (at most 200)');
	for (const [i, o] of overrides.entries()) {
		const err = overrideError(o, `overrides[${i}]`);
		if (err) throw new HttpError(400, err);
	}
	return { ...req, overrides: overrides as Override[] };
}

/** The latest issued forecast of a past date against the recorded day. */
function accuracyOf(deps: Omit<ForecastRouteDeps, 'require' | 'auth'>, issued: IssuedForecasts, date: string | null): IssuedAccuracy {
	if (date === null || dayNumber(date) === null) throw new HttpError(400, `date must be a date YYYY-MM-DD, got ${shown(date ?? '')}`);
	const f = issued.latest(date);
	if (!f) throw new HttpError(404, `no forecast was issued for ${date}`);
	const today = todayIn(deps.floorConfig().timeZone, (deps.now ?? Date.now)());
	if (date >= today) throw new HttpError(409, `${date} has not ended yet (today is ${today})`);
	const input = deps.reports.dayInput(date);
	const rows = input ? rowsFromHistoryDays([input]).rows : [];
	return { ...intervalsAccuracy(f.day, rows, f.intervalSec), issuedAt: f.issuedAt, issuedBy: f.actor, interval: f.intervalSec, recorded: input !== null };
}

/** Registers `GET|POST /api/forecast`, `POST /api/forecast/issue` and `GET /api/forecast/accuracy`. */
export function registerForecastRoutes(router: HttpRouter, deps: ForecastRouteDeps): void {
	const issued = new IssuedForecasts(deps.store);
	const now = deps.now ?? Date.now;
	router
		.route('get', '/api/forecast', (ctx) => {
			deps.require(ctx, 'viewer');
			ctx.json(200, forecastFromStore(deps, parseRequest((n) => ctx.req.query.get(n))));
		})
		.route('post', '/api/forecast', async (ctx) => {
			deps.require(ctx, 'viewer');
			ctx.json(200, forecastFromStore(deps, requestOfBody(await ctx.body())));
		})
		.route('post', '/api/forecast/issue', async (ctx) => {
			deps.require(ctx, 'supervisor');
			const fc = forecastFromStore(deps, requestOfBody(await ctx.body()));
			const actor = actorOf(deps.auth, ctx);
			const at = now();
			issued.issue(fc.days, fc.interval, actor, at);
			deps.store.audit(actor, 'forecast.issue', 'forecast', { dates: fc.days.map((d) => d.date), interval: fc.interval }, at);
			ctx.json(201, { ...fc, issuedAt: at, issuedBy: actor });
		})
		.route('get', '/api/forecast/accuracy', (ctx) => {
			deps.require(ctx, 'viewer');
			ctx.json(200, accuracyOf(deps, issued, ctx.req.query.get('date') ?? null));
		});
}
