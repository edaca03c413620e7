/**
 * Browser Web Worker of the simulator: exposes the simulation service (sim/service.ts) over
 * comlink, so the planner runs replications off the main thread with progress and cancel.
 *
 *   const sim = wrap<SimService>(new Worker(new URL('../../workers/sim.worker.ts', import.meta.url), { type: 'module' }));
 *   await sim.run({ kind: 'replications', scenario, seed, reps: [0, 1, 2] }, proxy((p) => ...));
 */
import { expose } from 'comlink';
import { createSimService } from '../sim/service';

expose(createSimService());
