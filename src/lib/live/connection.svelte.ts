import { createCodec, decodeHello, type Codec } from '../protocol/codec';
import type { ClientFrame, ServerFrame, SourceInfo } from '../protocol/frames';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { ClockOffset } from './clock-offset';
import { FloorState } from './floor.svelte';
import { FrameScheduler } from './frame-scheduler';

/**
 * The wallboard's end of `/live`: connects, reads `hello` to build the codec, applies snapshot and
 * deltas to a FloorState, checks `seq` continuity (a gap asks `resync`), estimates the server
 * clock from ping/pong, watches freshness, and reconnects with backoff whenever the socket drops.
 */

/**
 * - `connecting`: first connection, nothing shown yet.
 * - `live`: frames are arriving and the floor is current.
 * - `stale`: the socket is open but nothing arrived for a while (not even a pong).
 * - `reconnecting`: the socket is gone; numbers on screen are from before.
 * - `refused`: the server said no (unknown board, no access): retrying cannot help, so it stops.
 * - `closed`: disposed.
 */
export type LiveStatus = 'connecting' | 'live' | 'stale' | 'reconnecting' | 'refused' | 'closed';

/** The part of WebSocket the client uses, so tests can hand in a double. */
export interface SocketLike {
	binaryType: string;
	readonly readyState: number;
	onopen: ((ev: unknown) => void) | null;
	onmessage: ((ev: { data: unknown }) => void) | null;
	onclose: ((ev: unknown) => void) | null;
	onerror: ((ev: unknown) => void) | null;
	send(data: Uint8Array): void;
	close(code?: number, reason?: string): void;
}

/** Options of a live connection. */
export interface LiveOptions {
	readonly board: string;
	/** Viewer token, when the server needs one. */
	readonly token?: string | null;
	/** Full ws:// URL; by default `/live` on the page's own host. */
	readonly url?: string;
	readonly createSocket?: (url: string) => SocketLike;
	/** No frame for this long makes the board `stale` (pings keep a quiet but healthy stream fresh). */
	readonly staleAfterMs?: number;
	/** No frame for this long closes the socket and reconnects (a half-open connection). */
	readonly deadAfterMs?: number;
	readonly pingEveryMs?: number;
	readonly backoff?: BackoffOptions;
	/** Least time between two renders (they are also never more than one per animation frame). */
	readonly renderEveryMs?: number;
	readonly now?: () => number;
}

const OPEN = 1;
const WATCH_MS = 1_000;

/** Builds the `/live` URL for a board on the page's own host. */
export function liveUrl(base: { protocol: string; host: string }, board: string, token?: string | null): string {
	const scheme = base.protocol === 'https:' ? 'wss' : 'ws';
	const q = new URLSearchParams({ board });
	if (token) q.set('token', token);
	return `${scheme}://${base.host}/live?${q}`;
}

/** One board's live stream. Create it, call `start()`, and `dispose()` when the board goes away. */
export class LiveConnection {
	readonly floor: FloorState;
	/** Connection state as shown by the freshness badge. */
	status = $state<LiveStatus>('connecting');
	/** Client-clock ms of the last frame received, as of the last publish. */
	lastFrameAt = $state<number | null>(null);
	/** Server clock minus client clock, ms. */
	serverOffset = $state(0);
	/** Reconnect attempts since the stream was last live. */
	attempt = $state(0);
	/** Last error the server or the socket reported, for the badge's title. */
	lastError = $state<string | null>(null);
	/** What feeds the floor, from `hello` and later `source` frames; null before the first hello. */
	source = $state.raw<SourceInfo | null>(null);

	readonly #opts: Required<Omit<LiveOptions, 'token' | 'url' | 'createSocket'>> & { url: string; createSocket: (url: string) => SocketLike };
	readonly #clock = new ClockOffset();
	readonly #scheduler: FrameScheduler;
	#socket: SocketLike | null = null;
	#codec: Codec | null = null;
	#lastFrame: number | null = null;
	#lastPing = -Infinity;
	/** Client ms of the last sign of life on the current socket (its creation, then every frame). */
	#alive = 0;
	/** When the freshness watch last ran (a hidden tab's timers run late: see #onWatch). */
	#lastWatch = 0;
	#resyncing = false;
	#watch: ReturnType<typeof setInterval> | null = null;
	#retry: ReturnType<typeof setTimeout> | null = null;
	#disposed = false;
	#started = false;
	/** Counters for tests and the soak check. */
	readonly stats = { frames: 0, deltas: 0, snapshots: 0, resyncs: 0, publishes: 0, connects: 0 };

