import type { Channel } from '../domain/channels';
import type { QueueConfig } from '../domain/floor';
import type { KpiCounts } from '../domain/kpi';
import type { ReportSettings } from './settings';

/**
 * What a day report is computed from: the history's interval rows of one day (counts the Floor
 * decided, per queue, per channel and in total), its agent rows when the source recorded agent
 * states, and the configuration in force that day. Server-side assembly fills this from the store.
 */

/** One interval row: `queue` '*' with a channel is that channel's roll-up, '*' and '*' the total. */
export interface IntervalInput {
	readonly start: number;
	readonly queue: string;
	readonly channel: Channel | '*';
	readonly counts: Readonly<KpiCounts>;
}

/** One agent's day: contacts handled and the time spent in each state (seconds). */
export interface AgentInput {
	readonly agent: string;
	readonly name: string;
	readonly team: string;
	readonly handled: number;
	/** Sum of handling times (talk + hold + after-contact work) of the contacts handled. */
	readonly handleSum: number;
	/** Seconds on contacts (incl. wrap-up) and seconds available with nothing to do: occupancy. */
	readonly busy: number;
	readonly idle: number;
	/** Seconds per state: available, on-contact, wrap-up, not-ready (all reasons), offline. */
	readonly states: Readonly<Record<AgentStateColumn, number>>;
	/** Seconds not ready per reason. */
	readonly notReadyReasons: Readonly<Record<string, number>>;
}

/** The state columns of the agent table. */
export const AGENT_STATE_COLUMNS = ['available', 'on-contact', 'wrap-up', 'not-ready', 'offline'] as const;
/** One state column of the agent table. */
export type AgentStateColumn = (typeof AGENT_STATE_COLUMNS)[number];

/** Everything one day's report needs. */
export interface DayInput {
	/** YYYY-MM-DD in the center's time zone. */
	readonly date: string;
	readonly source: string;
	readonly timeZone: string;
	readonly intervalMs: number;
	/** Epoch ms of the day's start (the daily reset) and of the next day's start (23, 24 or 25 h later). */
	readonly dayStart: number;
	readonly dayEnd: number;
	readonly intervals: readonly IntervalInput[];
	/** Agent rows; null when the source never recorded agent states (an imported call file). */
	readonly agents: readonly AgentInput[] | null;
	/** Whether the source recorded agent states (logins, breaks): occupancy is "not recorded" otherwise. */
	readonly agentStatesRecorded: boolean;
	/** Queues as configured that day (SL threshold, target, short-abandon, formula). */
	readonly queues: readonly QueueConfig[];
	readonly settings: ReportSettings;
	/** Versions of the floor config and report settings in force that day (null: defaults). */
	readonly configVersion: number | null;
	readonly settingsVersion: number | null;
}
