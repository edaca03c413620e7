import { createPool, splitReps } from '../../workers/pool';
import { runReplication, type Summary } from '../../sim/replicate';
import type { RunResult } from '../../sim/results';
import type { Scenario } from '../../sim/scenario';

/**
 * Runs replications 0..reps-1 of a scenario (and of an alternative on the same seeds), in worker
 * threads when there is more than one replication and worker; results in replication order, so the
 * output does not depend on the pool size. Shared by the scenario and trace modes of the CLI.
 */
export async function simulate(base: Scenario, alt: Scenario | null, seed: number, reps: number, workers: number) {
	if (workers <= 1 || reps <= 1) {
		const b: RunResult[] = [];
		const a: RunResult[] = [];
		for (let r = 0; r < reps; r++) {
			b.push(runReplication(base, seed, r));
			if (alt) a.push(runReplication(alt, seed, r));
		}
		return { base: b, alt: a };
	}
	const parts = splitReps(reps, Math.min(workers, reps));
	const pool = createPool(parts.length);
	try {
		const done = await Promise.all(
			parts.map((p) =>
				pool.run(alt ? { kind: 'compare', base, alt, seed, reps: p } : { kind: 'replications', scenario: base, seed, reps: p })
			)
		);
		// Put replications back in index order, so the output does not depend on the pool size.
		const order = parts.flat();
		const sorted = (runs: RunResult[]) =>
			order
				.map((r, i) => ({ r, run: runs[i] }))
				.sort((x, y) => x.r - y.r)
				.flatMap((x) => (x.run ? [x.run] : []));
		const b = done.flatMap((d) => (d.kind === 'compare' ? d.base : d.kind === 'replications' ? d.runs : []));
		const a = done.flatMap((d) => (d.kind === 'compare' ? d.alt : []));
		return { base: sorted(b), alt: alt ? sorted(a) : [] };
	} finally {
		await pool.close();
	}
}

/** The fields every `--json` answer of the simulator starts with. */
export function summaryJson(summary: Summary, seed: number) {
	return {
		name: summary.name,
		seed,
		replications: summary.replications,
		contacts: summary.contacts,
		total: summary.total,
		queues: summary.queues,
		channels: summary.channels,
		intervals: summary.intervals
	};
}
