/**
 * A pool of Node worker threads running the simulation service (the CLI's parallel
 * replications). Each worker runs sim.node-worker.ts, loaded through tsx by node-bootstrap.mjs.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { SimJob, SimJobResult, SimService } from '../sim/service';

/** A started pool; `close` terminates its threads. */
export interface SimPool {
	readonly size: number;
	run(job: SimJob): Promise<SimJobResult>;
	close(): Promise<void>;
}

/** Starts `size` workers (default: one per core). */
export function createPool(size = availableParallelism()): SimPool {
	const workers = Array.from(
		{ length: Math.max(1, size) },
		() =>
			new Worker(new URL('./node-bootstrap.mjs', import.meta.url), { execArgv: [] })
	);
	const remotes: Remote<SimService>[] = workers.map((w) => wrap<SimService>(nodeEndpoint(w)));
	let next = 0;
	return {
		size: workers.length,
		run: (job) => remotes[next++ % remotes.length]!.run(job),
		close: async () => {
			await Promise.all(workers.map((w) => w.terminate()));
		}
	};
}

/** Replication indexes 0..count-1 dealt round-robin into `parts` lists (empty ones dropped). */
export function splitReps(count: number, parts: number): number[][] {
	const out: number[][] = Array.from({ length: parts }, () => []);
	for (let r = 0; r < count; r++) out[r % parts]!.push(r);
	return out.filter((p) => p.length > 0);
}
