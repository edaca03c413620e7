/**
 * `npm run sim -- --trace FILE`, over the real process (src/cli/sim.ts → sim-trace.ts): the JSON
 * contract (`actual`, `staffing`), the replayed scenario as an ordinary scenario, and exit code 2
 * with one line for each way a trace or day can be wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateScenario } from '../../sim/scenario';
import { traceEvents } from '../../sim/trace';
import { sharedDataPath } from '../shared-data';

const dir = mkdtempSync(join(tmpdir(), 'sim-trace-'));
const ONE_DAY = sharedDataPath('anonymous-bank-1999-one-day.csv');
const MONTH = sharedDataPath('anonymous-bank-1999-08-01-to-24.csv');
const file = (name: string, content: string) => {
	const p = join(dir, name);
	writeFileSync(p, content);
	return p;
};
type Run = { code: number | null; stdout: string; stderr: string };
/** Runs the CLI as a real process. */
const sim = (...args: string[]) =>
	new Promise<Run>((resolve, reject) => {
		const p = spawn('node_modules/.bin/tsx', ['src/cli/sim.ts', ...args], { timeout: 120_000 });
		let stdout = '';
		let stderr = '';
		p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		p.on('error', reject);
		p.on('close', (code) => resolve({ code, stdout, stderr }));
	});

const DATED_HEAD = 'vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server';
const quietDay = file(
	'quiet.csv',
	[
		DATED_HEAD,
		'AA01,1,0,0,PS,2010-08-01,9:00:00,9:00:10,10,9:00:10,9:00:40,30,AGENT,9:00:40,9:03:00,140,DANA',
		'AA01,2,0,0,PS,2010-08-07,9:00:00,9:00:10,10,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER'
	].join('\n')
);

const BAD: [string, string[], RegExp][] = [
		['a multi-day file without --day', ['--trace', quietDay], /holds 2 days \(2010-08-01 to 2010-08-07\): pick one with --day/],
		['an unknown --day, listing the days', ['--trace', MONTH, '--day', '2010-09-01'], /no day 2010-09-01 in the file; its days: 2010-08-01, 2010-08-02, .*2010-08-24$/m],
		['a day with no traffic', ['--trace', quietDay, '--day', '2010-08-07'], /2010-08-07 has no traffic/],
		['a CSV read as a Sightline trace', ['--trace', ONE_DAY, '--format', 'sightline'], /not a valid Sightline events trace: line 1: not JSON/],
		['a JSONL file read as a call log', ['--trace', file('e.jsonl', '{"type":"contact.queued"}\n'), '--format', 'anonymous-bank'], /not a valid Anonymous Bank call log: line 1/],
		['an unknown format', ['--trace', ONE_DAY, '--format', 'xml'], /--format must be one of sightline, anonymous-bank/],
		['a missing file', ['--trace', join(dir, 'gone.csv')], /gone\.csv": no such file/],
		['a bad row, by line and field', ['--trace', file('bad.csv', `${DATED_HEAD}\nAA01,1,0,0,XX,2010-08-01,9:00:00,9:00:10,10,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER`)], /line 2, type: type must be one of/]
];

describe('sim --trace: bad input exits 2 with one line', () => {
	// Each case is a process start (seconds of tsx): two at a time, one per core.
	const results = new Map<string, Promise<Run>>();
	beforeAll(() => {
		const chain: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
		BAD.forEach(([name, args], i) => {
			const run = (chain[i % 2] ?? Promise.resolve()).then(() => sim(...args));
			chain[i % 2] = run;
			results.set(name, run);
		});
	});
	it.each(BAD)('%s', async (name, _args, message) => {
		const r = await (results.get(name) ?? Promise.reject(new Error('not started')));
		expect(r.code, r.stderr).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(message);
	});
});

describe('sim --trace: a replayed day', () => {
	it('--json on the one-day file: the replay, the day\'s own KPIs from its rows, and the staffing per interval', async () => {
		const r = await sim('--trace', ONE_DAY, '--replications', '2', '--json');
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		const rows = readFileSync(ONE_DAY, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
		const offered = rows.filter((x) => x[9] !== 'PHANTOM' && (x[6] !== '0:00:00' || x[9] === 'AGENT'));
		const abandoned = offered.filter((x) => x[9] === 'HANG').length;
		expect(out.total.offered).toBe(offered.length);
		expect(out.actual.total.offered).toBe(offered.length);
		expect(out.actual.total.abandoned).toBe(abandoned);
		expect(out.actual.total.abandonRate).toBeCloseTo(abandoned / offered.length, 12);
		expect(out.actual.intervals).toHaveLength(96);
		expect(Object.keys(out.actual.queues).sort()).toEqual(['IN', 'NE', 'NW', 'PE', 'PS', 'TT']);
		expect(out.staffing.method).toMatch(/effective availability/);
		expect(out.staffing.intervals).toHaveLength(96);
		// Fewer effective agents than agents seen answering over the working hours (9:00–17:00).
		const work = out.staffing.intervals.slice(36, 68);
		const sum = (k: string) => work.reduce((s: number, iv: Record<string, number>) => s + (iv[k] ?? 0), 0);
		expect(sum('available')).toBeGreaterThan(0);
		expect(sum('available')).toBeLessThan(sum('seen'));
		expect(out.total.abandonRate).toBeGreaterThan(0);
		expect(typeof out.calibration.withinTarget).toBe('boolean');
		expect(out.patience.PS.source).toBe('queue');
	});

	it('--emit-scenario writes an ordinary scenario that the plain simulator runs', async () => {
		const out = join(dir, 'day.json');
		const r = await sim('--trace', MONTH, '--day', '2010-08-18', '--emit-scenario', out);
		expect(r.code, r.stderr).toBe(0);
		const v = validateScenario(JSON.parse(readFileSync(out, 'utf8')));
		expect(v.ok).toBe(true);
		const plain = await sim(out, '--replications', '2', '--json');
		expect(plain.code, plain.stderr).toBe(0);
		expect(JSON.parse(plain.stdout).total.offered).toBe(1169);
		// Two processes one after the other, each about 25 s of wall time on a loaded 2-core machine.
	}, 180_000);

	it('a Sightline trace with agent states replays with its recorded staffing', async () => {
		const s = validateScenario({
			horizon: 4 * 3600,
			queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 80 }, handle: { dist: 'exponential', mean: 200 }, patience: { dist: 'exponential', mean: 150 } }],
			agents: [{ group: 'g', count: 5, skills: { q: 1 } }]
		});
		if (!s.ok) throw new Error('bad test scenario');
		const start = Date.UTC(2026, 2, 3, 8);
		const events = traceEvents(s.scenario, { seed: 4, startTs: start });
		const f = file('day.jsonl', events.map((e) => JSON.stringify(e)).join('\n'));
		const r = await sim('--trace', f, '--replications', '2', '--json');
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.trace).toMatchObject({ format: 'sightline', day: '2026-03-03', days: 1 });
		expect(out.staffing.method).toMatch(/^recorded/);
		// 5 agents logged in from 08:00 UTC (interval 32) until the floor closes.
		expect(out.staffing.intervals[33].available).toBeCloseTo(5, 9);
		const queued = events.filter((e) => e.type === 'contact.queued').length;
		const left = events.filter((e) => e.type === 'contact.answered' || e.type === 'contact.abandoned').length;
		expect(out.actual.total.offered).toBe(left);
		expect(left).toBe(queued);
	});
});
