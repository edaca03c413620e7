import { collectDefaultMetrics, Counter, Gauge, Histogram as PromHistogram, Registry } from 'prom-client';

/**
 * The server's Prometheus series, on a prom-client registry of its own (so several servers in one
 * process, as in tests, do not mix). Hot paths increment plain number fields; the registry reads
 * them when scraped, so counting an event costs an addition, not a library call. Process, GC and
 * event-loop lag series come from prom-client's default metrics.
 */

const MS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** A latency histogram in seconds that also remembers its maximum. */
export class Histogram {
	#max = 0;
	#count = 0;
	constructor(private readonly series: PromHistogram) {}

	observe(seconds: number): void {
		this.series.observe(seconds);
		this.#count++;
		if (seconds > this.#max) this.#max = seconds;
	}

	get count(): number {
		return this.#count;
	}
	get max(): number {
		return this.#max;
	}
}

/** Every series the server exports. Fields are plain numbers so hot paths just increment. */
export class Metrics {
	eventsAccepted = 0;
	eventsRejected = 0;
	batchesRejected = 0;
	eventsDuplicate = 0;
	anomalies = 0;
	framesSent = 0;
	bytesSent = 0;
	snapshotsSent = 0;
	badClientFrames = 0;
	slowClientsClosed = 0;
	staleMarks = 0;
	/** Requests refused before their body was read (bad token, unknown route, method). */
	requestsRefusedEarly = 0;
	/** Requests answered 503 because the body budget was spent. */
	bodyBudgetRefusals = 0;
	/** Upgrades and requests refused for their Origin or Host header. */
	originRefusals = 0;
	/** Batches refused because they would create more new queue or agent ids today than the floor's limits allow. */
	idLimitRefusals = 0;
	/** WebSocket upgrades refused for the per-address connection cap. */
	connectionCapRefusals: () => number = () => 0;
	/** Gauges, read through callbacks so they are never out of date. */
	clientsConnected: () => number = () => 0;
	clientsStale: () => number = () => 0;
	ingestSockets: () => number = () => 0;
	bodyBytesHeld: () => number = () => 0;
	/** With `--nats`: this instance's own cluster log records still waited for (Cluster.waiters). */
	clusterLogWaiters: () => number = () => 0;
	/** The ingest hold buffer (out-of-order events), when there is one. */
	reorder: { readonly held: number; readonly stats: { readonly released: number; readonly expired: number } } | null = null;
	readonly registry = new Registry();
	readonly tickDuration: Histogram;
	readonly commitLatency: Histogram;

	constructor() {
		const r = this.registry;
		const counter = (name: string, help: string, read: () => number) =>
			new Counter({
				name,
				help,
				registers: [r],
				collect() {
					// The field is the truth; the series is brought to it at scrape time.
					this.reset();
					this.inc(read());
				}
			});
		const gauge = (name: string, help: string, read: () => number) =>
			new Gauge({
				name,
				help,
				registers: [r],
				collect() {
					this.set(read());
				}
			});
		counter('sightline_events_accepted_total', 'Events accepted (valid, not duplicate).', () => this.eventsAccepted);
		counter('sightline_events_rejected_total', 'Events in batches rejected by validation.', () => this.eventsRejected);
		counter('sightline_batches_rejected_total', 'Batches rejected by validation or decoding.', () => this.batchesRejected);
		counter('sightline_events_duplicate_total', 'Events dropped because their id was seen before.', () => this.eventsDuplicate);
		counter('sightline_anomalies_total', 'Events impossible for the current floor state, not applied.', () => this.anomalies);
		gauge('sightline_clients_connected', 'Wallboard sockets open.', () => this.clientsConnected());
		gauge('sightline_clients_stale', 'Wallboard sockets over the soft buffer limit, waiting to drain.', () => this.clientsStale());
		gauge('sightline_ingest_sockets', 'Ingest sockets open.', () => this.ingestSockets());
		counter('sightline_frames_sent_total', 'Frames sent to wallboards.', () => this.framesSent);
		counter('sightline_bytes_sent_total', 'Bytes sent to wallboards.', () => this.bytesSent);
		counter('sightline_snapshots_sent_total', 'Snapshot frames sent to wallboards.', () => this.snapshotsSent);
		counter('sightline_stale_marks_total', 'Times a wallboard went over the soft limit.', () => this.staleMarks);
		counter('sightline_slow_clients_closed_total', 'Wallboards closed at the hard buffer limit.', () => this.slowClientsClosed);
		counter('sightline_bad_client_frames_total', 'Frames from clients that were refused.', () => this.badClientFrames);
		counter('sightline_requests_refused_early_total', 'Requests answered before any body byte was read (token, route, method).', () => this.requestsRefusedEarly);
		counter('sightline_body_budget_refusals_total', 'Requests refused because request bodies in memory reached the budget.', () => this.bodyBudgetRefusals);
		counter('sightline_id_limit_refusals_total', 'Batches refused for creating more new queue or agent ids today than allowed.', () => this.idLimitRefusals);
		counter('sightline_connection_cap_refusals_total', 'WebSocket upgrades refused (429) because their address had the most connections allowed open.', () => this.connectionCapRefusals());
		counter('sightline_origin_refusals_total', 'Requests and upgrades refused for their Origin or Host.', () => this.originRefusals);
		gauge('sightline_body_bytes_held', 'Bytes of request bodies held in memory while they arrive.', () => this.bodyBytesHeld());
		gauge('sightline_cluster_log_waiters', 'With --nats: saves, deletes and imports made here whose cluster log record is still waited for (to answer the request, or to run what a live plan save does once stored); back to 0 at most 30 s after each request was answered.', () => this.clusterLogWaiters());
		gauge('sightline_reorder_held', 'Ingested events held until their contact predecessor arrives.', () => this.reorder?.held ?? 0);
		counter('sightline_reorder_released_total', 'Held events applied once their predecessor arrived.', () => this.reorder?.stats.released ?? 0);
		counter('sightline_reorder_expired_total', 'Held events handed on without their predecessor (hold expired or full); the floor counts them as anomalies.', () => this.reorder?.stats.expired ?? 0);
		const histogram = (name: string, help: string) => new Histogram(new PromHistogram({ name, help, buckets: MS_BUCKETS, registers: [r] }));
		this.tickDuration = histogram('sightline_tick_duration_seconds', 'Time to advance the floor and flush deltas, per tick.');
		this.commitLatency = histogram('sightline_store_commit_seconds', 'Time to commit one group of ingested batches.');
		gauge('sightline_store_commit_max_seconds', 'Longest commit since start.', () => this.commitLatency.max);
		gauge('sightline_tick_max_seconds', 'Longest flush tick since start.', () => this.tickDuration.max);
		collectDefaultMetrics({ register: r });
	}

	/** Content-Type of `render()`. */
	get contentType(): string {
		return this.registry.contentType;
	}

	/** The Prometheus exposition text. */
	render(): Promise<string> {
		return this.registry.metrics();
	}
}
