/**
 * Reconnect delays: exponential with "full jitter" (a uniform draw below the exponential cap), so
 * a hundred wall displays that lost the same server do not all knock again in the same instant.
 */

/** Backoff settings, milliseconds. */
export interface BackoffOptions {
	readonly baseMs: number;
	readonly maxMs: number;
}

/** Defaults: first retry within half a second, never waiting more than 15 s between tries. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry): full jitter, a uniform
 * draw in [0, cap) with cap = min(max, base × 2^attempt). `random` returns a number in [0, 1).
 * The cap still doubles per attempt, so a dead server is knocked on ever more rarely on average.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
	const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 20));
	return Math.floor(random() * cap);
}
