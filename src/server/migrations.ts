import type Database from 'better-sqlite3';
import { KPI_COLUMNS } from './history/columns';

/**
 * The store's schema, as numbered steps (`PRAGMA user_version` holds the last one applied).
 * Each step runs once, in its own transaction, in order; a file written by any earlier release
 * opens by running the steps it lacks. Never edit a released step: add the next one.
 */

/** One schema step. */
export interface Migration {
	readonly version: number;
	readonly description: string;
	readonly up: (db: Database.Database) => void;
}

const kpiColumns = KPI_COLUMNS.map((k) => `"${k}" REAL NOT NULL DEFAULT 0`).join(',\n\t');

/** Every step, in order. Version 1 is the schema of the first release (before migrations were numbered). */
export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		description: 'event log, configs, audit, first history tables',
		up: (db) =>
			db.exec(`
CREATE TABLE IF NOT EXISTS events (
	seq INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	ts INTEGER NOT NULL,
	type TEXT NOT NULL,
	body TEXT NOT NULL,
	received INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
CREATE TABLE IF NOT EXISTS contacts (
	contact TEXT NOT NULL, queue TEXT NOT NULL, channel TEXT NOT NULL, offered INTEGER NOT NULL,
	answered INTEGER, abandoned INTEGER, ended INTEGER, wait REAL NOT NULL, handle REAL, agent TEXT, outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contacts_offered ON contacts(offered);
CREATE TABLE IF NOT EXISTS agent_states (agent TEXT NOT NULL, ts INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT);
CREATE INDEX IF NOT EXISTS agent_states_ts ON agent_states(ts);
CREATE TABLE IF NOT EXISTS interval_kpis (
	start INTEGER NOT NULL, queue TEXT NOT NULL,
	"offered" REAL NOT NULL DEFAULT 0, "answered" REAL NOT NULL DEFAULT 0, "abandoned" REAL NOT NULL DEFAULT 0,
	"shortAbandoned" REAL NOT NULL DEFAULT 0, "transferred" REAL NOT NULL DEFAULT 0, "answeredWithinT" REAL NOT NULL DEFAULT 0,
	"abandonedWithinT" REAL NOT NULL DEFAULT 0, "answeredWaitSum" REAL NOT NULL DEFAULT 0, "handled" REAL NOT NULL DEFAULT 0,
	"handleSum" REAL NOT NULL DEFAULT 0, "csatAnswers" REAL NOT NULL DEFAULT 0, "csatPositive" REAL NOT NULL DEFAULT 0,
	"longestWait" REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (start, queue)
);
CREATE TABLE IF NOT EXISTS configs (
	kind TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, ts INTEGER NOT NULL, actor TEXT NOT NULL, body TEXT NOT NULL,
	PRIMARY KEY (kind, key, version)
);
CREATE TABLE IF NOT EXISTS audit (
	seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT
);`)
	},
	{
		version: 2,
		description: 'history derived from the Floor, per source and day; the old second-reading tables are dropped and re-derived from the event log',
		up: (db) =>
			db.exec(`
DROP TABLE IF EXISTS contacts;
DROP TABLE IF EXISTS agent_states;
DROP TABLE IF EXISTS interval_kpis;
CREATE TABLE h_days (
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	time_zone TEXT NOT NULL,
	day_start INTEGER NOT NULL,
	day_end INTEGER NOT NULL,
	interval_ms INTEGER NOT NULL,
	queues TEXT NOT NULL,
	status TEXT NOT NULL,
	final_at INTEGER,
	open_contacts INTEGER NOT NULL DEFAULT 0,
	clock INTEGER NOT NULL,
	rec_agent_states INTEGER NOT NULL DEFAULT 0,
	rec_acw INTEGER NOT NULL DEFAULT 0,
	rec_csat INTEGER NOT NULL DEFAULT 0,
	summary TEXT,
	PRIMARY KEY (source, date)
);
CREATE TABLE h_counts (
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	event TEXT NOT NULL,
	part INTEGER NOT NULL,
	queue TEXT NOT NULL,
	channel TEXT NOT NULL,
	start INTEGER NOT NULL,
	agent TEXT,
	${kpiColumns},
	PRIMARY KEY (source, date, event, part)
) WITHOUT ROWID;
CREATE TABLE h_legs (
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	leg TEXT NOT NULL,
	contact TEXT NOT NULL,
	queue TEXT NOT NULL,
	channel TEXT NOT NULL,
	priority INTEGER NOT NULL,
	offered INTEGER NOT NULL,
	left_at INTEGER,
	answered INTEGER,
	wrapup INTEGER,
	ended INTEGER,
	outcome TEXT NOT NULL,
	agent TEXT,
	transferred_to TEXT,
	csat INTEGER,
	PRIMARY KEY (source, date, leg)
) WITHOUT ROWID;
CREATE TABLE h_agent_states (
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	event TEXT NOT NULL,
	agent TEXT NOT NULL,
	ts INTEGER NOT NULL,
	n INTEGER NOT NULL,
	cause TEXT NOT NULL,
	activity TEXT NOT NULL,
	presence TEXT NOT NULL,
	reason TEXT,
	busy_slots REAL NOT NULL,
	offered_slots REAL NOT NULL,
	PRIMARY KEY (source, date, event)
) WITHOUT ROWID;
CREATE TABLE h_agents (
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	agent TEXT NOT NULL,
	name TEXT NOT NULL,
	team TEXT NOT NULL,
	skills TEXT NOT NULL,
	capacity TEXT NOT NULL,
	PRIMARY KEY (source, date, agent)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) SELECT 'rederive', '1' WHERE EXISTS (SELECT 1 FROM events);`)
	},
	{
		version: 3,
		description: 'issued forecasts: what was forecast for a date, as issued, kept to compare with the day once it happened',
		up: (db) =>
			db.exec(`
CREATE TABLE forecast_issued (
	date TEXT NOT NULL,
	issued_at INTEGER NOT NULL,
	interval_sec INTEGER NOT NULL,
	actor TEXT NOT NULL,
	day TEXT NOT NULL,
	PRIMARY KEY (date, issued_at)
) WITHOUT ROWID;`)
	},
	{
		version: 4,
		description: 'the daily snapshot stored with its day (frozen once final); agent time per interval for days written whole (backfill, import)',
		up: (db) =>
			db.exec(`
ALTER TABLE h_days ADD COLUMN snapshot TEXT;
ALTER TABLE h_days ADD COLUMN changed INTEGER NOT NULL DEFAULT 1;
CREATE TABLE h_agent_time (
	source TEXT NOT NULL,
	date TEXT NOT NULL,
	agent TEXT NOT NULL,
	intervals TEXT NOT NULL,
	PRIMARY KEY (source, date, agent)
) WITHOUT ROWID;`)
	},
	{
		version: 5,
		description: "history per site: every history table gets a site column, first in its key; the rows already stored are the default site's ('main')",
		up: (db) => {
			for (const table of SITE_TABLES) addSiteToKey(db, table);
		}
	}
];

