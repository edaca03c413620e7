import type { FloorEvent } from '../../lib/domain/events';
import type { Floor } from '../../lib/domain/floor';
import type { HistoryQueue, HistorySource } from '../../lib/domain/history';
import { DEFAULT_SITE, type SiteConfig } from '../../lib/domain/sites';
import { dayStart } from '../../lib/domain/time';
import type { Store } from '../store';
import { HistoryQueries } from './queries';
import { deleteDay, pruneBefore, retentionCutoff } from './retention';
import { HistoryWriter, type FloorDescription } from './writer';

/**
 * History of the live floors: a writer observes each site's Floor (rows carry the site, days are
 * that site's own local days), rows are flushed after each applied batch (after the event commit,
 * so a failed commit leaves nothing behind), retried on the next tick when a flush fails, and
 * days move from open to closing to final as each site's clock passes their end.
 */

/** One site's floor and what writes and reads its history. */
interface SiteHistory {
	readonly floor: Floor;
	readonly writer: HistoryWriter;
	readonly queries: HistoryQueries;
}

/** Settings of live history. */
export interface LiveHistoryOptions {
	/** Source the live floor's days are stored under. */
	readonly source: HistorySource;
	/** A past day is final once its last contact closed, or this long after it ended (ms). */
	readonly graceMs?: number;
	/** Days of history kept (older days are deleted once an hour); 0 keeps everything. */
	readonly retentionDays?: number;
	/** The configured sites, so retention counts a site's days on its own calendar before it has a floor. */
	readonly sites?: () => readonly SiteConfig[];
	readonly log?: (line: string) => void;
}

/** Defaults: a day is final at the latest two days after it ended (`--final-after HOURS`); about 13 months are kept. */
export const DEFAULT_GRACE_MS = 2 * 24 * 3600_000;
export const DEFAULT_RETENTION_DAYS = 400;

/** How often day status is brought up to date, and retention applied. */
const STATUS_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 3600_000;
/**
 * Snapshots written per status update at most. Days written whole (backfill, import) arrive many
 * at once without one (answered from their rows until then, the same figures): a few per update
 * keeps each tick short instead of holding up the start.
 */
const SNAPSHOTS_PER_TICK = 4;

/** The floor as history describes it: its clock settings and every queue it knows. */
export function describeFloor(floor: Floor): FloorDescription {
	const c = floor.config;
	const queues: HistoryQueue[] = [...floor.queues.values()].map((q) => ({ id: q.config.id, name: q.config.name, channel: q.config.channel, sl: q.config.sl }));
	return { timeZone: c.timeZone, resetTime: c.resetTime, intervalMs: c.intervalMs, queues, clock: floor.clock };
}

/** Live history of the default site's floor and of every other site's added with addSite(). */
export class LiveHistory {
	/** The default site's writer and queries. */
	readonly writer: HistoryWriter;
	readonly queries: HistoryQueries;
	readonly #sites = new Map<string, SiteHistory>();
	readonly #graceMs: number;
	readonly #retentionDays: number;
	readonly #configuredSites: (() => readonly SiteConfig[]) | undefined;
	readonly #log: (line: string) => void;
	#statusAt = -Infinity;
	#prunedAt = -Infinity;
	#failing = false;

	constructor(
		private readonly store: Store,
		private readonly floor: Floor,
		options: LiveHistoryOptions
	) {
		this.writer = new HistoryWriter(store.db, options.source, () => describeFloor(floor), 'live');
		this.queries = new HistoryQueries(store.db);
		this.#sites.set(DEFAULT_SITE, { floor, writer: this.writer, queries: this.queries });
		this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
		this.#retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
		this.#configuredSites = options.sites;
		this.#log = options.log ?? ((line) => console.log(line));
		floor.observe(this.writer);
	}

	get source(): HistorySource {
		return this.writer.source;
	}

