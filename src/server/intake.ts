import type { EventsAccepted } from '../lib/api/types';
import type { FloorEvent } from '../lib/domain/events';
import type { Floor } from '../lib/domain/floor';
import { FloorSet } from './floor-set';
import type { Metrics } from './metrics';
import { REORDER_DEFAULTS, ReorderBuffer, type ReorderLimits } from './reorder';
import type { Store } from './store';

/**
 * Where every validated event enters the floor. Durable events (ingest) are appended to the store
 * first, grouped: batches wait for the next commit (the server's tick calls `commit()` just before
 * it flushes deltas, and once more shortly before the tick, see server.ts COMMIT_LEAD_MS; or at most `commitWaitMs`), every waiting batch goes into one transaction (one
 * fsync), and each submitter's promise resolves only after that commit, so a 202 means "on disk".
 * One commit per tick rather than per request: an fsync'd commit costs ~0.2 ms of CPU, and with
 * `npm run bench:server`'s producer (500 events/s, no clients) the server's CPU fell from 1.25–1.30 s
 * to 0.51–0.58 s per 10 s; the wallboard sees an event at the first flush after its commit either way. With `commitWaitMs` 0 (the default) a group is what arrived in one event-loop
 * turn; a group of `COMMIT_NOW_EVENTS` or more commits at once (its fsync is already amortised).
 * Playback events (emulator, replay) are reproducible from their source, so they go to the floor
 * only (not to the event log). History marks each row with the source of the event that made it:
 * durable events are `ingest`, playback events the playback source's kind.
 *
 * History is written from what the Floor decided: the floor applies events only after their
 * commit, and its history rows are written right after that (`history.flush()`), so a failed
 * commit leaves no trace in memory or in history, and a retried batch is counted once.
 */

/** Where the rows of what the floor applied go (LiveHistory); flush() never throws. */
export interface HistorySink {
	flush(): boolean;
	/** Runs `fn` (applying events) with the rows of what it changed marked as ingested traffic. */
	asIngest<T>(fn: () => T): T;
}

/** What became of a batch. */
export interface IntakeResult {
	readonly accepted: number;
	readonly duplicates: number;
	readonly anomalies: number;
	/** Events of the batch held until their predecessor arrives (see reorder.ts). */
	readonly held: number;
}

interface Pending {
	readonly events: readonly FloorEvent[];
	readonly resolve: (r: IntakeResult) => void;
	readonly reject: (e: unknown) => void;
}

/** What ingest needs from wherever events go: the local intake, or the cluster's stream. */
export interface EventSink {
	submit(events: readonly FloorEvent[]): Promise<EventsAccepted>;
}

/** A batch could not be made durable (the store refused the commit); the producer should retry. */
export class CommitFailedError extends Error {
	constructor(message = 'the event store could not commit; retry later') {
		super(message);
	}
}

/** Events waiting for the commit beyond which they commit at once instead of at the tick. */
const COMMIT_NOW_EVENTS = 512;

/** Feeds the floor, the store and the history rows from validated events. */
export class Intake {
	#pending: Pending[] = [];
	#pendingEvents = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#immediate: ReturnType<typeof setImmediate> | null = null;

	/** The floor of an event's site (one floor for every event when given a single Floor). */
	readonly #floorOf: (e: FloorEvent) => Floor | undefined;

	constructor(
		floors: Floor | FloorSet,
		private readonly store: Store,
		private readonly history: HistorySink | null,
		private readonly metrics: Metrics,
		reorderLimits: ReorderLimits = REORDER_DEFAULTS,
		/** Longest a batch waits for a `commit()` call (the tick) before it commits on its own; 0: the end of this event-loop turn. */
		private readonly commitWaitMs = 0
	) {
		this.#floorOf = floors instanceof FloorSet ? (e) => floors.floorOf(e) : () => floors;
		this.#reorder = new ReorderBuffer((contact) => floors.contactPhase(contact), reorderLimits);
		metrics.reorder = this.#reorder;
	}

	/** Ingested contact events that arrived before their predecessor wait here (bounded), then reach the floor. */
	readonly #reorder: ReorderBuffer;

