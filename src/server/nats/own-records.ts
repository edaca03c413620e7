/**
 * This instance's own cluster log records between their append and their application here: the
 * plan versions, deleted days and imports requested on this instance (Cluster#appendApplied), each
 * with the request waiting for what applying it did, and what a save leaves to run here once its
 * record is stored (a live plan's audit line and webhooks), even after its request stopped waiting.
 *
 * Every entry goes away, whatever NATS did with its record: when the record is applied here; when
 * it is passed over (a later record was applied: it never will be); when NATS refused the append;
 * when its request stops waiting (504) with nothing left to run; and, with something left to run,
 * `slackMs` after its request stopped waiting at the latest. That last bound is what removes a
 * record NATS never stored (an append it did not confirm, then lost): it is applied nowhere, so
 * nothing else would. Matched by message id (`recordKey`), not sequence, as an unconfirmed append
 * has no sequence.
 */

/** One record on its way (opaque to callers). */
export interface OwnRecord {
	readonly key: string;
	readonly what: string;
	/** Runs once when the record is applied here, with what it did (the version number it got). */
	then: ((done: number) => void) | undefined;
	/** Its sequence in the log, once the append returned it (0 before). */
	seq: number;
	/** What applying it did, when it was applied before its append returned. */
	done: number | undefined;
	/** The waiting request, while it waits. */
	settle: ((done: number | null) => void) | null;
	fail: ((e: Error) => void) | null;
	/** The request's bound while it waits; the slack once it stopped waiting. */
	timer: ReturnType<typeof setTimeout> | null;
	/** Its request stopped waiting; kept only for `then`. */
	kept: boolean;
}

/** The records this instance appended and has not applied yet. */
export class OwnRecords {
	readonly #entries = new Set<OwnRecord>();
	readonly #slackMs: number;
	readonly #log: (line: string) => void;

	constructor(slackMs: number, log: (line: string) => void) {
		this.#slackMs = slackMs;
		this.#log = log;
	}

	/** Entries held: requests waiting, appends under way, and saves with something left to run. */
	get size(): number {
		return this.#entries.size;
	}

	/** Notes a record about to be appended under message id `key`; `then` runs here once it is applied. */
	add(key: string, what: string, then?: (done: number) => void): OwnRecord {
		const e: OwnRecord = { key, what, then, seq: 0, done: undefined, settle: null, fail: null, timer: null, kept: false };
		this.#entries.add(e);
		return e;
	}

	/** NATS refused the append: the record is applied nowhere. */
	refused(e: OwnRecord): void {
		this.#remove(e);
	}

	/**
	 * The append returned `seq`: resolves to what applying the record here did once it is (null: it
	 * was passed over, applied nowhere), or rejects with `timeout()` after `ms`, when its request
	 * stops waiting. `appliedUpTo` is the sequence of the last record applied here.
	 */
	wait(e: OwnRecord, seq: number, appliedUpTo: number, ms: number, timeout: () => Error): Promise<number | null> {
		e.seq = seq;
		if (e.done !== undefined) {
			this.#remove(e);
			return Promise.resolve(e.done);
		}
		// Applied up to it without it: passed over (its parts could not be read back).
		if (appliedUpTo >= seq) {
			this.#remove(e);
			return Promise.resolve(null);
		}
		return new Promise<number | null>((resolve, reject) => {
			e.settle = resolve;
			e.fail = reject;
			e.timer = setTimeout(() => {
				e.settle = e.fail = e.timer = null;
				this.unanswered(e);
				reject(timeout());
			}, ms);
		});
	}

	/**
	 * The request stops waiting without an answer (its append unconfirmed, or not applied in time):
	 * kept for at most `slackMs` when its save left something to run once applied, dropped otherwise.
	 */
	unanswered(e: OwnRecord): void {
		if (!this.#entries.has(e)) return;
		if (e.done !== undefined || !e.then) {
			this.#remove(e);
			return;
		}
		e.kept = true;
		e.timer = setTimeout(() => {
			this.#entries.delete(e);
			this.#log(
				`cluster: gave up on the ${e.what} appended here: not applied here ${this.#slackMs / 1000} s after its request stopped waiting (NATS never stored it, or this instance is behind); if it is applied later, what was to follow its save here (the audit line, the webhooks) does not run`
			);
		}, this.#slackMs);
		e.timer.unref?.();
	}

	/**
	 * A record was applied here at `seq`, having done `done`; `key` names it when it is one of this
	 * instance's own (null otherwise). Own records before `seq` not applied were passed over.
	 */
	applied(key: string | null, seq: number, done: number): void {
		for (const e of this.#entries) {
			if (key !== null && e.key === key && (e.seq === 0 || e.seq === seq)) {
				this.#runThen(e, done);
				// Applied before its append returned: the request collects it (wait) or lets it go (unanswered).
				if (!e.settle && !e.kept) e.done = done;
				else {
					e.settle?.(done);
					this.#remove(e);
				}
			} else if (e.seq !== 0 && e.seq <= seq) {
				e.settle?.(null);
				this.#remove(e);
			}
		}
	}

	/** The membership ends: every request still waiting is answered with `reason`, every timer stopped. */
	clear(reason: () => Error): void {
		for (const e of this.#entries) {
			e.fail?.(reason());
			this.#remove(e);
		}
	}

	#runThen(e: OwnRecord, done: number): void {
		const then = e.then;
		e.then = undefined;
		try {
			then?.(done);
		} catch (err) {
			// Stored all the same: what follows is this instance's alone and must not stop the log.
			this.#log(`cluster: ${e.what} ${done} is saved here, but what follows its save failed: ${(err as Error)?.message ?? String(err)}`);
		}
	}

	#remove(e: OwnRecord): void {
		if (e.timer) clearTimeout(e.timer);
		e.timer = e.settle = e.fail = null;
		this.#entries.delete(e);
	}
}
