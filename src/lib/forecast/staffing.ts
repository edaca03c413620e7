import { agentsForTarget } from '../../../sim/erlang';
import { patienceDistribution, type PatienceSample } from '../../../sim/replay/patience';
import type { RunResult } from '../../../sim/results';
import type { AgentGroupSpec, Dist, Scenario } from '../../../sim/scenario';
import { tQuantile } from '../../../sim/stats';
import type { Channel } from '../domain/channels';
import { serviceLevel, type KpiCounts } from '../domain/kpi';
import type { SlFormula } from '../domain/service-level';
import type { ForecastDay, ForecastInterval } from './forecast';

/**
 * The staffing a forecast day needs, per interval and agent group:
 *
 * 1. Erlang C and Erlang A (patience from history) per group, on the load of the queues the group
 *    is the first choice for (its highest skill; the first group listed on a tie), as a first
 *    answer; and per queue as if each had its own team (the sum is what splitting teams costs).
 * 2. A simulation search from the Erlang A answer: the day is simulated (`simulate`, e.g. the
 *    sim service's workers) with R replications on common random numbers, the groups skilled as
 *    given, so multi-skill routing, concurrency and priorities play out. Every queue is judged
 *    against its own target: one whose service level in an interval does not meet it with 95 %
 *    confidence (one-sided lower bound of the mean over replications) gives its group one more
 *    agent there; once every queue meets its target everywhere, every other interval of every
 *    group is tried with one agent fewer, a cut kept where the queues still meet their targets in
 *    that interval and the next, and the staffing kept is measured again at the end. The simulation
 *    sees what the formulas miss: backlog carried between intervals, non-exponential handle times
 *    and patience, overflow between groups.
 *
 * Without groups, one group (`agent`) skilled for every queue is staffed, as before.
 * Intervals in which a queue expects fewer than `minJudged` contacts judge it on the mean alone:
 * a 95 % bound on a service level measured over two or three calls would staff the night for noise.
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
	/** This queue's service-level target; the day's target when omitted. */
	readonly target?: StaffingTarget;
}

/** The service-level target the day is staffed for (each queue's unless it has its own). */
export interface StaffingTarget {
	readonly threshold: number;
	readonly target: number;
	readonly shortAbandon: number;
	readonly formula: SlFormula;
}

/**
 * An agent group to staff, as in the scenario format (`agents[]` of sim/scenario.ts): the queues
 * it serves with a skill level each, and its concurrency per channel. The search decides its count
 * per interval.
 */
export interface StaffingGroup {
	readonly id: string;
	readonly skills: Readonly<Record<string, number>>;
	readonly capacity?: AgentGroupSpec['capacity'];
}

/** One group's answer in one interval. */
export interface StaffingGroupCell {
	/** Offered and AHT of the queues the group is the first choice for. */
	readonly offered: number;
	readonly aht: number | null;
	readonly erlangC: number;
	readonly erlangA: number;
	/** Agents the simulation search settled on (null before the search). */
	readonly agents: number | null;
}

/** One queue's simulated service level in one interval (after the search). */
export interface StaffingQueueCell {
	readonly offered: number;
	/** Mean and one-sided 95 % lower bound over replications; null when nothing counted. */
	readonly sl: number | null;
	readonly slLow: number | null;
	readonly target: number;
	readonly met: boolean;
}

/** One interval's answer. */
export interface StaffingInterval {
	/** Seconds from local midnight. */
	readonly start: number;
	readonly offered: number;
	readonly aht: number | null;
	/** Σ over groups of each group's Erlang C / Erlang A answer (one group: the pooled answer). */
	readonly erlangC: number;
	readonly erlangA: number;
	/** Σ over queues of Erlang A with a team per queue. */
	readonly erlangAByQueue: number;
	/** Agents over all groups the simulation search settled on (null before the search). */
	readonly agents: number | null;
	/** Simulated service level of all queues together: mean and one-sided 95 % lower bound over replications. */
	readonly sl: number | null;
	readonly slLow: number | null;
	/** Every queue met its target in this interval (null before the search). */
	readonly met: boolean | null;
	/** Per group id. */
	readonly groups: Readonly<Record<string, StaffingGroupCell>>;
	/** Per queue id, after the search (empty before). */
	readonly queues: Readonly<Record<string, StaffingQueueCell>>;
}

