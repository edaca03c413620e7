import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { jetstream, jetstreamManager, RetentionPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FloorEvent } from '../../lib/domain/events';
import type { FloorConfig } from '../../lib/domain/floor';
import { followInOrder } from './follow';
import type { SharedConfigVersion } from './shared-config';

/**
 * The cluster's log of what must be kept whole and in order on every instance but does not come
 * through the event stream: every version of the configs that can be rolled back (plans and the
 * live plan, with who saved them), and history operations (a deleted day). A key-value bucket keeps
 * at most 64 revisions per key and gives a starting instance only the latest; this stream keeps
 * every record for ever (limits retention, no age), so an instance that joins a year later still
 * holds version 1 of a plan under the same number as everyone else and can roll back to it.
 *
 * A record larger than one message may be (NATS refuses payloads over `max_payload`, 1 MB by
 * default: a plan whose baseline is a replayed day, an imported month) is gzipped and cut into
 * `part` messages of at most PART_BYTES, then a small `chunked` message naming their sequences and
 * the digest of the whole. Followers act on the `chunked` message only, reading its parts back by
 * sequence, so parts whose publisher died before the commit are never applied anywhere, and an
 * instance restarted between the parts and the commit needs nothing it held in memory.
 */

/** One record of the cluster log. */
export type ClusterLogRecord =
	| ConfigRecord
	| {
			readonly op: 'delete-day';
			readonly date: string;
			readonly source: string;
			/** Absent in records written before history was kept per site: the default site. */
			readonly site?: string;
			readonly ts: number;
			readonly actor: string;
			readonly origin: string;
	  }
	| {
			readonly op: 'import';
			/** Names this import (the message id of its commit: a retried publish is stored once). */
			readonly id: string;
			/** The file's events, validated and in time order: every instance plays them through its own Floor. */
			readonly events: readonly FloorEvent[];
			/** The center's clock and queues the import was read with, the same on every instance. */
			readonly config: FloorConfig;
			/** Days the import replaces (source `import`). */
			readonly dates: readonly string[];
			/** What was imported, for the audit line (file name, format). */
			readonly what: string;
			readonly ts: number;
			readonly actor: string;
			readonly origin: string;
	  };

/** A plan or live-plan version in the log. */
export type ConfigRecord = { readonly op: 'config' } & SharedConfigVersion & {
	/** Names the save (its message id, so a retried publish is stored once); set on versions shared first. */
	readonly id?: string;
	/**
	 * Set on versions shared first: every instance, the saving one included, stores it as the next
	 * version of its key when it applies it in log order, so two saves of one plan at once get
	 * successive numbers, the same everywhere (`version` is only the number the saving instance
	 * expected). Absent in records of older releases, which saved a version on their instance before
	 * appending it: stored under `version` on the others.
	 */
	readonly next?: true;
};

/** Ops a record may have. */
const RECORD_OPS: ReadonlySet<string> = new Set<ClusterLogRecord['op']>(['config', 'delete-day', 'import']);

/** A piece of a record too large for one message: gzipped JSON, base64. */
interface PartMessage {
	readonly op: 'part';
	readonly id: string;
	readonly index: number;
	readonly data: string;
}

/** Commits a record sent in parts: where they are and what the whole must hash to. */
interface ChunkedMessage {
	readonly op: 'chunked';
	readonly id: string;
	readonly seqs: readonly number[];
	/** sha256 (hex) of the gzipped bytes. */
	readonly sha256: string;
	readonly bytes: number;
}

/** What the log's messages carry. */
type LogMessage = ClusterLogRecord | PartMessage | ChunkedMessage;

/**
 * Gzipped bytes per part (base64 makes it 4/3 as large on the wire, and JetStream's
 * get-by-sequence answer base64s it once more inside its JSON: about 470 KB, under 1 MB).
 */
export const PART_BYTES = 256 * 1024;
/** A record whose JSON is larger than this goes in parts. */
const INLINE_MAX_BYTES = 256 * 1024;

