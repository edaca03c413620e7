import { stringify } from 'csv-stringify/sync';
import { HISTORY_SOURCES, isHistorySource, type HistoryDeleteResponse, type HistorySource } from '../../lib/domain/history';
import { computeKpis } from '../../lib/domain/kpi';
import { bearerToken } from '../auth';
import { HttpError, type HttpContext, type HttpRouter } from '../http-router';
import { IMPORT_FORMATS, ImportError, importAuditTarget, prepareImport, writeImport, type ImportFormat, type PreparedImport } from '../history/import';
import type { RouteDeps } from './deps';
import { withPlanInForce } from '../history/plan-in-force';
import { PlanStore } from '../plans/plan-store';
import { actorOf } from './plans';
import { HistoryQueries } from '../history/queries';
import { siteParam } from './site-param';
import { NotAppliedYetError } from '../nats/cluster';

/**
 * The history API (DESIGN.md, HTTP): the stored days, one day's intervals and snapshot, and its
 * trace; each as JSON or, with `?format=csv`, as CSV. Shapes are in src/lib/domain/history.ts.
 * KPIs are what the wall shows anyway, so days are for viewers; per-agent figures and traces
 * are for supervisors; deleting a day and importing a file are for admins. Reads take `?site=`
 * (default: the default site); deletes and imports are the default site's.
 */

/**
 * Registers GET /api/history/days, GET/DELETE /api/history/days/:date, GET /api/history/days/:date/trace
 * and POST /api/history/import.
 */
export function registerHistoryRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'history' | 'auth' | 'store' | 'floor' | 'floors' | 'shareDayDeleted' | 'shareImport'>): void {
	const { history, auth, store, shareDayDeleted, shareImport } = deps;
	const isSupervisor = (ctx: HttpContext) => auth.check(bearerToken(ctx.req.authorization), 'supervisor').ok;
	/** The days of the request's `?site=` (default: the default site's). */
	const queriesOf = (ctx: HttpContext): HistoryQueries => {
		const site = siteParam(ctx, deps.floors.center.sites);
		return history.queriesOf(site) ?? new HistoryQueries(store.db, site);
	};
	router
		.route('get', '/api/history/days', (ctx) => {
			const days = queriesOf(ctx).days();
			if (!wantsCsv(ctx)) return ctx.json(200, { days });
			csv(
				ctx,
				'history-days.csv',
				days.map((d) => ({
					date: d.date,
					source: d.source,
					status: d.status,
					offered: d.offered,
					answered: d.answered,
					abandoned: d.abandoned,
					shortAbandoned: d.shortAbandoned,
					transferred: d.transferred,
					serviceLevel: d.serviceLevel,
					slFormula: d.slFormula,
					asa: d.asa,
					aht: d.aht,
					abandonRate: d.abandonRate,
					occupancy: d.occupancy,
					agents: d.agents
				}))
			);
		}, { role: 'viewer' })
		.route('get', '/api/history/days/:date', (ctx) => {
			const date = dateParam(ctx);
			// KPIs are what the wall shows anyway; per-agent rows only for supervisors.
			const agents = isSupervisor(ctx);
			const day = queriesOf(ctx).day(date, sourceParam(ctx), { agents });
			if (!day) throw notStored(date, ctx);
			if (!wantsCsv(ctx)) return ctx.json(200, day);
			const part = ctx.req.query.get('part') ?? 'intervals';
			if (part === 'agents') {
				if (!agents) throw new HttpError(403, 'per-agent rows need the supervisor role');
				return csv(
					ctx,
					`history-${date}-agents.csv`,
					(day.agents ?? []).map((a) => ({
						start: iso(a.start),
						agent: a.agent,
						available: a.available,
						onContact: a.onContact,
						wrapUp: a.wrapUp,
						notReady: a.notReady === null ? null : Object.values(a.notReady).reduce((x, y) => x + y, 0),
						offline: a.offline,
						handled: a.handled
					}))
				);
			}
			if (part !== 'intervals') throw new HttpError(400, 'part must be intervals or agents');
			const formulaOf = new Map(day.queues.map((q) => [q.id, q.sl.formula]));
			csv(
				ctx,
				`history-${date}-intervals.csv`,
				day.intervals.map((r) => {
					const formula = formulaOf.get(r.queue) ?? 'abandons-count-against';
					const k = computeKpis(r.counts, formula);
					return {
						start: iso(r.start),
						queue: r.queue,
						channel: r.channel,
						offered: r.counts.offered,
						answered: r.counts.answered,
						abandoned: r.counts.abandoned,
						shortAbandoned: r.counts.shortAbandoned,
						transferred: r.counts.transferred,
						serviceLevel: k.serviceLevel,
						slFormula: formula,
						asa: k.asa,
						aht: k.aht,
						abandonRate: k.abandonRate,
						longestWait: r.counts.longestWait,
						occupancy: day.recorded.agentStates && r.channel === '*' ? k.occupancy : null,
						csat: k.csat
					};
				})
			);
		}, { role: 'viewer' })
		.route('get', '/api/history/days/:date/trace', (ctx) => {
			const date = dateParam(ctx);
			const stored = queriesOf(ctx).trace(date, sourceParam(ctx));
			if (!stored) throw notStored(date, ctx);
			const trace = withPlanInForce(stored, new PlanStore(store).liveVersions());
			if (!wantsCsv(ctx)) return ctx.json(200, trace);
			const part = ctx.req.query.get('part') ?? 'contacts';
			if (part === 'contacts')
				return csv(
					ctx,
					`trace-${date}-contacts.csv`,
					trace.contacts.map((c) => ({ ...c, offered: iso(c.offered) }))
				);
			if (part === 'agents')
				return csv(
					ctx,
					`trace-${date}-agents.csv`,
					trace.agents.map((a) => ({ agent: a.agent, name: a.name, team: a.team, skills: JSON.stringify(a.skills), capacity: JSON.stringify(a.capacity), reserve: a.reserve ? JSON.stringify(a.reserve) : '' }))
				);
			if (part === 'states') return csv(ctx, `trace-${date}-states.csv`, trace.agentStates.map((s) => ({ ...s, ts: iso(s.ts) })));
			throw new HttpError(400, 'part must be contacts, agents or states');
		}, { role: 'supervisor' })
		.route('del', '/api/history/days/:date', async (ctx) => {
			const date = dateParam(ctx);
			const source = sourceParam(ctx);
			if (!source) throw new HttpError(400, `source is required: one of ${HISTORY_SOURCES.join(', ')}`);
			const site = siteParam(ctx, deps.floors.center.sites);
			const actor = actorOf(auth, ctx);
			const now = Date.now();
			let deleted: number;
			if (shareDayDeleted) {
				// In a cluster every instance deletes it from the log, this one included, in log order:
				// one NATS did not take is done nowhere.
				try {
					deleted = await shareDayDeleted(date, source, site, actor, now);
				} catch (e) {
					if (e instanceof NotAppliedYetError) throw new HttpError(504, e.message);
					throw new HttpError(503, `the delete could not be shared with the other instances (NATS): ${(e as Error).message.slice(0, 200)}; nothing was deleted`);
				}
			} else {
				deleted = history.deleteDay(date, source, site);
				store.audit(actor, 'history.delete', date, { source, site, deleted }, now);
			}
			const body: HistoryDeleteResponse = { date, source, site, deleted };
			ctx.json(200, body);
		}, { role: 'admin' })
		.route('post', '/api/history/import', async (ctx) => {
			const format = (ctx.req.query.get('format') ?? 'anonymous-bank') as ImportFormat;
			if (!IMPORT_FORMATS.includes(format)) throw new HttpError(400, `format must be ${IMPORT_FORMATS.join(' or ')}, got ${quote(format)}`);
			const date = ctx.req.query.get('date');
			if (date !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) throw new HttpError(400, `date must be YYYY-MM-DD, got ${quote(date)}`);
			const text = (await ctx.body()).toString('utf8');
			const actor = actorOf(auth, ctx);
			let prepared: PreparedImport;
			try {
				// The live floor's clock: its time zone and reset, as the day reports read them.
				prepared = prepareImport(text, { format, ...(date ? { date } : {}), config: deps.floor.config });
			} catch (e) {
				if (e instanceof ImportError) throw new HttpError(400, e.message.slice(0, 300));
				throw e;
			}
			const what = `POST /api/history/import (${format})`;
			if (shareImport) {
				// In a cluster every instance imports it from the log, this one included, in log order.
				try {
					await shareImport(prepared, what, actor);
				} catch (e) {
					if (e instanceof NotAppliedYetError) throw new HttpError(504, e.message);
					throw new HttpError(503, `the import could not be shared with the other instances (NATS): ${(e as Error).message.slice(0, 200)}; nothing was imported`);
				}
			} else {
				store.transaction(() => {
					const w = writeImport(store, prepared);
					store.audit(actor, 'history.import', importAuditTarget(prepared.dates), { what, events: w.events, days: w.days }, Date.now());
				});
			}
			const dates = new Set(prepared.dates);
			ctx.json(200, {
				records: prepared.records,
				events: prepared.events.length,
				badRows: prepared.errors.length,
				errors: prepared.errors.slice(0, 20),
				days: history.queries.days().filter((d) => d.source === 'import' && dates.has(d.date))
			});
		}, { role: 'admin' });
}

