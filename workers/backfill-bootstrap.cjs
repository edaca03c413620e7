// Entry of the backfill's worker thread (src/server/history/backfill.ts). tsx's CommonJS hook
// compiles the TypeScript in this thread; its ESM hooks (node-bootstrap.mjs) start a loader thread
// of their own per worker, about twice the CPU before the first day (bench:history).
require('tsx/cjs/api').register();
require('./backfill.node-worker.ts');
