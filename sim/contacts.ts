import { ConditionalSampler, type Sampler } from './distributions';
import type { Rng } from './rng';
import type { Arrivals, Dist } from './scenario';

/**
 * What each contact of a trace brings along (scenario `arrivals.trace` with per-contact columns):
 * its own handle and wrap-up times, priority and patience, compiled to typed arrays indexed by
 * trace entry. NaN marks "draw from the queue's distribution". A replayed day uses this so every
 * contact keeps what it really needed, and only what the changed scenario can change is drawn.
 */
export class TraceContacts {
	private constructor(
		private readonly handleOf: Float64Array | null,
		private readonly wrapupOf: Float64Array | null,
		private readonly priorityOf: Float64Array | null,
		private readonly patienceOf: Float64Array | null,
		private readonly waitedOf: Float64Array | null,
		private readonly above: ConditionalSampler | null
	) {}

	/** Compiles a queue's trace columns; null when its arrivals carry none. */
	static of(a: Arrivals, patience: Dist | undefined, patienceSampler: Sampler | null): TraceContacts | null {
		if (!('trace' in a)) return null;
		const col = (v: readonly (number | null)[] | undefined) => (v ? Float64Array.from(v, (x) => (x === null ? NaN : x)) : null);
		if (!a.handle && !a.wrapup && !a.priority && !a.patience && !a.waited) return null;
		return new TraceContacts(
			col(a.handle),
			col(a.wrapup),
			col(a.priority),
			col(a.patience),
			col(a.waited),
			patience && patienceSampler ? new ConditionalSampler(patience, patienceSampler) : null
		);
	}

	/** Handle time of entry `k`: its own, or `drawn`. */
	handle(k: number, drawn: number): number {
		const v = this.handleOf?.[k];
		return v === undefined || Number.isNaN(v) ? drawn : v;
	}

	/** Wrap-up of entry `k`: its own, or `drawn`. */
	wrapup(k: number, drawn: number): number {
		const v = this.wrapupOf?.[k];
		return v === undefined || Number.isNaN(v) ? drawn : v;
	}

	/** Priority level of entry `k` (0 when not given). */
	priority(k: number): number {
		return this.priorityOf?.[k] ?? 0;
	}

	/**
	 * Patience of entry `k`: its own (an abandoner); else, when it is known to have waited without
	 * abandoning, a draw conditioned on exceeding that wait; else `drawn`.
	 */
	patience(k: number, drawn: number, rng: Rng): number {
		const own = this.patienceOf?.[k];
		if (own !== undefined && !Number.isNaN(own)) return own;
		const waited = this.waitedOf?.[k];
		if (waited !== undefined && waited > 0) return this.above ? this.above.drawAbove(rng, waited) : drawn;
		return drawn;
	}
}
