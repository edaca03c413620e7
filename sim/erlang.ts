/**
 * Erlang formulas: B (blocking), C (M/M/n, nobody abandons) and A (M/M/n+M, exponential
 * patience), for the simulator's validation and for staffing. Rates are per second, times in
 * seconds.
 *
 * Erlang A is solved exactly on its birth–death chain (state k = contacts in system, death
 * rate min(k,n)·μ + max(k−n,0)·θ), truncated where the stationary mass is below 1e-16. Waits
 * come from the position of an arriving contact in the FIFO queue: in position i it moves up at
 * rate nμ + (i−1)θ (a service ends, or someone ahead abandons) and abandons at rate θ. The time
 * in each position is exponential with rate nμ + iθ whatever happens next, so
 *   P(answered | i) = nμ / (nμ + iθ),  E[wait | answered, i] = Σ_{m≤i} 1/(nμ + mθ),
 * and P(answered with wait ≤ T) and P(abandoned with wait ≤ t) come from the transient
 * distribution of that absorbing chain (uniformization), which is exact up to truncation.
 */

/** Erlang B: blocking probability of n servers offered `a` erlangs (stable recursion). */
export function erlangB(n: number, a: number): number {
	if (!(n >= 0) || !(a >= 0)) return NaN;
	let b = 1;
	for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
	return b;
}

/** Erlang C: probability that an arrival waits, n servers, `a` erlangs (1 when a ≥ n). */
export function erlangC(n: number, a: number): number {
	if (a >= n) return 1;
	const b = erlangB(n, a);
	return (n * b) / (n - a * (1 - b));
}

/** Input of the queue formulas. */
export interface ErlangInput {
	/** Arrivals per second. */
	readonly lambda: number;
	/** Mean handling time, seconds (1/μ). */
	readonly aht: number;
	readonly agents: number;
	/** Service-level threshold T, seconds. */
	readonly threshold: number;
}

/** Steady-state figures of one queue (fractions 0..1, times in seconds). */
export interface ErlangResult {
	/** Probability an arrival has to wait. */
	readonly pWait: number;
	/** Probability an arrival abandons. */
	readonly pAbandon: number;
	/** P(answered with wait ≤ T), per arrival. */
	readonly pAnsweredWithinT: number;
	/** P(abandoned with wait ≤ T), per arrival. */
	readonly pAbandonedWithinT: number;
	/** P(abandoned with wait < shortAbandon), per arrival. */
	readonly pShortAbandon: number;
	/** Service level under each formula of DESIGN.md. */
	readonly serviceLevel: {
		readonly 'abandons-count-against': number;
		readonly 'answered-only': number;
		readonly offered: number;
	};
	/** Mean wait of answered contacts. */
	readonly asa: number;
	/** Busy agents / agents. */
	readonly occupancy: number;
	/** (abandoned − short) / (offered − short). */
	readonly abandonRate: number;
}

/** Erlang C figures (M/M/n). Requires a stable queue (λ·aht < n). */
export function erlangCMetrics(x: ErlangInput): ErlangResult {
	const mu = 1 / x.aht;
	const a = x.lambda * x.aht;
	const n = x.agents;
	if (a >= n) throw new RangeError(`unstable: ${a.toFixed(3)} erlangs on ${n} agents`);
	const c = erlangC(n, a);
	const gap = n * mu - x.lambda;
	const within = 1 - c * Math.exp(-gap * x.threshold);
	return Object.freeze({
		pWait: c,
		pAbandon: 0,
		pAnsweredWithinT: within,
		pAbandonedWithinT: 0,
		pShortAbandon: 0,
		serviceLevel: Object.freeze({ 'abandons-count-against': within, 'answered-only': within, offered: within }),
		asa: c / gap,
		occupancy: a / n,
		abandonRate: 0
	});
}

/** Input of Erlang A: adds mean patience (1/θ) and the short-abandon cut-off. */
export interface ErlangAInput extends ErlangInput {
	/** Mean patience, seconds; Infinity for none (then Erlang C). */
	readonly patience: number;
	/** Short-abandon cut-off, seconds (5 by default). */
	readonly shortAbandon?: number;
}

