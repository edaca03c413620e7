/**
 * Coalesces many "something changed" calls into one callback per animation frame. A hidden tab
 * gets no animation frames, so there a timer stands in: the state behind the board stays current
 * (a supervisor switching back sees now, not the moment the tab was hidden) while nothing paints.
 */

/** Timer used instead of rAF when the page is hidden or has no rAF (Node, workers). */
const HIDDEN_FLUSH_MS = 250;

/** Runs `flush` at most once per animation frame after one or more `request()` calls. */
export class FrameScheduler {
	readonly #flush: () => void;
	#raf: number | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#disposed = false;

	constructor(flush: () => void) {
		this.#flush = flush;
	}

	/** Asks for a flush; cheap to call on every frame from the socket. */
	request(): void {
		if (this.#disposed || this.#raf !== null || this.#timer !== null) return;
		const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
		if (!hidden && typeof requestAnimationFrame === 'function') {
			this.#raf = requestAnimationFrame(this.#run);
		} else {
			this.#timer = setTimeout(this.#run, HIDDEN_FLUSH_MS);
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
