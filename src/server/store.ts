import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Channel } from '../lib/domain/channels';
import type { FloorEvent } from '../lib/domain/events';
import type { KpiCounts } from '../lib/domain/kpi';

/**
 * The SQLite store (better-sqlite3, WAL) in the data directory.
 *
 * Durability: journal_mode=WAL with synchronous=FULL. In WAL mode synchronous=NORMAL already
 * survives a crash of this process (`kill -9`: committed pages are in the OS page cache), but may
 * lose the last commits on power loss; FULL fsyncs the WAL on every commit, so an acknowledged
 * event also survives power loss. Ingest groups concurrent batches into one commit, which pays for
 * the fsync.
 */

/** File name of the database inside the data dir. */
export const DB_FILE = 'sightline.db';

/** One finished contact in one queue: the past traffic the planner replays. */
export interface ContactRecord {
	readonly contact: string;
	readonly queue: string;
	readonly channel: Channel;
	readonly offered: number;
	readonly answered: number | null;
	readonly abandoned: number | null;
	readonly ended: number | null;
	/** Seconds waited in this queue. */
	readonly wait: number;
	/** Seconds from answer to end (talk + hold + after-contact work); null when not handled. */
	readonly handle: number | null;
	readonly agent: string | null;
	readonly outcome: 'handled' | 'abandoned' | 'transferred';
}

/** One presence change of an agent. */
export interface AgentStateRecord {
	readonly agent: string;
	readonly ts: number;
	readonly state: string;
	readonly reason: string | null;
}

/** One stored version of a config. */
export interface StoredConfig<T = unknown> {
	readonly kind: string;
	readonly key: string;
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly body: T;
}

/** Additive columns of `interval_kpis` (every KpiCounts field except the max-merged longest wait). */
const ADDITIVE: readonly (keyof KpiCounts)[] = [
	'offered',
	'answered',
	'abandoned',
	'shortAbandoned',
	'transferred',
	'answeredWithinT',
	'abandonedWithinT',
	'answeredWaitSum',
	'handled',
	'handleSum',
	'csatAnswers',
	'csatPositive'
];

const SCHEMA = `
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
	contact TEXT NOT NULL,
	queue TEXT NOT NULL,
	channel TEXT NOT NULL,
	offered INTEGER NOT NULL,
	answered INTEGER,
	abandoned INTEGER,
	ended INTEGER,
	wait REAL NOT NULL,
	handle REAL,
	agent TEXT,
	outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contacts_offered ON contacts(offered);
CREATE TABLE IF NOT EXISTS agent_states (
	agent TEXT NOT NULL,
	ts INTEGER NOT NULL,
	state TEXT NOT NULL,
	reason TEXT
);
CREATE INDEX IF NOT EXISTS agent_states_ts ON agent_states(ts);
CREATE TABLE IF NOT EXISTS interval_kpis (
	start INTEGER NOT NULL,
	queue TEXT NOT NULL,
	${ADDITIVE.map((k) => `"${k}" REAL NOT NULL DEFAULT 0`).join(',\n\t')},
	"longestWait" REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (start, queue)
);
CREATE TABLE IF NOT EXISTS configs (
	kind TEXT NOT NULL,
	key TEXT NOT NULL,
	version INTEGER NOT NULL,
	ts INTEGER NOT NULL,
	actor TEXT NOT NULL,
	body TEXT NOT NULL,
	PRIMARY KEY (kind, key, version)
);
CREATE TABLE IF NOT EXISTS audit (
	seq INTEGER PRIMARY KEY,
	ts INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT NOT NULL,
	detail TEXT
);
`;

/** The store; every method is synchronous (better-sqlite3), so a commit never interleaves with other work. */
export class Store {
	readonly #db: Database.Database;
	readonly #insertEvent: Database.Statement;
	readonly #insertContact: Database.Statement;
	readonly #insertAgentState: Database.Statement;
	readonly #addInterval: Database.Statement;
	readonly #eventsFrom: Database.Statement;
	readonly #latestConfig: Database.Statement;
	readonly #latestConfigs: Database.Statement;
	readonly #insertConfig: Database.Statement;
	readonly #insertAudit: Database.Statement;

