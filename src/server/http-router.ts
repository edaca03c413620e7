import { STATUS_CODES } from 'node:http';
import type { AuthResult, Role } from './auth';
import type { Metrics } from './metrics';
import type { HttpRequest, HttpResponse, TemplatedApp } from './uws';

/**
 * A thin layer over uWS HTTP handlers: copies what a handler needs out of `req` up front (uWS
 * invalidates it when the handler returns), checks Host and the route's token from the headers
 * before a byte of body is read, reads bodies within a size limit and a shared byte budget,
 * answers HEAD like GET without a body, puts the security headers on every response, and answers
 * errors without leaking stack traces.
 */

/** What a handler knows about its request; plain data, safe to use after an await. */
export interface RequestInfo {
	/** Lower case, as uWS gives it ("get", "post", …); HEAD requests read "head". */
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
	readonly host: string;
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

/** `"404 Not Found"` from Node's own table. */
function statusLine(status: number): string {
	return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

/** Security headers on every response; a handler's own headers (a page's CSP) win. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'X-Content-Type-Options': 'nosniff',
	// API answers and errors load nothing and may be framed by nobody.
	'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
	'X-Frame-Options': 'DENY',
	'Referrer-Policy': 'no-referrer'
};

/**
 * Bytes of request bodies all requests together may hold while they arrive. A request that would
 * take the total past the budget is refused (503) rather than buffered, so many slow uploads
 * cannot fill memory whatever each one's size.
 */
export class BodyBudget {
	#held = 0;
	constructor(readonly limit: number) {}

	/** Bytes held now. */
	get held(): number {
		return this.#held;
	}

	/** Takes `n` bytes from the budget; false (and nothing taken) when they do not fit. */
	take(n: number): boolean {
		if (this.#held + n > this.limit) return false;
		this.#held += n;
		return true;
	}

	/** Gives `n` bytes back. */
	give(n: number): void {
		this.#held = Math.max(0, this.#held - n);
	}
}

/** One request in flight: its info, its body, and the ways to answer it exactly once. */
export class HttpContext {
	#aborted = false;
	#done = false;
	#body: Promise<Buffer> | null = null;
	/** uWS keeps one abort handler per response, so every interest in the abort goes through this list. */
	readonly #onAbort: (() => void)[] = [];

	constructor(
		private readonly res: HttpResponse,
		readonly req: RequestInfo
	) {
		res.onAborted(() => {
			this.#aborted = true;
			for (const f of this.#onAbort) f();
		});
	}

	/** True when the request says a body follows. */
	get hasBody(): boolean {
		return hasBody(this.req);
	}

	/** Starts reading the body; must run synchronously inside the uWS handler (uWS delivers data only to a reader attached then). */
	readBody(limit: number, budget: BodyBudget, onBudgetRefusal: () => void): void {
		const declared = this.req.contentLength === '' ? null : Number(this.req.contentLength);
		if (!this.hasBody) this.#body = Promise.resolve(Buffer.alloc(0));
		else if (declared !== null && !(declared <= limit)) this.#body = Promise.reject(new HttpError(413, `body larger than ${limit} bytes`));
		else this.#body = readBody(this.res, (f) => this.#onAbort.push(f), limit, budget, declared, onBudgetRefusal);
		// A handler may answer without reading the body; its rejection must not go unhandled.
		this.#body.catch(() => {});
	}

	/** True once the client went away or an answer was sent: nothing more may touch `res`. */
	get finished(): boolean {
		return this.#aborted || this.#done;
	}

	/** The request body (POST/PUT); rejects with a 413 or 503 HttpError. */
	body(): Promise<Buffer> {
		return this.#body ?? Promise.resolve(Buffer.alloc(0));
	}

	/**
	 * Sends a complete response once; later calls and calls after an abort are ignored. A HEAD
	 * request gets the headers and length of the GET answer, without the body. A request whose body
	 * was never read is answered and closed, so it cannot make the server read it.
	 */
	send(status: number, body: string | Uint8Array, headers: Readonly<Record<string, string>> = {}, close = false): void {
		if (this.finished) return;
		this.#done = true;
		const closing = close || (this.#body === null && this.hasBody);
		this.res.cork(() => {
			this.res.writeStatus(statusLine(status));
			for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...headers })) this.res.writeHeader(k, v);
			if (this.req.method === 'head') this.res.endWithoutBody(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength, closing);
			else this.res.end(body, closing);
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
			// A body cut off by a limit is still arriving: close the connection rather than read it all.
			// 503 is always "not now": tell the producer when to come back.
			this.json(err.status, { ...extra, error: err.message }, err.status === 503 ? { 'Retry-After': '1' } : {}, err.status === 413 || err.status === 503);
			return;
		}
		this.json(500, { error: 'internal error' });
	}
}

function hasBody(req: RequestInfo): boolean {
	if (req.transferEncoding !== '') return true;
	return req.contentLength !== '' && req.contentLength !== '0';
}

/**
 * Reads a whole body, refusing more than `limit` bytes and what the shared budget cannot hold.
 * A declared length is taken from the budget up front; a chunked body chunk by chunk. Chunks are
 * copied: uWS reuses their memory.
 */
function readBody(res: HttpResponse, onAbort: (f: () => void) => void, limit: number, budget: BodyBudget, declared: number | null, onBudgetRefusal: () => void): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		let taken = 0;
		const release = () => {
			budget.give(taken);
			taken = 0;
		};
		onAbort(release);
		if (declared !== null) {
			if (!budget.take(declared)) {
				onBudgetRefusal();
				reject(new HttpError(503, 'the server is receiving too many request bodies at once; retry shortly'));
				return;
			}
			taken = declared;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		res.onData((chunk, isLast) => {
			if (over) return;
			size += chunk.byteLength;
			if (size > limit || (declared !== null && size > declared)) {
				over = true;
				chunks.length = 0;
				release();
				reject(new HttpError(413, `body larger than ${limit} bytes`));
				return;
			}
			if (declared === null) {
				if (!budget.take(chunk.byteLength)) {
					over = true;
					chunks.length = 0;
					release();
					onBudgetRefusal();
					reject(new HttpError(503, 'the server is receiving too many request bodies at once; retry shortly'));
					return;
				}
				taken += chunk.byteLength;
			}
			chunks.push(Buffer.from(chunk.slice(0)));
			if (isLast) {
				release();
				resolve(chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(chunks));
			}
		});
	});
}

/** Copies the request fields handlers use; must run synchronously inside the uWS handler. */
function readRequest(req: HttpRequest, paramCount: number, method = req.getMethod()): RequestInfo {
	const params: string[] = [];
	for (let i = 0; i < paramCount; i++) params.push(decodeURIComponent(req.getParameter(i) ?? ''));
	return {
		method,
		path: req.getUrl(),
		query: new URLSearchParams(req.getQuery() ?? ''),
		params,
		authorization: req.getHeader('authorization'),
		contentType: req.getHeader('content-type'),
		contentLength: req.getHeader('content-length'),
		transferEncoding: req.getHeader('transfer-encoding'),
		ifNoneMatch: req.getHeader('if-none-match'),
		host: req.getHeader('host')
	};
}

/** A route handler: may be async; thrown HttpErrors become their status, anything else a 500. */
export type Handler = (ctx: HttpContext) => void | Promise<void>;

/** What a route needs before its handler runs. */
export interface RouteOptions {
	/** Role the request's token must grant; checked from the headers before any body byte is read. */
	readonly role?: Role;
}

/** How the router checks requests before their handlers see them. */
export interface RouterGuards {
	/** Largest body, bytes. */
	readonly bodyLimit: number;
	readonly budget: BodyBudget;
	/** Checks the Authorization header's token for a role. */
	readonly authorize: (authorization: string, role: Role) => AuthResult;
	/** Whether a request's Host header names this server (DNS rebinding guard). */
	readonly hostAllowed: (host: string) => boolean;
	readonly metrics: Metrics;
	/** Unexpected errors (the client gets a bare 500). */
	readonly onError: (err: unknown, req: RequestInfo) => void;
}

/** HTTP methods a route may be registered for. */
export type Method = 'get' | 'post' | 'put' | 'del' | 'any';

/** Registers routes on a uWS app with the checks, context, abort and error handling above. */
export class HttpRouter {
	constructor(
		private readonly app: TemplatedApp,
		private readonly guards: RouterGuards
	) {}