/** Stationary distribution of the M/M/n+M chain, normalised, truncated where negligible. */
function stationary(lambda: number, mu: number, theta: number, n: number): Float64Array {
	const p: number[] = [1];
	let max = 1;
	let total = 1;
	for (let k = 1; ; k++) {
		const death = Math.min(k, n) * mu + Math.max(k - n, 0) * theta;
		let v = (p[k - 1]! * lambda) / death;
		if (v > 1e250) {
			// Rescale everything so far; only ratios matter.
			for (let j = 0; j < p.length; j++) p[j]! *= 1e-250;
			v *= 1e-250;
			max *= 1e-250;
			total *= 1e-250;
		}
		p.push(v);
		total += v;
		if (v > max) max = v;
		if (k > n && lambda < death && v < max * 1e-17) break;
		if (k > n + 5_000_000) throw new RangeError('Erlang A chain did not converge (θ too small for this load)');
	}
	return Float64Array.from(p, (v) => v / total);
}

/**
 * Transient mass of the position chain absorbed into "answered" and "abandoned" by each of the
 * `times` (ascending), starting from mass `alpha[i]` in position i+1.
 */
function absorbedBy(
	alpha: Float64Array,
	nmu: number,
	theta: number,
	times: readonly number[]
): { answered: number[]; abandoned: number[] } {
	const K = alpha.length;
	let x = Float64Array.from(alpha);
	let served = 0;
	let gone = 0;
	const big = nmu + K * theta;
	const answered: number[] = [];
	const abandoned: number[] = [];
	let t = 0;
	const acc = new Float64Array(K);
	let next = new Float64Array(K);
	for (const target of times) {
		while (t < target) {
			let rest = 0;
			for (let i = 0; i < K; i++) rest += x[i]!;
			if (rest < 1e-18) {
				t = target;
				break;
			}
			const dt = Math.min(target - t, 30 / big);
			const lt = big * dt;
			// Uniformization: Σ_k Poisson(k; Λ dt) · (one uniformized step)^k.
			let w = Math.exp(-lt);
			let cum = w;
			acc.fill(0);
			let accServed = 0;
			let accGone = 0;
			let ps = 0;
			let pg = 0;
			for (let i = 0; i < K; i++) acc[i] = w * x[i]!;
			accServed = 0;
			accGone = 0;
			let cur = x;
			for (let k = 1; cum < 1 - 1e-16 && k < 10_000; k++) {
				// One step of the uniformized chain.
				ps += (cur[0]! * nmu) / big;
				let g = 0;
				for (let i = 0; i < K; i++) {
					const stay = 1 - (nmu + (i + 1) * theta) / big;
					const up = i + 1 < K ? (cur[i + 1]! * (nmu + (i + 1) * theta)) / big : 0;
					next[i] = cur[i]! * stay + up;
					g += cur[i]!;
				}
				pg += (g * theta) / big;
				const tmp = cur === x ? new Float64Array(K) : cur;
				cur = next;
				next = tmp;
				w *= lt / k;
				cum += w;
				for (let i = 0; i < K; i++) acc[i] = acc[i]! + w * cur[i]!;
				accServed += w * ps;
				accGone += w * pg;
			}
			// Mass beyond the truncation point is negligible (cum ≈ 1).
			served += accServed + (1 - cum) * ps;
			gone += accGone + (1 - cum) * pg;
			x = Float64Array.from(acc);
			t += dt;
		}
		answered.push(served);
		abandoned.push(gone);
	}
	return { answered, abandoned };
}

