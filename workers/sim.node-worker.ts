/**
 * Node worker_threads entry of the simulation pool (see pool.ts): exposes the simulation
 * service over comlink's Node adapter. Started with tsx's loader, so it runs as TypeScript.
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createSimService } from '../sim/service';

if (!parentPort) throw new Error('sim.node-worker must run in a worker thread');
expose(createSimService(() => new Promise((r) => setImmediate(r))), nodeEndpoint(parentPort));
