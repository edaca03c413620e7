import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FloorConfig } from '../../lib/domain/floor';
import { DEFAULT_SITE, toCenterConfig } from '../../lib/domain/sites';
import type { FloorSet } from '../floor-set';
import type { HistorySource } from '../../lib/domain/history';
import type { BoardRegistry } from '../boards';
import type { EventSink, Intake } from '../intake';
import type { LiveHub } from '../live-hub';
import type { Store } from '../store';
import type { LiveHistory } from '../history/live';
import { importAuditTarget, writeImport, type PreparedImport } from '../history/import';
import type { VersionSave } from '../plans/plan-store';
import { ClusterLog, clusterLogOptions, LOGGED_CONFIG_KINDS, recordKey, type ClusterLogRecord, type ConfigRecord } from './cluster-log';
import { NatsEventStream, type StreamBatch } from './event-stream';
import { OwnRecords } from './own-records';
import { SharedConfig, timedOut, type SharedConfigVersion } from './shared-config';

/**
 * One instance's membership in a cluster sharing one JetStream event stream (`--nats URL`).
 *
 * - Ingest publishes to the stream (`sink`) and the producer's 202 waits for JetStream's ack;
 *   the instance does not apply what it published directly.
 * - Every instance follows the stream in order and applies each message through its own Intake
 *   (its SQLite event log, Floor and history), so all instances decide the same floor. A starting
 *   instance reads from the start of its current day: what its store already holds is dropped as
 *   duplicates by event id, so a restart after kill -9 neither loses nor double-counts anything.
 * - Config versions (floor config, boards, report settings, tokens, webhooks) saved on any instance
 *   are put on a key-value bucket; every other instance saves them into its own store and applies them.
 * - What must be kept whole (every plan and live-plan version, which rollback needs, beyond the
 *   bucket's 64 revisions per key) and history operations (a deleted day, an import through the API
 *   or `npm run import -- FILE --nats URL`) go through the cluster log stream; every instance applies
 *   it in order, remembering in its data dir how far it got. These are applied on the instance that
 *   asked for them from the log too, in the same order, so all end with the same days, and a plan
 *   version gets the same number everywhere (the next of its plan, in log order).
 * - Backfill is not published: it runs only with the emulator source, never with `--nats`, and a
 *   backfilled day is a function of its date, the scenario and the seed (the same rows wherever).
 */

/** Settings of `--nats`. */
export interface ClusterOptions {
	readonly url: string;
	/** Stream name and subject prefix, for running two clusters on one NATS. */
	readonly stream?: string;
	readonly subjectPrefix?: string;
	readonly configBucket?: string;
	/** Hours the stream keeps events (default 72). */
	readonly maxAgeHours?: number;
	/** This instance's name (default host:pid). */
	readonly instance: string;
	/** Longest a delete, import or plan version request waits for this instance to apply its record (default APPLY_TIMEOUT_MS). */
	readonly applyTimeoutMs?: number;
	/** How long after such a request stopped waiting what its save left to run here is kept (default APPLY_SLACK_MS). */
	readonly applySlackMs?: number;
}

/**
 * How long a delete or import request waits for its own cluster log record to be applied here
 * before it answers that the log has it and this instance will apply it when it catches up: a
 * NATS that drops right after taking the record, or a stalled apply, must not hold the request
 * (and the admin's browser or script) for ever. An import of a month applies in a few seconds.
 */
export const APPLY_TIMEOUT_MS = 30_000;

/**
 * How long, after a request stopped waiting for its record (APPLY_TIMEOUT_MS, or NATS not
 * confirming the append), a live plan's save keeps what it runs here once stored (its audit line,
 * its webhooks): the record may still come (NATS back, a stalled apply done). Past it, it is
 * dropped, so a record NATS never stored leaves nothing behind; one stored later still is saved
 * everywhere, without that audit line and those webhooks (logged).
 */
export const APPLY_SLACK_MS = 30_000;

