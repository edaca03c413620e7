import type { Channel } from '../src/lib/domain/channels';
import { CHANNELS } from '../src/lib/domain/channels';
import { computeKpis, countAgentTime, emptyCounts, mergeCounts, sumCounts, type KpiCounts, type Kpis } from '../src/lib/domain/kpi';
import type { SlFormula } from '../src/lib/domain/service-level';
import type { EngineOutput } from './engine';
import type { Model } from './model';

/**
 * One replication's results: additive KPI counts per scope (queue, channel, total) and interval.
 * KPIs are never stored, only derived with the shared KPI module, so simulated and live figures
 * are computed by the same code. Plain data: it crosses worker boundaries by structured clone.
 */
export interface RunResult {
	readonly name: string;
	readonly interval: number;
	readonly intervals: number;
	readonly total: ScopeCounts;
	readonly queues: Readonly<Record<string, ScopeCounts>>;
	readonly channels: Readonly<Partial<Record<Channel, ScopeCounts>>>;
	readonly contacts: number;
	readonly events: number;
}

/** Counts of one scope per interval, and the service-level formula its KPIs use. */
export interface ScopeCounts {
	readonly formula: SlFormula;
	readonly intervals: readonly KpiCounts[];
}

function scope(
	m: Model,
	out: EngineOutput,
	queues: readonly number[],
	groups: ReadonlySet<number>
): ScopeCounts {
	const I = m.intervals;
	const Q = m.queueIds.length;
	const intervals: KpiCounts[] = [];
	for (let i = 0; i < I; i++) {
		const c = emptyCounts();
		for (const q of queues) mergeCounts(c, out.counts[i * Q + q]!);
		for (const g of groups) {
			const k = g * I + i;
			countAgentTime(c, out.groupBusy[k]!, out.groupIdle[k]!, out.groupBusySlots[k]!, out.groupOfferedSlots[k]!);
		}
		intervals.push(Object.freeze(c));
	}
	return Object.freeze({ formula: m.formulaOf(queues), intervals: Object.freeze(intervals) });
}

/**
 * Forms the scopes. Occupancy follows who could serve: a queue's is that of the groups skilled
 * for it, a channel's that of the groups serving any of its queues, the total's that of everyone.
 */
export function collectResult(m: Model, out: EngineOutput): RunResult {
	const Q = m.queueIds.length;
	const all = [...Array(Q).keys()];
	const queues: Record<string, ScopeCounts> = {};
	all.forEach((q) => {
		queues[m.queueIds[q]!] = scope(m, out, [q], new Set(m.skilledGroups[q]));
	});
	const channels: Partial<Record<Channel, ScopeCounts>> = {};
	for (const ch of m.channelsUsed) {
		const chIdx = CHANNELS.indexOf(ch);
		const qs = all.filter((q) => m.queueChannel[q] === chIdx);
		channels[ch] = scope(m, out, qs, new Set(qs.flatMap((q) => [...m.skilledGroups[q]!])));
	}
	return Object.freeze({
		name: m.scenario.name ?? '',
		interval: m.interval,
		intervals: m.intervals,
		total: scope(m, out, all, new Set(m.groupNames.map((_, g) => g))),
		queues: Object.freeze(queues),
		channels: Object.freeze(channels),
		contacts: out.contacts,
		events: out.events
	});
}

/** KPIs of a scope over intervals `[from, to)` (the whole run by default). */
export function scopeKpis(s: ScopeCounts, from = 0, to = s.intervals.length): Kpis {
	return computeKpis(sumCounts(s.intervals.slice(from, to)), s.formula);
}

