import { BoardProjector } from '../lib/domain/board';
import type { Floor } from '../lib/domain/floor';
import { preview } from '../lib/domain/result';
import type { BoardConfig } from '../lib/domain/board-config';
import { isEmptyChanges } from '../lib/domain/views';
import { pack as packPlain, unpack as unpackPlain } from 'msgpackr';
import { encodeHello, type Codec } from '../lib/protocol/codec';
import { parseClientFrame } from '../lib/protocol/client-frames';
import type { ErrorFrame, ServerFrame, SourceInfo } from '../lib/protocol/frames';
import { bearerToken, type Auth } from './auth';
import type { Metrics } from './metrics';
import type { OriginPolicy } from './origin-policy';
import { NO_COMPRESSION, SEND_DROPPED, type TemplatedApp, type WebSocket } from './uws';

/**
 * The fan-out hub of `/live`. At each flush (the server's tick calls `flush` after the floor has
 * advanced) it asks each watched board's projector what changed, encodes that delta once and sends the same bytes to every client of the
 * board. Clients that join or resync are marked and served a snapshot at the next tick, encoded
 * once per board however many asked, with the board's current `seq` so later deltas continue it.
 *
 * Backpressure: a client whose buffered bytes exceed the soft limit stops getting frames (stale)
 * and gets a fresh snapshot once uWS reports it drained; a client whose next frame would take its
 * buffer over the hard limit is closed (it reconnects and starts from a snapshot). So a client
 * costs at most max(hard limit, one frame) in buffers, whatever it does.
 */

/** Per-socket state, kept in uWS user data. */
export interface LiveSocketData {
	readonly board: string;
	/** How frames are encoded for this socket (see `WireEncoding`). */
	readonly encoding: WireEncoding;
	/** Set at upgrade when the socket must only be told why and closed. */
	readonly refusal: ErrorFrame | null;
	closed: boolean;
	stale: boolean;
	needsSnapshot: boolean;
	badFrames: number;
}

/**
 * Encodings of `/live`: `records` (the default, for the browser) is msgpack with msgpackr's record
 * extension declared in `hello`; `msgpack` (plain maps) and `json` (text frames) are the same
 * frames for third-party clients, readable by any msgpack or JSON library.
 */
export type WireEncoding = 'records' | 'msgpack' | 'json';
const WIRE_ENCODINGS: ReadonlySet<string> = new Set(['msgpack', 'json']);

/** Hub tuning. */
export interface LiveHubOptions {
	/** Buffered bytes above which a client stops getting deltas until it drains. */
	readonly softLimit: number;
	/** Buffered bytes above which a client is closed. */
	readonly hardLimit: number;
}

/** Live client frames are tiny (resync, ping); anything bigger is refused by uWS with a close. */
const LIVE_MAX_PAYLOAD = 16 * 1024;

/** Closes with this code a client that was refused at connect (see the error frame). */
export const CLOSE_REFUSED = 4003;
/** Closes with this code a client that keeps sending bad frames. */
export const CLOSE_BAD_FRAMES = 4002;
const MAX_BAD_FRAMES = 20;

type LiveSocket = WebSocket<LiveSocketData>;

class BoardChannel {
	seq = 0;
	readonly clients = new Set<LiveSocket>();
	/** Deltas come from one projector; snapshots from another, so serving a snapshot never moves the deltas' baseline. */
	readonly deltas: BoardProjector;
	readonly snapshots: BoardProjector;

	constructor(public board: BoardConfig) {
		this.deltas = new BoardProjector(board);
		this.snapshots = new BoardProjector(board);
	}
}

/** Fan-out of board changes to wallboard sockets. */
export class LiveHub {
	readonly #channels = new Map<string, BoardChannel>();
	#staleCount = 0;
	#clientCount = 0;
	#source: SourceInfo = { kind: 'ingest' };

