import { LOWER_IS_WORSE, THRESHOLD_KPIS, WINDOWED_KPIS, type BoardConfig, type ThresholdKpi, type ThresholdRule, type ThresholdWindow } from '../domain/views';
import { formatCount, formatDuration, formatPercent } from './format';

/**
 * Threshold evaluation for tiles and rows. A value is past a level when it is strictly beyond it
 * in the worse direction: SL 80% with warn at 80% meets the target and stays calm.
 */

/** How a value stands against its rule; `none` when there is no rule or no value. */
export type Level = 'ok' | 'warn' | 'alert' | 'none';

/** Human names of the threshold KPIs, as the banner and the admin page say them. */
export const KPI_LABEL: Readonly<Record<ThresholdKpi, string>> = {
	serviceLevel: 'Service level',
	asa: 'ASA',
	abandonRate: 'Abandon rate',
	longestWait: 'Longest wait',
	waiting: 'In queue',
	occupancy: 'Occupancy'
};

/** What unit a KPI's rule is written in, so forms and banners agree with the wire. */
export const KPI_UNIT: Readonly<Record<ThresholdKpi, 'fraction' | 'seconds' | 'count'>> = {
	serviceLevel: 'fraction',
	asa: 'seconds',
	abandonRate: 'fraction',
	longestWait: 'seconds',
	waiting: 'count',
	occupancy: 'fraction'
};

/** Formats a value of `kpi` in its unit. */
export function formatKpi(kpi: ThresholdKpi, value: number | null): string {
	switch (KPI_UNIT[kpi]) {
		case 'fraction':
			return formatPercent(value);
		case 'seconds':
			return formatDuration(value);
		case 'count':
			return formatCount(value);
	}
}

/** Rules in force for a queue (its overrides win per KPI) or, with `queueId` null, for the totals. */
export function rulesFor(board: BoardConfig, queueId: string | null): ReadonlyMap<ThresholdKpi, ThresholdRule> {
	const out = new Map<ThresholdKpi, ThresholdRule>();
	for (const r of board.thresholds.default) out.set(r.kpi, r);
	if (queueId !== null) for (const r of board.thresholds.queues[queueId] ?? []) out.set(r.kpi, r);
	return out;
}

/** The period `rules` judge `kpi` over: the rule's window, today when there is none. */
export function windowOf(rules: ReadonlyMap<ThresholdKpi, ThresholdRule>, kpi: ThresholdKpi): ThresholdWindow {
	return rules.get(kpi)?.window ?? 'today';
}

/** Level of `value` for `kpi` under `rule`. */
export function levelOf(kpi: ThresholdKpi, value: number | null | undefined, rule: ThresholdRule | undefined): Level {
	if (!rule || value === null || value === undefined || !Number.isFinite(value)) return 'none';
	const worse = LOWER_IS_WORSE.has(kpi) ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
	if (worse(value, rule.alert)) return 'alert';
	if (worse(value, rule.warn)) return 'warn';
	return 'ok';
}

/** Values of the threshold KPIs for one scope (totals or a queue), seconds and fractions as on the wire. */
export type KpiValues = Readonly<Record<ThresholdKpi, number | null>>;

/** One KPI past a level somewhere on the board, for the alert banner. */
export interface Breach {
	/** "Total" or the queue's name. */
	readonly scope: string;
	readonly kpi: ThresholdKpi;
	readonly level: 'warn' | 'alert';
	readonly value: number;
	readonly limit: number;
	/** The period a rate was judged over; null for the KPIs that are always now. */
	readonly window: ThresholdWindow | null;
}

/** Evaluates every rule of a scope; returns the breaches, worst first. */
export function breachesOf(scope: string, values: KpiValues, rules: ReadonlyMap<ThresholdKpi, ThresholdRule>): Breach[] {
	const out: Breach[] = [];
	for (const kpi of THRESHOLD_KPIS) {
		const rule = rules.get(kpi);
		const value = values[kpi];
		const level = levelOf(kpi, value, rule);
		if ((level === 'warn' || level === 'alert') && rule && value !== null) {
			const window = WINDOWED_KPIS.has(kpi) ? windowOf(rules, kpi) : null;
			out.push({ scope, kpi, level, value, limit: level === 'alert' ? rule.alert : rule.warn, window });
		}
	}
	return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'alert' ? -1 : 1));
}

/** How a period reads next to a value: "" for today (what the tiles show first), "last 30 min". */
export function windowLabel(window: ThresholdWindow | null, rollingMs: number): string {
	return window === 'rolling' ? `last ${Math.round(rollingMs / 60_000)} min` : '';
}

/**
 * One sentence naming a breach: "Service level 62% (Billing) below 70%", or with a rolling rule
 * "Service level last 30 min 55% below 70%".
 */
export function describeBreach(b: Breach, rollingMs = 30 * 60_000): string {
	const dir = LOWER_IS_WORSE.has(b.kpi) ? 'below' : 'above';
	const where = b.scope === 'Total' ? '' : ` (${b.scope})`;
	const period = windowLabel(b.window, rollingMs);
	return `${KPI_LABEL[b.kpi]}${period ? ` ${period}` : ''} ${formatKpi(b.kpi, b.value)}${where} ${dir} ${formatKpi(b.kpi, b.limit)}`;
}

/** The icon that goes with a level, so colour is never the only signal. */
export const LEVEL_ICON: Readonly<Record<Level, string>> = { ok: '✓', warn: '▲', alert: '■', none: '' };

/** The word that goes with a level, for screen readers and labels. */
export const LEVEL_TEXT: Readonly<Record<Level, string>> = { ok: 'OK', warn: 'Warning', alert: 'Alert', none: '' };