/** The staffing of a day. */
export interface DayStaffing {
	readonly date: string;
	readonly intervalSec: number;
	readonly target: StaffingTarget;
	/** The groups staffed (one pooled group `agent` when none were given). */
	readonly groups: readonly StaffingGroup[];
	/** Queue id → the group that is its first choice (whose Erlang load it is, and which gets an agent when it misses). */
	readonly owner: Readonly<Record<string, string>>;
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

/**
 * A queue's patience from its history (each contact's wait, and whether it ended by abandoning):
 * the exponential estimate for Erlang A, and the Kaplan–Meier distribution (sim/replay/patience.ts)
 * for the simulation.
 */
export function patienceFromHistory(samples: readonly PatienceSample[]): Pick<StaffingQueue, 'patienceMean' | 'patience'> {
	const km = patienceDistribution(samples);
	return { patienceMean: exponentialPatienceMean(samples), ...(km.dist ? { patience: km.dist } : {}) };
}

/** The group every queue is staffed to without groups: skilled for all of them. */
const POOLED = 'agent';

function pooledGroup(queues: readonly StaffingQueue[]): StaffingGroup {
	return { id: POOLED, skills: Object.fromEntries(queues.map((q) => [q.id, 1])) };
}

/** Queue id → the group with the highest skill for it (first listed on a tie). Throws when a queue has none. */
function ownersOf(queues: readonly StaffingQueue[], groups: readonly StaffingGroup[]): Record<string, string> {
	const owner: Record<string, string> = {};
	for (const q of queues) {
		let best: StaffingGroup | null = null;
		for (const g of groups) {
			const s = g.skills[q.id] ?? 0;
			if (s > 0 && (best === null || s > (best.skills[q.id] ?? 0))) best = g;
		}
		if (!best) throw new Error(`queue ${JSON.stringify(q.id.slice(0, 40))}: no group is skilled for it`);
		owner[q.id] = best.id;
	}
	return owner;
}

function erlangAgents(lambda: number, aht: number, patience: number, t: StaffingTarget): number {
	if (!(lambda > 0) || !(aht > 0)) return 0;
	return agentsForTarget({ lambda, aht, threshold: t.threshold, target: t.target, shortAbandon: t.shortAbandon, formula: t.formula, patience }).agents;
}

/**
 * Erlang C and A on the pooled load of some queues in one interval: offered and AHT summed, the
 * abandonment rate the offered-weighted mean of the queues' 1/patience; the strictest answer over
 * the queues' targets.
 */
function pooledErlang(iv: ForecastInterval, queues: readonly StaffingQueue[], intervalSec: number, dayTarget: StaffingTarget): Omit<StaffingGroupCell, 'agents'> {
	let offered = 0;
	let work = 0;
	let patienceWeighted = 0;
	let finitePatience = 0;
	const targets = new Set<StaffingTarget>();
	for (const q of queues) {
		const cell = iv.queues[q.id];
		if (!cell || !(cell.offered > 0) || cell.aht === null) continue;
		offered += cell.offered;
		work += cell.offered * cell.aht;
		targets.add(q.target ?? dayTarget);
		if (Number.isFinite(q.patienceMean)) {
			patienceWeighted += cell.offered / q.patienceMean;
			finitePatience += cell.offered;
		}
	}
	const patience = finitePatience > 0 && patienceWeighted > 0 ? finitePatience / patienceWeighted : Infinity;
	const aht = offered > 0 ? work / offered : null;
	const lambda = offered / intervalSec;
	let erlangC = 0;
	let erlangA = 0;
	for (const t of targets) {
		erlangC = Math.max(erlangC, erlangAgents(lambda, aht ?? 0, Infinity, t));
		erlangA = Math.max(erlangA, erlangAgents(lambda, aht ?? 0, patience, t));
	}
	return { offered, aht, erlangC, erlangA };
}

/**
 * Erlang C and A staffing per interval and group (the first answer; no simulation). Without
 * `groups`, one group skilled for every queue (the pooled answer).
 */
export function erlangStaffing(
	day: ForecastDay,
	intervalSec: number,
	queues: readonly StaffingQueue[],
	target: StaffingTarget,
	groups: readonly StaffingGroup[] = [pooledGroup(queues)]
): DayStaffing {
	const owner = ownersOf(queues, groups);
	const intervals = day.intervals.map((iv): StaffingInterval => {
		let byQueue = 0;
		for (const q of queues) {
			const cell = iv.queues[q.id];
			if (!cell || !(cell.offered > 0) || cell.aht === null) continue;
			byQueue += erlangAgents(cell.offered / intervalSec, cell.aht, q.patienceMean, q.target ?? target);
		}
		const cells: Record<string, StaffingGroupCell> = {};
		for (const g of groups) {
			cells[g.id] = { ...pooledErlang(iv, queues.filter((q) => owner[q.id] === g.id), intervalSec, target), agents: null };
		}
		const sum = (f: (c: StaffingGroupCell) => number) => Object.values(cells).reduce((a, c) => a + f(c), 0);
		return {
			start: iv.start,
			offered: iv.offered,
			aht: iv.aht,
			erlangC: sum((c) => c.erlangC),
			erlangA: sum((c) => c.erlangA),
			erlangAByQueue: byQueue,
			agents: null,
			sl: null,
			slLow: null,
			met: null,
			groups: cells,
			queues: {}
		};
	});
	const hours = (f: (iv: StaffingInterval) => number) => (intervals.reduce((a, iv) => a + f(iv), 0) * intervalSec) / 3600;
	const pooled = groups.length === 1 && groups[0]?.id === POOLED;
	return {
		date: day.date,
		intervalSec,
		target,
		groups,
		owner,
		intervals,
		agentHours: { erlangC: hours((iv) => iv.erlangC), erlangA: hours((iv) => iv.erlangA), search: null },
		scenario: null,
		rounds: 0,
		replications: 0,
		method: [
			`Erlang C and Erlang A per ${intervalSec / 60}-minute interval ${pooled ? 'on the pooled load' : `per group (${groups.length}) on the load of the queues it is the first choice for`} (offered, AHT and, for A, patience weighted over queues) for ${Math.round(target.target * 100)}% within ${target.threshold} s (${target.formula}) unless a queue has its own target.`
		]
	};
}

/**
 * Agent groups from a staffing per interval: layer k works the intervals that need at least k
 * agents, one shift per run of them, with the group's skills (every queue's, at level 1, when
 * `group` is a list of queue ids). Layers working the same shifts are one group of that many
 * agents (`<id>-1`, `<id>-2`, … in layer order), so a planner edits a few groups rather than one
 * per agent. The layers' shift sets shrink as k grows, so equal ones are neighbours and the
 * merged groups list the agents in the same order: the scenario simulates as one group per agent
 * would (tested).
 */
export function staffingGroups(agents: readonly number[], intervalSec: number, group: readonly string[] | StaffingGroup): Scenario['agents'] {
	const g: StaffingGroup = Array.isArray(group) ? { id: POOLED, skills: Object.fromEntries(group.map((q) => [q, 1])) } : (group as StaffingGroup);
	const max = Math.max(0, ...agents);
	const layers: { start: number; end: number }[][] = [];
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
		layers.push(shifts);
	}
	const groups: AgentGroupSpec[] = [];
	let prev = '';
	for (const shifts of layers) {
		const key = JSON.stringify(shifts);
		const last = groups.at(-1);
		if (last && key === prev) {
			groups[groups.length - 1] = { ...last, count: last.count + 1 };
			continue;
		}
		prev = key;
		groups.push({ group: `${g.id}-${groups.length + 1}`, count: 1, skills: { ...g.skills }, ...(g.capacity ? { capacity: { ...g.capacity } } : {}), shifts });
	}
	return groups;
}