	constructor(opts: LiveOptions) {
		const url =
			opts.url ??
			(typeof location !== 'undefined' ? liveUrl(location, opts.board, opts.token) : `ws://127.0.0.1:8080/live?board=${encodeURIComponent(opts.board)}`);
		this.#opts = {
			board: opts.board,
			url,
			createSocket: opts.createSocket ?? ((u) => new WebSocket(u) as unknown as SocketLike),
			staleAfterMs: opts.staleAfterMs ?? 8_000,
			deadAfterMs: opts.deadAfterMs ?? 20_000,
			pingEveryMs: opts.pingEveryMs ?? 3_000,
			backoff: opts.backoff ?? DEFAULT_BACKOFF,
			renderEveryMs: opts.renderEveryMs ?? 100,
			now: opts.now ?? (() => Date.now())
		};
		this.floor = new FloorState();
		this.#scheduler = new FrameScheduler(() => this.#publish(), this.#opts.renderEveryMs);
	}

	/** Opens the stream and starts the freshness watch. */
	start(): void {
		if (this.#started || this.#disposed) return;
		this.#started = true;
		this.#lastWatch = this.#opts.now();
		this.#watch = setInterval(this.#onWatch, WATCH_MS);
		if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisibility);
		if (typeof window !== 'undefined') window.addEventListener('online', this.#onOnline);
		this.#connect();
	}

	/** Closes the socket and removes every timer and listener. */
	dispose(): void {
		if (this.#disposed) return;
		this.#disposed = true;
		if (this.#watch !== null) clearInterval(this.#watch);
		if (this.#retry !== null) clearTimeout(this.#retry);
		this.#watch = this.#retry = null;
		if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
		if (typeof window !== 'undefined') window.removeEventListener('online', this.#onOnline);
		this.#scheduler.dispose();
		this.#dropSocket();
		this.status = 'closed';
	}

	/** Server time now, by the client clock and the estimated offset. */
	serverNow(): number {
		return this.#opts.now() + this.#clock.offset;
	}

	#connect(): void {
		if (this.#disposed) return;
		this.#retry = null;
		this.stats.connects += 1;
		let ws: SocketLike;
		try {
			ws = this.#opts.createSocket(this.#opts.url);
		} catch (e) {
			this.lastError = e instanceof Error ? e.message : String(e);
			this.#scheduleReconnect();
			return;
		}
		ws.binaryType = 'arraybuffer';
		this.#alive = this.#opts.now();
		ws.onmessage = (ev) => this.#onMessage(ws, ev.data);
		ws.onclose = () => this.#onClose(ws);
		ws.onerror = () => {
			// A close event always follows; reconnecting is decided there.
		};
		this.#socket = ws;
	}

	#onMessage(ws: SocketLike, data: unknown): void {
		if (ws !== this.#socket || this.#disposed) return;
		const bytes = toBytes(data);
		if (!bytes) return;
		const now = this.#opts.now();
		this.#lastFrame = now;
		this.#alive = now;
		this.stats.frames += 1;
		try {
			if (!this.#codec) {
				const hello = decodeHello(bytes);
				this.#codec = createCodec(hello.structures);
				this.source = hello.source;
				this.#clock.reset();
				this.#clock.seed(hello.serverTime, now);
				this.#ping(now);
				return;
			}
			this.#onFrame(this.#codec.decode(bytes) as ServerFrame, now);
		} catch (e) {
			// A frame we cannot read leaves the floor in doubt: start over on a fresh socket.
			this.lastError = e instanceof Error ? e.message : String(e);
			ws.close(4000, 'unreadable frame');
			return;
		}
		this.#scheduler.request();
	}

	#onFrame(frame: ServerFrame, now: number): void {
		switch (frame.type) {
			case 'snapshot':
				this.stats.snapshots += 1;
				this.#clock.observe(frame.serverTime, now);
				this.floor.applySnapshot(frame);
				this.#resyncing = false;
				this.#setLive();
				break;
			case 'delta': {
				this.stats.deltas += 1;
				this.#clock.observe(frame.serverTime, now);
				if (this.#resyncing) return;
				const r = this.floor.applyDelta(frame);
				if (r === 'gap') {
					this.#resyncing = true;
					this.stats.resyncs += 1;
					this.#send({ type: 'resync', reason: `expected seq ${(this.floor.seq ?? -1) + 1}, got ${frame.seq}` });
				} else if (r === 'applied' && this.status === 'stale') this.status = 'live';
				break;
			}
			case 'pong':
				this.#clock.add(frame.t, frame.serverTime, now);
				if (this.status === 'stale' && !this.#resyncing && this.floor.seq !== null) this.status = 'live';
				break;
			case 'source':
				this.source = frame.source;
				break;
			case 'error':
				this.lastError = frame.message;
				// The server closes after these; asking again cannot change its answer.
				if (frame.code === 'unknown-board' || frame.code === 'unauthorized') this.#refuse();
				break;
			case 'hello':
				// Only ever the first frame, read before the codec exists.
				break;
			default: {
				const unknown: never = frame;
				void unknown;
			}
		}
	}

	#setLive(): void {
		this.status = 'live';
		this.attempt = 0;
		this.lastError = null;
	}

	#refuse(): void {
		this.#dropSocket();
		this.status = 'refused';
	}

	#onClose(ws: SocketLike): void {
		if (ws !== this.#socket) return;
		this.#socket = null;
		this.#codec = null;
		this.floor.forgetSeq();
		if (this.#disposed) return;
		this.#scheduleReconnect();
	}

	#scheduleReconnect(): void {
		if (this.#disposed || this.#retry !== null) return;
		this.status = 'reconnecting';
		const delay = backoffDelay(this.attempt, this.#opts.backoff);
		this.attempt += 1;
		this.#retry = setTimeout(() => this.#connect(), delay);
	}

	#dropSocket(): void {
		const ws = this.#socket;
		this.#socket = null;
		this.#codec = null;
		if (ws) {
			ws.onmessage = ws.onclose = ws.onerror = ws.onopen = null;
			try {
				ws.close(1000, 'bye');
			} catch {
				// Already closing.
			}
		}
	}

	#send(frame: ClientFrame): void {
		const ws = this.#socket;
		if (!ws || !this.#codec || ws.readyState !== OPEN) return;
		ws.send(this.#codec.encode(frame));
	}

	#ping(now: number): void {
		this.#lastPing = now;
		this.#send({ type: 'ping', t: now });
	}

	#publish(): void {
		this.stats.publishes += 1;
		this.lastFrameAt = this.#lastFrame;
		this.serverOffset = this.#clock.offset;
		this.floor.publish(this.serverNow());
	}

	#onWatch = (): void => {
		const now = this.#opts.now();
		// A background tab's timers are throttled (to once a minute after a while): then the watch
		// itself was asleep, and silence since the last ping says nothing about the server. Ping,
		// and judge on a tick that comes on time.
		const late = now - this.#lastWatch > 3 * WATCH_MS;
		this.#lastWatch = now;
		if (this.#socket && this.#codec && now - this.#lastPing >= this.#opts.pingEveryMs) this.#ping(now);
		if (late) {
			this.#scheduler.request();
			return;
		}
		const since = this.#lastFrame === null ? Infinity : now - this.#lastFrame;
		if (this.#socket && now - this.#alive >= this.#opts.deadAfterMs) {
			// Half-open: the server vanished without a close. Drop it and go through the backoff.
			const ws = this.#socket;
			this.#onClose(ws);
			try {
				ws.close(4001, 'no frames');
			} catch {
				// Already closing.
			}
		} else if (this.status === 'live' && since >= this.#opts.staleAfterMs) {
			this.status = 'stale';
		}
		// Keeps sparkline sampling and the offset going when the floor is quiet.
		this.#scheduler.request();
	};

	#onVisibility = (): void => {
		this.#scheduler.flushNow();
	};

	#onOnline = (): void => {
		if (this.#retry !== null) {
			clearTimeout(this.#retry);
			this.#retry = null;
			this.#connect();
		}
	};
}

function toBytes(data: unknown): Uint8Array | null {
	if (data instanceof Uint8Array) return data;
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return null;
}
