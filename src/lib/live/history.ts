/**
 * A fixed-size ring of samples for tile sparklines. Once full, the oldest sample is dropped for
 * each new one, so a board that runs for weeks holds exactly `capacity` numbers per series.
 */
export class Ring {
	readonly #buf: (number | null)[];
	#start = 0;
	#size = 0;

	constructor(readonly capacity: number) {
		this.#buf = new Array<number | null>(capacity).fill(null);
	}

	/** Appends a sample, evicting the oldest when full. */
	push(x: number | null): void {
		const end = (this.#start + this.#size) % this.capacity;
		this.#buf[end] = x;
		if (this.#size < this.capacity) this.#size += 1;
		else this.#start = (this.#start + 1) % this.capacity;
	}

	/** Samples oldest first, as a fresh array (so it can be handed to `$state.raw`). */
	values(): (number | null)[] {
		const out = new Array<number | null>(this.#size);
		for (let i = 0; i < this.#size; i++) out[i] = this.#buf[(this.#start + i) % this.capacity] ?? null;
		return out;
	}

	get size(): number {
		return this.#size;
	}

	/** Drops every sample. */
	clear(): void {
		this.#start = 0;
		this.#size = 0;
	}
}