/** A staffing per group: group id → agents per interval. */
export type GroupStaffing = Readonly<Record<string, readonly number[]>>;

/**
 * The forecast day with a given staffing, as a scenario (Poisson arrivals per interval). `agents`
 * is one staffing per interval for the pooled group (every queue, level 1), or per group of `groups`.
 */
export function dayScenario(
	day: ForecastDay,
	intervalSec: number,
	queues: readonly StaffingQueue[],
	target: StaffingTarget,
	agents: readonly number[] | GroupStaffing,
	seed = 1,
	groups?: readonly StaffingGroup[]
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
		const t = q.target ?? target;
		return {
			id: q.id,
			channel: q.channel,
			sl: { threshold: t.threshold, target: t.target, shortAbandon: t.shortAbandon, formula: t.formula },
			arrivals: { perInterval },
			handle,
			...(patience ? { patience } : {})
		};
	});
	const list = groups ?? [pooledGroup(queues)];
	const staff: GroupStaffing = isPerInterval(agents) ? { [list[0]?.id ?? POOLED]: agents } : agents;
	return {
		name: `forecast ${day.date}`,
		seed,
		horizon: day.intervals.length * intervalSec,
		interval: intervalSec,
		queues: specs,
		agents: list.flatMap((g) => staffingGroups(staff[g.id] ?? [], intervalSec, g)),
		routing: { policy: 'longest-idle' }
	};
}

