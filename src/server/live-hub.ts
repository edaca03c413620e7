import { BoardProjector, type ShownFloors } from '../lib/domain/board';
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
 * The fan-out hub of `/live`. At each flush (the server's tick calls `flush` after the floors have
 * advanced) it asks each watched board's projector what changed, encodes that delta once per
 * encoding in use and publishes it to the board's uWS topic: one native publish per board and
 * encoding, however many clients (uWS copies the bytes to each subscriber in C++). Clients that
 * join or resync are not subscribed yet: they are served a snapshot at the next tick (encoded once
 * per board however many asked, with the board's current `seq`) and subscribed right after it, so
 * the next delta continues it.
 *
 * Backpressure: before each publish the hub reads every subscriber's buffered bytes (one native
 * call each). A client over the soft limit is unsubscribed (stale) and gets a fresh snapshot once
 * uWS reports it drained; a client whose next frame would take its buffer over the hard limit is
 * closed (it reconnects and starts from a snapshot). So a client costs at most
 * max(hard limit, one frame) in buffers, whatever it does.
 *
 * Most boards show the live floor; a board may also show a floor of its own (a simulation played
 * on the wall, `addFloorBoard`), with its own source named in its `hello`.
 */

/** Per-socket state, kept in uWS user data. */
export interface LiveSocketData {
	readonly board: string;
	/** How frames are encoded for this socket (see `WireEncoding`). */
	readonly encoding: WireEncoding;
	/** Set at upgrade when the socket must only be told why and closed. */
	readonly refusal: ErrorFrame | null;
	closed: boolean;
	/** Over the soft limit: unsubscribed, waiting for uWS to report it drained. */
	stale: boolean;
	/** Subscribed to its board's topic (has had its snapshot and gets every delta). */
	subscribed: boolean;
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
/** Closes with this code the clients of a board that was removed (a simulation stopped). */
export const CLOSE_BOARD_GONE = 4004;
/** Closes with this code a client that keeps sending bad frames. */
export const CLOSE_BAD_FRAMES = 4002;
const MAX_BAD_FRAMES = 20;

type LiveSocket = WebSocket<LiveSocketData>;

/** One board: its projector, the floor it shows and its sockets (subscribed or waiting for a snapshot). */
class BoardChannel {
	seq = 0;
	readonly clients = new Set<LiveSocket>();
	/** Sockets that get a snapshot (and are subscribed) at the next flush. */
	readonly pending = new Set<LiveSocket>();
	/** Sockets subscribed to the board's topics, whose buffers are checked before each publish. */
	readonly subscribed = new Set<LiveSocket>();
	/** Subscribers per encoding: a delta is encoded and published only for encodings in use. */
	readonly encodings = new Map<WireEncoding, number>();
	/** One projector: `view()` is pure, so snapshots never move the deltas' baseline. */
	readonly projector: BoardProjector;

	constructor(
		public board: BoardConfig,
		readonly floor: Floor,
		/** The source named to this board's clients; null: the hub's (the live floor's). */
		public source: SourceInfo | null
	) {
		this.projector = new BoardProjector(board);
	}
}

/** The uWS topic of a board's frames in one encoding. */
function topicOf(board: string, encoding: WireEncoding): string {
	return `${encoding}:${board}`;
}

/** Fan-out of board changes to wallboard sockets. */
export class LiveHub {
	readonly #channels = new Map<string, BoardChannel>();
	#staleCount = 0;
	#clientCount = 0;
	#source: SourceInfo = { kind: 'ingest' };
	#app: TemplatedApp | null = null;

