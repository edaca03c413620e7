import type { Scenario } from '../scenario';
import { actualKpis, type Actual } from './actual';
import { recordedStaffing } from './events-day';
import type { TraceDay } from './load';
import { BANK_OWN_POOLS, BANK_PRIORITY_CREDIT, dayScenario, type DayScenario } from './scenario';

/**
 * One loaded day, ready to replay: its scenario, how its staffing and patience were found, and
 * what the day itself recorded. Anonymous Bank days get the bank's priority credit; a Sightline
 * trace with agent states uses its recorded logins instead of an estimate.
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

/** Builds the replay of a loaded day. */
export function prepareReplay(loaded: Extract<TraceDay, { ok: true }>, options: PrepareOptions = {}): PreparedReplay {
	const interval = 900;
	const credit = options.priorityCredit ?? (loaded.format === 'anonymous-bank' ? BANK_PRIORITY_CREDIT : 0);
	const name = `replay ${loaded.day.date ?? ''}`.trim();
	const ownPools = options.ownPools ?? (loaded.format === 'anonymous-bank' ? BANK_OWN_POOLS : []);
	let built = dayScenario(loaded.day, { name, interval, priorityCredit: credit, ownPools });
	if (loaded.events && loaded.dayStartMs !== null) {
		const rec = recordedStaffing(loaded.events, loaded.dayStartMs, built.scenario.horizon, interval);
		if (rec) built = dayScenario(loaded.day, { name, interval, priorityCredit: credit, staffing: { '*': rec } });
	}
	return { ...built, actual: actualKpis(loaded.day, built.scenario) };
}