function isPerInterval(a: readonly number[] | GroupStaffing): a is readonly number[] {
	return Array.isArray(a);
}

/** Options of the simulation search. */
export interface SearchOptions {
	/** Runs replications 0..reps-1 of a scenario (in workers, or in this thread). */
	readonly simulate: (scenario: Scenario, seed: number, reps: number) => Promise<readonly RunResult[]>;
	/**
	 * The agent groups to staff (scenario format: skills per queue, capacity). Omitted: one group
	 * skilled for every queue, the search's answer before groups existed.
	 */
	readonly groups?: readonly StaffingGroup[];
	readonly replications?: number;
	readonly seed?: number;
	/** Rounds of simulation at most (each runs every replication once). */
	readonly maxRounds?: number;
	/** Expected contacts of a queue in an interval below which it is judged on its mean service level. */
	readonly minJudged?: number;
	readonly onProgress?: (round: number, maxRounds: number) => void;
	/** Checked between rounds; true stops the search with an error. */
	readonly canceled?: () => boolean;
}

/** Mean and one-sided 95 % lower bound of a service level over replications. */
interface Measured {
	sl: number | null;
	low: number | null;
}

function measure(runs: readonly RunResult[], pick: (r: RunResult) => KpiCounts | undefined, formula: SlFormula): Measured {
	const xs: number[] = [];
	for (const r of runs) {
		const c = pick(r);
		const k = c ? serviceLevel(c, formula) : null;
		if (k !== null) xs.push(k);
	}
	if (xs.length === 0) return { sl: null, low: null };
	const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
	let ss = 0;
	for (const x of xs) ss += (x - mean) * (x - mean);
	const t = xs.length > 1 ? tQuantile(xs.length - 1, 0.9) : 0; // two-sided 90 % = one-sided 95 %
	const half = xs.length > 1 ? (t * Math.sqrt(ss / (xs.length - 1))) / Math.sqrt(xs.length) : Infinity;
	return { sl: mean, low: Number.isFinite(mean - half) ? mean - half : null };
}

interface Judged {
	/** Per interval: all queues together, and every queue met. */
	total: Measured[];
	met: boolean[];
	/** Per queue id, per interval. */
	queues: Record<string, (StaffingQueueCell & Measured)[]>;
}

