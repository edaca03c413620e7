/**
 * Coalesces many "something changed" calls into one callback per animation frame. A hidden tab
 * gets no animation frames, so there a timer stands in: the state behind the board stays current
 * (a supervisor switching back sees now, not the moment the tab was hidden) while nothing paints.
 */

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Timer used instead of rAF when the page is hidden or has no rAF (Node, workers). */
const HIDDEN_FLUSH_MS = 250;

/**
 * Runs `flush` at most once per animation frame after one or more `request()` calls, and no more
 * often than every `minIntervalMs`: a wall read from across the room gains nothing from 20
 * repaints a second of 1,000 cells, and the CPU it saves keeps every frame short.
 */
export class FrameScheduler {
	readonly #flush: () => void;
	readonly #minIntervalMs: number;
	#raf: number | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#disposed = false;
	#lastRun = -Infinity;

	constructor(flush: () => void, minIntervalMs = 0) {
		this.#flush = flush;
		this.#minIntervalMs = minIntervalMs;
	}

	/** Asks for a flush; cheap to call on every frame from the socket. */
	request(): void {
		if (this.#disposed || this.#raf !== null || this.#timer !== null) return;
		const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
		if (hidden || typeof requestAnimationFrame !== 'function') {
			this.#timer = setTimeout(this.#run, HIDDEN_FLUSH_MS);
			return;
		}
		const wait = this.#lastRun + this.#minIntervalMs - now();
		if (wait > 1) {
			// Too soon after the last flush: wait out the interval, then take the next frame.
			this.#timer = setTimeout(() => {
				this.#timer = null;
				if (!this.#disposed) this.#raf = requestAnimationFrame(this.#run);
			}, wait);
		} else {
			this.#raf = requestAnimationFrame(this.#run);
		}
	}

	/** Flushes now if a flush is pending (used when the tab becomes visible again). */
	flushNow(): void {
		if (this.#raf === null && this.#timer === null) return;
		this.#run();
	}

	#run = (): void => {
		if (this.#raf !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.#raf);
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#raf = null;
		this.#timer = null;
		this.#lastRun = now();
		if (!this.#disposed) this.#flush();
	};

	/** Cancels any pending flush; later requests do nothing. */
	dispose(): void {
		this.#disposed = true;
		if (this.#raf !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.#raf);
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#raf = null;
		this.#timer = null;
	}
}
