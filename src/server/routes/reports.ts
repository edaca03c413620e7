import { SL_FORMULA_LABEL } from '../../lib/domain/service-level';
import { csvFileName, tableCsv } from '../../lib/reports/csv';
import { compareDate, daysBetween, isDate } from '../../lib/reports/dates';
import type { DayReport } from '../../lib/reports/day';
import type { SiteConfig } from '../../lib/domain/sites';
import { siteParam } from './site-param';
import { rangeFinality } from '../../lib/reports/status';
import { MET_RULE_LABEL } from '../../lib/reports/settings';
import { agentTable, channelGroupTable, channelTable, comparedIntervalTable, comparisonTable, intervalTable, queueTable, rangeTable, type Table } from '../../lib/reports/tables';
import type { Role } from '../auth';
import { HttpError, parseJsonBody, type HttpContext, type HttpRouter } from '../http-router';
import { MAX_RANGE_DAYS, type ReportService } from '../reports/report-service';

/**
 * `/api/reports/*`: a day, a range of days, and a comparison of two days, as JSON or (with
 * `?format=csv`) as the same tables the /reports page shows. Day and range KPIs are viewer data
 * (what the wall shows anyway); per-agent figures need a supervisor token.
 */

/** What the report routes need from the composition root. */
export interface ReportRouteDeps {
	readonly reports: ReportService;
	/** The configured sites (a report is of one, `?site=`, default the default site). */
	readonly sites: () => readonly SiteConfig[];
	/** Throws a 401/403 HttpError unless the request carries `role`. */
	readonly require: (ctx: HttpContext, role: Role) => void;
}

/** A caller's value in an error message: JSON-quoted and capped, never echoed unbounded. */
const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

function dateParam(value: string | null, name: string): string {
	if (value === null || value === '') throw new HttpError(400, `${name} is required (YYYY-MM-DD)`);
	if (!isDate(value)) throw new HttpError(400, `${name} must be a date YYYY-MM-DD, got ${shown(value)}`);
	return value;
}

function wantsCsv(ctx: HttpContext): boolean {
	const f = ctx.req.query.get('format');
	if (f === null || f === 'json') return false;
	if (f === 'csv') return true;
	throw new HttpError(400, `format must be json or csv, got ${shown(f)}`);
}

function sendCsv<R>(ctx: HttpContext, t: Table<R>, label: string): void {
	ctx.send(200, tableCsv(t), {
		'Content-Type': 'text/csv; charset=utf-8',
		'Content-Disposition': `attachment; filename="${csvFileName(t.id, label)}"`,
		'Cache-Control': 'no-store'
	});
}

function pick<T extends string>(ctx: HttpContext, name: string, allowed: readonly T[]): T {
	const v = ctx.req.query.get(name) ?? allowed[0];
	if (!allowed.includes(v as T)) throw new HttpError(400, `${name} must be one of ${allowed.join(', ')}, got ${shown(String(v))}`);
	return v as T;
}

/** The day's report as the viewer API returns it (no agent rows), with the formula and rule in words. */
function dayJson(r: DayReport) {
	return { ...r, agents: undefined, slFormulaLabel: SL_FORMULA_LABEL[r.slFormula], metRuleLabel: MET_RULE_LABEL[r.settings.metRule] };
}

/** Registers the report routes. */
export function registerReportRoutes(router: HttpRouter, deps: ReportRouteDeps): void {
	const { reports, require } = deps;
	const site = (ctx: HttpContext) => siteParam(ctx, deps.sites());
	const dayOr404 = (date: string, ctx: HttpContext) => {
		const r = reports.day(date, site(ctx));
		if (!r) throw new HttpError(404, `no history for ${date}`);
		return r;
	};

	router
		.route('get', '/api/reports/settings', (ctx) => {
			require(ctx, 'viewer');
			ctx.json(200, { ...reports.currentSettings(), rules: MET_RULE_LABEL });
		})
		.route('put', '/api/reports/settings', async (ctx) => {
			require(ctx, 'admin');
			const r = reports.saveSettings(parseJsonBody(await ctx.body()), 'admin', Date.now());
			if (!r.ok) throw new HttpError(400, 'invalid report settings', { errors: r.errors });
			ctx.json(200, { settings: r.settings, version: r.version });
		})
		.route('get', '/api/reports/day/:date/agents', (ctx) => {
			require(ctx, 'supervisor');
			const date = dateParam(ctx.req.params[0] ?? '', 'date');
			const csv = wantsCsv(ctx);
			const r = dayOr404(date, ctx);
			if (!r.agents) throw new HttpError(404, `${date} has no agent figures: its source (${r.source}) did not record agent states`);
			if (csv) sendCsv(ctx, agentTable(r, r.agents), date);
			else ctx.json(200, { date, agents: r.agents });
		})
		.route('get', '/api/reports/day/:date', (ctx) => {
			require(ctx, 'viewer');
			const date = dateParam(ctx.req.params[0] ?? '', 'date');
			const csv = wantsCsv(ctx);
			const table = csv ? pick(ctx, 'table', ['intervals', 'queues', 'channels', 'groups'] as const) : null;
			const r = dayOr404(date, ctx);
			if (table === 'intervals') sendCsv(ctx, intervalTable(r), date);
			else if (table === 'queues') sendCsv(ctx, queueTable(r), date);
			else if (table === 'channels') sendCsv(ctx, channelTable(r), date);
			else if (table === 'groups') sendCsv(ctx, channelGroupTable(r), date);
			else ctx.json(200, dayJson(r));
		})
		.route('get', '/api/reports/range', (ctx) => {
			require(ctx, 'viewer');
			const from = dateParam(ctx.req.query.get('from'), 'from');
			const to = dateParam(ctx.req.query.get('to'), 'to');
			const span = daysBetween(from, to) + 1;
			if (span < 1) throw new HttpError(400, `from (${from}) must not be after to (${to})`);
			if (span > MAX_RANGE_DAYS) throw new HttpError(400, `a range spans at most ${MAX_RANGE_DAYS} days, asked for ${span}`);
			const csv = wantsCsv(ctx);
			const r = reports.range(from, to, site(ctx));
			// The days not final carry the page's marks ("◔ so far: met", "… pending: missed"), from the same function.
			if (csv) sendCsv(ctx, rangeTable(r, rangeFinality(r.days, reports.dayStatuses(from, to, site(ctx))).marks), `${from}_${to}`);
			else ctx.json(200, r);
		})
		.route('get', '/api/reports/compare', (ctx) => {
			require(ctx, 'viewer');
			const day = dateParam(ctx.req.query.get('day'), 'day');
			const w = ctx.req.query.get('with') ?? 'previous';
			const other = compareDate(day, w);
			if (!other) throw new HttpError(400, `with must be previous, last-week or a date YYYY-MM-DD, got ${shown(w)}`);
			const csv = wantsCsv(ctx);
			const table = csv ? pick(ctx, 'table', ['headline', 'intervals'] as const) : null;
			const r = reports.compare(day, other, site(ctx));
			if (!r.ok) throw new HttpError(404, `no history for ${r.missing}`);
			const c = r.comparison;
			if (table === 'headline') sendCsv(ctx, comparisonTable(c), `${day}_vs_${other}`);
			else if (table === 'intervals') sendCsv(ctx, comparedIntervalTable(c), `${day}_vs_${other}`);
			else ctx.json(200, { ...c, day: dayJson(c.day), other: dayJson(c.other) });
		});
}
