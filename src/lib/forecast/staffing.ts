import { agentsForTarget } from '../../../sim/erlang';
import type { RunResult } from '../../../sim/results';
import type { Dist, Scenario } from '../../../sim/scenario';
import { tQuantile } from '../../../sim/stats';
import type { Channel } from '../domain/channels';
import { computeKpis, emptyCounts, mergeCounts } from '../domain/kpi';
import type { SlFormula } from '../domain/service-level';
import type { ForecastDay } from './forecast';

/**
 * The staffing a forecast day needs, per interval, for one pool of agents skilled for every
 * queue of the day:
 *
 * 1. Erlang C and Erlang A (patience from history) on the pooled interval load, as a first
 *    answer, and per queue as if each had its own team (the sum is what splitting teams costs).
 * 2. A simulation search from the Erlang A answer: the day is simulated (`simulate`, e.g. the
 *    sim service's workers) with R replications on common random numbers; an interval whose
 *    service level does not meet the target with 95 % confidence (one-sided lower bound of the
 *    mean over replications) gets one more agent, and once every interval meets it, each
 *    interval is tried with one agent fewer and keeps the cut if every interval still meets
 *    the target. The simulation sees what the formulas miss: backlog carried between intervals,
 *    non-exponential handle times and patience, several queues on one pool.
 *
 * Intervals expecting fewer than `minJudged` contacts are judged on the mean alone: a 95 %
 * bound on a service level measured over two or three calls would staff the night for noise.
 */

/** A queue of the day to staff. */
export interface StaffingQueue {
	readonly id: string;
	readonly channel: Channel;
	/** Mean patience (seconds) for Erlang A; Infinity when nobody abandons. */
	readonly patienceMean: number;
	/** Patience distribution for the simulation (e.g. Kaplan–Meier from history); exponential with the mean when omitted. */
	readonly patience?: Dist;
	/** Handle-time distribution for the simulation; lognormal with the forecast AHT as mean and sd when omitted. */
	readonly handle?: Dist;
}

/** The service-level target the day is staffed for (pooled over the queues). */
export interface StaffingTarget {
	readonly threshold: number;
	readonly target: number;
	readonly shortAbandon: number;
	readonly formula: SlFormula;
}

/** One interval's answer. */
export interface StaffingInterval {
	/** Seconds from local midnight. */
	readonly start: number;
	readonly offered: number;
	readonly aht: number | null;
	readonly erlangC: number;
	readonly erlangA: number;
	/** Σ over queues of Erlang A with a team per queue. */
	readonly erlangAByQueue: number;
	/** Agents the simulation search settled on (null before the search). */
	readonly agents: number | null;
	/** Simulated service level with those agents: mean and one-sided 95 % lower bound over replications. */
	readonly sl: number | null;
	readonly slLow: number | null;
	readonly met: boolean | null;
}

/** The staffing of a day. */
export interface DayStaffing {
	readonly date: string;
	readonly intervalSec: number;
	readonly target: StaffingTarget;
	readonly intervals: readonly StaffingInterval[];
	/** Agent-hours over the day by each answer. */
	readonly agentHours: { readonly erlangC: number; readonly erlangA: number; readonly search: number | null };
	/** The scenario of the final staffing: an ordinary scenario the planner can edit and run. */
	readonly scenario: Scenario | null;
	readonly rounds: number;
	readonly replications: number;
	readonly method: readonly string[];
}

/**
 * Exponential patience mean from waits, censoring-aware: the maximum-likelihood estimate is the
 * total time at risk (every contact's wait, answered or not) over the number who abandoned.
 */
export function exponentialPatienceMean(samples: readonly { readonly time: number; readonly event: boolean }[]): number {
	let exposure = 0;
	let events = 0;
	for (const s of samples) {
		exposure += Math.max(0, s.time);
		if (s.event) events++;
	}
	return events > 0 ? exposure / events : Infinity;
}

function erlangAgents(lambda: number, aht: number, patience: number, t: StaffingTarget): number {
	if (!(lambda > 0) || !(aht > 0)) return 0;
	return agentsForTarget({ lambda, aht, threshold: t.threshold, target: t.target, shortAbandon: t.shortAbandon, formula: t.formula, patience }).agents;
}