/**
 * A change NATS took, or may have taken, that is not applied here (yet): it is in the cluster log,
 * or may be, so it must not be reported as failed; every instance applies it, this one included,
 * when it gets to it.
 */
export class NotAppliedYetError extends Error {}

/** A config save NATS did not take (nothing saved anywhere), or did not confirm in time (`unconfirmed`: it may still reach every instance). */
export class NotSharedError extends Error {
	constructor(
		message: string,
		readonly unconfirmed: boolean
	) {
		super(message);
	}
}


/** What the cluster drives on this instance. */
export interface ClusterDeps {
	readonly intake: Intake;
	readonly store: Store;
	readonly floors: FloorSet;
	readonly hub: LiveHub;
	readonly boards: BoardRegistry;
	readonly history: LiveHistory;
	/** Epoch ms where this instance's current day began (the follower starts there). */
	readonly dayStart: () => number;
	readonly log: (line: string) => void;
}

/** A running cluster membership. */
export class Cluster {
	readonly #stream: NatsEventStream;
	readonly #config: SharedConfig;
	readonly #log: ClusterLog;
	readonly #deps: ClusterDeps;
	readonly #instance: string;
	readonly #applyTimeoutMs: number;
	#stopFollowing: (() => Promise<void>) | null = null;
	#applyingRemote = false;
	/** Sequence of the last stream message applied here. */
	#applied = 0;
	/** Sequence of the last cluster log record applied here. */
	#logApplied = 0;
	/** This instance's own records on their way: the requests waiting for them, and what a save runs once its record is stored here. */
	readonly #own: OwnRecords;

	private constructor(stream: NatsEventStream, config: SharedConfig, log: ClusterLog, deps: ClusterDeps, instance: string, applyTimeoutMs: number, applySlackMs: number) {
		this.#stream = stream;
		this.#config = config;
		this.#log = log;
		this.#deps = deps;
		this.#instance = instance;
		this.#applyTimeoutMs = applyTimeoutMs;
		this.#own = new OwnRecords(applySlackMs, deps.log);
	}

