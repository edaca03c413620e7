import type { Channel } from './channels';
import type { AgentPresence } from './events';
import type { KpiCounts } from './kpi';
import type { SlFormula, SlSettings } from './service-level';

/**
 * The history API's shapes (DESIGN.md, "Store and history"): what `GET /api/history/days`,
 * `/api/history/days/:date` and `/api/history/days/:date/trace` answer. Every figure here is a
 * projection of what the Floor decided; nothing is re-derived from raw events.
 *
 * Conventions:
 * - Times are epoch milliseconds; durations are seconds.
 * - A day is the center's day from its daily reset time in its time zone; `date` is its
 *   calendar date there (YYYY-MM-DD).
 * - A contact's figures belong to the interval, and the day, in which it was offered, even when
 *   its outcome arrives later (an email answered after the reset).
 * - `null` means "not recorded" (e.g. occupancy of an imported day without logins, or a rate
 *   with nothing to divide by). Never read it as 0 or 100%.
 */

/** Where a day's traffic came from. The same date may exist once per source. */
export const HISTORY_SOURCES = ['emulator', 'replay', 'ingest', 'import', 'backfill'] as const;
/** One of HISTORY_SOURCES. */
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/**
 * Which source's day `GET /api/history/days/:date` answers when no `?source=` is given and the
 * date exists for several: real traffic before generated traffic.
 */
export const SOURCE_PREFERENCE: readonly HistorySource[] = ['ingest', 'import', 'replay', 'emulator', 'backfill'];

/** `queue` of a row that sums every queue (of a channel, or of the day). */
export const ALL_QUEUES = '*';
/** `channel` of a row that sums every channel. */
export const ALL_CHANNELS = '*';

/** What a source recorded, so pages can say "not recorded" rather than show 0. */
export interface HistoryRecorded {
	/** Agent presence (logins, breaks, logouts) was recorded: time per state and occupancy are real. */
	readonly agentStates: boolean;
	/** After-contact work was recorded apart from talk (wrap-up events). */
	readonly afterContactWork: boolean;
	/** Customer-satisfaction answers were recorded. */
	readonly csat: boolean;
}

/** Whether a day's figures can still change. */
export type HistoryDayStatus =
	/** The day is running now (live sources). */
	| 'open'
	/** The day ended; contacts offered in it are still open, so late outcomes may still arrive. */
	| 'closing'
	/** Every contact offered that day closed, or the grace period passed: the snapshot is final. */
	| 'final';

/** One day in `GET /api/history/days`. Rates are null when nothing counts toward them. */
export interface HistoryDaySummary {
	readonly date: string;
	readonly source: HistorySource;
	readonly timeZone: string;
	/** Epoch ms of the day's reset, and of the next day's. */
	readonly dayStart: number;
	readonly dayEnd: number;
	readonly status: HistoryDayStatus;
	readonly offered: number;
	readonly answered: number;
	readonly abandoned: number;
	readonly shortAbandoned: number;
	readonly transferred: number;
	/** Service level of the whole day under `slFormula` (the formula is named on screen). */
	readonly serviceLevel: number | null;
	readonly slFormula: SlFormula;
	/** Mean wait of answered contacts, seconds. */
	readonly asa: number | null;
	/** Mean handle time (talk + hold + after-contact work), seconds. */
	readonly aht: number | null;
	readonly abandonRate: number | null;
	/** Null when the source recorded no agent presence. */
	readonly occupancy: number | null;
	/** Distinct agents that handled a contact or changed state that day. */
	readonly agents: number;
	readonly recorded: HistoryRecorded;
}

/** `GET /api/history/days` (viewer). Newest first. */
export interface HistoryDaysResponse {
	readonly days: readonly HistoryDaySummary[];
}

/** A queue as it was configured that day. */
export interface HistoryQueue {
	readonly id: string;
	readonly name: string;
	readonly channel: Channel;
	readonly sl: SlSettings;
}

/**
 * KPI counts of one interval for one queue (`queue` = id, `channel` = its channel), one channel
 * (`queue` = '*'), or the whole center (`queue` = '*', `channel` = '*'). Counts are additive
 * (see kpi.ts), so rows sum to the day. Agent-time fields (busyTime, idleTime, busySlotTime,
 * offeredSlotTime) are filled on the total row only, and only when `recorded.agentStates`.
 */
export interface HistoryIntervalRow {
	/** Epoch ms of the interval start. */
	readonly start: number;
	readonly queue: string;
	readonly channel: Channel | typeof ALL_CHANNELS;
	readonly counts: KpiCounts;
}

/** KPIs of one scope for the whole day (counts plus the rates, null where not recorded). */
export interface HistorySnapshotRow {
	readonly queue: string;
	readonly channel: Channel | typeof ALL_CHANNELS;
	readonly counts: KpiCounts;
	readonly serviceLevel: number | null;
	readonly slFormula: SlFormula;
	readonly asa: number | null;
	readonly aht: number | null;
	readonly abandonRate: number | null;
	readonly occupancy: number | null;
	readonly csat: number | null;
}

/** Seconds an agent spent per state over a period; null when the source recorded no presence. */
export interface AgentTimes {
	readonly available: number | null;
	/** On a contact (incl. hold), not counting wrap-up. */
	readonly onContact: number;
	readonly wrapUp: number | null;
	/** Not ready per reason ('' when no reason was given). */
	readonly notReady: Readonly<Record<string, number>> | null;
	readonly offline: number | null;
	/** Contacts whose handling this agent finished. */
	readonly handled: number;
}