	constructor(
		private readonly floor: Floor,
		private readonly codec: Codec,
		private readonly metrics: Metrics,
		private readonly options: LiveHubOptions,
		private readonly clock: () => number
	) {
		metrics.clientsConnected = () => this.#clientCount;
		metrics.clientsStale = () => this.#staleCount;
	}

	/**
	 * Registers `/live` on the app. The upgrade checks Origin (a page elsewhere must not read the
	 * floor through a viewer's browser) and refuses a browser from another origin before upgrading;
	 * a bad token or unknown board is told in an error frame after `hello`, then closed.
	 */
	attach(app: TemplatedApp, auth: Auth, policy: OriginPolicy): void {
		app.ws<LiveSocketData>('/live', {
			compression: NO_COMPRESSION,
			maxPayloadLength: LIVE_MAX_PAYLOAD,
			// uWS's own cap sits above ours, so the hub's hard-limit close (with its metric) happens first.
			maxBackpressure: this.options.hardLimit * 2,
			closeOnBackpressureLimit: 1, // a boolean typed as number in these typings
			idleTimeout: 120,
			sendPingsAutomatically: true,
			upgrade: (res, req, context) => {
				const key = req.getHeader('sec-websocket-key');
				const protocol = req.getHeader('sec-websocket-protocol');
				const extensions = req.getHeader('sec-websocket-extensions');
				if (!policy.originAllowed(req.getHeader('origin'), req.getHeader('host'))) {
					this.metrics.originRefusals++;
					res.cork(() => res.writeStatus('403 Forbidden').end('origin not allowed', true));
					return;
				}
				const query = new URLSearchParams(req.getQuery() ?? '');
				const board = query.get('board') || 'default';
				const asked = query.get('encoding');
				if (asked !== null && !WIRE_ENCODINGS.has(asked)) {
					res.cork(() => res.writeStatus('400 Bad Request').end('encoding must be msgpack or json (or absent, for the browser codec)', true));
					return;
				}
				const encoding: WireEncoding = (asked as WireEncoding | null) ?? 'records';
				// Browsers cannot set headers on a WebSocket, so ?token= is accepted here.
				const check = auth.check(query.get('token') || bearerToken(req.getHeader('authorization')), 'viewer');
				let refusal: ErrorFrame | null = null;
				if (!check.ok) refusal = { type: 'error', code: 'unauthorized', message: check.message };
				else if (!this.hasBoard(board)) refusal = { type: 'error', code: 'unknown-board', message: `no board ${preview(board)}` };
				res.upgrade<LiveSocketData>({ board, encoding, refusal, closed: false, stale: false, needsSnapshot: false, badFrames: 0 }, key, protocol, extensions, context);
			},
			open: (ws) => this.open(ws),
			message: (ws, message, isBinary) => this.message(ws, message, isBinary),
			drain: (ws) => this.drain(ws),
			close: (ws) => this.close(ws)
		});
	}

	/** Current sequence number of a board (0 before its first frame). */
	seqOf(board: string): number {
		return this.#channels.get(board)?.seq ?? 0;
	}

	/** Applies a new or changed board config live: every client of it gets a snapshot at the next tick. */
	setBoard(board: BoardConfig): void {
		const ch = this.#channels.get(board.id);
		if (!ch) {
			this.#channels.set(board.id, new BoardChannel(board));
			return;
		}
		ch.board = board;
		ch.deltas.setBoard(board);
		ch.snapshots.setBoard(board);
		for (const ws of ch.clients) ws.getUserData().needsSnapshot = true;
	}

