import type Database from 'better-sqlite3';
import type { HistorySource } from '../../lib/domain/history';
import { DEFAULT_SITE } from '../../lib/domain/sites';
import { dayKey } from '../../lib/domain/time';

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

/**
 * The first date a site keeps with a retention of `days` days: the date of its current day (the
 * one that began at `dayStart`, in its own time zone) less `days` calendar days. Counted on the
 * date, not as `days` × 24 h, so a change to or from summer time between does not move it a day.
 */
export function retentionCutoff(dayStart: number, timeZone: string, days: number): string {
	return new Date(Date.parse(`${dayKey(dayStart, timeZone)}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Deletes every day of the recorded sources before its site's first kept date (`cutoffs`: site →
 * YYYY-MM-DD, from retentionCutoff on the site's own clock: a site hours ahead is a day further on).
 * Days of a site not in `cutoffs` (no floor this run) go by the default site's; returns the rows removed.
 */
export function pruneBefore(db: Database.Database, cutoffs: ReadonlyMap<string, string>): number {
	const fallback = cutoffs.get(DEFAULT_SITE);
	if (fallback === undefined) throw new Error(`retention: no cutoff for the default site ${DEFAULT_SITE}`);
	const sources = RETAINED_SOURCES.map(() => '?').join(', ');
	const sites = [...cutoffs.keys()];
	return db.transaction(() => {
		let n = 0;
		for (const t of TABLES) {
			const one = db.prepare(`DELETE FROM ${t} WHERE site = ? AND date < ? AND source IN (${sources})`);
			for (const [site, date] of cutoffs) n += one.run(site, date, ...RETAINED_SOURCES).changes;
			n += db.prepare(`DELETE FROM ${t} WHERE site NOT IN (${sites.map(() => '?').join(', ')}) AND date < ? AND source IN (${sources})`).run(...sites, fallback, ...RETAINED_SOURCES).changes;
		}
		return n;
	})();
}
