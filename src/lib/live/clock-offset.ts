/**
 * Estimates the server clock's offset from ping/pong round trips (NTP-style): the server read its
 * clock somewhere within the round trip, most likely in the middle. Among recent samples the one
 * with the shortest round trip is the most accurate; only recent ones are kept so a drifting or
 * re-started server clock is followed.
 */

interface Sample {
	readonly rtt: number;
	readonly offset: number;
}

/** Server-clock offset estimator; `offset` is server time minus client time, ms. */
export class ClockOffset {
	#samples: Sample[] = [];
	#seed = 0;
	#lowerBound: number | null = null;
	readonly #keep: number;

	/** `keep`: how many recent samples to choose the best from. */
	constructor(keep = 5) {
		this.#keep = keep;
	}

	/** Adds a round trip: sent at `t0`, answered with `serverTime`, received at `t1` (client ms). */
	add(t0: number, serverTime: number, t1: number): void {
		if (!(t1 >= t0)) return;
		this.#samples.push({ rtt: t1 - t0, offset: serverTime - (t0 + t1) / 2 });
		if (this.#samples.length > this.#keep) this.#samples.shift();
	}

	/**
	 * A one-way reading (the server time in `hello`): off by the network latency, so it only
	 * stands in until the first round trip.
	 */
	seed(serverTime: number, clientTime: number): void {
		this.#seed = serverTime - clientTime;
	}

	/**
	 * A frame stamped `serverTime` arrived at `clientTime`: the server's clock was at least that
	 * far ahead (the frame spent time in flight). Only the latest is kept; it matters when the
	 * server's clock runs faster than real time (an emulator at 60×), where round trips a few
	 * seconds old are already minutes behind.
	 */
	observe(serverTime: number, clientTime: number): void {
		this.#lowerBound = serverTime - clientTime;
	}

	/** Current best estimate (the seed, or 0, before any round trip). */
	get offset(): number {
		let best: Sample | undefined;
		for (const s of this.#samples) if (!best || s.rtt < best.rtt) best = s;
		const est = best?.offset ?? this.#seed;
		return this.#lowerBound !== null && this.#lowerBound > est ? this.#lowerBound : est;
	}

	/** Round trip of the best sample, ms; null before any sample. */
	get rtt(): number | null {
		let best: number | null = null;
		for (const s of this.#samples) if (best === null || s.rtt < best) best = s.rtt;
		return best;
	}

	/** Forgets every sample (a new server may have a different clock). */
	reset(): void {
		this.#samples = [];
		this.#seed = 0;
		this.#lowerBound = null;
	}
}
