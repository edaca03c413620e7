import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pack } from 'msgpackr';
import { EVENT_JSON_SCHEMA, validateBatch } from '../lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor, type FloorConfig } from '../lib/domain/floor';
import { resolveSl } from '../lib/domain/service-level';
import { dayStart, intervalStart } from '../lib/domain/time';
import { createCodec } from '../lib/protocol/codec';
import type { ErrorFrame } from '../lib/protocol/frames';
import { Auth, bearerToken, isLoopback, loadOrCreateTokens, type Role } from './auth';
import { BoardRegistry } from './boards';
import { ContactLog } from './contact-log';
import { applyConfigInput, isTimeZone, withQueues } from './floor-config';
import { HttpError, HttpRouter, parseJsonBody, type HttpContext } from './http-router';
import { batchFromBody, decodeIngestFrame, refOf, validateDecoded, type IngestReply } from './ingest';
import { Intake } from './intake';
import { LiveHub, type LiveSocketData } from './live-hub';
import { Metrics } from './metrics';
import { EmulatorSource, DEFAULT_SCENARIO } from './sources/emulator';
import { ReportService } from './reports/report-service';
import { registerReportRoutes } from './routes/reports';
import { ReplaySource } from './sources/replay';
import type { Source } from './sources/source';
import { StaticFiles } from './static-files';
import { Store } from './store';
import { closeApp, createApp, listen, NO_COMPRESSION, type WebSocket } from './uws';

/**
 * Wires the server together: store, floor, intake, hub, sources, HTTP routes and WebSockets, on
 * one uWS app and one port. `startServer` is what `main.ts` runs and what tests start in-process.
 */

/** Which playback source feeds the floor (ingest is always on). */
export type SourceOption =
	| { readonly kind: 'none' }
	| {
			readonly kind: 'emulator';
			readonly scenario?: string;
			readonly seed?: number;
			readonly speed?: number;
			/** Seconds into the emulated day at start; the events before play at once. */
			readonly from?: number;
	  }
	| { readonly kind: 'replay'; readonly trace?: string; readonly day?: string; readonly speed?: number };

/** Everything `startServer` can be told; only `dataDir` is required. */
export interface ServerOptions {
	readonly dataDir: string;
	readonly host?: string;
	/** 0 picks a free port. */
	readonly port?: number;
	/** Built web app (adapter-static output). */
	readonly staticDir?: string;
	readonly source?: SourceOption;
	readonly flushMs?: number;
	/** Center time zone and daily reset; a stored config wins over these, these over the defaults. */
	readonly timeZone?: string;
	readonly resetTime?: string;
	readonly maxBodyBytes?: number;
	readonly softLimitBytes?: number;
	readonly hardLimitBytes?: number;
	/** Whether viewers need no token; by default only when listening on a loopback address. */
	readonly openViewer?: boolean;
	readonly log?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
	readonly port: number;
	readonly host: string;
	/** http://host:port */
	readonly url: string;
	/** Plaintext tokens, only when this start created them (first start on this data dir). */
	readonly createdTokens: Readonly<Record<Role, string>> | null;
	readonly metrics: Metrics;
	readonly floor: Floor;
	readonly hub: LiveHub;
	readonly source: Source | null;
	/** Stops accepting, closes every socket, commits what is pending and closes the store. */
	close(): Promise<void>;
}

/** Live client frames are tiny (resync, ping); anything bigger is refused by uWS with a close. */
const LIVE_MAX_PAYLOAD = 16 * 1024;
/** Batches an ingest socket may have waiting for their commit; beyond that the producer must wait for acks. */
const INGEST_MAX_IN_FLIGHT = 64;

interface IngestSocketData {
	closed: boolean;
	inFlight: number;
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
	const log = options.log ?? ((line: string) => console.log(line));
	const host = options.host ?? '127.0.0.1';
	const dataDir = resolve(options.dataDir);
	mkdirSync(dataDir, { recursive: true });
	const flushMs = options.flushMs ?? 50;
	if (!(flushMs >= 5 && flushMs <= 5000)) throw new Error(`flush window must be 5..5000 ms, got ${flushMs}`);
	const maxBody = options.maxBodyBytes ?? 1024 * 1024;
	const softLimit = options.softLimitBytes ?? 256 * 1024;
	const hardLimit = options.hardLimitBytes ?? 4 * 1024 * 1024;
	if (hardLimit <= softLimit) throw new Error('the hard buffer limit must be above the soft limit');

	const tokens = loadOrCreateTokens(dataDir);
	const auth = new Auth(tokens.hashes, (options.openViewer ?? true) && isLoopback(host));
	const store = new Store(dataDir);
	const metrics = new Metrics();
	const codec = createCodec();

