import { jetstream, jetstreamManager, RetentionPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { followInOrder } from './follow';
import type { SharedConfigVersion } from './shared-config';

/**
 * The cluster's log of what must be kept whole and in order on every instance but does not come
 * through the event stream: every version of the configs that can be rolled back (plans and the
 * live plan, with who saved them), and history operations (a deleted day). A key-value bucket keeps
 * at most 64 revisions per key and gives a starting instance only the latest; this stream keeps
 * every record for ever (limits retention, no age), so an instance that joins a year later still
 * holds version 1 of a plan under the same number as everyone else and can roll back to it.
 */

/** One record of the cluster log. */
export type ClusterLogRecord =
	| ({ readonly op: 'config' } & SharedConfigVersion)
	| {
			readonly op: 'delete-day';
			readonly date: string;
			readonly source: string;
			readonly ts: number;
			readonly actor: string;
			readonly origin: string;
	  };

/** Config kinds whose every version lives in the log rather than in the key-value bucket. */
export const LOGGED_CONFIG_KINDS: ReadonlySet<string> = new Set(['plan', 'live-plan']);

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
	readonly #opts: ClusterLogOptions;
	readonly #followers = new Set<ConsumerMessages>();
	#stop: (() => Promise<void>) | null = null;

	private constructor(link: NatsLink, opts: ClusterLogOptions) {
		this.#link = link;
		this.#js = jetstream(link.connection);
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
		return new ClusterLog(link, opts);
	}

	/**
	 * Appends a record and resolves once JetStream stored it. The message id names the record, so a
	 * retry of the same append within the duplicate window is stored once.
	 */
	async append(record: ClusterLogRecord): Promise<void> {
		const id =
			record.op === 'config'
				? `cfg:${record.origin}:${record.kind}:${record.key}:${record.version}`
				: `del:${record.origin}:${record.date}:${record.source}:${record.ts}`;
		await this.#js.publish(`${this.#opts.subjectPrefix}.${record.op}`, JSON.stringify(record), { msgID: id.slice(0, 256), timeout: 5000 });
	}

	/**
	 * Delivers every record after sequence `afterSeq` (0: from the start of the log), in order, then
	 * each new one as it is appended; resolves once the records present at the call were delivered.
	 */
	async follow(afterSeq: number, apply: (record: ClusterLogRecord, seq: number) => void, onError: (e: unknown) => void): Promise<void> {
		const jsm = await jetstreamManager(this.#link.connection);
		const target = (await jsm.streams.info(this.#opts.stream)).state.last_seq;
		let caughtUp!: () => void;
		const ready = new Promise<void>((r) => (caughtUp = r));
		if (target <= afterSeq) caughtUp();
		this.#stop = await followInOrder<ClusterLogRecord>(
			{
				js: this.#js,
				stream: this.#opts.stream,
				onStatus: (fn) => this.#link.onStatus(fn),
				connected: () => this.#link.connected,
				followers: this.#followers
			},
			{ afterSeq },
			(m) => {
				const r = m.json<ClusterLogRecord>();
				if (r?.op !== 'config' && r?.op !== 'delete-day') throw new Error('not a cluster log record');
				return r;
			},
			async (m) => {
				// Retried until this instance takes it: passing a record over would leave it out of step for good.
				for (let attempt = 0; ; attempt++) {
					try {
						apply(m.body, m.seq);
						break;
					} catch (e) {
						if (attempt === 0) onError(e);
						await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
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
