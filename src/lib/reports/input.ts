import type { Channel } from '../domain/channels';
import type { HistoryAgentDayRow, HistoryRecorded } from '../domain/history';
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
	/** The history's agent day rows (supervisor data); null when not asked for or not recorded. */
	readonly agents: readonly HistoryAgentDayRow[] | null;
	/** What the source recorded: occupancy and time per state need agent states, CSAT survey answers. */
	readonly recorded: Pick<HistoryRecorded, 'agentStates' | 'csat'>;
	/** Queues as configured that day (SL threshold, target, short-abandon, formula). */
	readonly queues: readonly QueueConfig[];
	readonly settings: ReportSettings;
	/** Versions of the floor config and report settings in force that day (null: defaults). */
	readonly configVersion: number | null;
	readonly settingsVersion: number | null;
}
