import { Kvm, type KV } from '@nats-io/kv';
import { TimeoutError, type NatsConnection } from '@nats-io/transport-node';

/**
 * Configs shared by every instance of a cluster (floor config, boards and their thresholds, tokens,
 * webhooks; plan versions go through the cluster log) on a JetStream key-value bucket. An instance
 * puts a version here before it saves it; every instance watches the bucket and saves what others
 * put into its own store, so an admin change on one instance shows on all within a second.
 *
 * A bucket keeps at most 64 revisions per key (JetStream's limit): the full version history, which
 * rollback and "targets in force that day" need, lives in each instance's own store, which saw
 * every revision as it was put.
 */

/** One config version as it travels between instances. */
export interface SharedConfigVersion {
	readonly kind: string;
	readonly key: string;
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly body: unknown;
	/** Instance that saved it, so it does not apply its own change twice. */
	readonly origin: string;
}

/** Bucket key of a config: `<kind>.<key in base64url>` (KV keys allow only a few characters). */
export function bucketKey(kind: string, key: string): string {
	return `${kind.replace(/[^A-Za-z0-9_-]/g, '_')}.${Buffer.from(key, 'utf8').toString('base64url') || '_'}`;
}

/** True when NATS did not answer in time: what was sent may have been stored all the same. */
export function timedOut(e: unknown): boolean {
	for (let c = e; c instanceof Error; c = c.cause) if (c instanceof TimeoutError) return true;
	return false;
}

/** The shared config bucket of one cluster. */
export class SharedConfig {
	readonly #kv: KV;
	readonly #origin: string;
	/** This instance's puts NATS did not confirm in time: handed back to it if the bucket has them after all. */
	readonly #unconfirmed = new Set<string>();
	#stop: (() => void) | null = null;

	private constructor(kv: KV, origin: string) {
		this.#kv = kv;
		this.#origin = origin;
	}

	/** Opens (creating when needed) the bucket. */
	static async open(nc: NatsConnection, origin: string, bucket = 'sightline-config'): Promise<SharedConfig> {
		const kv = await new Kvm(nc).create(bucket, { history: 64 });
		return new SharedConfig(kv, origin);
	}

	/** Puts a version saved on this instance. */
	async put(v: Omit<SharedConfigVersion, 'origin'>): Promise<void> {
		try {
			await this.#kv.put(bucketKey(v.kind, v.key), JSON.stringify({ ...v, origin: this.#origin }));
		} catch (e) {
			if (timedOut(e)) this.#unconfirmed.add(unconfirmedKey(v));
			throw e;
		}
	}

	/** The latest version of a config in the bucket, whoever put it; null when there is none. */
	async latest(kind: string, key: string): Promise<SharedConfigVersion | null> {
		const e = await this.#kv.get(bucketKey(kind, key));
		return e && e.operation === 'PUT' ? e.json<SharedConfigVersion>() : null;
	}

	/**
	 * Calls `apply` with the latest version of every config now in the bucket (a starting instance
	 * catches up), then with each version any other instance puts, and this instance's own ones NATS
	 * stored without confirming it in time (never saved here). Resolves once the current values were
	 * delivered.
	 */
	async watch(apply: (v: SharedConfigVersion) => void, onError: (e: unknown) => void): Promise<void> {
		// The bucket's last revision now: the watcher has caught up once it delivered that one.
		const last = (await this.#kv.status()).streamInfo.state.last_seq;
		const iter = await this.#kv.watch();
		let caughtUp!: () => void;
		const ready = new Promise<void>((r) => (caughtUp = r));
		if (last === 0) caughtUp();
		this.#stop = () => iter.stop();
		void (async () => {
			try {
				for await (const e of iter) {
					if (e.operation === 'PUT') {
						try {
							const v = e.json<SharedConfigVersion>();
							if (v.origin !== this.#origin || this.#unconfirmed.delete(unconfirmedKey(v))) apply(v);
						} catch (err) {
							onError(err);
						}
					}
					if (e.revision >= last) caughtUp();
				}
			} catch (err) {
				onError(err);
			}
		})();
		await ready;
	}

	stop(): void {
		this.#stop?.();
		this.#stop = null;
	}
}

/** Names one put of this instance. */
function unconfirmedKey(v: Pick<SharedConfigVersion, 'kind' | 'key' | 'version' | 'ts'>): string {
	return `${bucketKey(v.kind, v.key)}#${v.version}#${v.ts}`;
}