/** A record sent in parts that cannot be put together (a part gone, or not what was committed): passed over. */
class BrokenRecordError extends Error {}

/** Stream and subject prefix of the log beside the event stream `stream` / `subjectPrefix`. */
export function clusterLogOptions(stream = 'SIGHTLINE_EVENTS', subjectPrefix = 'sightline.events'): ClusterLogOptions {
	return { stream: `${stream}_LOG`, subjectPrefix: `${subjectPrefix}_log` };
}

/** Config kinds whose every version lives in the log rather than in the key-value bucket. */
export const LOGGED_CONFIG_KINDS: ReadonlySet<string> = new Set(['plan', 'live-plan']);

/** The message id a record is appended under (a retried append of it is stored once); it names the record as applied too. */
export function recordKey(record: ClusterLogRecord): string {
	if (record.op === 'config') return record.id ? `cfg:${record.id}` : `cfg:${record.origin}:${record.kind}:${record.key}:${record.version}`;
	if (record.op === 'delete-day') return `del:${record.origin}:${record.date}:${record.source}:${record.site ?? ''}:${record.ts}`;
	return `imp:${record.id}`;
}

/** Settings of the log; every instance of one cluster must use the same. */
export interface ClusterLogOptions {
	/** Stream name (default `<event stream>_LOG`). */
	readonly stream: string;
	/** Subject prefix (default `<event subject prefix>_log`): must not fall under the event stream's subjects. */
	readonly subjectPrefix: string;
}

/** The connection the log travels on, and whether it is up (the event stream's). */
export interface NatsLink {
	readonly connection: NatsConnection;
	readonly connected: boolean;
	onStatus(fn: (connected: boolean) => void): () => void;
}

/** The cluster log on one connection. */
export class ClusterLog {
	readonly #link: NatsLink;
	readonly #js: JetStreamClient;
	readonly #jsm: JetStreamManager;
	readonly #opts: ClusterLogOptions;
	readonly #followers = new Set<ConsumerMessages>();
	#stop: (() => Promise<void>) | null = null;

	private constructor(link: NatsLink, jsm: JetStreamManager, opts: ClusterLogOptions) {
		this.#link = link;
		this.#js = jetstream(link.connection);
		this.#jsm = jsm;
		this.#opts = opts;
	}

	/** Makes sure the stream exists (no age limit: versions are kept until an admin removes the stream). */
	static async open(link: NatsLink, opts: ClusterLogOptions): Promise<ClusterLog> {
		const jsm = await jetstreamManager(link.connection, { timeout: 5000 });
		const config = { name: opts.stream, subjects: [`${opts.subjectPrefix}.>`], retention: RetentionPolicy.Limits, max_age: 0 };
		try {
			await jsm.streams.info(opts.stream);
			await jsm.streams.update(opts.stream, config);
		} catch {
			await jsm.streams.add(config);
		}
		return new ClusterLog(link, jsm, opts);
	}

	/**
	 * Appends a record and resolves once JetStream stored it (all its parts, then the commit). The
	 * message id names the record, so a retry of the same append within the duplicate window is
	 * stored once. Rejects when NATS does not take it: then no instance applies it. Resolves to the
	 * sequence followers apply it at.
	 */
	async append(record: ClusterLogRecord): Promise<number> {
		const id = recordKey(record);
		const json = Buffer.from(JSON.stringify(record), 'utf8');
		const publish = (subject: string, body: string | Uint8Array, msgID: string) =>
			this.#js.publish(`${this.#opts.subjectPrefix}.${subject}`, body, { msgID: msgID.slice(0, 256), timeout: 5000 });
		if (json.byteLength <= this.#inlineMax()) return (await publish(record.op, json, id)).seq;
		const gz = gzipSync(json);
		const partId = randomUUID();
		const seqs: number[] = [];
		// One after another: each part's sequence goes into the commit.
		for (let i = 0, index = 0; i < gz.byteLength; i += PART_BYTES, index++) {
			const part: PartMessage = { op: 'part', id: partId, index, data: gz.subarray(i, i + PART_BYTES).toString('base64') };
			seqs.push((await publish('part', JSON.stringify(part), `part:${partId}:${index}`)).seq);
		}
		const commit: ChunkedMessage = { op: 'chunked', id: partId, seqs, sha256: createHash('sha256').update(gz).digest('hex'), bytes: gz.byteLength };
		return (await publish('chunked', JSON.stringify(commit), id)).seq;
	}

	/** Largest record sent whole: INLINE_MAX_BYTES, or less on a server configured with a smaller payload limit. */
	#inlineMax(): number {
		const max = this.#link.connection.info?.max_payload;
		return max ? Math.min(INLINE_MAX_BYTES, Math.floor(max / 2)) : INLINE_MAX_BYTES;
	}

