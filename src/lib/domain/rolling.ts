/**
 * A ring of per-minute buckets keyed by absolute minute number, for rolling-window KPIs.
 * Buckets older than the ring's span are recycled lazily, so the ring never grows.
 */
export class MinuteRing<T> {
	readonly #buckets: T[];
	readonly #minutes: Float64Array;

	/** `span` minutes are kept; `make` builds an empty bucket, `reset` empties one for reuse. */
	readonly #make: () => T;

	constructor(
		readonly span: number,
		make: () => T,
		private readonly reset: (b: T) => void
	) {
		this.#make = make;
		this.#buckets = Array.from({ length: span }, make);
		this.#minutes = new Float64Array(span).fill(-Infinity);
	}

	/** The bucket of absolute minute `minute`, or undefined when it is older than the ring (given the newest `now`). */
	at(minute: number, nowMinute: number): T | undefined {
		if (minute <= nowMinute - this.span || minute > nowMinute) return undefined;
		const i = ((minute % this.span) + this.span) % this.span;
		if (this.#minutes[i] !== minute) {
			this.reset(this.#buckets[i]!);
			this.#minutes[i] = minute;
		}
		return this.#buckets[i];
	}

	/**
	 * A ring of `span` minutes holding this ring's buckets of the minutes both spans cover (up to
	 * `nowMinute`), so a changed rolling window keeps what it already counted.
	 */
	resized(span: number, nowMinute: number): MinuteRing<T> {
		const next = new MinuteRing<T>(span, this.#make, this.reset);
		const n = Math.min(span, this.span);
		for (let m = nowMinute - n + 1; m <= nowMinute; m++) {
			const i = ((m % this.span) + this.span) % this.span;
			const j = ((m % span) + span) % span;
			const b = this.#buckets[i];
			if (this.#minutes[i] !== m || b === undefined) continue;
			// Hand the bucket over (this ring is dropped), and give this ring the new ring's spare.
			const spare = next.#buckets[j];
			next.#buckets[j] = b;
			next.#minutes[j] = m;
			if (spare !== undefined) this.#buckets[i] = spare;
		}
		return next;
	}

	/** Calls `fn` on each bucket among the last `count` minutes up to `nowMinute` that holds data. */
	forEachRecent(nowMinute: number, count: number, fn: (b: T) => void): void {
		const n = Math.min(count, this.span);
		for (let m = nowMinute - n + 1; m <= nowMinute; m++) {
			const i = ((m % this.span) + this.span) % this.span;
			if (this.#minutes[i] === m) fn(this.#buckets[i]!);
		}
	}
}

/** Absolute minute number of epoch-ms `ts`. */
export function minuteOf(ts: number): number {
	return Math.floor(ts / 60_000);
}