/** Erlang A figures (M/M/n+M). With `patience` Infinity it is Erlang C. */
export function erlangAMetrics(x: ErlangAInput): ErlangResult {
	if (!Number.isFinite(x.patience)) return erlangCMetrics(x);
	const mu = 1 / x.aht;
	const theta = 1 / x.patience;
	const n = x.agents;
	const short = x.shortAbandon ?? 5;
	const pi = stationary(x.lambda, mu, theta, n);
	const nmu = n * mu;
	let pImmediate = 0;
	for (let k = 0; k < Math.min(n, pi.length); k++) pImmediate += pi[k]!;
	const alpha = pi.slice(n);
	let pServedWaiting = 0;
	let waitSum = 0;
	let pathMean = 0;
	for (let i = 1; i <= alpha.length; i++) {
		pathMean += 1 / (nmu + i * theta);
		const served = (alpha[i - 1]! * nmu) / (nmu + i * theta);
		pServedWaiting += served;
		waitSum += served * pathMean;
	}
	const pAnswered = pImmediate + pServedWaiting;
	const pAbandon = 1 - pAnswered;
	const times = [...new Set([short, x.threshold])].sort((a, b) => a - b);
	const abs = alpha.length ? absorbedBy(alpha, nmu, theta, times) : { answered: times.map(() => 0), abandoned: times.map(() => 0) };
	const at = (t: number) => times.indexOf(t);
	const ansT = pImmediate + abs.answered[at(x.threshold)]!;
	const abT = abs.abandoned[at(x.threshold)]!;
	const abShort = short > 0 ? abs.abandoned[at(short)]! : 0;
	let busy = 0;
	for (let k = 0; k < pi.length; k++) busy += pi[k]! * Math.min(k, n);
	return Object.freeze({
		pWait: 1 - pImmediate,
		pAbandon,
		pAnsweredWithinT: ansT,
		pAbandonedWithinT: abT,
		pShortAbandon: abShort,
		serviceLevel: Object.freeze({
			'abandons-count-against': ansT / (1 - abShort),
			'answered-only': ansT / pAnswered,
			offered: ansT + abT
		}),
		asa: pAnswered > 0 ? waitSum / pAnswered : 0,
		occupancy: busy / n,
		abandonRate: (pAbandon - abShort) / (1 - abShort)
	});
}

/** Staffing question: the fewest agents whose service level meets `target`. */
export interface StaffingInput extends Omit<ErlangAInput, 'agents' | 'patience'> {
	/** Mean patience, seconds; omitted or Infinity for Erlang C. */
	readonly patience?: number;
	/** Service-level target, fraction. */
	readonly target: number;
	/** Formula the target is stated in (default abandons count against). */
	readonly formula?: keyof ErlangResult['serviceLevel'];
	/** Occupancy ceiling, fraction (optional). */
	readonly maxOccupancy?: number;
}

/**
 * Fewest agents meeting the target (and the occupancy ceiling, if given), with their figures.
 *
 * Service level rises and occupancy falls with every agent added, so the answer is found by
 * galloping up from half the load and bisecting, about 2·log₂ evaluations instead of one per agent:
 * an Erlang A evaluation with a long threshold (email's hours) is the expensive part of staffing a
 * forecast day (the planner measured 17.5 s per agent group stepping one agent at a time).
 */
export function agentsForTarget(x: StaffingInput): { agents: number; result: ErlangResult } {
	const a = x.lambda * x.aht;
	const patience = x.patience ?? Infinity;
	const formula = x.formula ?? 'abandons-count-against';
	const limit = a * 10 + 1000;
	const at = (n: number) => erlangAMetrics({ ...x, patience, agents: n });
	const meets = (r: ErlangResult) => r.serviceLevel[formula] >= x.target && (x.maxOccupancy === undefined || r.occupancy <= x.maxOccupancy);
	// Erlang C's chain needs more agents than the load; Erlang A's (abandons relieve it) need not.
	let lo = Number.isFinite(patience) ? Math.max(1, Math.floor(a * 0.5)) : Math.floor(a) + 1;
	let r = at(lo);
	if (meets(r)) return { agents: lo, result: r };
	// Invariant: lo misses; find hi that meets.
	let step = 1;
	let hi = lo + step;
	let rHi = at(hi);
	while (!meets(rHi)) {
		if (hi > limit) throw new RangeError('target cannot be met');
		lo = hi;
		step *= 2;
		hi = lo + step;
		rHi = at(hi);
	}
	while (hi - lo > 1) {
		const mid = lo + Math.floor((hi - lo) / 2);
		r = at(mid);
		if (meets(r)) {
			hi = mid;
			rHi = r;
		} else lo = mid;
	}
	return { agents: hi, result: rHi };
}