/** Erlang C and A staffing per interval (the first answer; no simulation). */
export function erlangStaffing(day: ForecastDay, intervalSec: number, queues: readonly StaffingQueue[], target: StaffingTarget): DayStaffing {
	const intervals = day.intervals.map((iv): StaffingInterval => {
		let patienceWeighted = 0;
		let byQueue = 0;
		let finitePatience = 0;
		for (const q of queues) {
			const cell = iv.queues[q.id];
			if (!cell || !(cell.offered > 0) || cell.aht === null) continue;
			byQueue += erlangAgents(cell.offered / intervalSec, cell.aht, q.patienceMean, target);
			if (Number.isFinite(q.patienceMean)) {
				patienceWeighted += cell.offered / q.patienceMean;
				finitePatience += cell.offered;
			}
		}
		// Pooled abandonment rate: the offered-weighted mean of the queues' rates 1/patience.
		const patience = finitePatience > 0 && patienceWeighted > 0 ? finitePatience / patienceWeighted : Infinity;
		const lambda = iv.offered / intervalSec;
		const aht = iv.aht ?? 0;
		return {
			start: iv.start,
			offered: iv.offered,
			aht: iv.aht,
			erlangC: erlangAgents(lambda, aht, Infinity, target),
			erlangA: erlangAgents(lambda, aht, patience, target),
			erlangAByQueue: byQueue,
			agents: null,
			sl: null,
			slLow: null,
			met: null
		};
	});
	const hours = (f: (iv: StaffingInterval) => number) => (intervals.reduce((a, iv) => a + f(iv), 0) * intervalSec) / 3600;
	return {
		date: day.date,
		intervalSec,
		target,
		intervals,
		agentHours: { erlangC: hours((iv) => iv.erlangC), erlangA: hours((iv) => iv.erlangA), search: null },
		scenario: null,
		rounds: 0,
		replications: 0,
		method: [
			`Erlang C and Erlang A per ${intervalSec / 60}-minute interval on the pooled load (offered, AHT and, for A, patience weighted over queues) for ${Math.round(target.target * 100)}% within ${target.threshold} s (${target.formula}).`
		]
	};
}

/**
 * Agent groups from a staffing per interval: layer k works the intervals that need at least k
 * agents, one shift per run of them, all skilled for every queue.
 */
export function staffingGroups(agents: readonly number[], intervalSec: number, queueIds: readonly string[]): Scenario['agents'] {
	const max = Math.max(0, ...agents);
	const skills = Object.fromEntries(queueIds.map((q) => [q, 1]));
	const groups: Scenario['agents'] = [];
	for (let k = 1; k <= max; k++) {
		const shifts: { start: number; end: number }[] = [];
		let from = -1;
		for (let i = 0; i <= agents.length; i++) {
			const on = i < agents.length && (agents[i] ?? 0) >= k;
			if (on && from < 0) from = i;
			if (!on && from >= 0) {
				shifts.push({ start: from * intervalSec, end: i * intervalSec });
				from = -1;
			}
		}
		groups.push({ group: `agent-${k}`, count: 1, skills, shifts });
	}
	return groups;
}

/** The forecast day with a given staffing, as a scenario (Poisson arrivals per interval). */
export function dayScenario(
	day: ForecastDay,
	intervalSec: number,
	queues: readonly StaffingQueue[],
	target: StaffingTarget,
	agents: readonly number[],
	seed = 1
): Scenario {
	const specs = queues.map((q) => {
		let offered = 0;
		let handleSum = 0;
		const perInterval = day.intervals.map((iv) => {
			const c = iv.queues[q.id];
			const v = c?.offered ?? 0;
			offered += v;
			handleSum += v * (c?.aht ?? 0);
			return Math.max(0, v);
		});
		const aht = offered > 0 && handleSum > 0 ? handleSum / offered : 180;
		// Handle times are heavy-tailed, close to lognormal (Brown et al. 2005); sd = mean unless given.
		const handle: Dist = q.handle ?? { dist: 'lognormal', mean: aht, sd: aht };
		const patience: Dist | undefined = q.patience ?? (Number.isFinite(q.patienceMean) ? { dist: 'exponential', mean: q.patienceMean } : undefined);
		return {
			id: q.id,
			channel: q.channel,
			sl: { threshold: target.threshold, target: target.target, shortAbandon: target.shortAbandon, formula: target.formula },
			arrivals: { perInterval },
			handle,
			...(patience ? { patience } : {})
		};
	});
	return {
		name: `forecast ${day.date}`,
		seed,
		horizon: day.intervals.length * intervalSec,
		interval: intervalSec,
		queues: specs,
		agents: staffingGroups(agents, intervalSec, queues.map((q) => q.id)),
		routing: { policy: 'longest-idle' }
	};
}

/** Options of the simulation search. */
export interface SearchOptions {
	/** Runs replications 0..reps-1 of a scenario (in workers, or in this thread). */
	readonly simulate: (scenario: Scenario, seed: number, reps: number) => Promise<readonly RunResult[]>;
	readonly replications?: number;
	readonly seed?: number;
	/** Rounds of simulation at most (each runs every replication once). */
	readonly maxRounds?: number;
	/** Expected contacts below which an interval is judged on its mean service level. */
	readonly minJudged?: number;
	readonly onProgress?: (round: number, maxRounds: number) => void;
	/** Checked between rounds; true stops the search with an error. */
	readonly canceled?: () => boolean;
}

interface Judged {
	sl: (number | null)[];
	low: (number | null)[];
	met: boolean[];
}

