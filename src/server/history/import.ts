import { DEFAULT_FLOOR_CONFIG, type FloorConfig } from '../../lib/domain/floor';
import type { FloorEvent } from '../../lib/domain/events';
import { dayKey, dayStart } from '../../lib/domain/time';
import { parseAnonymousBank } from '../../lib/domain/traces/anonymous-bank';
import { bankCallsToEvents, bankQueues } from '../../lib/domain/traces/bank-events';
import { parseEventsTrace } from '../../lib/domain/traces/events-trace';
import type { TraceError } from '../../lib/domain/traces/trace-error';
import { fromZonedTime } from 'date-fns-tz';
import type { Store } from '../store';
import { deriveHistory } from './rederive';
import { deleteDay } from './retention';

/**
 * Imports past traffic into the store as days of source `import`: the Anonymous Bank call logs
 * (with or without a `date` column) and JSONL event traces. The file's events go through a Floor
 * of their own and the history rows it reports are written, as for live traffic; the raw events
 * are not kept in the event log. Every day the file holds is replaced whole (deleted, then
 * written in one pass), so importing the same day again, from this file or another, never counts
 * anything twice. What the file does not record is not invented: no logins, breaks or after-call
 * work for a call log.
 */

/** Import file formats. */
export const IMPORT_FORMATS = ['anonymous-bank', 'sightline'] as const;
/** One of IMPORT_FORMATS. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Date the undated one-day Anonymous Bank file is (shared/data/README.md). */
export const BANK_ONE_DAY_DATE = '2010-08-01';

/** What to import. */
export interface ImportOptions {
	readonly format: ImportFormat;
	/** For an undated call log, its date (default BANK_ONE_DAY_DATE); for a dated one, only that day. */
	readonly date?: string;
	/** The center's clock: time zone and reset (default: the store's floor config, else UTC midnight). */
	readonly config?: FloorConfig;
	/** Told the events applied so far of the total, for a progress bar. */
	readonly onProgress?: (done: number, total: number) => void;
}

/** Per imported day: what the store now holds for it. */
export interface ImportedDay {
	readonly date: string;
	readonly offered: number;
	readonly answered: number;
	readonly abandoned: number;
}

/** What an import did. */
export interface ImportResult {
	/** Records read: calls (offered or not, PHANTOM excluded) or events. */
	readonly records: number;
	readonly events: number;
	readonly anomalies: number;
	readonly days: readonly ImportedDay[];
	/** Bad rows, by line and field; they were skipped whole. */
	readonly errors: readonly TraceError[];
}

/** An import that cannot go ahead at all (wrong file, bad option); nothing was written. */
export class ImportError extends Error {}

/** The floor config an import uses: the given one, else the store's, else the defaults. */
export function importConfig(store: Store, given?: FloorConfig): FloorConfig {
	if (given) return given;
	return importConfigFrom(store.latestConfig<Partial<FloorConfig>>('floor', 'default')?.body);
}

/** The floor config an import uses given the center's stored one (a store's, or the cluster's shared one). */
export function importConfigFrom(stored: Partial<FloorConfig> | undefined): FloorConfig {
	return { ...DEFAULT_FLOOR_CONFIG, ...stored };
}

/**
 * A file read and checked, not yet written: what every store that takes it needs to write the
 * same days (here, or on every instance of a cluster through its log).
 */
export interface PreparedImport {
	/** Records read: calls (offered or not, PHANTOM excluded) or events. */
	readonly records: number;
	/** Bad rows, by line and field; they are skipped whole. */
	readonly errors: readonly TraceError[];
	/** The events, in time order. */
	readonly events: readonly FloorEvent[];
	/** The center's clock with the file's queues added: the Floor the events are played through. */
	readonly config: FloorConfig;
	/** The days the file holds (those its contacts were offered in), sorted: each is replaced whole. */
	readonly dates: readonly string[];
}

