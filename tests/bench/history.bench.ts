import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { traceEvents } from '../../sim/trace';
import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { parseAnonymousBank } from '../../src/lib/domain/traces/anonymous-bank';
import { withQueues } from '../../src/server/floor-config';
import { backfill } from '../../src/server/history/backfill';
import { scaleArrivals } from '../../src/server/sources/emulated-day';
import { importText } from '../../src/server/history/import';
import { HistoryQueries } from '../../src/server/history/queries';
import { DEFAULT_SCENARIO, loadScenario, scenarioQueues } from '../../src/server/sources/emulator';
import { DB_FILE, Store } from '../../src/server/store';
import { sharedDataPath } from '../shared-data';

/**
 * `npm run bench:history [-- --days N] [--helpers N] [--file ANONYMOUS_BANK_CSV]`: import speed of the 24-day Anonymous
 * Bank file (calls/s), seconds to backfill N days of the emulated center in one thread and with
 * worker threads helping (default one per core but the main thread's), the first day list after it, and store size per day. Each figure is shown
 * beside a baseline measured in the same run (parsing alone; simulating alone), so a slow machine
 * shows as slow baselines rather than as a regression.
 */

const { values } = parseArgs({ options: { days: { type: 'string' }, file: { type: 'string' }, helpers: { type: 'string' } } });
const DAYS = Number(values.days ?? 28);
const HELPERS = Number(values.helpers ?? availableParallelism() - 1);
const DATA = values.file ? resolve(values.file) : sharedDataPath('anonymous-bank-1999-08-01-to-24.csv');
const config = { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' };

const sizeOf = (dir: string) => [DB_FILE, `${DB_FILE}-wal`].map((f) => join(dir, f)).filter(existsSync).reduce((s, f) => s + statSync(f).size, 0);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
/** Seconds of CPU this process used since `from` (all threads: on a shared machine it moves less than wall time). */
const cpuSince = (from: NodeJS.CpuUsage) => {
	const c = process.cpuUsage(from);
	return (c.user + c.system) / 1e6;
};
const cpuOf: number[] = [];
const time = <T>(fn: () => T): [T, number] => {
	const t0 = performance.now();
	const c0 = process.cpuUsage();
	const r = fn();
	cpuOf.push(cpuSince(c0));
	return [r, (performance.now() - t0) / 1000];
};
const cpu = () => `cpu ${cpuOf.at(-1)!.toFixed(2)} s`;

const text = readFileSync(DATA, 'utf8');
const [parsed, parseS] = time(() => parseAnonymousBank(text));
const dir1 = mkdtempSync(join(tmpdir(), 'sightline-bench-import-'));
const s1 = new Store(dir1);
const parseCpu = cpu();
const [imp, importS] = time(() => importText(s1, text, { format: 'anonymous-bank', config }));
s1.db.pragma('wal_checkpoint(TRUNCATE)');
s1.close();
const importSize = sizeOf(dir1);
const importCpu = cpu();
console.log(`import   ${imp.records} calls, ${imp.days.length} days in ${importS.toFixed(2)} s (${importCpu}) = ${Math.round(imp.records / importS)} calls/s  (baseline: parsing alone ${parseS.toFixed(2)} s, ${parseCpu} = ${Math.round(parsed.calls.length / parseS)} calls/s)`);
console.log(`         store ${mb(importSize)} = ${mb(importSize / imp.days.length)} per day`);
rmSync(dir1, { recursive: true, force: true });

const scenario = loadScenario(DEFAULT_SCENARIO);
const [, simS] = time(() => {
	for (let k = 0; k < DAYS; k++) traceEvents(scaleArrivals(scenario, 1), { seed: k + 1, startTs: Date.UTC(2026, 0, 1 + k, 8) });
});
const simCpu = cpu();
/** One backfill into a fresh store: its result, wall seconds, CPU seconds of all threads, store bytes. */
const backfillOnce = async (helpers: number) => {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-backfill-'));
	const store = new Store(dir);
	const t0 = performance.now();
	const c0 = process.cpuUsage();
	const r = await backfill(store, { scenario, config: withQueues(config, scenarioQueues(scenario)), days: DAYS, now: Date.now(), seed: 1, helpers });
	const cpuS = cpuSince(c0);
	const wallS = (performance.now() - t0) / 1000;
	// The first /api/history/days after the backfill: what a fresh start waits for beyond the backfill.
	const t1 = performance.now();
	const listed = new HistoryQueries(store.db).days().length;
	const daysS = (performance.now() - t1) / 1000;
	store.db.pragma('wal_checkpoint(TRUNCATE)');
	store.close();
	const size = sizeOf(dir);
	rmSync(dir, { recursive: true, force: true });
	return { r, wallS, cpuS, size, listed, daysS };
};
const seq = await backfillOnce(0);
const par = await backfillOnce(HELPERS);
console.log(`backfill ${DAYS} days (${seq.r?.contacts ?? 0} contacts) in one thread in ${seq.wallS.toFixed(2)} s (cpu ${seq.cpuS.toFixed(2)} s)  (baseline: simulating alone ${simS.toFixed(2)} s, ${simCpu})`);
console.log(`backfill ${DAYS} days (${par.r?.contacts ?? 0} contacts) with ${par.r?.helpers ?? 0} worker threads helping in ${par.wallS.toFixed(2)} s (cpu ${par.cpuS.toFixed(2)} s, incl. starting the threads)`);
console.log(`         then the first day list (${par.listed} days, as GET /api/history/days) in ${par.daysS.toFixed(3)} s`);
console.log(`         store ${mb(par.size)} = ${mb(par.size / DAYS)} per day`);
