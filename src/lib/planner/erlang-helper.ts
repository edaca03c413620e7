import { agentsForTarget, erlangAMetrics } from '../../../sim/erlang';
import type { QueueSpec, Scenario } from '../../../sim/scenario';
import { intervalOf } from '../../../sim/scenario';
import { resolveSl } from '../domain/service-level';
import { distMean } from './changes';
import { intervalsOf } from './staffing';

/**
 * The formula's answer beside the simulation's: per interval and queue, the agents the SL target
 * needs by Erlang C (nobody abandons) and by Erlang A (exponential patience with the queue's mean),
 * each queue on its own pool. Where they disagree with the simulated result the difference is
 * what the formulas leave out: shared multi-skill agents, concurrency, priorities, overflow.
 */

/** Required agents of one queue in one interval (null where the target cannot be met or there is no load). */
export interface ErlangNeed {
	/** Arrivals per hour. */
	readonly perHour: number;
	/** Mean handling incl. after-contact work, seconds. */
	readonly aht: number;
	readonly erlangC: number | null;
	readonly erlangA: number | null;
}

/** Per interval: each queue's need and the sums. */
export interface ErlangInterval {
	readonly index: number;
	readonly queues: Readonly<Record<string, ErlangNeed>>;
	readonly erlangC: number;
	readonly erlangA: number;
}

/** Expected arrivals per second of a queue in interval `i`. */
export function arrivalRate(s: Scenario, q: QueueSpec, i: number): number {
	const iv = intervalOf(s);
	const a = q.arrivals;
	if ('perHour' in a) return a.perHour / 3600;
	if ('perInterval' in a) return (a.perInterval[i] ?? 0) / iv;
	const lo = i * iv;
	const hi = lo + iv;
	let n = 0;
	for (const t of a.trace) if (t >= lo && t < hi) n++;
	return n / iv;
}

/** Contacts an agent of this queue's channel holds at once (the most any group serving it allows). */
function concurrencyOf(s: Scenario, q: QueueSpec): number {
	if (q.channel === 'voice') return 1;
	let c = 1;
	for (const g of s.agents) if (g.skills[q.id] !== undefined) c = Math.max(c, g.capacity?.[q.channel] ?? 1);
	return c;
}

interface QueueLoad {
	readonly q: QueueSpec;
	readonly aht: number;
	readonly patience: number | undefined;
	readonly conc: number;
}

/**
 * Slots needed by Erlang C, then by Erlang A searched downwards from the C answer (patience only
 * ever lowers the need, and each exact Erlang A evaluation is costly, so few are made).
 */
function needs(lambda: number, l: QueueLoad): { c: number | null; a: number | null } {
	if (lambda <= 0) return { c: 0, a: 0 };
	const sl = resolveSl(l.q.channel, l.q.sl);
	const x = { lambda, aht: l.aht, threshold: sl.threshold, target: sl.target, formula: sl.formula, shortAbandon: sl.shortAbandon };
	let c: number;
	try {
		c = agentsForTarget(x).agents;
	} catch {
		return { c: null, a: null };
	}
	if (!l.patience) return { c: Math.ceil(c / l.conc), a: Math.ceil(c / l.conc) };
	let a = c;
	try {
		while (a > 1 && erlangAMetrics({ ...x, agents: a - 1, patience: l.patience }).serviceLevel[sl.formula] >= sl.target) a--;
	} catch {
		return { c: Math.ceil(c / l.conc), a: null };
	}
	// With concurrency each slot is a server: slots needed / slots per agent.
	return { c: Math.ceil(c / l.conc), a: Math.ceil(a / l.conc) };
}

/**
 * Erlang C and Erlang A staffing per interval for every queue of `s` (or only the intervals in
 * `only`); `onRow` gets each interval as it is done (Erlang A is slow: run this in a worker).
 */
export function erlangNeeds(s: Scenario, only?: readonly number[], onRow?: (row: ErlangInterval) => void): ErlangInterval[] {
	const loads: QueueLoad[] = s.queues.map((q) => ({
		q,
		aht: distMean(q.handle) + (q.wrapup ? distMean(q.wrapup) : 0),
		patience: q.patience ? distMean(q.patience) : undefined,
		conc: concurrencyOf(s, q)
	}));
	const which = only ?? Array.from({ length: intervalsOf(s) }, (_, i) => i);
	return which.map((i) => {
		const queues: Record<string, ErlangNeed> = {};
		let c = 0;
		let a = 0;
		for (const l of loads) {
			const lambda = arrivalRate(s, l.q, i);
			const n = needs(lambda, l);
			queues[l.q.id] = { perHour: lambda * 3600, aht: l.aht, erlangC: n.c, erlangA: n.a };
			c += n.c ?? 0;
			a += n.a ?? 0;
		}
		const row = { index: i, queues, erlangC: c, erlangA: a };
		onRow?.(row);
		return row;
	});
}