function judge(runs: readonly RunResult[], offered: readonly number[], target: StaffingTarget, minJudged: number): Judged {
	const I = offered.length;
	const t = runs.length > 1 ? tQuantile(runs.length - 1, 0.9) : 0; // one-sided 95 %
	const sl: (number | null)[] = [];
	const low: (number | null)[] = [];
	const met: boolean[] = [];
	for (let i = 0; i < I; i++) {
		const xs: number[] = [];
		for (const r of runs) {
			const c = r.total.intervals[i];
			if (!c) continue;
			const k = computeKpis(mergeCounts(emptyCounts(), c), target.formula).serviceLevel;
			if (k !== null) xs.push(k);
		}
		if (xs.length === 0) {
			sl.push(null);
			low.push(null);
			met.push(true);
			continue;
		}
		const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
		let ss = 0;
		for (const x of xs) ss += (x - mean) * (x - mean);
		const half = xs.length > 1 ? (t * Math.sqrt(ss / (xs.length - 1))) / Math.sqrt(xs.length) : Infinity;
		const lb = mean - half;
		sl.push(mean);
		low.push(Number.isFinite(lb) ? lb : null);
		met.push((offered[i] ?? 0) < minJudged ? mean >= target.target : lb >= target.target);
	}
	return { sl, low, met };
}

/** Erlang first, then the simulation search; returns the staffing and its simulated service level per interval. */
export async function searchStaffing(
	day: ForecastDay,
	intervalSec: number,
	queues: readonly StaffingQueue[],
	target: StaffingTarget,
	opts: SearchOptions
): Promise<DayStaffing> {
	const first = erlangStaffing(day, intervalSec, queues, target);
	const R = opts.replications ?? 10;
	const seed = opts.seed ?? 1;
	const maxRounds = opts.maxRounds ?? 40;
	const minJudged = opts.minJudged ?? 5;
	const offered = first.intervals.map((iv) => iv.offered);
	const agents = first.intervals.map((iv) => (iv.offered > 0 ? Math.max(1, iv.erlangA) : 0));
	const refused = new Set<number>(); // intervals whose cut was tried and undone
	let round = 0;
	let result: Judged | null = null;
	let settled = false;
	const run = async (staff: readonly number[]) => {
		if (opts.canceled?.()) throw new Error('canceled');
		round++;
		opts.onProgress?.(round, maxRounds);
		return judge(await opts.simulate(dayScenario(day, intervalSec, queues, target, staff, seed), seed, R), offered, target, minJudged);
	};
	// Up: add agents where the target is missed until every interval meets it.
	result = await run(agents);
	while (round < maxRounds && result.met.some((m) => !m)) {
		result.met.forEach((m, i) => {
			if (!m) agents[i] = (agents[i] ?? 0) + 1;
		});
		result = await run(agents);
	}
	// Down: try one agent fewer in every other interval with room (alternate halves, so a cut's
	// backlog does not spill into a neighbour cut in the same round); keep the cuts that hold.
	let parity = 0;
	let idle = 0;
	while (round < maxRounds && result.met.every((m) => m)) {
		const trial = agents.map((a, i) => (a > 1 && !refused.has(i) && i % 2 === parity ? a - 1 : a));
		parity = 1 - parity;
		const cut = trial.flatMap((a, i) => (a !== agents[i] ? [i] : []));
		if (cut.length === 0) {
			if (++idle >= 2) {
				settled = true;
				break;
			}
			continue;
		}
		idle = 0;
		const r = await run(trial);
		if (r.met.every((m) => m)) {
			trial.forEach((a, i) => (agents[i] = a));
			result = r;
			continue;
		}
		// Undo the round; the cuts whose own interval or the next one missed are done.
		for (const i of cut) {
			if (!r.met[i] || r.met[i + 1] === false) refused.add(i);
		}
		// If no cut is to blame (the miss is elsewhere), retire all of this round's cuts.
		if (!cut.some((i) => refused.has(i))) cut.forEach((i) => refused.add(i));
	}
	// The staffing kept must be the one measured last with every interval met.
	const final = settled && result.met.every((m) => m) ? result : await run(agents);
	const intervals = first.intervals.map((iv, i) => ({
		...iv,
		agents: agents[i] ?? 0,
		sl: final.sl[i] ?? null,
		slLow: final.low[i] ?? null,
		met: final.met[i] ?? false
	}));
	const searchHours = (agents.reduce((a, b) => a + b, 0) * intervalSec) / 3600;
	return {
		...first,
		intervals,
		agentHours: { ...first.agentHours, search: searchHours },
		scenario: dayScenario(day, intervalSec, queues, target, agents, seed),
		rounds: round,
		replications: R,
		method: [
			...first.method,
			`Simulation search from Erlang A: ${R} replications per round on common random numbers, one pool skilled for every queue; an interval with ≥ ${minJudged} expected contacts meets the target when the one-sided 95% lower bound of its mean service level does, others on the mean; ${round} rounds` +
				(settled ? '.' : ` (stopped at the limit of ${maxRounds} rounds).`)
		]
	};
}
