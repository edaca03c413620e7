/**
 * The server's settings and their defaults, in one place: `startServer` fills what its caller left
 * out from here, and the command line (`cli-args.ts`) prints the same values in `--help`.
 */

/** Defaults of every server setting. */
export const SERVER_DEFAULTS = {
	host: '127.0.0.1',
	port: 8080,
	dataDir: './data',
	/** The built web app (adapter-static output). */
	staticDir: 'build',
	/** Delta flush window of `/live`, ms. */
	flushMs: 50,
	/** Largest request body or `/ingest` frame, bytes. */
	maxBodyBytes: 1024 * 1024,
	/**
	 * Bytes of request bodies all connections together may hold in memory while they arrive; past
	 * it a request is answered 503 at once. Bounds what many slow or hostile uploads can cost.
	 */
	bodyBudgetBytes: 64 * 1024 * 1024,
	/**
	 * WebSocket connections (`/live` and `/ingest` together) one client address may hold open; past
	 * it an upgrade gets 429. Generous on purpose: a wall of displays behind one proxy, or the 1,000
	 * local clients of `npm run bench:server`, all share one address. 0 turns the cap off.
	 */
	maxConnectionsPerAddress: 2048,
	/** A wallboard buffering more than this stops getting deltas until it drains. */
	softLimitBytes: 256 * 1024,
	/** A wallboard whose next frame would take it past this is closed. */
	hardLimitBytes: 4 * 1024 * 1024,
	/** How far ahead of the server clock an ingested event's `ts` may be, seconds (producer clock skew). */
	maxSkewSeconds: 120,
	/** Longest an ingested contact event that arrived before its predecessor is held, ms; then the floor judges it alone. */
	reorderHoldMs: 10_000
} as const;

/** Accepted range of the flush window, ms. */
export const FLUSH_MS_RANGE = { min: 5, max: 5000 } as const;
/** Accepted range of the ingest clock skew, seconds. */
export const SKEW_SECONDS_RANGE = { min: 0, max: 86_400 } as const;