	/** Hands held events whose time is up to the floor (which counts them as anomalies); the tick calls this. */
	expireHeld(now = Date.now()): void {
		if (!this.#reorder.held) return;
		this.#asIngest(() => this.#reorder.expire((e) => this.#count(0, 0, this.#apply(e) === 'anomaly' ? 1 : 0), now));
		this.history?.flush();
	}

	/** Appends a valid batch durably and applies what was new; resolves after the commit. */
	submit(events: readonly FloorEvent[]): Promise<IntakeResult> {
		return new Promise((resolve, reject) => {
			this.#pending.push({ events, resolve, reject });
			this.#pendingEvents += events.length;
			if (this.commitWaitMs > 0 && this.#pendingEvents < COMMIT_NOW_EVENTS) {
				// The tick normally commits first; the timer only bounds the wait when ticks are late.
				this.#timer ??= setTimeout(() => this.commit(), this.commitWaitMs);
			} else {
				// setImmediate runs after the I/O callbacks of this turn, so every request read in it joins the group.
				this.#immediate ??= setImmediate(() => this.commit());
			}
		});
	}

	/**
	 * Applies playback events to the floor (not to the event log) and writes their history rows. The
	 * floor's clock is moved to each event first (advance() accrues agent time at most once a
	 * floor-second), as the 1× tick does: a backlog handed out at once (`--from`'s hours before now, a
	 * late tick) then accrues agent time and counts contacts in the minutes and intervals they
	 * happened in, not all in the current one (#11).
	 */
	applyVolatile(events: readonly FloorEvent[]): IntakeResult {
		let accepted = 0;
		let duplicates = 0;
		let anomalies = 0;
		for (const e of events) {
			this.#floorOf(e)?.advance(e.ts);
			const kind = this.#apply(e);
			if (kind === 'duplicate') duplicates++;
			else {
				accepted++;
				if (kind === 'anomaly') anomalies++;
			}
		}
		this.history?.flush();
		this.#count(accepted, duplicates, anomalies);
		return { accepted, duplicates, anomalies, held: 0 };
	}

	/** Commits every waiting batch in one transaction, applies what was new and answers the submitters. */
	commit(): void {
		if (this.#timer) clearTimeout(this.#timer);
		if (this.#immediate) clearImmediate(this.#immediate);
		this.#timer = this.#immediate = null;
		const group = this.#pending;
		if (!group.length) return;
		this.#pending = [];
		this.#pendingEvents = 0;
		const received = Date.now();
		const t0 = performance.now();
		let fresh: FloorEvent[][];
		try {
			fresh = this.store.transaction(() =>
				group.map((g) => {
					const isNew = this.store.appendEvents(g.events, received);
					return g.events.filter((_, i) => isNew[i]);
				})
			);
		} catch (err) {
			const fail = new CommitFailedError();
			for (const g of group) g.reject(fail);
			console.error('store commit failed:', err);
			return;
		}
		this.metrics.commitLatency.observe((performance.now() - t0) / 1000);
		this.#asIngest(() =>
			group.forEach((g, i) => {
				const kept = fresh[i]!;
				let anomalies = 0;
				let held = 0;
				const apply = (e: FloorEvent) => void (this.#apply(e) === 'anomaly' && anomalies++);
				for (const e of kept) if (this.#reorder.offer(e, apply, received)) held++;
				const duplicates = g.events.length - kept.length;
				this.#count(kept.length, duplicates, anomalies);
				g.resolve({ accepted: kept.length, duplicates, anomalies, held });
			})
		);
		// The events are durable whatever happens here: a failed history write is retried, and re-derived on restart
		// (rows of today's and yesterday's events), so the rows need no fsync of their own.
		const history = this.history;
		if (history) this.store.rederivable(() => history.flush());
	}

	/**
	 * Applies one event on its site's floor. An event of a site not configured here (ingest refuses
	 * those; one may still come from the cluster's stream before the config naming the site) is an anomaly.
	 */
	#apply(e: FloorEvent): ReturnType<Floor['apply']>['kind'] {
		const floor = this.#floorOf(e);
		return floor ? floor.apply(e).kind : 'anomaly';
	}

	#asIngest<T>(fn: () => T): T {
		return this.history ? this.history.asIngest(fn) : fn();
	}

	#count(accepted: number, duplicates: number, anomalies: number): void {
		this.metrics.eventsAccepted += accepted;
		this.metrics.eventsDuplicate += duplicates;
		this.metrics.anomalies += anomalies;
	}
}