	/**
	 * Writes the history of another site's floor from now on (call it when the floor is made,
	 * before it applies anything). Its rows are ingested traffic: a playback source feeds the
	 * default site only, so no attribution is needed.
	 */
	addSite(site: string, floor: Floor): void {
		if (this.#sites.has(site)) return;
		const writer = new HistoryWriter(this.store.db, 'ingest', () => describeFloor(floor), 'live', null, site);
		floor.observe(writer);
		this.#sites.set(site, { floor, writer, queries: new HistoryQueries(this.store.db, site) });
	}

	/** Queries of one site's days; undefined for a site this history does not write. */
	queriesOf(site: string): HistoryQueries | undefined {
		return this.#sites.get(site)?.queries;
	}

	/** Rows buffered and not yet written, over every site. */
	get pending(): number {
		let n = 0;
		for (const s of this.#sites.values()) n += s.writer.pending;
		return n;
	}

	/** Runs `fn` (applying events) with the rows of what it changed marked as ingested traffic. */
	asIngest<T>(fn: () => T): T {
		return this.writer.attribute('ingest', fn);
	}

	/** Writes the rows of what the floor just applied. A failure is logged once and retried by tick(); returns whether all was written. */
	flush(): boolean {
		try {
			for (const s of this.#sites.values()) s.writer.flush();
			if (this.#failing) this.#log('history rows written again after a failed write');
			this.#failing = false;
			return true;
		} catch (e) {
			if (!this.#failing) this.#log(`history rows could not be written (kept, retried): ${(e as Error).message}`);
			this.#failing = true;
			return false;
		}
	}

	/**
	 * Re-applies stored events to the floor (a restart), writing any history row that is missing
	 * (rows are keyed by event, so existing ones are left as they are). The floor's day follows the
	 * events' clock here: these are past events, not a producer's claim about now. `floorOf` picks
	 * each event's site floor (default: this history's floor for every event).
	 */
	rebuild(pages: Iterable<readonly FloorEvent[]>, floorOf: (e: FloorEvent) => Floor | undefined = () => this.floor): { events: number; anomalies: number } {
		let events = 0;
		let anomalies = 0;
		for (const page of pages) {
			// The event log holds ingested events only (playback is not logged).
			this.asIngest(() => {
				for (const e of page) {
					// Each site's floor rolls its own day; an event no floor takes (before its site's rebuild start) is left out.
					const floor = floorOf(e);
					if (!floor) continue;
					if (e.ts >= floor.nextDayStart) floor.advance(e.ts);
					if (floor.apply(e).kind === 'anomaly') anomalies++;
				}
			});
			events += page.length;
			this.flush();
		}
		// Days that ended while the server was down get their snapshot now, not at the first tick.
		if (this.pending === 0) for (const [site, s] of this.#sites) this.#updateStatus(site, s);
		return { events, anomalies };
	}

	/** Called on every hub tick: retries unwritten rows, moves days along (every 10 s), applies retention (hourly). */
	tick(now: number): void {
		if (this.pending > 0) this.flush();
		// Never judge a day final while some of its rows are still unwritten.
		if (now - this.#statusAt >= STATUS_EVERY_MS && this.pending === 0) {
			this.#statusAt = now;
			try {
				for (const [site, s] of this.#sites) this.#updateStatus(site, s);
			} catch (e) {
				this.#log(`history day status not updated: ${(e as Error).message}`);
			}
		}
		if (this.#retentionDays > 0 && now - this.#prunedAt >= PRUNE_EVERY_MS) {
			this.#prunedAt = now;
			try {
				// Each site's days counted on its own calendar: one many hours ahead is already a day further on.
				// A configured site with no floor yet (no event since start-up) by its configured zone and reset.
				const cutoffs = new Map((this.#configuredSites?.() ?? []).map((s) => [s.id, retentionCutoff(dayStart(now, s.timeZone, s.resetTime), s.timeZone, this.#retentionDays)]));
				for (const [site, s] of this.#sites) cutoffs.set(site, retentionCutoff(s.floor.dayStart, s.floor.config.timeZone, this.#retentionDays));
				const n = pruneBefore(this.store.db, cutoffs);
				if (n) this.#log(`history: removed ${n} rows of days before ${[...cutoffs].map(([site, d]) => `${d} (${site})`).join(', ')} (retention ${this.#retentionDays} days)`);
			} catch (e) {
				this.#log(`history retention not applied: ${(e as Error).message}`);
			}
		}
	}

	/** Deletes one day of one source; returns the rows removed. */
	deleteDay(date: string, source: HistorySource, site?: string): number {
		return deleteDay(this.store.db, date, source, site);
	}

	/**
	 * Moves days along: an open day that ended (the daily reset) is closing and gets its snapshot;
	 * a closing day is final once no contact offered in it is open, or `graceMs` after it ended.
	 * The stored snapshot is rewritten whenever the day's rows changed (a late outcome) until final,
	 * then frozen.
	 */
	#updateStatus(site: string, { floor, queries }: SiteHistory): void {
		const db = this.store.db;
		const clock = floor.clock;
		db.prepare(`UPDATE h_days SET clock = max(clock, min(?, day_end)) WHERE site = ? AND status = 'open' AND day_start <= ?`).run(clock, site, clock);
		db.prepare(`UPDATE h_days SET status = 'closing', changed = 1 WHERE site = ? AND status = 'open' AND day_end <= ?`).run(site, clock);
		// Snapshots first, so a day that becomes final below keeps every outcome written so far.
		queries.storeSnapshots(SNAPSHOTS_PER_TICK);
		const closing = db.prepare(`SELECT source, date, day_start, day_end, open_contacts FROM h_days WHERE site = ? AND status = 'closing'`).all(site) as {
			source: HistorySource;
			date: string;
			day_start: number;
			day_end: number;
			open_contacts: number;
		}[];
		for (const d of closing) {
			const open = floor.openContactsOfferedIn(d.day_start, d.day_end);
			if (open === 0 || clock >= d.day_end + this.#graceMs) {
				db.prepare(`UPDATE h_days SET status = 'final', final_at = ?, open_contacts = ?, summary = NULL WHERE site = ? AND source = ? AND date = ?`).run(clock, open, site, d.source, d.date);
			} else if (open !== d.open_contacts) {
				db.prepare('UPDATE h_days SET open_contacts = ? WHERE site = ? AND source = ? AND date = ?').run(open, site, d.source, d.date);
			}
		}
	}
}
