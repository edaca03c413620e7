import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import type { Scenario } from '../scenario';
import { actualKpis, type Actual } from './actual';
import { historyDay } from './history-day';
import { traceHorizon, type TraceDay } from './load';
import { recordedGroups } from './recorded-staffing';
import { BANK_OWN_POOLS, BANK_PRIORITY_CREDIT, dayScenario, type DayScenario } from './scenario';

/**
 * One loaded day, ready to replay: its scenario, how its staffing and patience were found, and
 * what the day itself recorded. Anonymous Bank days get the bank's priority credit and an
 * estimated staffing; a day trace (stored, or a JSONL trace the Floor projected the same way)
 * replays through `traceReplay`.
 */

/** Options of `prepareReplay`. */
export interface PrepareOptions {
	/** Queues given their own pool of agents (see `DayScenarioOptions.ownPools`; default: `BANK_OWN_POOLS` for the Anonymous Bank, else none). */
	readonly ownPools?: readonly string[];
	/** Queue credit per priority level, seconds (default: 90 for the Anonymous Bank, else 0). */
	readonly priorityCredit?: number;
}

/** A replay ready to run. */
export interface PreparedReplay extends DayScenario {
	readonly actual: Actual;
	readonly scenario: Scenario;
}

const INTERVAL = 900;

/** Builds the replay of a loaded day. */
export function prepareReplay(loaded: Extract<TraceDay, { ok: true }>, options: PrepareOptions = {}): PreparedReplay {
	const name = `replay ${loaded.day.date ?? ''}`.trim();
	if (loaded.trace) return traceReplay(loaded.trace, { ...options, name });
	const credit = options.priorityCredit ?? (loaded.format === 'anonymous-bank' ? BANK_PRIORITY_CREDIT : 0);
	const ownPools = options.ownPools ?? (loaded.format === 'anonymous-bank' ? BANK_OWN_POOLS : []);
	const built = dayScenario(loaded.day, { name, interval: INTERVAL, priorityCredit: credit, ownPools });
	return { ...built, actual: actualKpis(loaded.day, built.scenario) };
}

/**
 * The replay of a day trace (`GET /api/history/days/:date/trace`, or a JSONL trace through the
 * Floor). Staffing, most faithful first: the day's agent groups with their own skills, concurrency
 * and reserve, logged in as their presence rows say (when the trace has profiles and presence);
 * else all agents in one pool with the recorded logins per interval; else estimated from the
 * contacts. Throws when the day has no finished contact.
 */
export function traceReplay(trace: HistoryTraceResponse, options: PrepareOptions & { readonly name?: string } = {}): PreparedReplay {
	const horizon = traceHorizon(trace, INTERVAL);
	const { day, staffing } = historyDay(trace, horizon, INTERVAL);
	const base = { name: options.name ?? `replay ${trace.date}`, interval: INTERVAL, priorityCredit: options.priorityCredit ?? 0 };
	// Own pools asked for: pool the agents by queue, as for a call log.
	const groups = options.ownPools?.length ? null : recordedGroups(trace, day, horizon, INTERVAL);
	const built = groups
		? dayScenario(day, { ...base, groups: groups.groups, staffing: { ...(staffing ? { '*': staffing } : {}), ...groups.staffing } })
		: dayScenario(day, { ...base, ownPools: options.ownPools ?? [], ...(staffing ? { staffing: { '*': staffing } } : {}) });
	return { ...built, actual: actualKpis(day, built.scenario) };
}