	/** Opens (creating when needed) the store in `dataDir`. */
	constructor(readonly dataDir: string) {
		mkdirSync(dataDir, { recursive: true });
		this.#db = new Database(join(dataDir, DB_FILE));
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = FULL');
		this.#db.pragma('busy_timeout = 5000');
		this.#db.exec(SCHEMA);
		this.#insertEvent = this.#db.prepare('INSERT OR IGNORE INTO events (id, ts, type, body, received) VALUES (?, ?, ?, ?, ?)');
		this.#insertContact = this.#db.prepare(
			`INSERT INTO contacts (contact, queue, channel, offered, answered, abandoned, ended, wait, handle, agent, outcome)
			 VALUES (@contact, @queue, @channel, @offered, @answered, @abandoned, @ended, @wait, @handle, @agent, @outcome)`
		);
		this.#insertAgentState = this.#db.prepare('INSERT INTO agent_states (agent, ts, state, reason) VALUES (@agent, @ts, @state, @reason)');
		const cols = [...ADDITIVE, 'longestWait'].map((k) => `"${k}"`).join(', ');
		const vals = [...ADDITIVE, 'longestWait'].map((k) => `@${k}`).join(', ');
		const sets = ADDITIVE.map((k) => `"${k}" = "${k}" + excluded."${k}"`).join(', ');
		this.#addInterval = this.#db.prepare(
			`INSERT INTO interval_kpis (start, queue, ${cols}) VALUES (@start, @queue, ${vals})
			 ON CONFLICT (start, queue) DO UPDATE SET ${sets}, "longestWait" = max("longestWait", excluded."longestWait")`
		);
		this.#eventsFrom = this.#db.prepare('SELECT body FROM events WHERE ts >= ? AND ts < ? ORDER BY seq');
		this.#latestConfig = this.#db.prepare('SELECT * FROM configs WHERE kind = ? AND key = ? ORDER BY version DESC LIMIT 1');
		this.#latestConfigs = this.#db.prepare(
			`SELECT c.* FROM configs c JOIN (SELECT key, max(version) v FROM configs WHERE kind = ? GROUP BY key) m
			 ON c.key = m.key AND c.version = m.v WHERE c.kind = ? ORDER BY c.key`
		);
		this.#insertConfig = this.#db.prepare('INSERT INTO configs (kind, key, version, ts, actor, body) VALUES (?, ?, ?, ?, ?, ?)');
		this.#insertAudit = this.#db.prepare('INSERT INTO audit (ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
	}

	/** Runs `fn` in one transaction (one fsync at its commit). */
	transaction<T>(fn: () => T): T {
		return this.#db.transaction(fn)();
	}

	/** Appends events to the log; returns, per event, whether it was new (false: its id was already stored). */
	appendEvents(events: readonly FloorEvent[], received: number): boolean[] {
		return events.map((e) => this.#insertEvent.run(e.id, e.ts, e.type, JSON.stringify(e), received).changes === 1);
	}

	/** Events with `from <= ts < to`, in the order they were acknowledged. */
	eventsBetween(from: number, to: number): FloorEvent[] {
		return (this.#eventsFrom.all(from, to) as { body: string }[]).map((r) => JSON.parse(r.body) as FloorEvent);
	}

	/** Number of events in the log. */
	eventCount(): number {
		return (this.#db.prepare('SELECT count(*) n FROM events').get() as { n: number }).n;
	}

	insertContact(r: ContactRecord): void {
		this.#insertContact.run(r);
	}

	insertAgentState(r: AgentStateRecord): void {
		this.#insertAgentState.run(r);
	}

	/** Adds a finished contact's counts to its interval (the one it was offered in). */
	addIntervalCounts(start: number, queue: string, c: Readonly<KpiCounts>): void {
		this.#addInterval.run({ start, queue, ...c });
	}

	/** Finished contacts offered in `[from, to)`. */
	contacts(from: number, to: number, limit = 100_000): ContactRecord[] {
		return this.#db.prepare('SELECT * FROM contacts WHERE offered >= ? AND offered < ? ORDER BY offered LIMIT ?').all(from, to, limit) as ContactRecord[];
	}

	/** Interval counts with `from <= start < to`. */
	intervals(from: number, to: number): (KpiCounts & { start: number; queue: string })[] {
		return this.#db.prepare('SELECT * FROM interval_kpis WHERE start >= ? AND start < ? ORDER BY start, queue').all(from, to) as (KpiCounts & {
			start: number;
			queue: string;
		})[];
	}

	/** Latest version of one config, or null. */
	latestConfig<T>(kind: string, key: string): StoredConfig<T> | null {
		const row = this.#latestConfig.get(kind, key) as (Omit<StoredConfig, 'body'> & { body: string }) | undefined;
		return row ? { ...row, body: JSON.parse(row.body) as T } : null;
	}

	/** Latest version of every config of a kind. */
	latestConfigs<T>(kind: string): StoredConfig<T>[] {
		return (this.#latestConfigs.all(kind, kind) as (Omit<StoredConfig, 'body'> & { body: string })[]).map((r) => ({
			...r,
			body: JSON.parse(r.body) as T
		}));
	}

	/** Every version of one config, oldest first (reports judge a past day by the version in force then). */
	configVersions<T>(kind: string, key: string): StoredConfig<T>[] {
		const rows = this.#db.prepare('SELECT * FROM configs WHERE kind = ? AND key = ? ORDER BY version').all(kind, key) as (Omit<StoredConfig, 'body'> & { body: string })[];
		return rows.map((r) => ({ ...r, body: JSON.parse(r.body) as T }));
	}

	/** Saves a new version of a config and its audit line in one transaction; returns the version. */
	saveConfig(kind: string, key: string, body: unknown, actor: string, now: number): number {
		return this.transaction(() => {
			const version = (this.latestConfig(kind, key)?.version ?? 0) + 1;
			this.#insertConfig.run(kind, key, version, now, actor, JSON.stringify(body));
			this.#insertAudit.run(now, actor, `${kind}.put`, key, JSON.stringify({ version }));
			return version;
		});
	}

	/** Appends an audit line. */
	audit(actor: string, action: string, target: string, detail: unknown, now: number): void {
		this.#insertAudit.run(now, actor, action, target, detail === undefined ? null : JSON.stringify(detail));
	}

	/** Audit lines, newest first. */
	auditLog(limit = 200): { ts: number; actor: string; action: string; target: string; detail: string | null }[] {
		return this.#db.prepare('SELECT ts, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?').all(limit) as {
			ts: number;
			actor: string;
			action: string;
			target: string;
			detail: string | null;
		}[];
	}

	close(): void {
		if (this.#db.open) this.#db.close();
	}
}
