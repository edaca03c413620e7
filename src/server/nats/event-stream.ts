import { createHash } from 'node:crypto';
import { jetstream, jetstreamManager, RetentionPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FloorEvent } from '../../lib/domain/events';
import { siteOf } from '../../lib/domain/sites';
import { CommitFailedError } from '../intake';
import { followInOrder, type StreamStart } from './follow';

/**
 * The cluster's one durable event stream on NATS JetStream (DESIGN.md, source `nats`).
 *
 * Ingest on any instance publishes each accepted batch here and answers the producer only after
 * JetStream acknowledged it; every instance (the publisher too) follows the stream in order and
 * applies what it reads to its own Floor and SQLite history, so all instances hold the same floor.
 *
 * A batch becomes one message per run of events of the same site and kind (`contact` / `agent`), on
 * the subject `<prefix>.<site>.<kind>` (a consumer of one site or kind can filter on it); the runs
 * keep the batch's order, and every instance follows the whole stream, so all apply the same events
 * in the same order whatever their sites. The message id (`Nats-Msg-Id`) is a hash of the event ids it carries,
 * so a producer retrying the same batch within the duplicate window is dropped by JetStream itself;
 * anything that slips past it (a retry after the window, a batch cut differently) is still dropped
 * by the event-id uniqueness of each instance's store and Floor.
 */

/** Settings of the stream; every instance of one cluster must use the same. */
export interface EventStreamOptions {
	/** nats://host:port (or several, comma-separated). */
	readonly url: string;
	/** JetStream stream name (default SIGHTLINE_EVENTS). */
	readonly stream?: string;
	/** Subject prefix (default `sightline.events`). */
	readonly subjectPrefix?: string;
	/** How long the stream keeps events, hours (default 72: today, yesterday and a margin). */
	readonly maxAgeHours?: number;
	/** JetStream's duplicate window, ms (default 2 minutes, JetStream's own default). */
	readonly duplicateWindowMs?: number;
	/** How long a publish waits for JetStream's acknowledgement, ms (default 5,000). */
	readonly ackTimeoutMs?: number;
	/** Name of this instance in the connection (for `nats server report connections`). */
	readonly name?: string;
}


/** A message read from the stream. */
export interface StreamBatch {
	readonly seq: number;
	readonly events: readonly FloorEvent[];
}

/** Raised when the stream cannot take a batch now; ingest answers 503 with Retry-After. */
export class StreamUnavailableError extends CommitFailedError {
	override readonly name = 'StreamUnavailableError';
}

const KINDS = ['contact', 'agent'] as const;
type Kind = (typeof KINDS)[number];

/** `contact.queued` → contact; `agent.state` → agent. */
function kindOf(e: FloorEvent): Kind {
	return e.type.startsWith('agent.') ? 'agent' : 'contact';
}

/**
 * A site id as one subject token. Tokens may not hold dots, spaces or wildcards: an id of letters,
 * digits, `_` and `-` (up to 64) is itself; any other becomes `=` and a hash of it, so two
 * different sites never share a subject (`=` cannot start a plain id).
 */
export function siteToken(site: string): string {
	if (/^[A-Za-z0-9_-]{1,64}$/.test(site)) return site;
	return `=${createHash('sha256').update(site).digest('base64url').slice(0, 22)}`;
}

/** Runs of consecutive events of one site and kind, order kept. */
export function splitByKind(events: readonly FloorEvent[]): { site: string; kind: Kind; events: FloorEvent[] }[] {
	const runs: { site: string; kind: Kind; events: FloorEvent[] }[] = [];
	for (const e of events) {
		const kind = kindOf(e);
		const site = siteOf(e);
		const last = runs[runs.length - 1];
		if (last && last.kind === kind && last.site === site) last.events.push(e);
		else runs.push({ site, kind, events: [e] });
	}
	return runs;
}

/** The `Nats-Msg-Id` of a run: the same events in the same order give the same id. */
export function messageId(events: readonly FloorEvent[]): string {
	const h = createHash('sha256');
	for (const e of events) h.update(e.id).update('\n');
	return `ev-${h.digest('base64url').slice(0, 32)}`;
}

/** A connection to the cluster's event stream. */
export class NatsEventStream {
	readonly #nc: NatsConnection;
	readonly #js: JetStreamClient;
	readonly #stream: string;
	readonly #prefix: string;
	readonly #ackTimeoutMs: number;
	#connected = true;
	readonly #statusListeners = new Set<(connected: boolean) => void>();
	readonly #followers = new Set<ConsumerMessages>();

	private constructor(nc: NatsConnection, opts: EventStreamOptions) {
		this.#nc = nc;
		this.#js = jetstream(nc);
		this.#stream = opts.stream ?? 'SIGHTLINE_EVENTS';
		this.#prefix = opts.subjectPrefix ?? 'sightline.events';
		this.#ackTimeoutMs = opts.ackTimeoutMs ?? 5000;
		void this.#watchStatus();
	}