/** Reads `text` with the center's `config`. Throws ImportError when there is nothing to import. */
export function prepareImport(text: string, options: Omit<ImportOptions, 'config' | 'onProgress'> & { readonly config: FloorConfig }): PreparedImport {
	const { config } = options;
	const { events, errors, records } = options.format === 'anonymous-bank' ? bankEvents(text, options.date, config) : traceEvents(text);
	if (events.length === 0) {
		if (errors.length) throw new ImportError(`nothing to import: every row is bad (first: line ${errors[0]?.line}, ${errors[0]?.field || 'row'}: ${errors[0]?.message})`);
		throw new ImportError('nothing to import: the file holds no offered contact');
	}
	events.sort((a, b) => a.ts - b.ts);
	const withQueues: FloorConfig = options.format === 'anonymous-bank' ? { ...config, queues: mergeQueues(config, bankQueues()) } : config;
	const dates = new Set<string>();
	for (const e of events) if (e.type === 'contact.queued') dates.add(dayKey(dayStart(e.ts, config.timeZone, config.resetTime), config.timeZone));
	return { records, errors, events, config: withQueues, dates: [...dates].sort() };
}

/**
 * Writes a prepared import's days into `store` in one transaction: each day deleted, then the
 * Floor's rows written, so writing the same import again (or another holding the same day)
 * replaces the day and never counts anything twice.
 */
export function writeImport(
	store: Store,
	prepared: Pick<PreparedImport, 'events' | 'config' | 'dates'>,
	onProgress?: (done: number, total: number) => void
): Omit<ImportResult, 'records' | 'errors'> {
	const { events, config } = prepared;
	const dates = new Set(prepared.dates);
	const pages = chunks(events, 20_000);
	const result = store.transaction(() => {
		for (const d of dates) deleteDay(store.db, d, 'import');
		return deriveHistory(store, config, 'import', pages, 'bulk', (done) => onProgress?.(done, events.length), dates);
	});
	const summary = store.db.prepare(
		`SELECT date, sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned FROM h_counts WHERE source = 'import' AND date = ? GROUP BY date`
	);
	const days = [...dates].sort().map((date) => (summary.get(date) as ImportedDay | undefined) ?? { date, offered: 0, answered: 0, abandoned: 0 });
	return { events: result.events, anomalies: result.anomalies, days };
}

/** Audit target of an import: its day, or its first and last day. */
export function importAuditTarget(dates: readonly string[]): string {
	return dates.length <= 1 ? (dates[0] ?? '') : `${dates[0]}..${dates.at(-1)}`;
}

/** Imports `text` into `store`. Throws ImportError when the file is not of the format at all. */
export function importText(store: Store, text: string, options: ImportOptions): ImportResult {
	const prepared = prepareImport(text, { ...options, config: importConfig(store, options.config) });
	const written = writeImport(store, prepared, options.onProgress);
	return { records: prepared.records, errors: prepared.errors, ...written };
}

function bankEvents(text: string, date: string | undefined, config: FloorConfig): { events: FloorEvent[]; errors: TraceError[]; records: number } {
	const parsed = parseAnonymousBank(text, { ...(date ? { date } : {}), maxErrors: 100_000 });
	if (parsed.calls.length === 0 && parsed.errors.length > 0) {
		const first = parsed.errors[0];
		throw new ImportError(`not an Anonymous Bank call log (line ${first?.line}${first?.field ? `, ${first.field}` : ''}: ${first?.message})`);
	}
	// Clock times count from the local midnight of the call's date in the center's zone.
	const midnight = (d: string | null) => fromZonedTime(`${d ?? date ?? BANK_ONE_DAY_DATE}T00:00:00`, config.timeZone).getTime();
	// Logins and after-call work are not in the file: the replay helper's stand-ins are left out here.
	const events = bankCallsToEvents(parsed.calls, { dayStartMs: midnight }).filter((e) => e.type !== 'agent.state' && e.type !== 'contact.wrapup');
	return { events, errors: parsed.errors, records: parsed.calls.length };
}

function traceEvents(text: string): { events: FloorEvent[]; errors: TraceError[]; records: number } {
	const parsed = parseEventsTrace(text, { maxErrors: 100_000 });
	return { events: parsed.events, errors: parsed.errors, records: parsed.events.length + parsed.errors.length };
}

function mergeQueues(config: FloorConfig, extra: FloorConfig['queues']): FloorConfig['queues'] {
	const have = new Set(config.queues.map((q) => q.id));
	return [...config.queues, ...extra.filter((q) => !have.has(q.id))];
}

function* chunks<T>(xs: readonly T[], size: number): Generator<readonly T[]> {
	for (let i = 0; i < xs.length; i += size) yield xs.slice(i, i + size);
}
