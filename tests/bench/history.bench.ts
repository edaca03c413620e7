import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
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
import { cpuSeconds } from './process-stats';

/**
 * `npm run bench:history [-- --days N] [--helpers N] [--file ANONYMOUS_BANK_CSV] [--only start]`: import speed of the 24-day Anonymous
 * Bank file (calls/s), seconds to backfill N days of the emulated center in one thread and with
 * worker threads helping (default one per core but the main thread's), the first day list after it, and store size per day;
 * then a fresh start as `npm start` runs it (a child process on an empty data dir, real HTTP): seconds from spawning it to
 * GET /api/history/days listing the N days. Each figure is shown beside a baseline measured in the same run (parsing alone;
 * simulating alone; the same start with `--backfill 0`), so a slow machine shows as slow baselines rather than as a regression.
 */

const { values } = parseArgs({ options: { days: { type: 'string' }, file: { type: 'string' }, helpers: { type: 'string' }, only: { type: 'string' } } });
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

const ROOT = resolve(import.meta.dirname, '../..');
const onlyStart = values.only === 'start';

/**
 * Spawns the server as `npm start` does (tsx src/server/main.ts, the build left out) on an empty
 * data dir and polls GET /api/history/days every 20 ms until it lists `days` days: seconds from
 * the spawn to its ready line and to that list, and the child's CPU seconds by then.
 */
async function freshStart(days: number): Promise<{ readyS: number; listedS: number; cpuS: number }> {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-start-'));
	const t0 = performance.now();
	const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/server/main.ts', '--data', dir, '--port', '0', '--backfill', String(days), '--time-zone', 'UTC'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	try {
		let out = '';
		let url: string | null = null;
		let readyS = NaN;
		child.stdout.on('data', (b: Buffer) => {
			out += b.toString();
			const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
			if (line && !url) {
				url = (JSON.parse(line) as { url: string }).url;
				readyS = (performance.now() - t0) / 1000;
			}
		});
		const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited (${code})`))));
		exited.catch(() => {});
		for (;;) {
			await Promise.race([new Promise((r) => setTimeout(r, 20)), exited]);
			if (!url) continue;
			const listed = ((await (await fetch(`${url}/api/history/days`)).json()) as { days: unknown[] }).days.length;
			if (listed >= days) {
				const listedS = (performance.now() - t0) / 1000;
				return { readyS, listedS, cpuS: treeCpu(child.pid!) };
			}
		}
	} finally {
		const gone = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await gone;
		rmSync(dir, { recursive: true, force: true });
	}
}

/** CPU seconds of a process and its descendants (tsx's CLI runs the server in a child node). */
function treeCpu(pid: number): number {
	let kids: number[] = [];
	try {
		kids = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
	} catch {
		// Gone already: its own figure is all there is.
	}
	return cpuSeconds(pid) + kids.reduce((s, k) => s + treeCpu(k), 0);
}

if (!onlyStart) await importAndBackfill();
const bare = await freshStart(0);
const full = await freshStart(DAYS);
console.log(`start    spawn -> GET /api/history/days lists ${DAYS} days in ${full.listedS.toFixed(2)} s (ready line at ${full.readyS.toFixed(2)} s, server cpu ${full.cpuS.toFixed(2)} s)  (baseline: the same start with --backfill 0 ready in ${bare.readyS.toFixed(2)} s, cpu ${bare.cpuS.toFixed(2)} s)`);

async function importAndBackfill(): Promise<void> {
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
}
