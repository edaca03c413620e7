import type { ArrivalProcess, Sampler } from './distributions';
import type { Rng } from './rng';

/**
 * Random numbers drawn ahead, a batch at a time, for streams that serve one purpose alone (a
 * queue's handling times, say): the n-th value is the same as the n-th `draw`, so common random
 * numbers and results stay as they were, bit for bit.
 *
 * Why: V8 gives a non-integer number returned from (or passed to) a function it does not inline
 * a heap box of its own. The engine's arrival path called five such functions per contact
 * (arrival time, handling, after-contact work, patience, and the exponential inside them): 8.9 MB
 * of boxes per replication of the multi-skill day of `npm run bench`, a scavenge every third
 * replication. Here a batch is drawn in one loop into a typed array, and a value goes from
 * typed array to typed array (`into`), so no number crosses a call.
 */
export const AHEAD = 64;

/** The next values of one sampler on one stream that nothing else draws from. */
export class DrawAhead {
	private readonly buf = new Float64Array(AHEAD);
	private pos = AHEAD;

	constructor(
		private readonly sampler: Sampler,
		private readonly rng: Rng
	) {}

	/** Writes the next value to `out[i]`. */
	into(out: Float64Array, i: number): void {
		if (this.pos === AHEAD) {
			this.sampler.fill(this.rng, this.buf);
			this.pos = 0;
		}
		out[i] = this.buf[this.pos++]!;
	}
}

/** The next arrival times of a queue whose arrivals are drawn (not a trace's), from its own stream. */
export class ArrivalsAhead {
	/** Arrival times ahead; `times[pos]` is the next unless `pos === len` (none left: past the horizon when `len < AHEAD`). */
	readonly times = new Float64Array(AHEAD);
	pos = 0;
	len = 0;

	constructor(
		private readonly process: ArrivalProcess,
		private readonly rng: Rng
	) {
		this.len = process.fill(0, rng, this.times);
	}

	/** Whether another arrival comes before the horizon; if so, it is `times[pos]` (take it with `pos++`). */
	more(): boolean {
		if (this.pos < this.len) return true;
		if (this.len < AHEAD) return false;
		this.len = this.process.fill(this.times[AHEAD - 1]!, this.rng, this.times);
		this.pos = 0;
		return this.len > 0;
	}
}