	/** Reads a record sent in parts back from the stream; BrokenRecordError when it cannot be whole. */
	async #assemble(c: ChunkedMessage): Promise<ClusterLogRecord> {
		const pieces: Buffer[] = [];
		for (const [index, seq] of c.seqs.entries()) {
			const m = await this.#jsm.streams.getMessage(this.#opts.stream, { seq });
			if (!m) throw new BrokenRecordError(`part ${index} (message ${seq}) of record ${c.id} is not in the stream`);
			const part = m.json<PartMessage>();
			if (part?.op !== 'part' || part.id !== c.id || part.index !== index) throw new BrokenRecordError(`message ${seq} is not part ${index} of record ${c.id}`);
			pieces.push(Buffer.from(part.data, 'base64'));
		}
		const gz = Buffer.concat(pieces);
		if (gz.byteLength !== c.bytes || createHash('sha256').update(gz).digest('hex') !== c.sha256) throw new BrokenRecordError(`record ${c.id}: its parts do not add up to what was committed`);
		const r = JSON.parse(gunzipSync(gz).toString('utf8')) as ClusterLogRecord;
		if (!RECORD_OPS.has(r?.op)) throw new BrokenRecordError(`record ${c.id} is not a cluster log record`);
		return r;
	}

	/**
	 * Delivers every record after sequence `afterSeq` (0: from the start of the log), in order, then
	 * each new one as it is appended; resolves once the records present at the call were delivered.
	 */
	async follow(afterSeq: number, apply: (record: ClusterLogRecord, seq: number) => void, onError: (e: unknown) => void): Promise<void> {
		const target = (await this.#jsm.streams.info(this.#opts.stream)).state.last_seq;
		let caughtUp!: () => void;
		const ready = new Promise<void>((r) => (caughtUp = r));
		if (target <= afterSeq) caughtUp();
		this.#stop = await followInOrder<LogMessage>(
			{
				js: this.#js,
				stream: this.#opts.stream,
				onStatus: (fn) => this.#link.onStatus(fn),
				connected: () => this.#link.connected,
				followers: this.#followers
			},
			{ afterSeq },
			(m) => {
				const r = m.json<LogMessage>();
				if (!RECORD_OPS.has(r?.op) && r?.op !== 'part' && r?.op !== 'chunked') throw new Error('not a cluster log record');
				return r;
			},
			async (m) => {
				// A part is read back by its commit; one without a commit (its publisher failed) is never applied.
				const body = m.body;
				if (body.op !== 'part') {
					// Retried until this instance takes it: passing a record over would leave it out of step for good.
					for (let attempt = 0; ; attempt++) {
						try {
							apply(body.op === 'chunked' ? await this.#assemble(body) : body, m.seq);
							break;
						} catch (e) {
							if (e instanceof BrokenRecordError) {
								onError(new Error(`cluster log message ${m.seq} passed over: ${e.message}`));
								break;
							}
							if (attempt === 0) onError(e);
							await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
						}
					}
				}
				if (m.seq >= target) caughtUp();
			},
			onError
		);
		// A last record that cannot be read is never applied: do not wait for it for ever.
		await Promise.race([ready, new Promise<void>((r) => setTimeout(r, 30_000).unref())]);
	}

	async stop(): Promise<void> {
		await this.#stop?.();
		this.#stop = null;
	}
}
