import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FloorEvent } from '../lib/domain/events';
import { migrate } from './migrations';

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

/** One stored version of a config. */
export interface StoredConfig<T = unknown> {
	readonly kind: string;
	readonly key: string;
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly body: T;
}

/** The store; every method is synchronous (better-sqlite3), so a commit never interleaves with other work. */
export class Store {
	readonly #db: Database.Database;
	readonly #configListeners = new Set<(saved: StoredConfig) => void>();
	readonly #insertEvent: Database.Statement;
	readonly #eventsFrom: Database.Statement;
	readonly #latestConfig: Database.Statement;
	readonly #latestConfigs: Database.Statement;
	readonly #insertConfig: Database.Statement;
	readonly #insertAudit: Database.Statement;

	/** Opens (creating when needed) the store in `dataDir`. */
	constructor(readonly dataDir: string) {
		mkdirSync(dataDir, { recursive: true });
		this.#db = new Database(join(dataDir, DB_FILE));
		chmodSync(join(dataDir, DB_FILE), 0o600); // before WAL: SQLite gives -wal and -shm the database's mode
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = FULL');
		this.#db.pragma('busy_timeout = 5000');
		migrate(this.#db);
		this.#insertEvent = this.#db.prepare('INSERT OR IGNORE INTO events (id, ts, type, body, received) VALUES (?, ?, ?, ?, ?)');
		this.#eventsFrom = this.#db.prepare('SELECT body FROM events WHERE ts >= ? AND ts < ? ORDER BY seq');
		this.#latestConfig = this.#db.prepare('SELECT * FROM configs WHERE kind = ? AND key = ? ORDER BY version DESC LIMIT 1');
		this.#latestConfigs = this.#db.prepare(
			`SELECT c.* FROM configs c JOIN (SELECT key, max(version) v FROM configs WHERE kind = ? GROUP BY key) m
			 ON c.key = m.key AND c.version = m.v WHERE c.kind = ? ORDER BY c.key`
		);
		this.#insertConfig = this.#db.prepare('INSERT INTO configs (kind, key, version, ts, actor, body) VALUES (?, ?, ?, ?, ?, ?)');
		this.#insertAudit = this.#db.prepare('INSERT INTO audit (ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
	}

	/** The open database, for the history tables' own statements (src/server/history). */
	get db(): Database.Database {
		return this.#db;
	}

	/** Events with `from <= ts < to` in acknowledged order, read in pages so a long log is never all in memory. */
	*eventPages(from: number, to: number, pageSize = 20_000): Generator<FloorEvent[]> {
		const page = this.#db.prepare('SELECT seq, body FROM events WHERE ts >= ? AND ts < ? AND seq > ? ORDER BY seq LIMIT ?');
		let after = 0;
		for (;;) {
			const rows = page.all(from, to, after, pageSize) as { seq: number; body: string }[];
			if (!rows.length) return;
			after = rows[rows.length - 1]?.seq ?? after;
			yield rows.map((r) => JSON.parse(r.body) as FloorEvent);
		}
	}

	/**
	 * Runs `fn` (its own transactions) without an fsync at each commit (synchronous=NORMAL), for
	 * writes that a restart re-derives from the event log: in WAL mode they survive a crash of this
	 * process, and reach the disk at the next fsync'd commit (it syncs the whole WAL) or checkpoint;
	 * only a power loss before that can lose them, and the restart's rebuild of yesterday and today
	 * writes them again. With `npm run bench:server`'s load the history rows' own fsync was ~6% of the
	 * server's CPU.
	 */
	rederivable<T>(fn: () => T): T {
		// exec, not a reused prepared statement: SQLite applies this pragma when it is prepared, not when it runs.
		this.#db.exec('PRAGMA synchronous = NORMAL');
		try {
			return fn();
		} finally {
			this.#db.exec('PRAGMA synchronous = FULL');
		}
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
		const version = this.transaction(() => {
			const version = (this.latestConfig(kind, key)?.version ?? 0) + 1;
			this.#insertConfig.run(kind, key, version, now, actor, JSON.stringify(body));
			this.#insertAudit.run(now, actor, `${kind}.put`, key, JSON.stringify({ version }));
			return version;
		});
		for (const fn of this.#configListeners) fn({ kind, key, version, ts: now, actor, body });
		return version;
	}

	/**
	 * Stores a config version saved on another instance of a cluster under its own number, with an
	 * audit line naming who saved it and where. Listeners are not called (it is not this instance's
	 * change to share). Returns `present` when that version is already here with the same body, and
	 * `conflict`, storing nothing, when the number is taken by another body (two instances saved the
	 * same key at once: the one first in the cluster log wins on every instance that saw neither).
	 */
	importConfigVersion(v: StoredConfig, origin: string): 'stored' | 'present' | 'conflict' {
		const body = JSON.stringify(v.body);
		return this.transaction(() => {
			const here = this.#db.prepare('SELECT body FROM configs WHERE kind = ? AND key = ? AND version = ?').get(v.kind, v.key, v.version) as { body: string } | undefined;
			if (here) return here.body === body ? 'present' : 'conflict';
			this.#insertConfig.run(v.kind, v.key, v.version, v.ts, v.actor, body);
			this.#insertAudit.run(v.ts, v.actor, `${v.kind}.put`, v.key, JSON.stringify({ version: v.version, via: origin }));
			return 'stored';
		});
	}

	/** Calls `fn` after every committed config version (a cluster shares them with its other instances). */
	onConfigSaved(fn: (saved: StoredConfig) => void): () => void {
		this.#configListeners.add(fn);
		return () => this.#configListeners.delete(fn);
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
