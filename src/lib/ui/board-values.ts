import type { BoardView, QueueRow, RollupRow } from '../domain/views';
import type { ThresholdKpi, ThresholdRule } from '../domain/thresholds';
import { formatDuration, formatPercent } from './format';
import { breachesOf, rulesFor, windowOf, type Breach, type KpiValues } from '../domain/thresholds';

/**
 * The values thresholds are judged on. Rates are today's (since the daily reset) or the rolling
 * window's, as each rule says; `longestWait` is the age of the oldest contact waiting now, so it
 * needs the (ticking) server clock.
 */
export function scopeValues(row: RollupRow | QueueRow, serverNow: number, rules: ReadonlyMap<ThresholdKpi, ThresholdRule> = new Map()): KpiValues {
	const w = (k: ThresholdKpi) => row[windowOf(rules, k)];
	return {
		serviceLevel: w('serviceLevel').serviceLevel,
		asa: w('asa').asa,
		abandonRate: w('abandonRate').abandonRate,
		longestWait: secondsSince(row.oldestSince, serverNow),
		waiting: row.waiting,
		occupancy: w('occupancy').occupancy
	};
}

/** Seconds from `since` (epoch ms) to `now`, never negative; 0 when there is no `since` (nobody waiting): how long a contact waited, how long an agent has been in a state. */
export function secondsSince(since: number | null, now: number): number {
	return since === null ? 0 : Math.max(0, (now - since) / 1000);
}

/** Every breach on the board: the totals first, then each queue; alerts before warnings. */
export function boardBreaches(view: BoardView, serverNow: number): Breach[] {
	const totals = rulesFor(view.board, null);
	const out = breachesOf('Total', scopeValues(view.total, serverNow, totals), totals);
	for (const q of view.queues) {
		const rules = rulesFor(view.board, q.id);
		out.push(...breachesOf(q.name, scopeValues(q, serverNow, rules), rules));
	}
	return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'alert' ? -1 : 1));
}

/**
 * The service-level target as one phrase for the board's queues: "80% in 0:20" when they agree,
 * otherwise the range of targets ("75–90%, per-queue T").
 */
export function slTargetText(queues: readonly QueueRow[]): string {
	if (queues.length === 0) return '';
	const targets = new Set(queues.map((q) => q.sl.target));
	const thresholds = new Set(queues.map((q) => q.sl.threshold));
	const tl = [...targets].sort((a, b) => a - b);
	const target = tl.length === 1 ? formatPercent(tl[0]!) : `${formatPercent(tl[0]!)}–${formatPercent(tl.at(-1)!)}`;
	const t = thresholds.size === 1 ? `in ${formatDuration([...thresholds][0]!)}` : 'in each queue’s T';
	return `Target ${target} ${t}`;
}

/** The service-level target shared by every queue, or null when they differ (no single line to draw). */
export function commonTarget(queues: readonly QueueRow[]): number | null {
	const t = new Set(queues.map((q) => q.sl.target));
	return t.size === 1 ? [...t][0]! : null;
}
