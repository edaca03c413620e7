/** The Node worker pool (worker_threads + comlink) and the service it exposes: same numbers as in-process, progress, cancel. */
import { describe, expect, it } from 'vitest';
import { createPool, splitReps } from '../../workers/pool';
import { runReplications } from '../../sim/replicate';
import { validateScenario, type Scenario } from '../../sim/scenario';
import { createSimService } from '../../sim/service';
import day from '../../sim/scenarios/multichannel-day.json';

function valid(x: unknown): Scenario {
	const v = validateScenario(x);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

describe('worker pool', () => {
	it('runs replications in worker threads with the same results as in-process', async () => {
		const s = valid(day);
		const pool = createPool(2);
		try {
			const parts = splitReps(3, pool.size);
			expect(parts).toEqual([[0, 2], [1]]);
			const done = await Promise.all(parts.map((reps) => pool.run({ kind: 'replications', scenario: s, seed: 4, reps })));
			const local = runReplications(s, 4, 3);
			const got = done.flatMap((d) => (d.kind === 'replications' ? d.runs : []));
			expect(got).toEqual([local[0], local[2], local[1]]);
			// A bad scenario is an error from the worker, not a crash.
			await expect(pool.run({ kind: 'replications', scenario: { horizon: -1 }, seed: 1, reps: [0] })).rejects.toThrow(/invalid scenario/);
		} finally {
			await pool.close();
		}
	});
});

describe('simulation service', () => {
	it('reports progress up to 1', async () => {
		const seen: number[] = [];
		const svc = createSimService();
		const r = await svc.run({ kind: 'replications', scenario: day, seed: 1, reps: [0, 1] }, (p) => seen.push(p));
		expect(r.kind).toBe('replications');
		expect(seen.length).toBeGreaterThan(1);
		expect(seen.at(-1)).toBe(1);
		for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
	});

	it('cancel stops a running job', async () => {
		const svc = createSimService();
		const long = { ...day, horizon: 43200 * 20, queues: day.queues.map((q) => ({ ...q, arrivals: { perHour: 500 } })) };
		const job = svc.run({ kind: 'replications', scenario: long, seed: 1, reps: [0] }, () => svc.cancel());
		await expect(job).rejects.toThrow(/canceled/);
	});

	it('traces through the same API', async () => {
		const r = await createSimService().run({ kind: 'trace', scenario: day, seed: 1, startTs: 1000 });
		expect(r.kind === 'trace' && r.events[0]?.type).toBe('agent.profile');
	});
});
