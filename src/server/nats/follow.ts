import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';

/** Where a follower starts reading: after a sequence, or at a time. */
export type StreamStart = { readonly afterSeq: number } | { readonly fromTime: number };

/** One message read in order. */
export interface InOrderMessage<T> {
	readonly seq: number;
	readonly body: T;
}

/** What {@link followInOrder} needs of the connection it reads through. */
export interface FollowContext {
	readonly js: JetStreamClient;
	readonly stream: string;
	/** Calls `fn` when the connection goes down or comes back; returns an unsubscribe. */
	readonly onStatus: (fn: (connected: boolean) => void) => () => void;
	readonly connected: () => boolean;
	/** Consumers currently open, so closing the connection can close them first. */
	readonly followers: Set<ConsumerMessages>;
}

/**
 * Follows a JetStream stream in order from `start`, calling `apply` for each message and waiting
 * for it before the next (the caller commits to its store there). Never delivers a sequence twice
 * or skips one: after NATS comes back (a reconnect) the ordered read is recreated at the sequence
 * after the last one applied, since a consumer of the old server may never deliver again. A message
 * whose body does not parse is reported through `onError` and passed over. Returns a stop function.
 */
export async function followInOrder<T>(
	ctx: FollowContext,
	start: StreamStart,
	parse: (m: { json: <U>() => U }) => T,
	apply: (message: InOrderMessage<T>) => Promise<void> | void,
	onError: (e: unknown) => void
): Promise<() => Promise<void>> {
	let last: number | null = 'afterSeq' in start ? start.afterSeq : null;
	let stopped = false;
	let current: ConsumerMessages | null = null;
	const optsFor = () =>
		last === null && 'fromTime' in start
			? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(start.fromTime).toISOString() }
			: { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: (last ?? 0) + 1 };
	const offStatus = ctx.onStatus((up) => {
		if (up) void current?.close();
	});
	const run = async () => {
		while (!stopped) {
			try {
				const consumer = await ctx.js.consumers.get(ctx.stream, optsFor());
				// Short pull requests, so a dead consumer is noticed within seconds.
				const messages = await consumer.consume({ max_messages: 256, expires: 4000 });
				current = messages;
				ctx.followers.add(messages);
				for await (const m of messages) {
					if (last !== null && m.seq <= last) continue;
					let body: T | null = null;
					try {
						body = parse(m);
					} catch (e) {
						onError(new Error(`stream ${ctx.stream} message ${m.seq} could not be read (${(e as Error).message}); skipped`));
					}
					if (body !== null) await apply({ seq: m.seq, body });
					last = m.seq;
					if (stopped) break;
				}
				ctx.followers.delete(messages);
			} catch (e) {
				if (!stopped && ctx.connected()) onError(e);
			}
			current = null;
			if (!stopped) await new Promise((r) => setTimeout(r, 250));
		}
	};
	const running = run();
	return async () => {
		stopped = true;
		offStatus();
		await current?.close();
		await running;
	};
}