function judge(day: ForecastDay, runs: readonly RunResult[], queues: readonly StaffingQueue[], target: StaffingTarget, minJudged: number): Judged {
	const I = day.intervals.length;
	const total = Array.from({ length: I }, (_, i) => measure(runs, (r) => r.total.intervals[i], target.formula));
	const met = new Array<boolean>(I).fill(true);
	const byQueue: Judged['queues'] = {};
	for (const q of queues) {
		const t = q.target ?? target;
		byQueue[q.id] = day.intervals.map((iv, i) => {
			const m = measure(runs, (r) => r.queues[q.id]?.intervals[i], t.formula);
			const offered = iv.queues[q.id]?.offered ?? 0;
			const ok = m.sl === null || (offered < minJudged ? m.sl >= t.target : (m.low ?? -Infinity) >= t.target);
			if (!ok) met[i] = false;
			return { ...m, offered, slLow: m.low, target: t.target, met: ok };
		});
	}
	return { total, met, queues: byQueue };
}

/**
 * Erlang first, then the simulation search; returns the staffing per interval and group and the
 * simulated service level per interval and queue.
 *
 * Backward compatible: without `opts.groups` it staffs one group skilled for every queue (the
 * scenario's groups are then `agent-1`, `agent-2`, …) and `intervals[].agents` is that staffing;
 * with groups, `intervals[].agents` is the sum and `intervals[].groups[id].agents` each group's.
 * Usable from a worker: `simulate` is the only callback the search needs (plus the optional
 * `onProgress` / `canceled`); everything else is plain data.
 */