/** One agent in one interval (`GET /api/history/days/:date`, supervisor). */
export interface HistoryAgentIntervalRow extends AgentTimes {
	readonly start: number;
	readonly agent: string;
}

/** One agent over the whole day, with the KPIs of its time. */
export interface HistoryAgentDayRow extends AgentTimes {
	readonly agent: string;
	readonly name: string;
	readonly team: string;
	/** (on contact + wrap-up) / (that + available); null when presence was not recorded. */
	readonly occupancy: number | null;
	/** Mean handle time of contacts this agent finished, seconds. */
	readonly aht: number | null;
}

/**
 * The daily snapshot: the day's KPIs per queue, per channel and in total (and per agent). Stored
 * at the daily reset, rewritten when a late outcome (an email answered after the reset) changes
 * the day, and frozen once `status` is 'final' (nothing adds to a final day any more).
 */
export interface HistorySnapshot {
	readonly status: HistoryDayStatus;
	/** When the snapshot became final, or null. */
	readonly finalAt: number | null;
	/** Contacts offered this day that have not closed yet. */
	readonly openContacts: number;
	readonly total: HistorySnapshotRow;
	readonly channels: readonly HistorySnapshotRow[];
	readonly queues: readonly HistorySnapshotRow[];
	/** Per agent; present for supervisors only. */
	readonly agents?: readonly HistoryAgentDayRow[];
}

/** `GET /api/history/days/:date[?source=]` (viewer; `agents` for supervisor). */
export interface HistoryDayResponse {
	readonly date: string;
	readonly source: HistorySource;
	readonly timeZone: string;
	readonly intervalMs: number;
	readonly dayStart: number;
	readonly dayEnd: number;
	readonly queues: readonly HistoryQueue[];
	/** Every interval of the day with any count, per queue, per channel and in total, by start. */
	readonly intervals: readonly HistoryIntervalRow[];
	readonly snapshot: HistorySnapshot;
	/** Per agent and interval; present for supervisors only. */
	readonly agents?: readonly HistoryAgentIntervalRow[];
	readonly recorded: HistoryRecorded;
}

/** How a contact's stay in one queue ended. `open`: it has not left yet. */
export type HistoryContactOutcome = 'handled' | 'abandoned' | 'transferred' | 'open';

/**
 * One stay of a contact in one queue (a transfer starts a new row for the receiving queue):
 * what a replay needs to play the day again.
 */
export interface HistoryTraceContact {
	readonly contact: string;
	readonly queue: string;
	readonly channel: Channel;
	readonly priority: number;
	/** Epoch ms offered to this queue. */
	readonly offered: number;
	/** Seconds waited in this queue (until answer, abandon or transfer); null while still waiting. */
	readonly wait: number | null;
	/** Seconds from answer to wrap-up (or to the end when no wrap-up was recorded); null if not answered or not ended. */
	readonly talk: number | null;
	/** Seconds of after-contact work; null when not recorded. */
	readonly afterContactWork: number | null;
	readonly outcome: HistoryContactOutcome;
	readonly agent: string | null;
	/** For a transfer, the queue it went to. */
	readonly transferredTo: string | null;
	readonly csat: number | null;
}

/** An agent of that day as it was profiled (last profile seen that day). */
export interface HistoryTraceAgent {
	readonly agent: string;
	readonly name: string;
	readonly team: string;
	readonly skills: Readonly<Record<string, number>>;
	/** Simultaneous contacts per channel (channels left out: 1). */
	readonly capacity: Readonly<Partial<Record<Channel, number>>>;
	/**
	 * Reserve rules in force for this agent that day: per queue id, seconds its contacts must have
	 * waited before this agent takes them (held back for that queue until then). Absent: none
	 * recorded. Agent events do not carry it: a stored day takes it from the live plan in force
	 * (`livePlan`), a JSONL trace names it in a comment line (sim/README.md).
	 */
	readonly reserve?: Readonly<Record<string, number>>;
}

/** One presence change of an agent (as sent in `agent.state`). */
export interface HistoryTraceAgentState {
	readonly agent: string;
	readonly ts: number;
	readonly state: AgentPresence;
	readonly reason: string | null;
}

/** `GET /api/history/days/:date/trace[?source=]` (supervisor). */
export interface HistoryTraceResponse {
	readonly date: string;
	readonly source: HistorySource;
	readonly timeZone: string;
	readonly dayStart: number;
	readonly dayEnd: number;
	readonly queues: readonly HistoryQueue[];
	/** By offer time. */
	readonly contacts: readonly HistoryTraceContact[];
	readonly agents: readonly HistoryTraceAgent[];
	/** By time; empty with `recorded.agentStates` false. */
	readonly agentStates: readonly HistoryTraceAgentState[];
	readonly recorded: HistoryRecorded;
	/**
	 * The live plan in force that day (published before the day ended, effective, on its weekday),
	 * whose reserve rules are on `agents[].reserve` (by team = the plan's agent group). Absent: none.
	 */
	readonly livePlan?: { readonly version: number; readonly name: string };
}

/** `DELETE /api/history/days/:date?source=` (admin). */
export interface HistoryDeleteResponse {
	readonly date: string;
	readonly source: HistorySource;
	/** The site whose day it was (`?site=`, default the default site). */
	readonly site: string;
	/** History rows removed (0 when the day was not there). */
	readonly deleted: number;
}

/** True when `s` names a history source. */
export function isHistorySource(s: unknown): s is HistorySource {
	return typeof s === 'string' && (HISTORY_SOURCES as readonly string[]).includes(s);
}
