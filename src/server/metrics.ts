/**
 * Counters, gauges and histograms rendered in the Prometheus text format (version 0.0.4).
 * Kept dependency-free: the server needs a dozen series, not a client library.
 */

/** A latency histogram in seconds with fixed buckets. */
export class Histogram {
	readonly #counts: number[];
	#sum = 0;
	#count = 0;
	#max = 0;

	constructor(readonly buckets: readonly number[]) {
		this.#counts = buckets.map(() => 0);
	}

	observe(seconds: number): void {
		this.#sum += seconds;
		this.#count += 1;
		if (seconds > this.#max) this.#max = seconds;
		for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]!) this.#counts[i]! += 1;
	}

	get count(): number {
		return this.#count;
	}
	get max(): number {
		return this.#max;
	}

	render(name: string, help: string): string {
		const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
		this.buckets.forEach((b, i) => lines.push(`${name}_bucket{le="${b}"} ${this.#counts[i]}`));
		lines.push(`${name}_bucket{le="+Inf"} ${this.#count}`, `${name}_sum ${this.#sum}`, `${name}_count ${this.#count}`);
		return lines.join('\n');
	}
}

const MS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

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
	/** Gauges, read through callbacks so they are never out of date. */
	clientsConnected: () => number = () => 0;
	clientsStale: () => number = () => 0;
	ingestSockets: () => number = () => 0;
	readonly tickDuration = new Histogram(MS_BUCKETS);
	readonly commitLatency = new Histogram(MS_BUCKETS);

	/** The Prometheus exposition text. */
	render(): string {
		const c = (name: string, help: string, v: number, type: 'counter' | 'gauge' = 'counter') =>
			`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${v}`;
		return (
			[
				c('sightline_events_accepted_total', 'Events accepted (valid, not duplicate).', this.eventsAccepted),
				c('sightline_events_rejected_total', 'Events in batches rejected by validation.', this.eventsRejected),
				c('sightline_batches_rejected_total', 'Batches rejected by validation or decoding.', this.batchesRejected),
				c('sightline_events_duplicate_total', 'Events dropped because their id was seen before.', this.eventsDuplicate),
				c('sightline_anomalies_total', 'Events impossible for the current floor state, not applied.', this.anomalies),
				c('sightline_clients_connected', 'Wallboard sockets open.', this.clientsConnected(), 'gauge'),
				c('sightline_clients_stale', 'Wallboard sockets over the soft buffer limit, waiting to drain.', this.clientsStale(), 'gauge'),
				c('sightline_ingest_sockets', 'Ingest sockets open.', this.ingestSockets(), 'gauge'),
				c('sightline_frames_sent_total', 'Frames sent to wallboards.', this.framesSent),
				c('sightline_bytes_sent_total', 'Bytes sent to wallboards.', this.bytesSent),
				c('sightline_snapshots_sent_total', 'Snapshot frames sent to wallboards.', this.snapshotsSent),
				c('sightline_stale_marks_total', 'Times a wallboard went over the soft limit.', this.staleMarks),
				c('sightline_slow_clients_closed_total', 'Wallboards closed at the hard buffer limit.', this.slowClientsClosed),
				c('sightline_bad_client_frames_total', 'Frames from clients that were refused.', this.badClientFrames),
				this.tickDuration.render('sightline_tick_duration_seconds', 'Time to advance the floor and flush deltas, per tick.'),
				this.commitLatency.render('sightline_store_commit_seconds', 'Time to commit one group of ingested batches.'),
				c('sightline_store_commit_max_seconds', 'Longest commit since start.', this.commitLatency.max, 'gauge'),
				c('sightline_tick_max_seconds', 'Longest flush tick since start.', this.tickDuration.max, 'gauge')
			].join('\n') + '\n'
		);
	}
}