	/**
	 * Connects (a clear error when NATS is unreachable), takes the shared configs, catches up with
	 * today's events and follows the stream from then on.
	 */
	static async join(opts: ClusterOptions, deps: ClusterDeps): Promise<Cluster> {
		const stream = await NatsEventStream.open({ url: opts.url, stream: opts.stream, subjectPrefix: opts.subjectPrefix, maxAgeHours: opts.maxAgeHours, name: `sightline ${opts.instance}` });
		let config: SharedConfig;
		let log: ClusterLog;
		try {
			config = await SharedConfig.open(stream.connection, opts.instance, opts.configBucket);
			log = await ClusterLog.open(stream, clusterLogOptions(opts.stream, opts.subjectPrefix));
		} catch (e) {
			await stream.close();
			throw new Error(`NATS at ${opts.url}: could not open the shared config bucket or the cluster log: ${(e as Error).message}`);
		}
		const cluster = new Cluster(stream, config, log, deps, opts.instance, opts.applyTimeoutMs ?? APPLY_TIMEOUT_MS, opts.applySlackMs ?? APPLY_SLACK_MS);
		deps.store.onConfigSaved((v) => cluster.#published(v));
		await log.follow(
			cluster.#logSeqOnDisk(),
			(r, seq) => cluster.#applyLogRecord(r, seq),
			(e) => deps.log(`cluster: a cluster log record could not be applied here: ${(e as Error)?.message ?? String(e)}`)
		);
		await config.watch(
			(v) => cluster.#applyRemote(v),
			(e) => deps.log(`cluster: a shared config could not be applied: ${(e as Error)?.message ?? String(e)}`)
		);
		await cluster.#follow();
		return cluster;
	}

	/**
	 * Where ingest submits: the stream, acknowledged by JetStream. `reachable` tells the routes whether
	 * NATS is reachable now: config saves (boards, floor config, tokens) are refused while it is not.
	 */
	readonly sink: EventSink & { readonly reachable: () => boolean } = {
		submit: async (events) => {
			const r = await this.#stream.publish(events);
			return { accepted: events.length - r.duplicates, duplicates: r.duplicates };
		},
		reachable: () => this.#stream.connected
	};

	/** True while NATS is reachable. */
	get connected(): boolean {
		return this.#stream.connected;
	}

	/**
	 * This instance's own cluster log records still waited for (the gauge `sightline_cluster_log_waiters`):
	 * requests waiting for theirs, appends under way, saves with something left to run once stored.
	 */
	get waiters(): number {
		return this.#own.size;
	}

	/** Sequence of the last stream message applied on this instance. */
	get appliedSeq(): number {
		return this.#applied;
	}

	/** Calls `fn` when the connection to NATS goes down or comes back. */
	onStatus(fn: (connected: boolean) => void): () => void {
		return this.#stream.onStatus(fn);
	}

	async #follow(): Promise<void> {
		const { intake, log } = this.#deps;
		// Caught up once the stream's last message at join time is applied.
		const target = await this.#stream.lastSeq();
		let caughtUp!: () => void;
		const ready = new Promise<void>((r) => (caughtUp = r));
		const apply = async (b: StreamBatch) => {
			// Retried until the local store takes it: skipping a message would lose events on this instance.
			for (let attempt = 0; ; attempt++) {
				try {
					await intake.submit(b.events);
					break;
				} catch (e) {
					if (attempt === 0) log(`cluster: stream message ${b.seq} could not be stored here (${(e as Error).message}); retrying`);
					await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
				}
			}
			this.#applied = b.seq;
			if (b.seq >= target) caughtUp();
		};
		this.#stopFollowing = await this.#stream.follow({ fromTime: this.#deps.dayStart() }, apply, (e) =>
			log(`cluster: following the event stream failed: ${(e as Error)?.message ?? String(e)}`)
		);
		// An empty day (nothing published since the day started) has nothing to catch up with.
		if (target === 0) caughtUp();
		else {
			const timeout = new Promise<void>((r) => setTimeout(r, 30_000).unref());
			await Promise.race([ready, timeout]);
		}
		log(`cluster: following the event stream from the start of today (applied up to message ${this.#applied} of ${target})`);
	}

	/**
	 * An admin deletes a day's history on this instance (`DELETE /api/history/days/:date`): appended
	 * to the cluster log (rejects when NATS did not store it: then no instance deletes it), then
	 * resolves, to the rows deleted here, once this instance applied it in log order, as every other
	 * instance does, so a delete and an import of the same day end the same way everywhere.
	 * NotAppliedYetError when the log has it, or may have it, but it is not applied here within the bound.
	 */
	async shareDayDeleted(date: string, source: HistorySource, site: string, actor: string, ts: number): Promise<number> {
		return (await this.#appendApplied({ op: 'delete-day', date, source, site, actor, ts, origin: this.#instance }, 'delete')) ?? 0;
	}

	/**
	 * An admin imports a file on this instance (`POST /api/history/import`): appended to the cluster
	 * log (rejects when NATS did not store it: then no instance imports it), then resolves once this
	 * instance applied it in log order, as every other instance does, so an import of the same day
	 * from elsewhere ends the same way everywhere. NotAppliedYetError as for shareDayDeleted.
	 */
	async importHere(prepared: PreparedImport, what: string, actor: string): Promise<void> {
		await this.#appendApplied(importRecord(prepared, what, actor, this.#instance), 'import');
	}

	/**
	 * A plan or live-plan version saved on this instance (`POST /api/plans`, `PUT /api/plans/:id`,
	 * apply, roll back): appended to the cluster log first, and stored here only when this instance
	 * applies it in log order, as every instance does, as the next version of its plan, so it is on
	 * every instance or on none, under the same number everywhere; two saves of one plan at once get
	 * successive numbers in log order. Resolves to that number. `applied` runs here, once, when it is
	 * stored (also after the request stopped waiting): what the saving instance alone does (the live
	 * plan's audit line, its webhooks). Rejects with an Error when NATS did not take it (nothing
	 * saved anywhere), NotAppliedYetError when it may have, or did but it is not applied here in time.
	 */
	async shareVersion(v: VersionSave, applied?: (version: number) => void): Promise<number> {
		const id = randomUUID();
		const expected = (this.#deps.store.latestConfig(v.kind, v.key)?.version ?? 0) + 1;
		const version = await this.#appendApplied({ op: 'config', ...v, version: expected, origin: this.#instance, id, next: true }, `${v.kind} version`, 'saving it again adds one more version', applied);
		if (version === null) throw new Error(`the cluster log could not read the ${v.kind} version back (a part of it is missing), so no instance saved it`);
		return version;
	}

	/**
	 * Appends one of this instance's records and waits, at most `applyTimeoutMs`, for it to be applied
	 * here; resolves to what it did (rows deleted, 0 for an import, the version number a version got;
	 * null: passed over, applied nowhere). `again` says what doing it again does; `then` runs here once
	 * it is applied, also after the request stopped waiting (within APPLY_SLACK_MS of that).
	 */
	async #appendApplied(record: ClusterLogRecord, what: string, again = 'doing it again ends the same way', then?: (done: number) => void): Promise<number | null> {
		// Known to be away: refused before anything is sent (a request sent now would wait in the client's buffer and might go out later).
		if (!this.#stream.connected) throw new Error('NATS is unreachable');
		// Noted before the append: this instance may apply the record before the append returns.
		const own = this.#own.add(recordKey(record), what, then);
		let seq: number;
		try {
			seq = await this.#log.append(record);
		} catch (e) {
			if (!timedOut(e)) {
				this.#own.refused(own);
				throw e;
			}
			// The request reached NATS and no answer came back: it may be in the log all the same.
			this.#own.unanswered(own);
			throw new NotAppliedYetError(
				`NATS did not confirm in time that the cluster log took the ${what}: if it did, every instance applies it, this one included, as it gets to it; ${again}`
			);
		}
		return this.#own.wait(
			own,
			seq,
			this.#logApplied,
			this.#applyTimeoutMs,
			() =>
				new NotAppliedYetError(
					`the cluster log took the ${what} (message ${seq}) but this instance has not applied it within ${this.#applyTimeoutMs / 1000} s (NATS unreachable, or behind): it will when it catches up, as every instance does`
				)
		);
	}

	/** File in the data dir holding the sequence of the last cluster log record applied here. */
	get #logSeqFile(): string {
		return join(this.#deps.store.dataDir, 'cluster-log.seq');
	}

	#logSeqOnDisk(): number {
		try {
			const n = Number(readFileSync(this.#logSeqFile, 'utf8'));
			return Number.isSafeInteger(n) && n > 0 ? n : 0;
		} catch {
			return 0;
		}
	}

	/**
	 * Applies a cluster log record in log order: every plan or live-plan version shared first and
	 * every history operation (a deleted day, an import), this instance's own included, and another
	 * instance's version from an older release (one from this instance is already saved here).
	 */
	#applyLogRecord(r: ClusterLogRecord, seq: number): void {
		const { store, history, log } = this.#deps;
		// Rows deleted, or the version number a version got.
		let done = 0;
		if (r.op === 'config' && r.next) {
			done = this.#storeNext(r);
		} else if (r.op === 'config') {
			if (r.origin !== this.#instance) {
				const done = store.importConfigVersion(r, r.origin);
				if (done === 'conflict') log(`cluster: ${r.kind} ${r.key} version ${r.version} from ${r.origin} differs from the one saved here; kept this one`);
			}
		} else if (r.op === 'delete-day') {
			// A record from before sites had history names none: it was the default site's.
			const site = r.site ?? DEFAULT_SITE;
			const deleted = history.deleteDay(r.date, r.source as HistorySource, site);
			store.audit(r.actor, 'history.delete', r.date, { source: r.source, site, deleted, via: r.origin }, r.ts);
			done = deleted;
		} else {
			// Every day of the import replaced, and audited, in one transaction: a record read twice replaces again.
			const t0 = performance.now();
			const days = store.transaction(() => {
				const w = writeImport(store, r);
				store.audit(r.actor, 'history.import', importAuditTarget(r.dates), { what: r.what, events: w.events, days: w.days, via: r.origin }, r.ts);
				return w.days;
			});
			log(`cluster: imported ${days.length} day(s) of history (${r.events.length} events) from ${r.origin} (${r.what}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
		}
		writeFileSync(this.#logSeqFile, String(seq), { mode: 0o600 });
		this.#logApplied = seq;
		// This instance's own record: its request waits for it, or its append has not returned yet; earlier ones not applied were passed over.
		const own = (r.op !== 'config' || r.next === true) && r.origin === this.#instance;
		this.#own.applied(own ? recordKey(r) : null, seq, done);
	}

	/**
	 * Stores a version shared first as the next version of its key, as every instance does at this
	 * point of the log; returns its number. The same record again (this instance stopped between
	 * storing it and noting how far it got) is the version it already is, not one more.
	 */
	#storeNext(r: ConfigRecord): number {
		const { store } = this.#deps;
		const latest = store.latestConfig(r.kind, r.key);
		if (latest && latest.ts === r.ts && latest.actor === r.actor && JSON.stringify(latest.body) === JSON.stringify(r.body)) return latest.version;
		const version = (latest?.version ?? 0) + 1;
		store.importConfigVersion({ kind: r.kind, key: r.key, version, ts: r.ts, actor: r.actor, body: r.body }, r.origin);
		return version;
	}

	/**
	 * A board, floor config or token list an admin saves on this instance: put into the shared bucket
	 * first, and saved here by `saveHere` only once NATS acknowledged it, so it is on every instance or
	 * on none. NotSharedError when NATS did not take it (nothing saved here), or did not answer in
	 * time: then it may have, and this instance applies it from the bucket as the others do.
	 */
	async shareConfig<T>(v: Omit<SharedConfigVersion, 'version' | 'origin'>, saveHere: () => T): Promise<T> {
		try {
			// Unconfirmed (timed out): if NATS stored it after all, the watch delivers it back and it is applied here then.
			await this.#config.put({ ...v, version: (this.#deps.store.latestConfig(v.kind, v.key)?.version ?? 0) + 1 });
		} catch (e) {
			throw new NotSharedError((e as Error).message, timedOut(e));
		}
		// Already in the bucket: not put again when the store reports it saved.
		this.#applyingRemote = true;
		try {
			return saveHere();
		} finally {
			this.#applyingRemote = false;
		}
	}

	/** A config version was saved on this instance: share it, unless it came from another instance. */
	#published(v: { kind: string; key: string; version: number; ts: number; actor: string; body: unknown }): void {
		if (this.#applyingRemote) return;
		// Plan versions go through shareVersion and are stored from the log (no listener call); one saved here some other way is still appended.
		if (LOGGED_CONFIG_KINDS.has(v.kind)) {
			this.#log
				.append({ op: 'config', ...v, origin: this.#instance })
				.catch((e: unknown) => this.#deps.log(`cluster: ${v.kind} ${v.key} v${v.version} was saved here but not shared: ${(e as Error).message}`));
			return;
		}
		this.#config.put(v).catch((e: unknown) => this.#deps.log(`cluster: config ${v.kind}/${v.key} v${v.version} was saved here but not shared: ${(e as Error).message}`));
	}

	/** Saves another instance's config version here and applies it live. */
	#applyRemote(v: SharedConfigVersion): void {
		const { store, floors, hub, boards } = this.#deps;
		// Versions that roll back come whole through the cluster log (a bucket written by an older release may still hold some).
		if (LOGGED_CONFIG_KINDS.has(v.kind)) return;
		const latest = store.latestConfig(v.kind, v.key);
		if (latest && JSON.stringify(latest.body) === JSON.stringify(v.body)) return;
		this.#applyingRemote = true;
		try {
			if (v.kind === 'board') {
				const r = boards.put(v.key, v.body, v.actor, v.ts);
				if (r.ok) hub.setBoard(r.board);
				else this.#deps.log(`cluster: board ${v.key} from another instance is invalid here; not applied`);
			} else {
				store.saveConfig(v.kind, v.key, v.body, v.actor, v.ts);
				if (v.kind === 'floor' && v.key === 'default') floors.configure(toCenterConfig(v.body as FloorConfig));
			}
		} finally {
			this.#applyingRemote = false;
		}
	}

	async close(): Promise<void> {
		this.#own.clear(() => new NotAppliedYetError('this instance stopped before it applied its cluster log record: every instance applies it, this one too once it runs again'));
		this.#config.stop();
		await this.#log.stop();
		await this.#stopFollowing?.();
		await this.#stream.close();
	}
}

/** The cluster log record of an import. */
function importRecord(prepared: PreparedImport, what: string, actor: string, origin: string): ClusterLogRecord {
	return { op: 'import', id: randomUUID(), events: prepared.events, config: prepared.config, dates: prepared.dates, what, ts: Date.now(), actor, origin };
}


/**
 * The cluster log as `npm run import -- FILE --nats URL` uses it: no instance of its own, it reads
 * the center's floor config the cluster shares and appends one import record that every instance
 * applies to its store.
 */
export class ClusterImporter {
	readonly #nc: NatsConnection;
	readonly #log: ClusterLog;
	readonly #config: SharedConfig;
	readonly #url: string;

	private constructor(nc: NatsConnection, log: ClusterLog, config: SharedConfig, url: string) {
		this.#nc = nc;
		this.#log = log;
		this.#config = config;
		this.#url = url;
	}

	/** Connects (one attempt: a command line should fail at once, naming the URL, when NATS is away). */
	static async open(url: string, opts: Pick<ClusterOptions, 'stream' | 'subjectPrefix' | 'configBucket'> = {}): Promise<ClusterImporter> {
		let nc: NatsConnection;
		try {
			nc = await connect({ servers: url.split(',').map((s) => s.trim()), name: 'sightline import', maxReconnectAttempts: 0, timeout: 5000 });
		} catch (e) {
			throw new Error(`NATS unreachable at ${url}: ${(e as Error).message}`);
		}
		try {
			const link = { connection: nc, connected: true, onStatus: () => () => undefined };
			const log = await ClusterLog.open(link, clusterLogOptions(opts.stream, opts.subjectPrefix));
			const config = await SharedConfig.open(nc, `import:${hostname()}:${process.pid}`, opts.configBucket);
			return new ClusterImporter(nc, log, config, url);
		} catch (e) {
			await nc.close().catch(() => undefined);
			throw new Error(`NATS at ${url} has no usable JetStream for the cluster log (start nats-server with -js): ${(e as Error).message}`);
		}
	}

	/** The floor config the cluster's instances share (undefined: none was ever saved, each uses its defaults). */
	async floorConfig(): Promise<Partial<FloorConfig> | undefined> {
		return (await this.#config.latest('floor', 'default'))?.body as Partial<FloorConfig> | undefined;
	}

	/**
	 * Appends the import; resolves once JetStream stored all of it. Rejects naming the URL when it
	 * did not (a record whose commit was not stored is applied by no instance), or when it did not
	 * answer in time, saying it may have (this command has no instance of its own to wait for).
	 */
	async publish(prepared: PreparedImport, what: string, actor: string): Promise<void> {
		try {
			await this.#log.append(importRecord(prepared, what, actor, `import:${hostname()}:${process.pid}`));
		} catch (e) {
			// No answer is not a refusal: the cluster log may hold it, and then every instance applies it.
			if (timedOut(e)) throw new Error(`NATS at ${this.#url} did not confirm in time that it stored the import: if it did, every instance applies it; importing the file again replaces the same days`);
			throw new Error(`NATS at ${this.#url} did not store the import (no instance applies it): ${(e as Error).message}`);
		}
	}

	async close(): Promise<void> {
		await this.#nc.drain().catch(() => this.#nc.close());
	}
}
