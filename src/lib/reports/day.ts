import { CHANNEL_GROUPS, GROUP_CHANNELS, type ChannelGroup } from '../domain/channel-groups';
import type { Channel } from '../domain/channels';
import { GROUP_LABEL } from '../ui/agent-style';
import { computeKpis, emptyCounts, mergeCounts, occupancy, sumCounts, type KpiCounts, type Kpis } from '../domain/kpi';
import { resolveSl, type SlFormula } from '../domain/service-level';
import type { HistoryAgentDayRow } from '../domain/history';
import type { DayInput } from './input';
import { groupTargets, MET_RULE_LABEL, type GroupTargets, type MetRule, type ReportSettings } from './settings';

/**
 * A day's report, computed only from the history's interval counts with the wallboard's KPI
 * module (`computeKpis`), so a report and the board never disagree about a day. Pure.
 */

/**
 * KPIs judged per channel group against the group's own target: waits are seconds on voice, minutes
 * on messaging and hours on email, so one floor-wide ASA or SL would let one group's figure hide in,
 * or swamp, another's (the wallboard's headline splits the same way).
 */
export const GROUP_TARGETS = ['serviceLevel', 'asa', 'abandonRate', 'aht'] as const;
/** KPIs of agents or of customers, not of a channel: judged once for the whole floor. */
export const FLOOR_TARGETS = ['occupancy', 'csat'] as const;
/** One KPI that has a target. */
export type TargetKpi = (typeof GROUP_TARGETS)[number] | (typeof FLOOR_TARGETS)[number];

/** Whether a KPI is good when high ('min' target) or when low ('max' target). */
export const TARGET_DIRECTION: Readonly<Record<TargetKpi, 'min' | 'max'>> = {
	serviceLevel: 'min',
	asa: 'max',
	abandonRate: 'max',
	aht: 'max',
	occupancy: 'max',
	csat: 'min'
};

/** A KPI held against its target; `met` null when there is no value or no target. */
export interface Judgement {
	readonly kpi: TargetKpi;
	readonly value: number | null;
	readonly target: number | null;
	readonly met: boolean | null;
}

/** One row of the per-queue or per-channel table. */
export interface GroupRow {
	/** Queue id, or channel name. */
	readonly key: string;
	readonly name: string;
	readonly channel: Channel | '*';
	readonly counts: KpiCounts;
	readonly kpis: Kpis;
	readonly slFormula: SlFormula;
	readonly slThreshold: number | null;
	readonly slTarget: number;
	/** SL at or above target; null without traffic that counts. */
	readonly met: boolean | null;
}

/** A channel group's figures (its channels' counts summed), each judged against the group's own target. */
export interface ChannelGroupRow extends GroupRow {
	readonly group: ChannelGroup;
	readonly targets: GroupTargets;
	/** GROUP_TARGETS order. */
	readonly judgements: readonly Judgement[];
	/** The group's own interval figures (its channels' interval counts summed), for charts judged against its targets. */
	readonly intervals: readonly IntervalRow[];
}

/** One interval of the day (all queues together). */
export interface IntervalRow {
	readonly start: number;
	readonly counts: KpiCounts;
	readonly kpis: Kpis;
}

/** One agent's line: seconds per state (null where the source did not record it). */
export interface AgentRow {
	readonly agent: string;
	readonly name: string;
	readonly team: string;
	readonly handled: number;
	readonly aht: number | null;
	readonly occupancy: number | null;
	readonly available: number | null;
	readonly onContact: number;
	readonly wrapUp: number | null;
	readonly notReady: number | null;
	readonly offline: number | null;
}

/** Whether the day met its service-level target, by the rule in force, and why, in words. */
export interface MetVerdict {
	readonly rule: MetRule;
	readonly ruleText: string;
	/** null: no traffic that counts, nothing to judge. */
	readonly met: boolean | null;
	readonly text: string;
}

/** A day's report. Rates are fractions, times seconds; null where nothing counts or nothing was recorded. */
export interface DayReport extends Pick<DayInput, 'date' | 'source' | 'timeZone' | 'intervalMs' | 'dayStart' | 'dayEnd' | 'settings' | 'configVersion' | 'settingsVersion'> {
	/** Any contact offered. */
	readonly traffic: boolean;
	/** Figures the source recorded: occupancy needs agent states, CSAT needs survey answers. */
	readonly recorded: { readonly agentTime: boolean; readonly csat: boolean };
	/** Formula of the floor-wide (total, channel, interval) service level; queues use their own. */
	readonly slFormula: SlFormula;
	readonly totalCounts: KpiCounts;
	readonly total: Kpis;
	/** The floor-wide judgements (FLOOR_TARGETS order); the rest are per group in `groups`. */
	readonly judgements: readonly Judgement[];
	/** Channel groups with traffic rows that day, CHANNEL_GROUPS order. */
	readonly groups: readonly ChannelGroupRow[];
	readonly met: MetVerdict;
	readonly intervals: readonly IntervalRow[];
	readonly queues: readonly GroupRow[];
	readonly channels: readonly GroupRow[];
	/** null when not asked for (supervisor data) or not in the history. */
	readonly agents: readonly AgentRow[] | null;
}

