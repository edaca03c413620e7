import type { AgentGroupSpec, Dist, QueueSpec, Scenario, TransferSpec } from '../scenario';
import type { RecordedContact, RecordedDay } from './day';
import { patienceDistribution, type PatienceFit, type PatienceSample } from './patience';
import { averageSteps, estimateStaffing, type StaffingEstimate } from './staffing';

/**
 * A recorded day as an ordinary scenario: every contact arrives when it did, in its queue and
 * with its priority, and keeps its own handle time; abandoners keep their patience, answered
 * contacts draw theirs from the queue's Kaplan–Meier patience conditioned on exceeding the wait
 * they were seen to survive. Staffing is the day's effective availability (staffing.ts) as agents
 * with shifts. The result validates like any scenario, so replications, `--compare`, workers and
 * the planner take it as it is.
 */

/** Queue credit per priority level the Anonymous Bank's routing gave (about 1.5 minutes). */
export const BANK_PRIORITY_CREDIT = 90;
/**
 * Queues of the Anonymous Bank served by a pool of their own: the internet calls (IN). On every
 * working day of August 1999 the agents who answered IN calls took, all types together, only
 * 17–53 % of the answered calls (against 96–100 % for PS, 59–90 % for NW, 73–98 % for NE): IN was
 * the business of part of the floor, and its waits (ASA 47–382 s) run apart from the rest.
 */
export const BANK_OWN_POOLS: readonly string[] = ['IN'];
/**
 * Priority level of a call that reached an agent without queueing: with any queue credit it goes
 * ahead of every queued call (it did in the record: the bank's direct calls were answered at once
 * even while the queue was long). Without credit the queue stays first come, first served.
 */
export const DIRECT_PRIORITY = 1000;
/** Credit per level that puts direct calls first when the day has no priority credit (1000 × 100 s ≫ a day); other calls then have level 0. */
const DIRECT_CREDIT = 100;
/** Abandons below which a queue's own patience is too thin to trust: it uses the day's pooled patience. */
export const THIN_QUEUE_EVENTS = 30;

/** Options of `dayScenario`. */
export interface DayScenarioOptions {
	readonly name?: string;
	/** KPI interval, seconds (default 900). */
	readonly interval?: number;
	/** Queue credit per priority level, seconds (default 0: first come, first served). */
	readonly priorityCredit?: number;
	/**
	 * Queues served by their own pool of agents (estimated separately), e.g. the bank's internet
	 * calls, answered by a few agents of their own. Default: one pool for all.
	 */
	readonly ownPools?: readonly string[];
	/**
	 * Granularity of the replayed staffing, seconds: the estimate time-averaged over steps of this
	 * length; 0 replays it as estimated, step by step (default: the KPI interval).
	 */
	readonly staffingStep?: number;
	/** Staffing to use instead of estimating it, per pool name ('*' for the main pool). */
	readonly staffing?: Readonly<Record<string, StaffingEstimate>>;
	/**
	 * The day's own agent groups (recorded skills, concurrency, reserve and staffing steps), used
	 * as they are instead of pools; `staffing` then only reports them (recorded-staffing.ts).
	 */
	readonly groups?: readonly AgentGroupSpec[];
}

/** The scenario and what was estimated to build it (reported with the replay). */
export interface DayScenario {
	readonly scenario: Scenario;
	/** Staffing per pool ('*' is the pool of all queues not listed in `ownPools`). */
	readonly staffing: Readonly<Record<string, StaffingEstimate>>;
	readonly patience: Readonly<Record<string, PatienceFit & { readonly source: 'queue' | 'pooled' | 'none' }>>;
}

function handleDist(contacts: readonly RecordedContact[]): Dist | null {
	const v = contacts.filter((c) => c.outcome === 'answered' && c.handle !== null).map((c) => c.handle ?? 0);
	return v.length ? { dist: 'empirical', values: v } : null;
}

/**
 * A queue's transfers as the simulator's transfer model: per receiving queue (of the same
 * channel), the share of the contacts answered here that were passed on there, and the receiving
 * legs' own handle times.
 */
function transferSpecs(id: string, here: readonly RecordedContact[], all: readonly RecordedContact[], sameChannel: (to: string) => boolean): TransferSpec[] {
	const answered = here.filter((c) => c.outcome === 'answered').length;
	const targets = [...new Set(here.flatMap((c) => (c.transferredTo !== undefined && sameChannel(c.transferredTo) ? [c.transferredTo] : [])))];
	return targets.map((to) => {
		const legs = all.filter((c) => c.queue === to && c.transferredFrom === id && c.outcome === 'answered' && c.handle !== null);
		const spec: TransferSpec = { to, share: here.filter((c) => c.transferredTo === to).length / answered };
		if (legs.length) spec.handle = { dist: 'empirical', values: legs.map((c) => c.handle ?? 0) };
		return spec;
	});
}

/** The priority level every one of `cs` carries, else 0. */
function queueLevel(cs: readonly RecordedContact[]): number {
	const first = cs[0]?.priority ?? 0;
	return cs.every((c) => c.priority === first) ? first : 0;
}