/** The history tables, all keyed by (source, date, …) before version 5 and by (site, source, date, …) since. */
const SITE_TABLES = ['h_days', 'h_counts', 'h_legs', 'h_agent_states', 'h_agents', 'h_agent_time'] as const;

/**
 * Rebuilds `table` with `site` as the first column and first part of its primary key (SQLite
 * cannot change a key in place): the new table is the old definition with the site put in front,
 * every row is copied as the default site's, then it takes the old one's name.
 */
function addSiteToKey(db: Database.Database, table: string): void {
	const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string };
	const rebuilt = sql
		.replace(/^CREATE TABLE "?\w+"?\s*\(/, `CREATE TABLE ${table}_v5 (\n\tsite TEXT NOT NULL DEFAULT 'main',`)
		.replace(/PRIMARY KEY \(source,/, 'PRIMARY KEY (site, source,');
	if (rebuilt === sql || !rebuilt.includes('PRIMARY KEY (site, source,')) throw new Error(`schema 5: unexpected definition of ${table}`);
	const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
	db.exec(`${rebuilt};
INSERT INTO ${table}_v5 (site, ${columns}) SELECT 'main', ${columns} FROM ${table};
DROP TABLE ${table};
ALTER TABLE ${table}_v5 RENAME TO ${table};`);
}

/** The schema version this release writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `db` to SCHEMA_VERSION, one step per transaction. Throws when the file was written by
 * a newer release (its schema is unknown here, so nothing is touched).
 */
export function migrate(db: Database.Database, steps: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
	const from = db.pragma('user_version', { simple: true }) as number;
	const latest = steps.length;
	if (from > latest) throw new Error(`the store was written by a newer release (schema ${from}; this release knows up to ${latest}); upgrade Sightline`);
	// A store of the first release has no user_version but has its tables: step 1 is idempotent (IF NOT EXISTS), so it runs harmlessly.
	for (const step of steps) {
		if (step.version <= from) continue;
		db.transaction(() => {
			step.up(db);
			db.pragma(`user_version = ${step.version}`);
		})();
	}
	return { from, to: Math.max(from, latest) };
}
