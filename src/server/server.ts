import { chmodSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { validateBatch, type FloorEvent } from '../lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor, type FloorConfig, type FloorLimits } from '../lib/domain/floor';
import { formatValidationErrors } from '../lib/domain/result';
import { siteOf, toCenterConfig, type SiteConfig } from '../lib/domain/sites';
import { dayStart } from '../lib/domain/time';
import { createCodec } from '../lib/protocol/codec';
import { Auth, bearerToken, isLoopback, loadOrCreateTokens, type Role } from './auth';
import { BoardRegistry } from './boards';
import { ConnectionCap } from './connection-cap';
import { FLUSH_MS_RANGE, SERVER_DEFAULTS } from './defaults';
import { isTimeZone, siteErrors, withQueues } from './floor-config';
import { FloorSet } from './floor-set';
import { BodyBudget, HttpError, HttpRouter, type HttpContext } from './http-router';
import { registerIngestSocket } from './ingest-socket';
import { countRejected } from './ingest';
import { LiveHistory } from './history/live';
import { rederiveAfterMigration } from './history/rederive';
import { Intake } from './intake';
import { dropCutShortBackfill, runBackfill } from './history/backfill';
import { EmulatorSource } from './sources/emulator';
import { REORDER_DEFAULTS } from './reorder';
import { LiveHub } from './live-hub';
import { Metrics } from './metrics';
import { Cluster } from './nats/cluster';
import { OriginPolicy } from './origin-policy';
import { registerBoardRoutes } from './routes/boards';
import { currentConfig, registerConfigRoutes } from './routes/config';
import type { RouteDeps } from './routes/deps';
import { registerEventRoutes } from './routes/events';
import { registerFallbackRoutes } from './routes/fallback';
import { registerHealthRoutes } from './routes/health';
import { registerHistoryRoutes } from './routes/history';
import { registerForecastRoutes } from './routes/forecast';
import { registerReportRoutes } from './routes/reports';
import { registerPlanRoutes } from './routes/plans';
import { registerTokenRoutes } from './routes/tokens';
import { registerSimulationRoutes } from './routes/simulations';
import { Simulations } from './simulation/simulations';
import { PlanStore } from './plans/plan-store';
import type { RetryPolicy } from './plans/webhooks';
import { ReportService } from './reports/report-service';
import { createSource, type SourceOption } from './source-factory';
import type { Source } from './sources/source';
import { StaticFiles } from './static-files';
import { Store } from './store';
import { closeApp, createApp, listen } from './uws';

/**
 * How long before each tick ingest commits a second time. A producer that sends its next batch
 * when the last is acknowledged (an ACD connector; `npm run bench:server`'s producer) would, with
 * one commit per tick, wait a tick for its ack and its next batch another: event → board 50–100 ms
 * (bench p50 83, p99 112). This commit acknowledges what arrived since the tick, so the next batch
 * arrives in time for the tick's own commit and flush: an event waits for the flush plus at most
 * about this lead. At most two commits per tick however many requests. Measured with the bench's
 * producer and no wallboards (load 10–13 on 2 cores, three runs each): event → board p50 85–103 ms
 * → 49–54 ms, server CPU 0.43–0.59 s → 0.63–0.71 s per 10 s; a commit per request instead cost
 * 1.03–1.44 s (the per-tick group commit had saved 1.25–1.30 → 0.51–0.58 s).
 */
const COMMIT_LEAD_MS = 10;

/**
 * The composition root: builds store, floor, intake, hub and source from the options, registers
 * the route modules and sockets on one uWS app, and owns the tick (pull sources → intake →
 * floor.advance → hub flush). `startServer` is what `main.ts` runs and what tests start in-process.
 */

/** Everything `startServer` can be told; only `dataDir` is required. Defaults in `defaults.ts`. */
export interface ServerOptions {
	readonly dataDir: string;
	readonly host?: string;
	/** 0 picks a free port. */
	readonly port?: number;
	/** Built web app (adapter-static output). */
	readonly staticDir?: string;
	readonly source?: SourceOption;
	readonly flushMs?: number;
	/**
	 * Ingest also commits this long before each tick (0: at the tick only, as a cluster's stream
	 * commits per turn anyway); under the flush window. Default `COMMIT_LEAD_MS`.
	 */
	readonly commitLeadMs?: number;
	/** Center time zone and daily reset; a stored config wins over these, these over the defaults. */
	readonly timeZone?: string;
	readonly resetTime?: string;
	readonly maxBodyBytes?: number;
	/** Bytes of request bodies all requests together may hold while they arrive. */
	readonly bodyBudgetBytes?: number;
	/** WebSocket connections one client address may hold open (0: no cap). */
	readonly maxConnectionsPerAddress?: number;
	readonly softLimitBytes?: number;
	readonly hardLimitBytes?: number;
	/** How far ahead of the server clock an ingested event may be stamped, seconds. */
	readonly maxSkewSeconds?: number;
	/** New queue and agent ids a day may create through events (defaults in floor.ts: 1,000 and 10,000). */
	readonly floorLimits?: Partial<FloorLimits>;
	/** Days of recorded history kept (older days of the server's own sources are deleted hourly; imports stay); 0 keeps all. Default 400. */
	readonly retentionDays?: number;
	/** Hours after its end a past day's snapshot is final even with contacts still open (default 48). */
	readonly finalAfterHours?: number;
	/** Longest an ingested contact event waits for its predecessor (out-of-order delivery), ms. */
	readonly reorderHoldMs?: number;
	/** Browser origins accepted besides the server's own (a reverse proxy's public address). */
	readonly allowedOrigins?: readonly string[];
	/** Whether viewers need no token; by default only when listening on a loopback address. */
	readonly openViewer?: boolean;
	/**
	 * Run as one instance of a cluster sharing one JetStream event stream (DESIGN.md, source
	 * `nats`): ingest publishes there, every instance applies the stream; configs are shared.
	 */
	readonly nats?: { readonly url: string; readonly stream?: string; readonly subjectPrefix?: string; readonly configBucket?: string; readonly applyTimeoutMs?: number; readonly applySlackMs?: number };
	readonly log?: (line: string) => void;
	/** With the emulator on an empty data dir: simulate and store this many past days first (0: none; `npm start` asks for 28). */
	readonly backfillDays?: number;
	/** Worker threads started for that backfill before the server loaded (main.ts); the server terminates them once done or unused. */
	readonly backfillThreads?: readonly Worker[];
	/** Retry policy of the outbound plan webhooks (tests shorten it). */
	readonly webhookRetry?: RetryPolicy;
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

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
	const o = { ...SERVER_DEFAULTS, ...withoutUndefined(options) };
	const log = options.log ?? ((line: string) => console.log(line));
	if (!(o.flushMs >= FLUSH_MS_RANGE.min && o.flushMs <= FLUSH_MS_RANGE.max)) throw new Error(`flush window must be ${FLUSH_MS_RANGE.min}..${FLUSH_MS_RANGE.max} ms, got ${o.flushMs}`);
	const commitLeadMs = options.nats ? 0 : (options.commitLeadMs ?? Math.min(COMMIT_LEAD_MS, o.flushMs / 2));
	if (!(commitLeadMs >= 0 && commitLeadMs < o.flushMs)) throw new Error(`the commit lead must be 0 ms or more and under the flush window (${o.flushMs} ms), got ${commitLeadMs}`);
	if (o.hardLimitBytes <= o.softLimitBytes) throw new Error('the hard buffer limit must be above the soft limit');
	const dataDir = resolve(o.dataDir);
	// The store and token hashes are this server's alone.
	mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	chmodSync(dataDir, 0o700);

	const tokens = loadOrCreateTokens(dataDir);
	const auth = new Auth(tokens.hashes, (options.openViewer ?? true) && isLoopback(o.host));
	const policy = new OriginPolicy(o.host, options.allowedOrigins);
	const store = new Store(dataDir);
	const plans = new PlanStore(store);
	auth.setPeople(plans.people());
	const metrics = new Metrics();

	// A config stored before sites existed has none: it becomes the default site's (toCenterConfig).
	const stored = store.latestConfig<FloorConfig & { sites?: readonly SiteConfig[] }>('floor', 'default')?.body;
	const timeZone = stored?.timeZone ?? options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
	if (!isTimeZone(timeZone)) {
		store.close();
		throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
	}
	const baseConfig = toCenterConfig({ ...DEFAULT_FLOOR_CONFIG, ...stored, timeZone, resetTime: stored?.resetTime ?? options.resetTime ?? DEFAULT_FLOOR_CONFIG.resetTime });
	const badSites = siteErrors(baseConfig.sites);
	if (badSites.length) {
		store.close();
		throw new Error(`the stored config's sites are invalid: ${formatValidationErrors(badSites)}`);
	}

	let source: Source | null;
	try {
		source = createSource(options.source ?? { kind: 'none' }, { store, timeZone, resetTime: baseConfig.resetTime, now: Date.now(), log });
	} catch (e) {
		store.close();
		throw e;
	}
	const clock = source ? () => source.now() : () => Date.now();

	// A replay shows the replayed day, not the live one; otherwise today's acknowledged events come back,
	// from the start of yesterday so contacts still open across the reset are known (and their history rows re-derived).
	const sourceKind = options.source?.kind ?? 'none';
	// Each site's floor starts at its own yesterday's reset.
	const rebuildFromOf = (site: SiteConfig) => (sourceKind === 'replay' ? clock() : dayStart(dayStart(clock(), site.timeZone, site.resetTime) - 1, site.timeZone, site.resetTime));
	const rebuildFrom = Math.min(...baseConfig.sites.map(rebuildFromOf));
	let started = false;
	// The live floors' days roll on the wall (or source) clock only, never on a producer's timestamps (#9).
	// A site's floor made after the start (its first event) begins now; one made while rebuilding, at its rebuild start.
	const floors = new FloorSet(withQueues(baseConfig, source?.queues ?? []), (config, site) =>
		new Floor(config, started ? clock() : rebuildFromOf(site), { rollDayOnEventTime: false, limits: options.floorLimits })
	);
	const floor = floors.main;
	// Whatever the source, a backfill cut short never passes for the whole past (its days are dropped).
	dropCutShortBackfill(store, log);
	rederiveAfterMigration(store, baseConfig, rebuildFrom, log);
	const history = new LiveHistory(store, floor, { source: sourceKind === 'none' ? 'ingest' : sourceKind, retentionDays: options.retentionDays, sites: () => floors.center.sites, graceMs: options.finalAfterHours === undefined ? undefined : options.finalAfterHours * 3600_000, log });
	// Every site's floor writes its own history (its days in its own time zone and reset).
	floors.onFloor((site, f) => history.addSite(site, f));
	// Ingest commits at the tick, just before the flush, and `commitLeadMs` before it (see COMMIT_LEAD_MS); a cluster's stream is applied message by message: at once.
	const commitWaitMs = options.nats ? 0 : Math.min(o.flushMs + 10, 100);
	const intake = new Intake(floors, store, history, metrics, { ...REORDER_DEFAULTS, maxHoldMs: o.reorderHoldMs }, commitWaitMs);
	if (source instanceof EmulatorSource && (options.backfillDays ?? 0) > 0) await runBackfill(store, source.scenario, withQueues(baseConfig, source.queues), options.backfillDays ?? 0, log, options.backfillThreads);
	else if (options.backfillThreads) await Promise.all(options.backfillThreads.map((t) => t.terminate()));
	/** Due playback events into the floor, validated like ingest. */
	function playDue(due: readonly FloorEvent[]): void {
		if (!due.length) return;
		const v = validateBatch(due);
		if (v.ok) intake.applyVolatile(v.value);
		else {
			countRejected(metrics, { ok: false, message: '', errors: v.errors });
			log(`source produced invalid events, skipped: ${formatValidationErrors(v.errors)}`);
		}
	}
	if (sourceKind !== 'replay') {
		// Events before their own site's rebuild start are left out (sites' yesterdays begin at different instants).
		const siteStart = new Map(baseConfig.sites.map((s) => [s.id, rebuildFromOf(s)]));
		const r = history.rebuild(store.eventPages(rebuildFrom, Number.MAX_SAFE_INTEGER), (e) => (e.ts >= (siteStart.get(siteOf(e)) ?? Infinity) ? floors.floorOf(e) : undefined));
		if (r.events) log(`rebuilt the floor from ${r.events} stored events since yesterday's reset (${r.anomalies} anomalies)`);
	}
	// A playback source's events before now (--from's hours) all go in before the clock moves to now
	// (a pull hands out at most a few thousand).
	for (let due = source?.pull(clock()) ?? []; due.length > 0; due = source!.pull(clock())) playDue(due);
	floors.advance(clock());
	started = true;

	const hub = new LiveHub(floor, createCodec(), metrics, { softLimit: o.softLimitBytes, hardLimit: o.hardLimitBytes }, clock, (board) => floors.shown(board.sites));
	if (source) hub.setSource(source.info);
	const boards = new BoardRegistry(store, () => floors.center.sites);
	for (const b of boards.list()) hub.setBoard(b);
	const statics = new StaticFiles(resolve(o.staticDir));

	let cluster: Cluster | null = null;
	if (options.nats) {
		try {
			cluster = await Cluster.join(
				{ ...options.nats, instance: `${hostname()}:${process.pid}` },
				{ intake, store, floors, hub, boards, history, dayStart: () => rebuildFrom, log }
			);
		} catch (e) {
			store.close();
			throw e;
		}
		// While NATS is away the floor cannot learn anything: every board says so.
		const upstream = (connected: boolean) => hub.setSource({ kind: 'ingest', upstream: connected ? 'connected' : 'unreachable' });
		upstream(cluster.connected);
		cluster.onStatus(upstream);
		const joined = cluster;
		metrics.clusterLogWaiters = () => joined.waiters;
	}

	const app = createApp();
	const budget = new BodyBudget(o.bodyBudgetBytes);
	metrics.bodyBytesHeld = () => budget.held;
	const router = new HttpRouter(app, {
		bodyLimit: o.maxBodyBytes,
		budget,
		authorize: (header, role) => auth.check(bearerToken(header), role),
		hostAllowed: (host) => policy.hostAllowed(host),
		metrics,
		onError: (err, req) => log(`error in ${req.method.toUpperCase()} ${req.path.slice(0, 200)}: ${(err as Error)?.stack ?? String(err)}`)
	});
	const checkIds = (events: readonly FloorEvent[]) => {
		// An unknown site is refused before any floor is asked (it has none, and gets none).
		const unknown = floors.unknownSite(events);
		if (unknown) return unknown;
		const over = floors.checkIdLimits(events);
		if (over) metrics.idLimitRefusals++;
		return over;
	};
	const batchClock = () => ({ now: Math.max(Date.now(), clock()), maxAheadMs: o.maxSkewSeconds * 1000, checkIds });
	const require = (ctx: HttpContext, role: Role) => {
		const r = auth.check(bearerToken(ctx.req.authorization), role);
		if (!r.ok) throw new HttpError(r.status, r.message);
	};
	const deps: RouteDeps = { floor, floors, store, intake, sink: cluster?.sink ?? intake, hub, boards, metrics, auth, require, statics, source, clock, batchClock, startedAt: Date.now(), log, history, ...(cluster ? { shareDayDeleted: cluster.shareDayDeleted.bind(cluster), shareImport: cluster.importHere.bind(cluster), shareConfig: cluster.shareConfig.bind(cluster) } : {}) };
	registerHealthRoutes(router, deps);
	registerEventRoutes(router, deps);
	registerBoardRoutes(router, deps);
	registerConfigRoutes(router, deps);
	registerHistoryRoutes(router, deps);
	const reports = new ReportService({ store, floorConfig: () => currentConfig(floors) });
	registerReportRoutes(router, { reports, require: deps.require, sites: () => floors.center.sites });
	registerForecastRoutes(router, { reports, store, floorConfig: () => currentConfig(floors), require: deps.require, auth: deps.auth });
	const member = cluster;
	registerPlanRoutes(router, { ...deps, plans, ...(options.webhookRetry ? { retry: options.webhookRetry } : {}), ...(member ? { clusterReachable: () => member.connected, shareVersion: member.shareVersion.bind(member) } : {}) });
	// Every saved token list is the one in force: this instance's saves, and in a cluster the other instances' as they arrive.
	store.onConfigSaved((v) => {
		if (v.kind === 'tokens' && v.key === 'people') auth.setPeople(plans.people());
	});
	registerTokenRoutes(router, { ...deps, plans });
	const simulations = new Simulations(hub, () => floor.config, log, store.audit.bind(store));
	registerSimulationRoutes(router, { simulations, auth });
	registerFallbackRoutes(router, deps); // last: what nothing above matched
	const cap = new ConnectionCap(o.maxConnectionsPerAddress);
	metrics.connectionCapRefusals = () => cap.refusals;
	hub.attach(cap.guard(app), auth, policy);
	registerIngestSocket(cap.guard(app), { auth, policy, sink: deps.sink, metrics, maxFrameBytes: o.maxBodyBytes, batchClock, log });

	/** One tick: due playback events into the floor (validated like ingest), the floor to now, deltas out. */
	const tick = () => {
		const t0 = performance.now();
		// Counted from the start of this tick, so it stays `commitLeadMs` ahead of the next one, however late this one is.
		earlyCommit?.refresh();
		const now = clock();
		if (source) {
			playDue(source.pull(now));
			hub.setSource(source.info);
		}
		intake.commit();
		intake.expireHeld();
		floors.advance(now);
		history.tick(now);
		simulations.tick();
		hub.flush(now);
		metrics.tickDuration.observe((performance.now() - t0) / 1000);
	};

	let listening;
	try {
		listening = await listen(app, o.host, o.port);
	} catch (e) {
		closeApp(app);
		await cluster?.close();
		store.close();
		throw e;
	}
	policy.setPort(listening.port);
	const timer = setInterval(tick, o.flushMs);
	timer.unref?.();
	const earlyCommit = commitLeadMs > 0 ? setTimeout(() => intake.commit(), o.flushMs - commitLeadMs) : null;
	earlyCommit?.unref?.();
	if (!statics.size) log(`note: no web app in ${statics.dir}; run \`npm run build\` to serve the wallboard`);

	let closed = false;
	return {
		port: listening.port,
		host: o.host,
		url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${listening.port}`,
		createdTokens: tokens.created,
		metrics,
		floor,
		hub,
		source,
		async close() {
			if (closed) return;
			closed = true;
			clearInterval(timer);
			if (earlyCommit) clearTimeout(earlyCommit);
			simulations.close();
			listening.close();
			closeApp(app);
			await cluster?.close();
			// Batches still waiting for their commit are committed (and answered) before the store closes.
			await new Promise((r) => setImmediate(r));
			intake.commit();
			store.close();
		}
	};
}

/** Options with the keys left undefined removed, so the defaults fill them. */
function withoutUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
