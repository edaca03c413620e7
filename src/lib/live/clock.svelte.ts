/**
 * One shared 1 Hz clock for everything that ticks on the board (longest wait, time in state).
 * Components read `serverNow`; nothing else on the page runs its own timer, so a board with
 * 1,000 agent cells still wakes once a second.
 */
export class WallClock {
	/** Client-clock ms, updated on each whole second. */
	now = $state(Date.now());
	/** Server-clock ms: the client clock shifted by the live connection's offset estimate. */
	readonly serverNow: number;

	#timer: ReturnType<typeof setTimeout> | null = null;
	#running = false;

	/** `offset` reads the server-minus-client offset (reactive when it comes from `$state`). */
	constructor(offset: () => number = () => 0) {
		this.serverNow = $derived(this.now + offset());
	}

	/** Starts ticking on whole seconds, so every ticking number on screen changes together. */
	start(): void {
		if (this.#running) return;
		this.#running = true;
		this.#schedule();
	}

	/** Stops ticking; safe to call twice. */
	stop(): void {
		this.#running = false;
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	#schedule(): void {
		// A chained timeout re-aligned each tick does not drift the way setInterval does.
		const t = Date.now();
		this.#timer = setTimeout(() => {
			this.now = Date.now();
			if (this.#running) this.#schedule();
		}, 1000 - (t % 1000) + 5);
	}
}
