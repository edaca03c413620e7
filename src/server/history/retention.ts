import type Database from 'better-sqlite3';
import type { HistorySource } from '../../lib/domain/history';

/** Every history table keyed by (source, date). */
const TABLES = ['h_counts', 'h_legs', 'h_agent_states', 'h_agents', 'h_days'] as const;

/** Deletes one day of one source from every history table, in one transaction; returns the rows removed. */
export function deleteDay(db: Database.Database, date: string, source: HistorySource): number {
	return db.transaction(() => {
		let n = 0;
		for (const t of TABLES) n += db.prepare(`DELETE FROM ${t} WHERE source = ? AND date = ?`).run(source, date).changes;
		return n;
	})();
}

/** Deletes every day before `date` (YYYY-MM-DD), all sources; returns the rows removed. */
export function pruneBefore(db: Database.Database, date: string): number {
	return db.transaction(() => {
		let n = 0;
		for (const t of TABLES) n += db.prepare(`DELETE FROM ${t} WHERE date < ?`).run(date).changes;
		return n;
	})();
}