	/**
	 * `pattern` uses uWS syntax (`/api/boards/:id`); `:params` arrive in `ctx.req.params` in order.
	 * A GET route answers HEAD too. Routes match in registration order within uWS's precedence
	 * (static segments before parameters before wildcards).
	 */
	route(method: Method, pattern: string, handler: Handler, options: RouteOptions = {}): this {
		const paramCount = (pattern.match(/:/g) ?? []).length;
		// Only POST and PUT routes read bodies: a fallback (`any`) answers without reading one.
		const reads = method === 'post' || method === 'put';
		const serve = (res: HttpResponse, req: HttpRequest, asMethod?: string) => this.#serve(res, req, paramCount, handler, options, reads, asMethod);
		this.app[method](pattern, (res, req) => serve(res, req));
		if (method === 'get') this.app.head(pattern, (res, req) => serve(res, req, 'head'));
		return this;
	}

	#serve(res: HttpResponse, req: HttpRequest, paramCount: number, handler: Handler, options: RouteOptions, reads: boolean, asMethod?: string): void {
		const g = this.guards;
		let info: RequestInfo;
		try {
			info = readRequest(req, paramCount, asMethod);
		} catch {
			// A malformed percent-escape in the path.
			res.cork(() => res.writeStatus(statusLine(400)).writeHeader('X-Content-Type-Options', 'nosniff').end('bad request path', true));
			return;
		}
		const ctx = new HttpContext(res, info);
		if (!g.hostAllowed(info.host)) {
			g.metrics.originRefusals++;
			ctx.fail(new HttpError(421, 'this server does not answer for that Host; see README (reverse proxy)'));
			return;
		}
		if (options.role) {
			const auth = g.authorize(info.authorization, options.role);
			if (!auth.ok) {
				// Answered from the headers alone; the connection closes if a body was on its way.
				g.metrics.requestsRefusedEarly++;
				ctx.fail(new HttpError(auth.status, auth.message));
				return;
			}
		}
		if (reads) ctx.readBody(g.bodyLimit, g.budget, () => g.metrics.bodyBudgetRefusals++);
		const settle = (err: unknown) => {
			if (!(err instanceof HttpError)) g.onError(err, info);
			ctx.fail(err);
		};
		try {
			const out = handler(ctx);
			if (out) out.catch(settle);
		} catch (err) {
			settle(err);
		}
	}
}

/** Parses a JSON body, naming the problem on failure. */
export function parseJsonBody(body: Buffer): unknown {
	if (body.length === 0) throw new HttpError(400, 'empty body; expected JSON');
	try {
		return JSON.parse(body.toString('utf8'));
	} catch (e) {
		throw new HttpError(400, `malformed JSON: ${String((e as Error)?.message ?? e).slice(0, 200)}`);
	}
}
