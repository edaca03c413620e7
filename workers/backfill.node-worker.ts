/**
 * Node worker_threads entry of the backfill (src/server/history/backfill.ts): exposes one day's
 * simulation and history projection over comlink's Node adapter; the main thread writes the rows.
 * Started through backfill-bootstrap.cjs (tsx's CommonJS hook), so it runs as TypeScript.
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { backfillDay, type BackfillWorkerApi } from '../src/server/history/backfill-day';

if (!parentPort) throw new Error('backfill.node-worker must run in a worker thread');
const api: BackfillWorkerApi = { day: backfillDay };
expose(api, nodeEndpoint(parentPort));