	/** Names what feeds the floor: in every `hello`, and to every open socket when it changes (by reference). */
	setSource(source: SourceInfo): void {
		if (source === this.#source) return;
		this.#source = source;
		for (const ch of this.#channels.values()) for (const ws of ch.clients) if (!ws.getUserData().closed) this.#sendSmall(ws, { type: 'source', source });
	}

	/** Whether a board is known. */
	hasBoard(id: string): boolean {
		return this.#channels.has(id);
	}

	/** A socket opened: hello now, snapshot at the next tick. */
	open(ws: LiveSocket): void {
		const data = ws.getUserData();
		const ch = this.#channels.get(data.board);
		if (data.refusal || !ch) {
			const refusal: ErrorFrame = data.refusal ?? { type: 'error', code: 'unknown-board', message: `no board ${preview(data.board)}` };
			// hello first even here: every client decodes hello before anything else.
			const text = data.encoding !== 'json';
			ws.send(this.#hello(data, data.board), text);
			ws.send(this.#encode(data.encoding, refusal), text);
			ws.end(CLOSE_REFUSED, refusal.code);
			return;
		}
		ch.clients.add(ws);
		this.#clientCount++;
		data.needsSnapshot = true;
		const hello = this.#hello(data, ch.board.id);
		ws.send(hello, data.encoding !== 'json');
		this.#count(hello.byteLength);
	}

	/** `hello` is plain msgpack for both msgpack encodings (it carries the structures), JSON text for json. */
	#hello(data: LiveSocketData, board: string): Uint8Array {
		const bytes = encodeHello(board, this.clock(), this.#source);
		return data.encoding === 'json' ? Buffer.from(JSON.stringify(unpackPlain(bytes))) : bytes;
	}

	/** A frame in one of the wire encodings. */
	#encode(encoding: WireEncoding, frame: ServerFrame): Uint8Array {
		if (encoding === 'records') return this.codec.encode(frame);
		return encoding === 'msgpack' ? packPlain(frame) : Buffer.from(JSON.stringify(frame));
	}

	/** A frame from a wallboard: resync or ping; anything else is refused with an error frame. */
	message(ws: LiveSocket, bytes: ArrayBuffer, isBinary: boolean): void {
		const data = ws.getUserData();
		if (data.closed || data.refusal) return;
		let frame: ReturnType<typeof parseClientFrame>;
		const json = data.encoding === 'json';
		if (isBinary === json) frame = { error: json ? 'frames must be JSON text' : 'frames must be binary msgpack', code: 'bad-frame' };
		else {
			try {
				frame = parseClientFrame(json ? JSON.parse(Buffer.from(bytes).toString('utf8')) : this.codec.decode(new Uint8Array(bytes)));
			} catch {
				frame = { error: json ? 'malformed JSON' : 'malformed msgpack', code: 'bad-frame' };
			}
		}
		if ('error' in frame) {
			this.metrics.badClientFrames++;
			data.badFrames++;
			if (data.badFrames > MAX_BAD_FRAMES) {
				ws.end(CLOSE_BAD_FRAMES, 'too many bad frames');
				return;
			}
			this.#sendSmall(ws, { type: 'error', code: frame.code, message: frame.error });
			return;
		}
		if (frame.type === 'resync') {
			// A stale client gets its snapshot on drain; asking again cannot jump the queue.
			if (!data.stale) data.needsSnapshot = true;
			return;
		}
		this.#sendSmall(ws, { type: 'pong', t: frame.t, serverTime: this.clock() });
	}

	/** uWS drained some of a socket's buffer: a stale client that is back under half the soft limit gets a snapshot. */
	drain(ws: LiveSocket): void {
		const data = ws.getUserData();
		if (data.closed || !data.stale) return;
		if (ws.getBufferedAmount() > this.options.softLimit / 2) return;
		data.stale = false;
		data.needsSnapshot = true;
		this.#staleCount--;
	}

	/** A socket closed (by either side): it must not be touched again. */
	close(ws: LiveSocket): void {
		const data = ws.getUserData();
		if (data.closed) return;
		data.closed = true;
		const ch = this.#channels.get(data.board);
		if (ch?.clients.delete(ws)) {
			this.#clientCount--;
			if (data.stale) this.#staleCount--;
		}
	}

	/** One flush at `now` (the floor already advanced to it): per watched board one delta (if anything changed) and the snapshots asked for. */
	flush(now: number): void {
		for (const ch of this.#channels.values()) {
			if (ch.clients.size > 0) this.#flush(ch, now);
		}
	}

	#flush(ch: BoardChannel, now: number): void {
		const changes = ch.deltas.changes(this.floor);
		let delta: ServerFrame | null = null;
		if (!isEmptyChanges(changes)) {
			ch.seq++;
			delta = { type: 'delta', seq: ch.seq, serverTime: now, changes };
		}
		let snapshot: ServerFrame | null = null;
		// Each frame is encoded once per encoding in use, whatever the number of clients.
		const deltas = new Map<WireEncoding, Uint8Array>();
		const snapshots = new Map<WireEncoding, Uint8Array>();
		const encoded = (cache: Map<WireEncoding, Uint8Array>, encoding: WireEncoding, f: ServerFrame) => {
			let bytes = cache.get(encoding);
			if (!bytes) cache.set(encoding, (bytes = this.#encode(encoding, f)));
			return bytes;
		};
		for (const ws of ch.clients) {
			const data = ws.getUserData();
			if (data.closed || data.stale || (!data.needsSnapshot && !delta)) continue;
			// The snapshot already holds this tick's delta: same seq, so the next delta follows on.
			const isSnapshot = data.needsSnapshot || delta === null;
			const frame = data.needsSnapshot || delta === null
				? encoded(snapshots, data.encoding, (snapshot ??= { type: 'snapshot', seq: ch.seq, serverTime: now, floor: ch.snapshots.snapshot(this.floor) }))
				: encoded(deltas, data.encoding, delta);
			const buffered = ws.getBufferedAmount();
			// A client whose buffer is empty always gets its frame, however big; otherwise a frame must fit under the hard limit.
			if (buffered > 0 && buffered + frame.byteLength > this.options.hardLimit) {
				this.#tooSlow(ws);
				continue;
			}
			if (buffered > this.options.softLimit) {
				// Snapshots wait too: a client that spams resync without reading must not grow its buffer.
				data.stale = true;
				this.#staleCount++;
				this.metrics.staleMarks++;
				continue;
			}
			if (this.#send(ws, frame) && isSnapshot) {
				data.needsSnapshot = false;
				this.metrics.snapshotsSent++;
			}
		}
	}

	/** Bytes buffered in uWS for all wallboard sockets (what slow clients cost in memory). */
	bufferedBytes(): number {
		let n = 0;
		for (const ch of this.#channels.values()) for (const ws of ch.clients) if (!ws.getUserData().closed) n += ws.getBufferedAmount();
		return n;
	}

	/** Sends one frame corked; a frame uWS had to drop (its own backpressure cap) closes the socket. */
	#send(ws: LiveSocket, bytes: Uint8Array): boolean {
		let result = 0;
		ws.cork(() => {
			result = ws.send(bytes, ws.getUserData().encoding !== 'json', false);
		});
		if (result === SEND_DROPPED) {
			this.#tooSlow(ws);
			return false;
		}
		this.#count(bytes.byteLength);
		return true;
	}

	/** Small answers (pong, error) are skipped for a client over the soft limit rather than buffered. */
	#sendSmall(ws: LiveSocket, frame: ServerFrame): void {
		if (ws.getBufferedAmount() > this.options.softLimit) return;
		const encoding = ws.getUserData().encoding;
		const bytes = this.#encode(encoding, frame);
		ws.send(bytes, encoding !== 'json');
		this.#count(bytes.byteLength);
	}

	#tooSlow(ws: LiveSocket): void {
		this.metrics.slowClientsClosed++;
		const data = ws.getUserData();
		// close() runs the close handler synchronously; end() would first try to flush a full buffer.
		ws.close();
		this.close(ws);
		data.closed = true;
	}

	#count(bytes: number): void {
		this.metrics.framesSent++;
		this.metrics.bytesSent += bytes;
	}
}