/** Builds the report of one day. */
export function buildDayReport(input: DayInput): DayReport {
	const formula = input.settings.slFormula;
	const n = Math.max(1, Math.round((input.dayEnd - input.dayStart) / input.intervalMs));
	const slot = (start: number) => Math.floor((start - input.dayStart) / input.intervalMs);

	// The history gives per-queue rows and may give channel and total roll-ups; where a roll-up is
	// missing it is the sum of its queues (counts are additive by construction).
	const hasTotal = input.intervals.some((r) => r.queue === '*' && r.channel === '*');
	const hasChannel = input.intervals.some((r) => r.queue === '*' && r.channel !== '*');
	const perInterval = Array.from({ length: n }, emptyCounts);
	const perQueue = new Map<string, { channel: Channel; counts: KpiCounts }>();
	const perChannel = new Map<Channel, KpiCounts>();
	const perChannelInterval = new Map<Channel, KpiCounts[]>();
	const mergeSlot = (ch: Channel, i: number, c: Readonly<KpiCounts>) => {
		let slots = perChannelInterval.get(ch);
		if (!slots) perChannelInterval.set(ch, (slots = Array.from({ length: n }, emptyCounts)));
		mergeCounts(slots[i] ?? emptyCounts(), c);
	};
	for (const r of input.intervals) {
		const i = slot(r.start);
		if (i < 0 || i >= n) continue;
		if (r.queue !== '*') {
			if (r.channel === '*') continue;
			const q = perQueue.get(r.queue) ?? { channel: r.channel, counts: emptyCounts() };
			mergeCounts(q.counts, r.counts);
			perQueue.set(r.queue, q);
			if (!hasChannel) {
				mergeInto(perChannel, r.channel, r.counts);
				mergeSlot(r.channel, i, r.counts);
			}
			if (!hasTotal) mergeCounts(perInterval[i] ?? emptyCounts(), r.counts);
		} else if (r.channel === '*') {
			mergeCounts(perInterval[i] ?? emptyCounts(), r.counts);
		} else {
			mergeInto(perChannel, r.channel, r.counts);
			mergeSlot(r.channel, i, r.counts);
		}
	}
	const intervalRows = (slots: readonly KpiCounts[], agentTimeHere: boolean): IntervalRow[] =>
		slots.map((c, i) => ({ start: input.dayStart + i * input.intervalMs, counts: c, kpis: recordedKpis(c, formula, agentTimeHere) }));

	const totalCounts = sumCounts(perInterval);
	const agentTime = input.recorded.agentStates;
	const csat = input.recorded.csat || totalCounts.csatAnswers > 0;
	const total = recordedKpis(totalCounts, formula, agentTime);
	const floorTarget = input.settings.targets.serviceLevel;

	const configured = new Map(input.queues.map((q) => [q.id, q]));
	const queues: GroupRow[] = [...perQueue.entries()]
		.map(([id, q]) => {
			const cfg = configured.get(id);
			const sl = cfg?.sl ?? resolveSl(q.channel);
			// Per-queue rows carry no agent time (an agent's time is not one queue's): occupancy is the floor's.
			const kpis = recordedKpis(q.counts, sl.formula, false);
			return group(id, cfg?.name ?? id, q.channel, q.counts, kpis, sl.formula, sl.threshold, sl.target);
		})
		.sort((a, b) => a.key.localeCompare(b.key));
	const channels: GroupRow[] = [...perChannel.entries()]
		.map(([ch, c]) => group(ch, ch, ch, c, recordedKpis(c, formula, agentTime && hasChannel), formula, null, floorTarget))
		.sort((a, b) => a.key.localeCompare(b.key));

	const judgements = FLOOR_TARGETS.map((kpi) => judgement(kpi, total[kpi], input.settings.targets[kpi]));
	const groups = CHANNEL_GROUPS.flatMap((g): ChannelGroupRow[] => {
		const chans = GROUP_CHANNELS[g].filter((c) => perChannel.has(c));
		if (chans.length === 0) return [];
		// Counts add up; the group's rates come from its summed counts, never from averaged rates.
		const counts = sumCounts(chans.map((c) => perChannel.get(c) ?? emptyCounts()));
		const kpis = recordedKpis(counts, formula, false);
		const targets = groupTargets(input.settings, g);
		return [
			{
				...group(g, GROUP_LABEL[g], '*', counts, kpis, formula, null, targets.serviceLevel),
				group: g,
				targets,
				judgements: GROUP_TARGETS.map((kpi) => judgement(kpi, kpis[kpi], targets[kpi])),
				// An agent's time is not one group's (blended agents), so group intervals carry no occupancy.
				intervals: intervalRows(
					Array.from({ length: n }, (_, i) => sumCounts(chans.map((c) => perChannelInterval.get(c)?.[i] ?? emptyCounts()))),
					false
				)
			}
		];
	});

	return {
		date: input.date,
		source: input.source,
		timeZone: input.timeZone,
		intervalMs: input.intervalMs,
		dayStart: input.dayStart,
		dayEnd: input.dayEnd,
		traffic: totalCounts.offered > 0,
		recorded: { agentTime, csat },
		settings: input.settings,
		configVersion: input.configVersion,
		settingsVersion: input.settingsVersion,
		slFormula: formula,
		totalCounts,
		total,
		judgements,
		groups,
		met: verdict(input.settings, total, queues, groups),
		intervals: intervalRows(perInterval, agentTime),
		queues,
		channels,
		agents: input.agents ? input.agents.map(agentRow) : null
	};
}

