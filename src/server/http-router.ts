import type { HttpRequest, HttpResponse, TemplatedApp } from './uws';

/**
 * A thin layer over uWS HTTP handlers: copies what a handler needs out of `req` up front (uWS
 * invalidates it when the handler returns), registers `onAborted` before any async work, reads
 * bodies with a size limit, and answers errors without leaking stack traces.
 */

/** What a handler knows about its request; plain data, safe to use after an await. */
export interface RequestInfo {
	readonly method: string;
	readonly path: string;
	readonly query: URLSearchParams;
	readonly params: readonly string[];
	readonly authorization: string;
	readonly contentType: string;
	/** Content-Length and Transfer-Encoding as sent ("" when absent). */
	readonly contentLength: string;
	readonly transferEncoding: string;
	readonly ifNoneMatch: string;
}

/** An error with an HTTP status and a message meant for the client. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly details?: unknown
	) {
		super(message);
	}
}

const STATUS_TEXT: Record<number, string> = {
	200: '200 OK',
	202: '202 Accepted',
	204: '204 No Content',
	304: '304 Not Modified',
	400: '400 Bad Request',
	401: '401 Unauthorized',
	403: '403 Forbidden',
	404: '404 Not Found',
	405: '405 Method Not Allowed',
	409: '409 Conflict',
	413: '413 Payload Too Large',
	415: '415 Unsupported Media Type',
	500: '500 Internal Server Error',
	503: '503 Service Unavailable'
};

/** One request in flight: its info, its body, and the ways to answer it exactly once. */
export class HttpContext {
	#aborted = false;
	#done = false;
	#body: Promise<Buffer> | null = null;

	constructor(
		private readonly res: HttpResponse,
		readonly req: RequestInfo,
		bodyLimit: number
	) {
		res.onAborted(() => {
			this.#aborted = true;
		});
		if (req.method === 'post' || req.method === 'put') {
			// uWS calls onData only when a body follows; an empty one must not leave the handler waiting.
			const declared = req.contentLength === '' ? null : Number(req.contentLength);
			if (declared === 0 || (declared === null && req.transferEncoding === '')) this.#body = Promise.resolve(Buffer.alloc(0));
			else if (declared !== null && declared > bodyLimit) this.#body = Promise.reject(new HttpError(413, `body larger than ${bodyLimit} bytes`));
			else this.#body = readBody(res, bodyLimit);
			// A handler may answer without reading the body (bad token); its rejection must not go unhandled.
			this.#body.catch(() => {});
		}
	}

	/** True once the client went away or an answer was sent: nothing more may touch `res`. */
	get finished(): boolean {
		return this.#aborted || this.#done;
	}

	/** The request body (POST/PUT); rejects with a 413 HttpError over the limit. */
	body(): Promise<Buffer> {
		return this.#body ?? Promise.resolve(Buffer.alloc(0));
	}

	/** Sends a complete response once; later calls and calls after an abort are ignored. */
	send(status: number, body: string | Uint8Array, headers: Readonly<Record<string, string>> = {}, close = false): void {
		if (this.finished) return;
		this.#done = true;
		this.res.cork(() => {
			this.res.writeStatus(STATUS_TEXT[status] ?? String(status));
			for (const [k, v] of Object.entries(headers)) this.res.writeHeader(k, v);
			this.res.end(body, close);
		});
	}

	/** Sends a JSON body. */
	json(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}, close = false): void {
		this.send(status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }, close);
	}

	/** Sends `{ error, ...details }` with the status of `err` (500 and a generic message for anything unexpected). */
	fail(err: unknown): void {
		if (err instanceof HttpError) {
			const extra = err.details && typeof err.details === 'object' ? err.details : {};
			// A body cut off by the limit is still arriving: close the connection rather than read it all.
			this.json(err.status, { error: err.message, ...extra }, {}, err.status === 413);
			return;
		}
		this.json(500, { error: 'internal error' });
	}
}

/** Reads a whole body, refusing more than `limit` bytes. Chunks are copied: uWS reuses their memory. */
function readBody(res: HttpResponse, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		res.onData((chunk, isLast) => {
			if (over) return;
			size += chunk.byteLength;
			if (size > limit) {
				over = true;
				chunks.length = 0;
				reject(new HttpError(413, `body larger than ${limit} bytes`));
				return;
			}
			chunks.push(Buffer.from(chunk.slice(0)));
			if (isLast) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
		});
	});
}

/** Copies the request fields handlers use; must run synchronously inside the uWS handler. */
export function readRequest(req: HttpRequest, paramCount: number): RequestInfo {
	const params: string[] = [];
	for (let i = 0; i < paramCount; i++) params.push(decodeURIComponent(req.getParameter(i) ?? ''));
	return {
		method: req.getMethod(),
		path: req.getUrl(),
		query: new URLSearchParams(req.getQuery() ?? ''),
		params,
		authorization: req.getHeader('authorization'),
		contentType: req.getHeader('content-type'),
		contentLength: req.getHeader('content-length'),
		transferEncoding: req.getHeader('transfer-encoding'),
		ifNoneMatch: req.getHeader('if-none-match')
	};
}

/** A route handler: may be async; thrown HttpErrors become their status, anything else a 500. */
export type Handler = (ctx: HttpContext) => void | Promise<void>;

/** Registers routes on a uWS app with the context, abort and error handling above. */
export class HttpRouter {
	constructor(
		private readonly app: TemplatedApp,
		private readonly bodyLimit: number,
		private readonly onError: (err: unknown, req: RequestInfo) => void
	) {}

	/** `pattern` uses uWS syntax (`/api/boards/:id`); `:params` arrive in `ctx.req.params` in order. */
	route(method: 'get' | 'post' | 'put' | 'del' | 'any', pattern: string, handler: Handler): this {
		const paramCount = (pattern.match(/:/g) ?? []).length;
		this.app[method](pattern, (res: HttpResponse, req: HttpRequest) => {
			let info: RequestInfo;
			try {
				info = readRequest(req, paramCount);
			} catch {
				// A malformed percent-escape in the path.
				res.cork(() => res.writeStatus('400 Bad Request').end('bad request path'));
				return;
			}
			const ctx = new HttpContext(res, info, this.bodyLimit);
			const settle = (err: unknown) => {
				if (!(err instanceof HttpError)) this.onError(err, info);
				ctx.fail(err);
			};
			try {
				const out = handler(ctx);
				if (out) out.catch(settle);
			} catch (err) {
				settle(err);
			}
		});
		return this;
	}
}

/** Parses a JSON body, naming the problem on failure. */
export function parseJsonBody(body: Buffer): unknown {
	if (body.length === 0) throw new HttpError(400, 'empty body; expected JSON');
	try {
		return JSON.parse(body.toString('utf8'));
	} catch (e) {
		throw new HttpError(400, `malformed JSON: ${(e as Error).message.slice(0, 200)}`);
	}
}