	const stored = store.latestConfig<FloorConfig>('floor', 'default')?.body;
	const timeZone = stored?.timeZone ?? options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
	if (!isTimeZone(timeZone)) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
	const baseConfig: FloorConfig = {
		...DEFAULT_FLOOR_CONFIG,
		...stored,
		timeZone,
		resetTime: stored?.resetTime ?? options.resetTime ?? DEFAULT_FLOOR_CONFIG.resetTime
	};

	let source: Source | null = null;
	const spec = options.source ?? { kind: 'none' };
	try {
		if (spec.kind === 'emulator') {
			source = new EmulatorSource({
				scenarioPath: spec.scenario ?? DEFAULT_SCENARIO,
				seed: spec.seed ?? 1,
				speed: spec.speed ?? 1,
				start: Date.now(),
				from: spec.from ?? 0
			});
		} else if (spec.kind === 'replay') {
			source = new ReplaySource(
				{ trace: spec.trace, day: spec.day, speed: spec.speed ?? 1, timeZone, resetTime: baseConfig.resetTime, now: Date.now() },
				store,
				log
			);
		}
	} catch (e) {
		store.close();
		throw e;
	}
	const clock = source ? () => source.now() : () => Date.now();

	const floor = new Floor(withQueues(baseConfig, source?.queues ?? []), clock());
	const contacts = new ContactLog(
		(queue, channel) => floor.queues.get(queue)?.config.sl ?? resolveSl(channel),
		(ts) => {
			const c = floor.config;
			return intervalStart(ts, dayStart(ts, c.timeZone, c.resetTime), c.intervalMs);
		}
	);
	const intake = new Intake(floor, store, contacts, metrics);

	// A replay shows the replayed day, not the live one; otherwise today's acknowledged events come back.
	if (spec.kind !== 'replay') {
		const today = dayStart(clock(), timeZone, baseConfig.resetTime);
		const events = store.eventsBetween(today, Number.MAX_SAFE_INTEGER);
		if (events.length) {
			const r = intake.rebuild(events);
			log(`rebuilt today's floor from ${events.length} stored events (${r.anomalies} anomalies)`);
		}
	}