const sample = (c: RecordedContact): PatienceSample => ({ time: c.wait, event: c.outcome === 'abandoned' });

/** Builds the replay scenario of a recorded day. Throws when the day has no contacts. */
export function dayScenario(day: RecordedDay, options: DayScenarioOptions = {}): DayScenario {
	if (day.contacts.length === 0) throw new Error(`no traffic on ${day.date ?? 'the day'}`);
	const interval = options.interval ?? 900;
	const lastArrival = Math.max(...day.contacts.map((c) => c.at));
	const horizon = Math.max(86_400, Math.ceil((lastArrival + 1) / interval) * interval);
	const byQueue = new Map(day.queues.map((q) => [q.id, day.contacts.filter((c) => c.queue === q.id)]));

	const credit = options.priorityCredit ?? 0;
	const pooledPatience = patienceDistribution(day.contacts.map(sample));
	const pooledHandle = handleDist(day.contacts) ?? { dist: 'constant', value: 180 };
	const patience: Record<string, DayScenario['patience'][string]> = {};
	const channelOf = new Map(day.queues.map((q) => [q.id, q.channel]));
	const queues: QueueSpec[] = day.queues.map((q) => {
		const all = byQueue.get(q.id) ?? [];
		// Stays that began with a transfer come from the transfer model, not as arrivals.
		const cs = all.filter((c) => c.transferredFrom === undefined);
		const own = patienceDistribution(all.map(sample));
		const fit = own.events >= THIN_QUEUE_EVENTS ? { ...own, source: 'queue' as const } : { ...pooledPatience, source: pooledPatience.dist ? ('pooled' as const) : ('none' as const) };
		patience[q.id] = fit;
		const spec: QueueSpec = {
			id: q.id,
			channel: q.channel,
			// The recorded abandonment counts every hang-up in queue, so no short-abandon cut-off.
			sl: { shortAbandon: 0 },
			arrivals: {
				trace: cs.map((c) => c.at),
				handle: cs.map((c) => c.handle),
				// Calls that reached an agent without queueing go first; their patience is unknown, so drawn.
				priority: cs.map((c) => (c.direct ? DIRECT_PRIORITY : credit > 0 ? c.priority : 0)),
				patience: cs.map((c) => (c.outcome === 'abandoned' ? c.wait : null)),
				waited: cs.map((c) => (c.outcome === 'answered' ? c.wait : 0))
			},
			handle: handleDist(cs) ?? pooledHandle
		};
		if (cs.some((c) => c.wrapup !== null)) spec.arrivals = { ...spec.arrivals, wrapup: cs.map((c) => c.wrapup) } as QueueSpec['arrivals'];
		const transfers = transferSpecs(q.id, all, day.contacts, (to) => channelOf.get(to) === q.channel);
		if (transfers.length) spec.transfers = transfers;
		if (fit.dist) spec.patience = fit.dist;
		if (credit > 0) spec.priorityCredit = credit;
		else if (cs.some((c) => c.direct)) spec.priorityCredit = DIRECT_CREDIT;
		else {
			// Without queue credit, one level all the queue's contacts carried is the queue's priority
			// as routing applied it (the live floor stamps a queue's priority on each contact).
			const level = queueLevel(cs);
			if (level > 0) spec.priority = level;
		}
		return spec;
	});

	const ownPools = (options.ownPools ?? []).filter((q) => byQueue.has(q));
	const pools = [
		{ name: '*', queues: day.queues.map((q) => q.id).filter((q) => !ownPools.includes(q)) },
		...ownPools.map((q) => ({ name: q, queues: [q] }))
	];
	const staffing: Record<string, StaffingEstimate> = {};
	const agents: AgentGroupSpec[] = options.groups ? options.groups.map((g) => ({ ...g })) : [];
	if (options.groups) Object.assign(staffing, options.staffing);
	for (const pool of options.groups ? [] : pools) {
		if (pool.queues.length === 0) continue;
		const step = options.staffingStep ?? interval;
		const cs = day.contacts.filter((c) => pool.queues.includes(c.queue));
		const est = options.staffing?.[pool.name] ?? estimateStaffing(cs, horizon, step || interval);
		staffing[pool.name] = est;
		const skills = Object.fromEntries(pool.queues.map((q) => [q, 1]));
		const steps = step === 0 && est.steps ? est.steps : averageSteps(est.available, est.interval, horizon);
		const count = Math.max(0, ...steps.map((s) => s.count));
		if (count > 0) agents.push({ group: pool.name === '*' ? 'staff' : pool.name, count, skills, staffing: steps.map((s) => ({ ...s })) });
	}

	const scenario: Scenario = {
		name: options.name ?? `replay ${day.date ?? ''}`.trim(),
		description: `A recorded day replayed: own arrivals, handle times, priorities; Kaplan–Meier patience; ${options.groups ? 'its own agent groups with their recorded staffing' : options.staffing ? 'recorded staffing' : 'estimated effective staffing'}.`,
		horizon,
		interval,
		queues,
		agents
	};
	return { scenario, staffing, patience };
}