function mergeInto<K>(map: Map<K, KpiCounts>, key: K, c: Readonly<KpiCounts>): void {
	const into = map.get(key) ?? emptyCounts();
	mergeCounts(into, c);
	map.set(key, into);
}

/** KPIs of `c`, with occupancy and slot utilisation null when the source did not record agent time. */
function recordedKpis(c: Readonly<KpiCounts>, formula: SlFormula, agentTime: boolean): Kpis {
	const k = computeKpis(c, formula);
	return agentTime ? k : { ...k, occupancy: null, slotUtilisation: null };
}

function group(
	key: string,
	name: string,
	channel: Channel | '*',
	counts: KpiCounts,
	kpis: Kpis,
	slFormula: SlFormula,
	slThreshold: number | null,
	slTarget: number
): GroupRow {
	return { key, name, channel, counts, kpis, slFormula, slThreshold, slTarget, met: judge(kpis.serviceLevel, slTarget, 'min') };
}

function judgement(kpi: TargetKpi, value: number | null, target: number | null): Judgement {
	return { kpi, value, target, met: judge(value, target, TARGET_DIRECTION[kpi]) };
}

function judge(value: number | null, target: number | null, direction: 'min' | 'max'): boolean | null {
	if (value === null || target === null) return null;
	return direction === 'min' ? value >= target : value <= target;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function verdict(settings: ReportSettings, total: Kpis, queues: readonly GroupRow[], groups: readonly ChannelGroupRow[]): MetVerdict {
	const rule = settings.metRule;
	const base = { rule, ruleText: MET_RULE_LABEL[rule] };
	if (rule === 'floor-total') {
		const sl = total.serviceLevel;
		const target = settings.targets.serviceLevel;
		if (sl === null) return { ...base, met: null, text: total.offered > 0 ? 'nothing answered or abandoned to judge' : 'no traffic' };
		const met = sl >= target;
		return { ...base, met, text: `${met ? 'met' : 'missed'}: ${pct(sl)} ${met ? '≥' : '<'} ${pct(target)} (all queues together)` };
	}
	const word = rule === 'every-group' ? 'channel groups' : 'queues';
	const judged = (rule === 'every-group' ? groups : queues).filter((q) => q.met !== null);
	if (judged.length === 0) return { ...base, met: null, text: total.offered > 0 ? 'nothing answered or abandoned to judge' : 'no traffic' };
	const missed = judged.filter((q) => q.met === false);
	if (missed.length === 0) return { ...base, met: true, text: `met: all ${judged.length} ${word} at or above their targets` };
	const named = missed
		.slice(0, 4)
		.map((q) => `${q.name} ${pct(q.kpis.serviceLevel ?? 0)} < ${pct(q.slTarget)}`)
		.join(', ');
	return { ...base, met: false, text: `missed: ${missed.length} of ${judged.length} ${word} below target (${named}${missed.length > 4 ? ', …' : ''})` };
}

function agentRow(a: HistoryAgentDayRow): AgentRow {
	// Occupancy with the KPI module's own formula: time on contacts incl. wrap-up / (that + available).
	const c = emptyCounts();
	c.busyTime = a.onContact + (a.wrapUp ?? 0);
	c.idleTime = a.available ?? 0;
	const notReady = a.notReady === null ? null : Object.values(a.notReady).reduce((s, x) => s + x, 0);
	return {
		agent: a.agent,
		name: a.name,
		team: a.team,
		handled: a.handled,
		aht: a.aht,
		occupancy: a.available === null ? null : occupancy(c),
		available: a.available,
		onContact: a.onContact,
		wrapUp: a.wrapUp,
		notReady,
		offline: a.offline
	};
}
