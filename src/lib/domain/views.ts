import type { Channel } from './channels';
import type { ChannelGroup } from './channel-groups';
import type { AgentActivity } from './agent-activity';
import type { Kpis } from './kpi';
import type { BoardConfig } from './board-config';
import type { SlSettings } from './service-level';

/**
 * What a wallboard sees of the floor: plain rows, projected from the floor reducer's state for one
 * board. These are the payloads of the wire protocol (src/lib/protocol). Each row is built by its
 * factory below so that its keys always come in the same order, which is what lets the msgpackr
 * codec encode it as a declared record.
 */




/** One agent cell on the board. */
export interface AgentRow {
	readonly id: string;
	readonly name: string;
	readonly team: string;
	readonly activity: AgentActivity;
	/** Not-ready reason, when there is one. */
	readonly reason: string | null;
	/** Epoch ms when the current activity began; time in state ticks in the browser from it. */
	readonly since: number;
	/** Slots in use per channel, in CHANNELS order. */
	readonly slots: readonly number[];
	/** Capacity per channel, in CHANNELS order. */
	readonly capacity: readonly number[];
}

/** One queue row. */
export interface QueueRow {
	readonly id: string;
	readonly name: string;
	readonly channel: Channel;
	readonly sl: SlSettings;
	/** Contacts waiting now. */
	readonly waiting: number;
	/** Epoch ms at which the oldest waiting contact was queued; null when none waits. */
	readonly oldestSince: number | null;
	/** Agents logged in with this skill, and those of them available with a free slot. */
	readonly staffed: number;
	readonly available: number;
	readonly today: Kpis;
	readonly rolling: Kpis;
}

/** Agents by activity. */
export interface AgentCounts {
	readonly available: number;
	readonly onContact: number;
	readonly wrapUp: number;
	readonly notReady: number;
	readonly offline: number;
	/** Agents with at least one contact of each channel, CHANNELS order. */
	readonly onContactByChannel: readonly number[];
	/** Not-ready agents by reason ("" for none given). */
	readonly notReadyByReason: Readonly<Record<string, number>>;
}

/** A roll-up over a board's queues (all of them, one channel's, or one channel group's). */
export interface RollupRow {
	/** "total", a channel (in `channels`) or a channel group (in `groups`). */
	readonly scope: 'total' | Channel | ChannelGroup;
	readonly waiting: number;
	readonly oldestSince: number | null;
	readonly today: Kpis;
	readonly rolling: Kpis;
	readonly agents: AgentCounts;
}

/** One past or current interval of the board's trend. */
export interface TrendPoint {
	/** Epoch ms of the interval start. */
	readonly start: number;
	readonly offered: number;
	readonly answered: number;
	readonly abandoned: number;
	readonly serviceLevel: number | null;
	/** Most contacts waiting at once during the interval. */
	readonly waitingMax: number;
}

/** Everything a board shows: the payload of a snapshot. */
export interface BoardView {
	readonly board: BoardConfig;
	/** Epoch ms at which the center's current day began, and the interval and rolling window lengths. */
	readonly dayStart: number;
	readonly intervalMs: number;
	readonly rollingMs: number;
	/** Server-clock ms when the floor last took in an event (null: none since the server started). */
	readonly lastEventAt: number | null;
	readonly total: RollupRow;
	readonly channels: readonly RollupRow[];
	readonly queues: readonly QueueRow[];
	readonly agents: readonly AgentRow[];
	readonly trend: readonly TrendPoint[];
	/** Roll-ups per channel group with queues on the board, CHANNEL_GROUPS order (the headline's rows). */
	readonly groups: readonly RollupRow[];
}

/**
 * What changed since the previous frame; null where nothing did. Rows replace rows of the same id
 * (`queues`, `agents`) or start (`trend`); `channels` and `total` replace whole.
 */
export interface BoardChanges {
	readonly board: BoardConfig | null;
	readonly dayStart: number | null;
	/** Sent with other changes, or alone at most once a second while events keep coming. */
	readonly lastEventAt: number | null;
	readonly total: RollupRow | null;
	readonly channels: readonly RollupRow[] | null;
	readonly queues: readonly QueueRow[] | null;
	readonly agents: readonly AgentRow[] | null;
	readonly removedAgents: readonly string[] | null;
	readonly trend: readonly TrendPoint[] | null;
	/** Replace whole, like `channels`. */
	readonly groups: readonly RollupRow[] | null;
}

/** Builds an agent row with its keys in wire order. */
export function agentRow(r: AgentRow): AgentRow {
	return {
		id: r.id,
		name: r.name,
		team: r.team,
		activity: r.activity,
		reason: r.reason,
		since: r.since,
		slots: r.slots,
		capacity: r.capacity
	};
}

/** Builds a queue row with its keys in wire order. */
export function queueRow(r: QueueRow): QueueRow {
	return {
		id: r.id,
		name: r.name,
		channel: r.channel,
		sl: { threshold: r.sl.threshold, target: r.sl.target, shortAbandon: r.sl.shortAbandon, formula: r.sl.formula },
		waiting: r.waiting,
		oldestSince: r.oldestSince,
		staffed: r.staffed,
		available: r.available,
		today: r.today,
		rolling: r.rolling
	};
}

/** Builds agent counts with keys in wire order. */
export function agentCounts(r: AgentCounts): AgentCounts {
	return {
		available: r.available,
		onContact: r.onContact,
		wrapUp: r.wrapUp,
		notReady: r.notReady,
		offline: r.offline,
		onContactByChannel: r.onContactByChannel,
		notReadyByReason: r.notReadyByReason
	};
}

/** Builds a roll-up row with keys in wire order. */
export function rollupRow(r: RollupRow): RollupRow {
	return {
		scope: r.scope,
		waiting: r.waiting,
		oldestSince: r.oldestSince,
		today: r.today,
		rolling: r.rolling,
		agents: agentCounts(r.agents)
	};
}

/** Builds a trend point with keys in wire order. */
export function trendPoint(r: TrendPoint): TrendPoint {
	return {
		start: r.start,
		offered: r.offered,
		answered: r.answered,
		abandoned: r.abandoned,
		serviceLevel: r.serviceLevel,
		waitingMax: r.waitingMax
	};
}

/** Builds a changes record with every key present (null where unchanged), in wire order. */
export function boardChanges(c: Partial<BoardChanges>): BoardChanges {
	return {
		board: c.board ?? null,
		dayStart: c.dayStart ?? null,
		lastEventAt: c.lastEventAt ?? null,
		total: c.total ?? null,
		channels: c.channels ?? null,
		queues: c.queues ?? null,
		agents: c.agents ?? null,
		removedAgents: c.removedAgents ?? null,
		trend: c.trend ?? null,
		groups: c.groups ?? null
	};
}

/** True when a changes record carries nothing (no frame is sent for it). */
export function isEmptyChanges(c: BoardChanges): boolean {
	return Object.values(c).every((v) => v === null || (Array.isArray(v) && v.length === 0));
}
