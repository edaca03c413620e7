import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker threads that compute backfill days beside the main thread (default: one per
 * core but the main thread's). A thread first loads and compiles its code through tsx, ~0.5-1 s
 * of CPU before its first day (bench:history): main.ts starts them before it loads the server's
 * own code (~1.6 s), so both load at once on a fresh start. Light on purpose: no import of the
 * code the threads run.
 */
export function startBackfillThreads(count = availableParallelism() - 1): Worker[] {
	return Array.from({ length: Math.max(0, count) }, () => new Worker(new URL('../../../workers/backfill-bootstrap.cjs', import.meta.url), { execArgv: [] }));
}
