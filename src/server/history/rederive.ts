import type Database from 'better-sqlite3';
import type { FloorEvent } from '../../lib/domain/events';
import { Floor, type FloorConfig } from '../../lib/domain/floor';
import type { HistorySource } from '../../lib/domain/history';
import { DEFAULT_SITE, siteFloorConfig, siteOf, type CenterConfig } from '../../lib/domain/sites';
import { describeFloor } from './live';
import { HistoryWriter, type HistoryRows } from './writer';
import type { Store } from '../store';

/**
 * Plays stored or imported events through a Floor of their own (its day follows the events'
 * clock: these are past days) and writes the history rows it reports. Used to re-derive history
 * from the event log (a store migrated from an older release) and by the importer.
 */

/** What a run produced. */
export interface DeriveResult {
	readonly events: number;
	readonly anomalies: number;
	readonly duplicates: number;
	/** Dates (YYYY-MM-DD) that received rows. */
	readonly dates: readonly string[];
}

/**
 * Applies `pages` of time-ordered events to a fresh Floor and writes its history under `source`.
 * `mode` 'live' writes one row per change (idempotent: rows already there stay); 'bulk' sums
 * counts per interval and is for days deleted first (imports). Rows are flushed per page.
 */
export function deriveHistory(
	store: Store,
	config: FloorConfig,
	source: HistorySource,
	pages: Iterable<readonly FloorEvent[]>,
	mode: 'live' | 'bulk',
	onPage?: (events: number) => void,
	onlyDates: ReadonlySet<string> | null = null,
	/** The site the rows are written under (the events are that site's; `config` is on its clock). */
	site: string = DEFAULT_SITE
): DeriveResult {
	const r = play(
		store.db,
		config,
		source,
		pages,
		mode,
		onlyDates,
		(w, events) => {
			w?.flush();
			onPage?.(events);
		},
		site
	);
	r.writer?.finish();
	r.writer?.flush();
	return resultOf(r);
}

/**
 * Like deriveHistory in 'bulk' mode, but returns the rows instead of writing them: a worker
 * thread derives a day without the store, and the main thread writes the rows (HistoryRowWriter).
 * `uniqueIds`: the events' ids are generated and never repeat (a backfill): the Floor skips its
 * duplicate check (FloorOptions.uniqueIds).
 */
export function deriveHistoryRows(
	config: FloorConfig,
	source: HistorySource,
	events: readonly FloorEvent[],
	onlyDates: ReadonlySet<string> | null = null,
	uniqueIds = false
): DeriveResult & { readonly rows: HistoryRows | null } {
	const r = play(null, config, source, [events], 'bulk', onlyDates, () => {}, DEFAULT_SITE, uniqueIds);
	r.writer?.finish();
	const rows = r.writer?.take() ?? null;
	return { ...resultOf(r), rows };
}

/** Plays the pages through a Floor observed by a HistoryWriter made on the first event. */
function play(
	db: Database.Database | null,
	config: FloorConfig,
	source: HistorySource,
	pages: Iterable<readonly FloorEvent[]>,
	mode: 'live' | 'bulk',
	onlyDates: ReadonlySet<string> | null,
	afterPage: (writer: HistoryWriter | null, events: number) => void,
	site: string = DEFAULT_SITE,
	uniqueIds = false
): Played {
	let floor = null as Floor | null;
	let writer = null as HistoryWriter | null;
	let events = 0;
	let anomalies = 0;
	let duplicates = 0;
	for (const page of pages) {
		for (const e of page) {
			if (!floor) {
				const f = new Floor(config, e.ts, { rollDayOnEventTime: true, uniqueIds });
				writer = new HistoryWriter(db, source, () => describeFloor(f), mode, onlyDates, site);
				f.observe(writer);
				floor = f;
			}
			const out = floor.apply(e);
			if (out.kind === 'anomaly') anomalies++;
			else if (out.kind === 'duplicate') duplicates++;
		}
		events += page.length;
		afterPage(writer, events);
	}
	return { writer, events, anomalies, duplicates };
}

interface Played {
	readonly writer: HistoryWriter | null;
	readonly events: number;
	readonly anomalies: number;
	readonly duplicates: number;
}

/** What a play did, once its writer's rows are written or taken (dates are known then). */
function resultOf({ writer, events, anomalies, duplicates }: Played): DeriveResult {
	return { events, anomalies, duplicates, dates: [...(writer?.datesWritten ?? [])].sort() };
}

/**
 * After a migration from a release whose history was a second reading of the events, derives
 * every logged day's history from the event log once (days before `until`; the live floor's
 * restart covers the rest), each site's events on a Floor of its own on its own clock. Returns
 * the number of events read, 0 when nothing was due.
 */
export function rederiveAfterMigration(store: Store, center: CenterConfig, until: number, log: (line: string) => void): number {
	const due = store.db.prepare(`SELECT value FROM meta WHERE key = 'rederive'`).get() as { value: string } | undefined;
	if (!due) return 0;
	let events = 0;
	let days = 0;
	for (const site of center.sites) {
		const pages = (function* () {
			for (const page of store.eventPages(0, until)) yield page.filter((e) => siteOf(e) === site.id);
		})();
		const r = deriveHistory(store, siteFloorConfig(center, site), 'ingest', pages, 'live', undefined, null, site.id);
		events += r.events;
		days += r.dates.length;
	}
	store.db.prepare(`DELETE FROM meta WHERE key = 'rederive'`).run();
	if (events) log(`history re-derived from the event log by the Floor: ${events} events, ${days} days`);
	return events;
}