	/**
	 * Connects and makes sure the stream exists with these settings. Throws an Error that names the
	 * URL when NATS cannot be reached or has no JetStream, so a misconfigured start fails at once.
	 */
	static async open(opts: EventStreamOptions): Promise<NatsEventStream> {
		let nc: NatsConnection;
		try {
			nc = await connect({
				servers: opts.url.split(',').map((s) => s.trim()),
				name: opts.name ?? 'sightline',
				// Keep trying for ever once connected: instances serve the last floor, marked stale, meanwhile.
				maxReconnectAttempts: -1,
				reconnectTimeWait: 500,
				timeout: 5000
			});
		} catch (e) {
			throw new Error(`NATS unreachable at ${opts.url}: ${(e as Error).message}`);
		}
		try {
			const jsm = await jetstreamManager(nc, { timeout: 5000 });
			const name = opts.stream ?? 'SIGHTLINE_EVENTS';
			const prefix = opts.subjectPrefix ?? 'sightline.events';
			const config = {
				name,
				subjects: [`${prefix}.>`],
				retention: RetentionPolicy.Limits,
				max_age: Math.round((opts.maxAgeHours ?? 72) * 3600e9),
				duplicate_window: Math.round((opts.duplicateWindowMs ?? 120_000) * 1e6)
			};
			try {
				await jsm.streams.info(name);
				await jsm.streams.update(name, config);
			} catch {
				await jsm.streams.add(config);
			}
		} catch (e) {
			await nc.close().catch(() => undefined);
			throw new Error(`NATS at ${opts.url} has no usable JetStream (start nats-server with -js): ${(e as Error).message}`);
		}
		return new NatsEventStream(nc, opts);
	}

	/** True while the connection to NATS is up. */
	get connected(): boolean {
		return this.#connected && !this.#nc.isClosed();
	}

	/** Calls `fn` whenever the connection goes down or comes back. */
	onStatus(fn: (connected: boolean) => void): () => void {
		this.#statusListeners.add(fn);
		return () => this.#statusListeners.delete(fn);
	}

	async #watchStatus(): Promise<void> {
		for await (const s of this.#nc.status()) {
			const up = s.type === 'reconnect' ? true : s.type === 'disconnect' || s.type === 'close' ? false : null;
			if (up === null || up === this.#connected) continue;
			this.#connected = up;
			for (const fn of this.#statusListeners) fn(up);
		}
	}

	/**
	 * Publishes a validated batch and resolves once JetStream has stored all of it. While NATS is
	 * unreachable it rejects at once with StreamUnavailableError instead of queueing in the client,
	 * so a producer is never told "accepted" for what is not durable.
	 */
	async publish(events: readonly FloorEvent[]): Promise<{ duplicates: number }> {
		if (!this.connected) throw new StreamUnavailableError('the event stream (NATS) is unreachable; retry later');
		let duplicates = 0;
		try {
			// Published without awaiting each one: a single connection keeps their order in the stream.
			const acks = splitByKind(events).map((run) =>
				this.#js.publish(`${this.#prefix}.${siteToken(run.site)}.${run.kind}`, JSON.stringify(run.events), {
					msgID: messageId(run.events),
					timeout: this.#ackTimeoutMs
				}).then((ack) => {
					if (ack.duplicate) duplicates += run.events.length;
				})
			);
			await Promise.all(acks);
		} catch (e) {
			throw new StreamUnavailableError(`the event stream did not acknowledge the batch: ${(e as Error).message}`);
		}
		return { duplicates };
	}

	/**
	 * Follows the stream in order from `start`, calling `apply` for each message and waiting for it
	 * before the next (the caller commits to its store there). Never delivers a sequence twice or
	 * skips one: after NATS comes back (a reconnect), the consumer is recreated at the sequence after
	 * the last one applied, since a consumer of the old server may never deliver again.
	 * Returns a function that stops following.
	 */
	async follow(start: StreamStart, apply: (batch: StreamBatch) => Promise<void>, onError: (e: unknown) => void): Promise<() => Promise<void>> {
		return followInOrder(
			{ js: this.#js, stream: this.#stream, onStatus: (fn) => this.onStatus(fn), connected: () => this.connected, followers: this.#followers },
			start,
			(m) => {
				const events = m.json<FloorEvent[]>();
				if (!Array.isArray(events)) throw new Error('not a JSON event batch');
				return events;
			},
			(m) => apply({ seq: m.seq, events: m.body }),
			onError
		);
	}

	/** The stream's last sequence (0 when empty). */
	async lastSeq(): Promise<number> {
		const jsm = await jetstreamManager(this.#nc);
		return (await jsm.streams.info(this.#stream)).state.last_seq;
	}

	/** The underlying connection, for the shared config watcher. */
	get connection(): NatsConnection {
		return this.#nc;
	}

	async close(): Promise<void> {
		for (const f of this.#followers) await f.close().catch(() => undefined);
		this.#followers.clear();
		await this.#nc.drain().catch(() => this.#nc.close());
	}
}