/** Accepted `?format=` values; anything else is refused rather than silently answered as JSON. */
function wantsCsv(ctx: HttpContext): boolean {
	const f = ctx.req.query.get('format');
	if (f === null || f === 'json') return false;
	if (f === 'csv') return true;
	throw new HttpError(400, `format must be json or csv, got ${quote(f)}`);
}

function dateParam(ctx: HttpContext): string {
	const date = ctx.req.params[0] ?? '';
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
		throw new HttpError(400, `date must be YYYY-MM-DD, got ${quote(date)}`);
	return date;
}

function sourceParam(ctx: HttpContext): HistorySource | undefined {
	const s = ctx.req.query.get('source');
	if (s === null || s === '') return undefined;
	if (!isHistorySource(s)) throw new HttpError(400, `source must be one of ${HISTORY_SOURCES.join(', ')}, got ${quote(s)}`);
	return s;
}

function notStored(date: string, ctx: HttpContext): HttpError {
	const s = ctx.req.query.get('source');
	return new HttpError(404, `no history stored for ${date}${s ? ` from source ${s}` : ''}`);
}

/** A client value in an error message: capped and JSON-escaped, never echoed whole. */
function quote(v: string): string {
	return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);
}

function iso(ts: number): string {
	return new Date(ts).toISOString();
}

/** Sends rows as CSV with a header line; null becomes an empty field ("not recorded"). */
function csv(ctx: HttpContext, filename: string, rows: readonly Record<string, unknown>[]): void {
	const columns = rows[0] ? Object.keys(rows[0]) : [];
	const body = stringify(rows as Record<string, unknown>[], { header: true, columns, cast: { boolean: (b) => String(b) } });
	ctx.send(200, body, {
		'Content-Type': 'text/csv; charset=utf-8',
		'Content-Disposition': `attachment; filename="${filename}"`,
		'Cache-Control': 'no-store'
	});
}