export async function searchStaffing(
	day: ForecastDay,
	intervalSec: number,
	queues: readonly StaffingQueue[],
	target: StaffingTarget,
	opts: SearchOptions
): Promise<DayStaffing> {
	const groups = opts.groups ?? [pooledGroup(queues)];
	const first = erlangStaffing(day, intervalSec, queues, target, groups);
	const R = opts.replications ?? 10;
	const seed = opts.seed ?? 1;
	const maxRounds = opts.maxRounds ?? 40;
	const minJudged = opts.minJudged ?? 5;
	const I = first.intervals.length;
	const G = groups.length;
	const groupIds = groups.map((g) => g.id);
	// agents[g][i]; a group with load starts at Erlang A (at least one), one without at none.
	const agents = groupIds.map((id) =>
		first.intervals.map((iv) => {
			const c = iv.groups[id];
			return c && c.offered > 0 ? Math.max(1, c.erlangA) : 0;
		})
	);
	const asStaffing = (a: readonly (readonly number[])[]): GroupStaffing => Object.fromEntries(groupIds.map((id, g) => [id, a[g] ?? []]));
	const ownerIndex = new Map(queues.map((q) => [q.id, groupIds.indexOf(first.owner[q.id] ?? '')]));
	const refused = new Set<number>(); // g * I + i: cuts tried and undone
	let round = 0;
	let settled = false;
	const run = async (staff: readonly (readonly number[])[]) => {
		if (opts.canceled?.()) throw new Error('canceled');
		round++;
		opts.onProgress?.(round, maxRounds);
		const scenario = dayScenario(day, intervalSec, queues, target, asStaffing(staff), seed, groups);
		return judge(day, await opts.simulate(scenario, seed, R), queues, target, minJudged);
	};
	/** (g, i) pairs whose queues missed: missed[g * I + i]. */
	const misses = (j: Judged) => {
		const out = new Set<number>();
		for (const q of queues) {
			const g = ownerIndex.get(q.id) ?? -1;
			j.queues[q.id]?.forEach((c, i) => {
				if (!c.met && g >= 0) out.add(g * I + i);
			});
		}
		return out;
	};
	// Up: one more agent in the owning group wherever a queue misses, until every queue meets it.
	const up = async (from: Judged) => {
		let r = from;
		while (round < maxRounds && r.met.some((m) => !m)) {
			for (const k of misses(r)) {
				const row = agents[Math.floor(k / I)];
				if (row) row[k % I] = (row[k % I] ?? 0) + 1;
			}
			r = await run(agents);
		}
		return r;
	};
	let result = await up(await run(agents));
	// Down: try one agent fewer in every other interval with room, in every group at once
	// (alternate halves, so a cut's backlog does not spill into a neighbour cut in the same
	// round). A cut is kept when its group's queues still meet their targets in its interval and
	// the next; it is retired when they do not, or when another group's queue misses there (a
	// cut can starve a queue through overflow and shared skills).
	let parity = 0;
	let idle = 0;
	let measured = true; // `result` is the measurement of `agents` as they stand
	// A quarter of the rounds stays for adding back what the kept cuts took together.
	const downUntil = maxRounds - Math.max(1, Math.floor(maxRounds / 4));
	while (round < downUntil && result.met.every((m) => m)) {
		const trial = agents.map((row, g) => row.map((a, i) => (a > 1 && !refused.has(g * I + i) && i % 2 === parity ? a - 1 : a)));
		parity = 1 - parity;
		const cut: number[] = [];
		trial.forEach((row, g) => row.forEach((a, i) => a !== agents[g]?.[i] && cut.push(g * I + i)));
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
			trial.forEach((row, g) => row.forEach((a, i) => ((agents[g] ?? [])[i] = a)));
			result = r;
			measured = true;
			continue;
		}
		const missed = misses(r);
		const missedAt = new Set([...missed].map((k) => k % I));
		let kept = 0;
		for (const k of cut) {
			const i = k % I;
			const own = missed.has(k) || (i < I - 1 && missed.has(k + 1));
			const near = missedAt.has(i) || (i < I - 1 && missedAt.has(i + 1));
			if (own || near) refused.add(k);
			else {
				const row = agents[Math.floor(k / I)];
				if (row) row[i] = (row[i] ?? 0) - 1;
				kept++;
			}
		}
		// The cuts kept were measured with others beside them; what stands now is measured next.
		if (kept > 0) measured = false;
	}
	// The staffing kept must be measured with every queue met: measure it, and add back where a
	// queue misses.
	if (!measured || !settled) result = await up(await run(agents));
	const final = result;
	const intervals = first.intervals.map((iv, i): StaffingInterval => {
		const cells: Record<string, StaffingGroupCell> = {};
		groupIds.forEach((id, g) => {
			const c = iv.groups[id];
			if (c) cells[id] = { ...c, agents: agents[g]?.[i] ?? 0 };
		});
		const qs: Record<string, StaffingQueueCell> = {};
		for (const q of queues) {
			const c = final.queues[q.id]?.[i];
			if (c) qs[q.id] = { offered: c.offered, sl: c.sl, slLow: c.slLow, target: c.target, met: c.met };
		}
		return {
			...iv,
			agents: agents.reduce((a, row) => a + (row[i] ?? 0), 0),
			sl: final.total[i]?.sl ?? null,
			slLow: final.total[i]?.low ?? null,
			met: final.met[i] ?? false,
			groups: cells,
			queues: qs
		};
	});
	const searchHours = (intervals.reduce((a, iv) => a + (iv.agents ?? 0), 0) * intervalSec) / 3600;
	return {
		...first,
		intervals,
		agentHours: { ...first.agentHours, search: searchHours },
		scenario: dayScenario(day, intervalSec, queues, target, asStaffing(agents), seed, groups),
		rounds: round,
		replications: R,
		method: [
			...first.method,
			`Simulation search from Erlang A: ${R} replications per round on common random numbers, ${G === 1 && groupIds[0] === POOLED ? 'one pool skilled for every queue' : `${G} groups with their skills`}; a queue with ≥ ${minJudged} expected contacts in an interval meets its target when the one-sided 95% lower bound of its mean service level does, others on the mean; a miss adds an agent to the queue's first-choice group; ${round} rounds` +
				(settled ? '.' : ` (stopped at the limit of ${maxRounds} rounds).`)
		]
	};
}