	constructor(
		private readonly floor: Floor,
		private readonly codec: Codec,
		private readonly metrics: Metrics,
		private readonly options: LiveHubOptions,
		private readonly clock: () => number,
		/** The floors a live board shows (its sites'); by default the live floor alone. */
		private readonly shownFloors: (board: BoardConfig) => ShownFloors = () => floor
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
		this.#app = app;
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
				res.upgrade<LiveSocketData>({ board, encoding, refusal, closed: false, stale: false, subscribed: false, badFrames: 0 }, key, protocol, extensions, context);
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

	/** Applies a new or changed board config of the live floor: every client of it gets a snapshot at the next tick. */
	setBoard(board: BoardConfig): void {
		const ch = this.#channels.get(board.id);
		if (!ch) {
			this.#channels.set(board.id, new BoardChannel(board, this.floor, null));
			return;
		}
		if (ch.floor !== this.floor) throw new Error(`board ${preview(board.id)} shows a floor of its own`);
		ch.board = board;
		ch.projector.setBoard(board);
		for (const ws of ch.clients) this.#resync(ch, ws);
	}

	/**
	 * Adds a board that shows a floor of its own (a simulation), named to its clients by `source`.
	 * Its floor advances outside the hub, like the live one; `removeBoard` ends it.
	 */
	addFloorBoard(board: BoardConfig, floor: Floor, source: SourceInfo): void {
		if (this.#channels.has(board.id)) throw new Error(`board ${preview(board.id)} exists`);
		this.#channels.set(board.id, new BoardChannel(board, floor, source));
	}

	/** Renames the source of a board with a floor of its own (e.g. the simulation ended); its clients are told. */
	setBoardSource(id: string, source: SourceInfo): void {
		const ch = this.#channels.get(id);
		if (!ch || ch.source === null || ch.source === source) return;
		ch.source = source;
		for (const ws of ch.clients) if (!ws.getUserData().closed) this.#sendSmall(ws, { type: 'source', source });
	}

	/** Removes a board with a floor of its own: its clients are closed (a wall then shows the board is gone). */
	removeBoard(id: string): void {
		const ch = this.#channels.get(id);
		if (!ch || ch.source === null) return;
		for (const ws of [...ch.clients]) {
			if (ws.getUserData().closed) continue;
			// Forgotten first (counts, topic), so the close handler uWS runs finds nothing left to do.
			this.close(ws);
			ws.end(CLOSE_BOARD_GONE, 'board removed');
		}
		this.#channels.delete(id);
	}

	/** Names what feeds the live floor: in every `hello`, and to every open socket of its boards when it changes (by reference). */
	setSource(source: SourceInfo): void {
		if (source === this.#source) return;
		this.#source = source;
		for (const ch of this.#channels.values()) {
			if (ch.source !== null) continue;
			for (const ws of ch.clients) if (!ws.getUserData().closed) this.#sendSmall(ws, { type: 'source', source });
		}
	}

	/** Whether a board shows a floor of its own (not a config saved through /api/boards). */
	hasFloorBoard(id: string): boolean {
		return (this.#channels.get(id)?.source ?? null) !== null;
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
			ws.send(this.#hello(data, data.board, this.#source, this.clock()), text);
			ws.send(this.#encode(data.encoding, refusal), text);
			ws.end(CLOSE_REFUSED, refusal.code);
			return;
		}
		ch.clients.add(ws);
		ch.pending.add(ws);
		this.#clientCount++;
		const hello = this.#hello(data, ch.board.id, ch.source ?? this.#source, ch.source === null ? this.clock() : ch.floor.clock);
		ws.send(hello, data.encoding !== 'json');
		this.#count(hello.byteLength);
	}

	/** `hello` is plain msgpack for both msgpack encodings (it carries the structures), JSON text for json. */
	#hello(data: LiveSocketData, board: string, source: SourceInfo, serverTime: number): Uint8Array {
		const bytes = encodeHello(board, serverTime, source);
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
		const ch = this.#channels.get(data.board);
		if (frame.type === 'resync') {
			// A stale client gets its snapshot on drain; asking again cannot jump the queue.
			if (ch && !data.stale) this.#resync(ch, ws);
			return;
		}
		this.#sendSmall(ws, { type: 'pong', t: frame.t, serverTime: ch && ch.source !== null ? ch.floor.clock : this.clock() });
	}

	/** uWS drained some of a socket's buffer: a stale client that is back under half the soft limit gets a snapshot. */
	drain(ws: LiveSocket): void {
		const data = ws.getUserData();
		if (data.closed || !data.stale) return;
		if (ws.getBufferedAmount() > this.options.softLimit / 2) return;
		data.stale = false;
		this.#staleCount--;
		this.#channels.get(data.board)?.pending.add(ws);
	}

	/** The socket gets a snapshot at the next flush instead of deltas (it leaves the topic until then). */
	#resync(ch: BoardChannel, ws: LiveSocket): void {
		const data = ws.getUserData();
		if (data.closed || data.stale) return;
		this.#unsubscribe(ch, ws);
		ch.pending.add(ws);
	}

	#subscribe(ch: BoardChannel, ws: LiveSocket): void {
		const data = ws.getUserData();
		if (data.subscribed) return;
		data.subscribed = true;
		ws.subscribe(topicOf(ch.board.id, data.encoding));
		ch.subscribed.add(ws);
		ch.encodings.set(data.encoding, (ch.encodings.get(data.encoding) ?? 0) + 1);
	}

	/** Leaves the board's topic; a closed socket left it already (uWS unsubscribes on close) and is only forgotten. */
	#unsubscribe(ch: BoardChannel, ws: LiveSocket): void {
		const data = ws.getUserData();
		if (!data.subscribed) return;
		data.subscribed = false;
		if (!data.closed) ws.unsubscribe(topicOf(ch.board.id, data.encoding));
		ch.subscribed.delete(ws);
		ch.encodings.set(data.encoding, (ch.encodings.get(data.encoding) ?? 1) - 1);
	}

	/** A socket closed (by either side): it must not be touched again. */
	close(ws: LiveSocket): void {
		const data = ws.getUserData();
		if (data.closed) return;
		data.closed = true;
		const ch = this.#channels.get(data.board);
		if (!ch) return;
		this.#unsubscribe(ch, ws);
		ch.pending.delete(ws);
		if (ch.clients.delete(ws)) {
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

	#flush(ch: BoardChannel, wallNow: number): void {
		// A board with a floor of its own runs on that floor's clock (a simulation's is sped up).
		const now = ch.source === null ? wallNow : ch.floor.clock;
		const shown = ch.source === null ? this.shownFloors(ch.board) : ch.floor;
		const changes = ch.projector.changes(shown);
		if (!isEmptyChanges(changes)) {
			ch.seq++;
			this.#publish(ch, { type: 'delta', seq: ch.seq, serverTime: now, changes });
		}
		if (ch.pending.size === 0) return;
		// The snapshot holds this tick's delta (taken after it): same seq, so the next delta follows on.
		let snapshot: ServerFrame | null = null;
		const encoded = new Map<WireEncoding, Uint8Array>();
		for (const ws of ch.pending) {
			const data = ws.getUserData();
			if (data.closed || data.stale) {
				ch.pending.delete(ws);
				continue;
			}
			snapshot ??= { type: 'snapshot', seq: ch.seq, serverTime: now, floor: ch.projector.view(shown) };
			let bytes = encoded.get(data.encoding);
			if (!bytes) encoded.set(data.encoding, (bytes = this.#encode(data.encoding, snapshot)));
			// Snapshots wait too: a client that spams resync without reading must not grow its buffer.
			if (!this.#fits(ch, ws, bytes.byteLength)) continue;
			if (this.#send(ws, bytes)) {
				ch.pending.delete(ws);
				this.metrics.snapshotsSent++;
				this.#subscribe(ch, ws);
			}
		}
	}

	/**
	 * One delta to every subscriber: first each subscriber's buffer is checked against the limits
	 * (what the frame would cost it), then one native publish per encoding in use.
	 */
	#publish(ch: BoardChannel, delta: ServerFrame): void {
		if (ch.subscribed.size === 0) return;
		const encoded = new Map<WireEncoding, Uint8Array>();
		for (const [encoding, n] of ch.encodings) if (n > 0) encoded.set(encoding, this.#encode(encoding, delta));
		for (const ws of ch.subscribed) {
			const buffered = ws.getBufferedAmount();
			if (buffered === 0) continue;
			this.#fits(ch, ws, encoded.get(ws.getUserData().encoding)!.byteLength, buffered);
		}
		const app = this.#app;
		if (!app) return;
		for (const [encoding, bytes] of encoded) {
			const n = ch.encodings.get(encoding) ?? 0;
			if (n === 0) continue;
			app.publish(topicOf(ch.board.id, encoding), bytes, encoding !== 'json', false);
			this.metrics.framesSent += n;
			this.metrics.bytesSent += n * bytes.byteLength;
		}
	}

	/**
	 * Whether a frame of `bytes` may go to the socket now. A client whose buffer is empty always
	 * gets its frame, however big; otherwise a frame must fit under the hard limit (else the client
	 * is closed), and a client over the soft limit goes stale: unsubscribed until it drains.
	 */
	#fits(ch: BoardChannel, ws: LiveSocket, bytes: number, buffered = ws.getBufferedAmount()): boolean {
		if (buffered === 0) return true;
		if (buffered + bytes > this.options.hardLimit) {
			this.#tooSlow(ws);
			return false;
		}
		if (buffered > this.options.softLimit) {
			const data = ws.getUserData();
			this.#unsubscribe(ch, ws);
			ch.pending.delete(ws);
			data.stale = true;
			this.#staleCount++;
			this.metrics.staleMarks++;
			return false;
		}
		return true;
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
