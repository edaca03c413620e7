import type { BoardConfig } from './board-config';

/**
 * Thresholds: which KPIs can carry warn and alert levels, their defaults, and how a value is
 * judged against them. A value is past a level when it is strictly beyond it in the worse
 * direction: SL 80% with warn at 80% meets the target and stays calm. Pure: the wall and the
 * admin page word it (src/lib/ui/thresholds.ts).
 */

/** KPI names that thresholds can be set on. */
export const THRESHOLD_KPIS = ['serviceLevel', 'asa', 'abandonRate', 'longestWait', 'waiting', 'occupancy'] as const;
/** A KPI that thresholds can be set on. */
export type ThresholdKpi = (typeof THRESHOLD_KPIS)[number];

/** For these KPIs a lower value is worse; for the others a higher one. */
export const LOWER_IS_WORSE: ReadonlySet<ThresholdKpi> = new Set<ThresholdKpi>(['serviceLevel']);

/** KPIs kept over two periods (today and the rolling window): a rule says which one it judges. */
export const WINDOWED_KPIS: ReadonlySet<ThresholdKpi> = new Set<ThresholdKpi>(['serviceLevel', 'asa', 'abandonRate', 'occupancy']);

/**
 * The period a rule judges: `today` (since the daily reset, the default) or `rolling` (the last
 * `rollingMs`, which shows a bad half hour that a good morning would hide).
 */
export type ThresholdWindow = 'today' | 'rolling';

/** Warn and alert levels of one KPI (fractions for rates, seconds for times, a count for `waiting`). */
export interface ThresholdRule {
	readonly kpi: ThresholdKpi;
	readonly warn: number;
	readonly alert: number;
	/** Only for WINDOWED_KPIS; absent means `today`. `longestWait` and `waiting` are always now. */
	readonly window?: ThresholdWindow;
}

/**
 * The levels a KPI's rule starts with, whether on a new board or when the admin page switches a
 * rule on: the one source of defaults (fractions for rates, seconds, a count for `waiting`).
 */
export const DEFAULT_LEVELS: Readonly<Record<ThresholdKpi, { readonly warn: number; readonly alert: number }>> = {
	serviceLevel: { warn: 0.8, alert: 0.7 },
	asa: { warn: 30, alert: 60 },
	abandonRate: { warn: 0.05, alert: 0.1 },
	longestWait: { warn: 60, alert: 120 },
	waiting: { warn: 5, alert: 10 },
	occupancy: { warn: 0.9, alert: 0.95 }
};

/** Thresholds every board starts with: service level, abandon rate and occupancy at their default levels. */
export const DEFAULT_THRESHOLDS: readonly ThresholdRule[] = (['serviceLevel', 'abandonRate', 'occupancy'] as const).map((kpi) => ({ kpi, ...DEFAULT_LEVELS[kpi] }));

/** How a value stands against its rule; `none` when there is no rule or no value. */
export type Level = 'ok' | 'warn' | 'alert' | 'none';

/** Rules in force for a queue (its overrides win per KPI) or, with `queueId` null, for the totals. */
export function rulesFor(board: Pick<BoardConfig, 'thresholds'>, queueId: string | null): ReadonlyMap<ThresholdKpi, ThresholdRule> {
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