	const hub = new LiveHub(floor, codec, metrics, { flushMs, softLimit, hardLimit }, clock, (now) => {
		if (!source) return;
		const due = source.pull(now);
		hub.setSource(source.info);
		if (!due.length) return;
		// Playback goes through the same validation as ingest: a bad trace line must not reach the floor.
		const v = validateBatch(due);
		if (v.ok) intake.applyVolatile(v.events);
		else {
			metrics.eventsRejected += due.length;
			metrics.batchesRejected++;
			log(`source produced invalid events, skipped: ${v.errors.slice(0, 3).map((e) => `#${e.index} ${e.path} ${e.message}`).join('; ')}`);
		}
	});
	if (source) hub.setSource(source.info);
	const boards = new BoardRegistry(store);
	for (const b of boards.list()) hub.setBoard(b);

	const statics = new StaticFiles(resolve(options.staticDir ?? 'build'));
	const app = createApp();
	let ingestSockets = 0;
	metrics.ingestSockets = () => ingestSockets;
	const startedAt = Date.now();

	const require = (ctx: HttpContext, role: Role) => {
		const r = auth.check(bearerToken(ctx.req.authorization), role);
		if (!r.ok) throw new HttpError(r.status, r.message);
	};
	const router = new HttpRouter(app, maxBody, (err, req) => log(`error in ${req.method.toUpperCase()} ${req.path}: ${(err as Error)?.stack ?? String(err)}`));

	router
		.route('get', '/healthz', (ctx) => {
			ctx.json(200, {
				status: 'ok',
				uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
				source: source?.description ?? 'ingest only',
				serverTime: clock(),
				clients: metrics.clientsConnected()
			});
		})
		.route('get', '/metrics', (ctx) => {
			require(ctx, 'viewer');
			ctx.send(200, metrics.render(), { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
		})
		.route('post', '/api/events', async (ctx) => {
			// Check the token before reading the body: an unauthenticated producer costs no parsing.
			try {
				require(ctx, 'ingest');
			} catch (e) {
				ctx.fail(e);
				return;
			}
			let events;
			try {
				events = batchFromBody(await ctx.body(), ctx.req.contentType, Math.max(Date.now(), clock()));
			} catch (e) {
				metrics.batchesRejected++;
				if (e instanceof HttpError && e.status === 400) metrics.eventsRejected += countOf(e);
				throw e;
			}
			const r = await intake.submit(events);
			ctx.json(202, { accepted: r.accepted, duplicates: r.duplicates });
		})
		.route('get', '/api/events/schema', (ctx) => ctx.json(200, EVENT_JSON_SCHEMA))
		.route('get', '/api/boards', (ctx) => {
			require(ctx, 'viewer');
			ctx.json(200, { boards: boards.list() });
		})
		.route('get', '/api/boards/:id', (ctx) => {
			require(ctx, 'viewer');
			const b = boards.get(ctx.req.params[0]!);
			if (!b) throw new HttpError(404, `no board ${JSON.stringify(ctx.req.params[0])}`);
			ctx.json(200, b);
		})
		.route('put', '/api/boards/:id', async (ctx) => {
			require(ctx, 'admin');
			const id = ctx.req.params[0]!;
			const r = boards.put(id, parseJsonBody(await ctx.body()), 'admin', Date.now());
			if (!r.ok) throw new HttpError(400, 'invalid board config', { errors: r.errors });
			hub.setBoard(r.board);
			ctx.json(200, { board: r.board, version: r.version });
		})
		.route('get', '/api/config', (ctx) => {
			require(ctx, 'viewer');
			ctx.json(200, currentConfig(floor));
		})
		.route('put', '/api/config', async (ctx) => {
			require(ctx, 'admin');
			const r = applyConfigInput(currentConfig(floor), parseJsonBody(await ctx.body()));
			if (!r.ok) throw new HttpError(400, 'invalid config', { errors: r.errors });
			const version = store.saveConfig('floor', 'default', r.config, 'admin', Date.now());
			floor.configure(r.config);
			ctx.json(200, { config: currentConfig(floor), version });
		})
		.route('get', '/api/history/contacts', (ctx) => {
			require(ctx, 'supervisor');
			const [from, to] = range(ctx);
			ctx.json(200, { from, to, contacts: store.contacts(from, to) });
		})
		.route('get', '/api/history/intervals', (ctx) => {
			require(ctx, 'supervisor');
			const [from, to] = range(ctx);
			ctx.json(200, { from, to, intervals: store.intervals(from, to) });
		})
		.route('get', '/api/audit', (ctx) => {
			require(ctx, 'admin');
			ctx.json(200, { audit: store.auditLog() });
		});
	registerReportRoutes(router, { reports: new ReportService({ store, floorConfig: () => currentConfig(floor) }), require });
	router
		.route('any', '/api/*', (ctx) => {
			throw new HttpError(404, `no API route ${ctx.req.method.toUpperCase()} ${ctx.req.path}`);
		})
		.route('get', '/*', (ctx) => {
			if (ctx.req.path.startsWith('/api/')) throw new HttpError(404, `no API route GET ${ctx.req.path}`);
			if (!statics.serve(ctx, ctx.req.path)) throw new HttpError(404, `not found: ${ctx.req.path}`);
		})
		.route('any', '/*', (ctx) => {
			throw new HttpError(405, `${ctx.req.method.toUpperCase()} is not allowed on ${ctx.req.path}`);
		});

	app.ws<LiveSocketData>('/live', {
		compression: NO_COMPRESSION,
		maxPayloadLength: LIVE_MAX_PAYLOAD,
		// uWS's own cap sits above ours, so the hub's hard-limit close (with its metric) happens first.
		maxBackpressure: hardLimit * 2,
		closeOnBackpressureLimit: 1, // a boolean typed as number in these typings
		idleTimeout: 120,
		sendPingsAutomatically: true,
		upgrade: (res, req, context) => {
			const key = req.getHeader('sec-websocket-key');
			const protocol = req.getHeader('sec-websocket-protocol');
			const extensions = req.getHeader('sec-websocket-extensions');
			const query = new URLSearchParams(req.getQuery() ?? '');
			const board = query.get('board') || 'default';
			const check = auth.check(query.get('token') || bearerToken(req.getHeader('authorization')), 'viewer');
			let refusal: ErrorFrame | null = null;
			if (!check.ok) refusal = { type: 'error', code: 'unauthorized', message: check.message };
			else if (!hub.hasBoard(board)) refusal = { type: 'error', code: 'unknown-board', message: `no board ${JSON.stringify(board).slice(0, 140)}` };
			res.upgrade<LiveSocketData>(
				{ board, refusal, closed: false, stale: false, needsSnapshot: false, badFrames: 0 },
				key,
				protocol,
				extensions,
				context
			);
		},
		open: (ws) => hub.open(ws),
		message: (ws, message, isBinary) => hub.message(ws, message, isBinary),
		drain: (ws) => hub.drain(ws),
		close: (ws) => hub.close(ws)
	});

	const reply = (ws: WebSocket<IngestSocketData>, isBinary: boolean, frame: IngestReply) => {
		if (ws.getUserData().closed) return;
		ws.cork(() => {
			ws.send(isBinary ? pack(frame) : JSON.stringify(frame), isBinary);
		});
	};
	app.ws<IngestSocketData>('/ingest', {
		compression: NO_COMPRESSION,
		maxPayloadLength: maxBody,
		maxBackpressure: 1024 * 1024,
		closeOnBackpressureLimit: 1, // a boolean typed as number in these typings
		idleTimeout: 120,
		upgrade: (res, req, context) => {
			const key = req.getHeader('sec-websocket-key');
			const protocol = req.getHeader('sec-websocket-protocol');
			const extensions = req.getHeader('sec-websocket-extensions');
			const token = new URLSearchParams(req.getQuery() ?? '').get('token') || bearerToken(req.getHeader('authorization'));
			const check = auth.check(token, 'ingest');
			if (!check.ok) {
				// Producers are programs and read the status, so refuse before upgrading.
				res.cork(() => res.writeStatus(check.status === 401 ? '401 Unauthorized' : '403 Forbidden').end(check.message, true));
				return;
			}
			res.upgrade<IngestSocketData>({ closed: false, inFlight: 0 }, key, protocol, extensions, context);
		},
		open: () => {
			ingestSockets++;
		},
		message: (ws, message, isBinary) => {
			const data = ws.getUserData();
			const decoded = decodeIngestFrame(message, isBinary);
			if ('error' in decoded) {
				metrics.batchesRejected++;
				reply(ws, isBinary, { type: 'error', code: 'bad-frame', message: decoded.error });
				return;
			}
			const ref = refOf(decoded.value);
			const batch = validateDecoded(decoded.value, Math.max(Date.now(), clock()));
			if (!batch.ok) {
				metrics.batchesRejected++;
				metrics.eventsRejected += new Set(batch.errors.map((e) => e.index)).size;
				reply(ws, isBinary, { type: 'rejected', ref, error: batch.message, errors: batch.errors });
				return;
			}
			if (data.inFlight >= INGEST_MAX_IN_FLIGHT) {
				reply(ws, isBinary, { type: 'error', code: 'unavailable', message: `more than ${INGEST_MAX_IN_FLIGHT} batches awaiting acks; wait for acks` });
				return;
			}
			data.inFlight++;
			intake.submit(batch.events).then(
				(r) => {
					data.inFlight--;
					reply(ws, isBinary, { type: 'ack', ref, accepted: r.accepted, duplicates: r.duplicates });
				},
				(err: unknown) => {
					data.inFlight--;
					reply(ws, isBinary, { type: 'error', code: 'unavailable', message: err instanceof HttpError ? err.message : 'internal error' });
				}
			);
		},
		close: (ws) => {
			ws.getUserData().closed = true;
			ingestSockets--;
		}
	});

	let listening;
	try {
		listening = await listen(app, host, options.port ?? 8080);
	} catch (e) {
		closeApp(app);
		store.close();
		throw e;
	}
	hub.start();
	if (!statics.size) log(`note: no web app in ${statics.dir}; run \`npm run build\` to serve the wallboard`);

	let closed = false;
	return {
		port: listening.port,
		host,
		url: `http://${host.includes(':') ? `[${host}]` : host}:${listening.port}`,
		createdTokens: tokens.created,
		metrics,
		floor,
		hub,
		source,
		async close() {
			if (closed) return;
			closed = true;
			hub.stop();
			listening.close();
			closeApp(app);
			// Let a commit scheduled for this turn finish before the store closes.
			await new Promise((r) => setImmediate(r));
			store.close();
		}
	};
}

/** The floor's config with every queue it knows, including those added as events named them. */
function currentConfig(floor: Floor): FloorConfig {
	return { ...floor.config, queues: [...floor.queues.values()].map((q) => q.config) };
}

/** Number of distinct bad events named by a 400 HttpError. */
function countOf(e: HttpError): number {
	const errors = (e.details as { errors?: { index: number }[] } | undefined)?.errors;
	return errors ? new Set(errors.map((x) => x.index)).size : 0;
}

/** `?from=&to=` epoch ms, defaulting to the last 24 hours. */
function range(ctx: HttpContext): [number, number] {
	const to = Number(ctx.req.query.get('to') ?? Date.now());
	const from = Number(ctx.req.query.get('from') ?? to - 86_400_000);
	if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) throw new HttpError(400, 'from and to must be epoch milliseconds with from ≤ to');
	return [from, to];
}
