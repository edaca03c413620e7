import type { Floor, FloorConfig } from '../../lib/domain/floor';
import type { BoardRegistry } from '../boards';
import type { EventSink, Intake } from '../intake';
import type { LiveHub } from '../live-hub';
import type { Store } from '../store';
import { NatsEventStream, type StreamBatch } from './event-stream';
import { SharedConfig, type SharedConfigVersion } from './shared-config';

/**
 * One instance's membership in a cluster sharing one JetStream event stream (`--nats URL`).
 *
 * - Ingest publishes to the stream (`sink`) and the producer's 202 waits for JetStream's ack;
 *   the instance does not apply what it published directly.
 * - Every instance follows the stream in order and applies each message through its own Intake
 *   (its SQLite event log, Floor and history), so all instances decide the same floor. A starting
 *   instance reads from the start of its current day: what its store already holds is dropped as
 *   duplicates by event id, so a restart after kill -9 neither loses nor double-counts anything.
 * - Config versions (floor config, boards, report settings, plans) saved on any instance are put
 *   on a key-value bucket; every other instance saves them into its own store and applies them.
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
}

/** What the cluster drives on this instance. */
export interface ClusterDeps {
	readonly intake: Intake;
	readonly store: Store;
	readonly floor: Floor;
	readonly hub: LiveHub;
	readonly boards: BoardRegistry;
	/** Epoch ms where this instance's current day began (the follower starts there). */
	readonly dayStart: () => number;
	readonly log: (line: string) => void;
}

/** A running cluster membership. */
export class Cluster {
	readonly #stream: NatsEventStream;
	readonly #config: SharedConfig;
	readonly #deps: ClusterDeps;
	#stopFollowing: (() => Promise<void>) | null = null;
	#applyingRemote = false;
	/** Sequence of the last stream message applied here. */
	#applied = 0;

	private constructor(stream: NatsEventStream, config: SharedConfig, deps: ClusterDeps) {
		this.#stream = stream;
		this.#config = config;
		this.#deps = deps;
	}

	/**
	 * Connects (a clear error when NATS is unreachable), takes the shared configs, catches up with
	 * today's events and follows the stream from then on.
	 */
	static async join(opts: ClusterOptions, deps: ClusterDeps): Promise<Cluster> {
		const stream = await NatsEventStream.open({ url: opts.url, stream: opts.stream, subjectPrefix: opts.subjectPrefix, maxAgeHours: opts.maxAgeHours, name: `sightline ${opts.instance}` });
		let config: SharedConfig;
		try {
			config = await SharedConfig.open(stream.connection, opts.instance, opts.configBucket);
		} catch (e) {
			await stream.close();
			throw new Error(`NATS at ${opts.url}: could not open the shared config bucket: ${(e as Error).message}`);
		}
		const cluster = new Cluster(stream, config, deps);
		deps.store.onConfigSaved((v) => cluster.#published(v));
		await config.watch(
			(v) => cluster.#applyRemote(v),
			(e) => deps.log(`cluster: a shared config could not be applied: ${(e as Error)?.message ?? String(e)}`)
		);
		await cluster.#follow();
		return cluster;
	}

	/** Where ingest submits: the stream, acknowledged by JetStream. */
	readonly sink: EventSink = {
		submit: async (events) => {
			const r = await this.#stream.publish(events);
			return { accepted: events.length - r.duplicates, duplicates: r.duplicates };
		}
	};

	/** True while NATS is reachable. */
	get connected(): boolean {
		return this.#stream.connected;
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

	/** A config version was saved on this instance: share it, unless it came from another instance. */
	#published(v: { kind: string; key: string; version: number; ts: number; actor: string; body: unknown }): void {
		if (this.#applyingRemote) return;
		this.#config.put(v).catch((e: unknown) => this.#deps.log(`cluster: config ${v.kind}/${v.key} v${v.version} was saved here but not shared: ${(e as Error).message}`));
	}

	/** Saves another instance's config version here and applies it live. */
	#applyRemote(v: SharedConfigVersion): void {
		const { store, floor, hub, boards } = this.#deps;
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
				if (v.kind === 'floor' && v.key === 'default') floor.configure(v.body as FloorConfig);
			}
		} finally {
			this.#applyingRemote = false;
		}
	}

	async close(): Promise<void> {
		this.#config.stop();
		await this.#stopFollowing?.();
		await this.#stream.close();
	}
}
