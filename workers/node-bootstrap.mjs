// Entry of the simulation pool's worker threads. Node 20 does not apply tsx's `--import`
// hooks to a worker's own entry module, so this plain-JS entry registers them, then loads the
// TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./sim.node-worker.ts');
