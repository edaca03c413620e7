import type Database from 'better-sqlite3';
import type { HistorySource } from '../../lib/domain/history';
import { DEFAULT_SITE } from '../../lib/domain/sites';

/** Every history table keyed by (site, source, date). */
const TABLES = ['h_counts', 'h_legs', 'h_agent_states', 'h_agent_time', 'h_agents', 'h_days'] as const;

/** Deletes one day of one source of one site (default: the default site) from every history table, in one transaction; returns the rows removed. */
export function deleteDay(db: Database.Database, date: string, source: HistorySource, site: string = DEFAULT_SITE): number {
	return db.transaction(() => {
		let n = 0;
		for (const t of TABLES) n += db.prepare(`DELETE FROM ${t} WHERE site = ? AND source = ? AND date = ?`).run(site, source, date).changes;
		return n;
	})();
}

/**
 * Sources whose days retention removes: what this server recorded itself. Imported days are real
 * past traffic an admin brought in on purpose (the Anonymous Bank files are from 1999): they stay
 * until deleted (`DELETE /api/history/days/:date?source=import`), however old their dates are.
 */
export const RETAINED_SOURCES: readonly HistorySource[] = ['emulator', 'replay', 'ingest', 'backfill'];

/** Deletes every day before `date` (YYYY-MM-DD) of the recorded sources; returns the rows removed. */
export function pruneBefore(db: Database.Database, date: string): number {
	const marks = RETAINED_SOURCES.map(() => '?').join(', ');
	return db.transaction(() => {
		let n = 0;
		for (const t of TABLES) n += db.prepare(`DELETE FROM ${t} WHERE date < ? AND source IN (${marks})`).run(date, ...RETAINED_SOURCES).changes;
		return n;
	})();
}
