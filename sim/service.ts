import { Engine } from './engine';
import { compile } from './model';
import { collectResult, type RunResult } from './results';
import { formatErrors, validateScenario, type Scenario } from './scenario';
import { traceEvents } from './trace';
import type { FloorEvent } from '../src/lib/domain/events';

/**
 * What a simulation worker does, whatever the thread: the browser Worker and the Node
 * worker_threads entry both expose `createSimService()` and nothing else.
 */

/** A job for a worker (one union for the whole message set). */
export type SimJob =
	| {
			readonly kind: 'replications';
			readonly scenario: unknown;
			readonly seed: number;
			/** Replication indexes to run (a pool splits 0..R-1 among its workers). */
			readonly reps: readonly number[];
	  }
	| {
			readonly kind: 'compare';
			readonly base: unknown;
			readonly alt: unknown;
			readonly seed: number;
			readonly reps: readonly number[];
	  }
	| {
			readonly kind: 'trace';
			readonly scenario: unknown;
			readonly seed: number;
			readonly startTs: number;
	  };

/** The answer to a job, same `kind`. */
export type SimJobResult =
	| { readonly kind: 'replications'; readonly runs: readonly RunResult[] }
	| { readonly kind: 'compare'; readonly base: readonly RunResult[]; readonly alt: readonly RunResult[] }
	| { readonly kind: 'trace'; readonly events: readonly FloorEvent[] };

/** Progress callback: fraction of the job done, 0..1. */
export type Progress = (done: number) => void;

/** The API a worker exposes. */
export interface SimService {
	/** Runs a job; rejects with the scenario error for a bad scenario, or `canceled`. */
	run(job: SimJob, onProgress?: Progress): Promise<SimJobResult>;
	/** Stops the running job at its next slice (it rejects with `canceled`). */
	cancel(): void;
}

/** Events per slice between progress reports and cancellation checks (tens of ms of work). */
const SLICE = 200_000;

function valid(value: unknown): Scenario {
	const v = validateScenario(value);
	if (!v.ok) throw new Error(`invalid scenario: ${formatErrors(v.errors)}`);
	return v.scenario;
}

/** A fresh service; `yieldNow` lets a cancel message in between slices. */
export function createSimService(
	yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))
): SimService {
	let canceled = false;

	async function runAll(scenarios: Scenario[], seed: number, reps: readonly number[], progress?: Progress) {
		const models = scenarios.map(compile);
		const out: RunResult[][] = models.map(() => []);
		const steps = reps.length * models.length;
		let done = 0;
		for (const rep of reps) {
			for (let s = 0; s < models.length; s++) {
				const m = models[s]!;
				const engine = new Engine(m, { seed, rep });
				while (!engine.step(SLICE)) {
					if (progress) progress((done + Math.min(1, engine.time / m.horizon)) / steps);
					await yieldNow();
					if (canceled) throw new Error('canceled');
				}
				out[s]!.push(collectResult(m, engine.output()));
				done++;
				if (progress && done < steps) progress(done / steps);
			}
		}
		progress?.(1);
		return out;
	}

	return {
		async run(job, onProgress) {
			canceled = false;
			switch (job.kind) {
				case 'replications': {
					const [runs] = await runAll([valid(job.scenario)], job.seed, job.reps, onProgress);
					return { kind: 'replications', runs: runs! };
				}
				case 'compare': {
					const [base, alt] = await runAll([valid(job.base), valid(job.alt)], job.seed, job.reps, onProgress);
					return { kind: 'compare', base: base!, alt: alt! };
				}
				case 'trace':
					return { kind: 'trace', events: traceEvents(valid(job.scenario), { seed: job.seed, startTs: job.startTs }) };
			}
		},
		cancel() {
			canceled = true;
		}
	};
}
