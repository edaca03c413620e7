import { computeKpis, countAbandoned, countAnswered, countHandled, countOffered, emptyCounts, sumCounts, type KpiCounts, type Kpis } from '../../src/lib/domain/kpi';
import { resolveSl } from '../../src/lib/domain/service-level';
import type { Scenario } from '../scenario';
import type { RecordedDay } from './day';

/**
 * What the recorded day itself did, as the same KPIs by the same KPI module as the simulator's,
 * with the replay scenario's intervals and service-level settings, so the two line up figure for
 * figure. Agent time is not known from a call log, so occupancy stays null.
 */

/** One interval of the recorded day. */
export interface ActualInterval {
	readonly index: number;
	/** Seconds from the day's start. */
	readonly start: number;
	readonly total: Kpis;
}

/** The recorded day's KPIs: whole day, per queue, per interval. */
export interface Actual {
	readonly total: Kpis;
	readonly queues: Readonly<Record<string, Kpis>>;
	readonly intervals: readonly ActualInterval[];
}

/** KPIs of the recorded day, on the intervals and settings of its replay scenario. */
export function actualKpis(day: RecordedDay, scenario: Scenario): Actual {
	const interval = scenario.interval ?? 900;
	const I = Math.ceil(scenario.horizon / interval);
	const perQueue = new Map<string, KpiCounts[]>();
	const sl = new Map(scenario.queues.map((q) => [q.id, resolveSl(q.channel, q.sl)]));
	for (const q of scenario.queues) perQueue.set(q.id, Array.from({ length: I }, emptyCounts));
	for (const c of day.contacts) {
		const counts = perQueue.get(c.queue);
		const s = sl.get(c.queue);
		if (!counts || !s) continue;
		const iv = Math.min(I - 1, Math.max(0, Math.floor(c.at / interval)));
		const k = counts[iv];
		if (!k) continue;
		countOffered(k);
		if (c.outcome === 'answered') {
			countAnswered(k, c.wait, s);
			// A transferring leg is answered, not handled, in its queue (as the floor counts it).
			if (c.handle !== null && c.transferredTo === undefined) countHandled(k, c.handle + (c.wrapup ?? 0));
		} else countAbandoned(k, c.wait, s);
	}
	const formula = scenario.queues[0] ? resolveSl(scenario.queues[0].channel, scenario.queues[0].sl).formula : 'abandons-count-against';
	const queues: Record<string, Kpis> = {};
	for (const [id, counts] of perQueue) queues[id] = computeKpis(sumCounts(counts), sl.get(id)?.formula ?? formula);
	const all = [...perQueue.values()];
	const intervals: ActualInterval[] = [];
	for (let i = 0; i < I; i++) {
		intervals.push({ index: i, start: i * interval, total: computeKpis(sumCounts(all.map((c) => c[i] ?? emptyCounts())), formula) });
	}
	return { total: computeKpis(sumCounts(all.flat()), formula), queues, intervals };
}
