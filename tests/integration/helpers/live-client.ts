import WebSocket from 'ws';
import { createCodec, decodeHello, type Codec } from '../../../src/lib/protocol/codec';
import type { ClientFrame, HelloFrame, ServerFrame } from '../../../src/lib/protocol/frames';
import type { BoardChanges, BoardView } from '../../../src/lib/domain/views';
import { applyChanges } from '../../../src/lib/live/apply';

/**
 * A wallboard client for tests: connects to /live, decodes hello with plain msgpack and every
 * later frame with a codec built from hello's structures (as the browser does), and keeps every
 * frame with its arrival time.
 */
export class LiveClient {
	readonly frames: { frame: ServerFrame; at: number }[] = [];
	hello: HelloFrame | null = null;
	codec: Codec | null = null;
	closeCode: number | null = null;
	readonly ws: WebSocket;
	readonly #waiters = new Set<() => void>();

	constructor(url: string) {
		this.ws = new WebSocket(url);
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('message', (data: Buffer) => {
			const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			if (!this.hello) {
				this.hello = decodeHello(bytes);
				this.codec = createCodec(this.hello.structures);
			} else {
				this.frames.push({ frame: this.codec!.decode(bytes) as ServerFrame, at: Date.now() });
			}
			this.#wake();
		});
		this.ws.on('close', (code) => {
			this.closeCode = code;
			this.#wake();
		});
		this.ws.on('error', () => this.#wake());
	}

	static async connect(base: string, query = 'board=default'): Promise<LiveClient> {
		const c = new LiveClient(`${base.replace(/^http/, 'ws')}/live?${query}`);
		await c.until(() => c.hello !== null || c.closeCode !== null, 5000, 'hello');
		return c;
	}

	send(frame: ClientFrame | unknown): void {
		this.ws.send(this.codec!.encode(frame as ClientFrame));
	}

	/** Frames of one type, in arrival order. */
	ofType<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
		return this.frames.filter((f) => f.frame.type === type).map((f) => f.frame as Extract<ServerFrame, { type: T }>);
	}

	get last(): ServerFrame | undefined {
		return this.frames.at(-1)?.frame;
	}

	/** Resolves once `predicate` holds (checked on every frame), or rejects after `ms` naming `what`. */
	until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
		if (predicate()) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const check = () => {
				if (predicate()) {
					clearTimeout(timer);
					this.#waiters.delete(check);
					resolve();
				}
			};
			const timer = setTimeout(() => {
				this.#waiters.delete(check);
				reject(new Error(`timed out after ${ms} ms waiting for ${what}; got ${this.frames.length} frames, close ${this.closeCode}`));
			}, ms);
			this.#waiters.add(check);
		});
	}

	close(): void {
		this.ws.terminate();
	}

	#wake(): void {
		for (const w of [...this.#waiters]) w();
	}
}

/** The board as a wallboard would hold it: the client's snapshot with every later delta applied. */
export function boardOf(c: LiveClient): BoardView | null {
	let view: BoardView | null = null;
	for (const { frame } of c.frames) {
		if (frame.type === 'snapshot') view = frame.floor;
		else if (frame.type === 'delta' && view) view = applyChanges(view, frame.changes as BoardChanges);
	}
	return view;
}
