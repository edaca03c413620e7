/**
 * The `npm run sim` contract, over the real process (src/cli/sim.ts): JSON shape, exit code 2 with
 * one line for a bad command line or scenario, paired comparison, and tables a planner can read
 * (m:ss times, labelled sides, percentage points).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import mmn from '../../sim/scenarios/mmn.json';

const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
function file(name: string, content: string): string {
	const p = join(dir, name);
	writeFileSync(p, content);
	return p;
}

// Each run is a real process (a couple of CPU seconds of tsx start-up): identical command lines
// run once per file.
const runs = new Map<string, { code: number | null; stdout: string; stderr: string }>();
function sim(...args: string[]) {
	const key = JSON.stringify(args);
	let out = runs.get(key);
	if (!out) {
		const r = spawnSync('node_modules/.bin/tsx', ['src/cli/sim.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
		out = { code: r.status, stdout: r.stdout, stderr: r.stderr };
		runs.set(key, out);
	}
	return out;
}

const small = { ...mmn, horizon: 7200, interval: 1800 };
const KPIS = ['offered', 'answered', 'abandoned', 'serviceLevel', 'asa', 'aht', 'abandonRate', 'occupancy'];

describe('sim CLI', () => {
	it.each([
		['a missing file, in words', [join(dir, 'nope.json')], /nope\.json": no such file$/m],
		['a folder', [dir], /is a folder, not a scenario file/],
		['a missing --compare file', [file('ok0.json', JSON.stringify(small)), '--compare', join(dir, 'gone.json')], /gone\.json": no such file/],
		['an unknown option', ['--bogus'], /--bogus.*see --help/],
		['bad JSON', [file('bad.json', '{"horizon": ')], /not valid JSON/],
		['a schema error, naming the field', [file('neg.json', JSON.stringify({ ...small, queues: [{ ...small.queues[0], arrivals: { perHour: -3 } }] }))], /queues\[0\]\.arrivals\.perHour/],
		['an unknown queue in skills', [file('skill.json', JSON.stringify({ ...small, agents: [{ group: 'g', count: 1, skills: { biling: 1 } }] }))], /agents\[0\]\.skills\.biling: unknown queue/],
		['a bad option', [file('ok.json', JSON.stringify(small)), '--replications', 'many'], /--replications/],
		['no scenario', [], /usage/]
	])('%s: exit 2 and one line', (_, args, message) => {
		const r = sim(...(args as string[]));
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(message);
	});

	it('--json: means and 95% intervals per total, queue, channel and interval; same numbers whatever the pool size', () => {
		const f = file('small.json', JSON.stringify(small));
		const r = sim(f, '--replications', '4', '--seed', '5', '--json');
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.replications).toBe(4);
		expect(out.contacts).toBeGreaterThan(0);
		for (const k of [out.total, out.queues.billing, out.channels.voice, out.intervals[0].total]) {
			for (const name of KPIS) {
				expect(typeof k[name]).toBe('number');
				const [lo, hi] = k.ci95[name];
				expect(lo).toBeLessThanOrEqual(k[name]);
				expect(hi).toBeGreaterThanOrEqual(k[name]);
			}
			expect(k.serviceLevel).toBeGreaterThanOrEqual(0);
			expect(k.serviceLevel).toBeLessThanOrEqual(1);
		}
		expect(out.intervals).toHaveLength(4);
		expect(out.intervals.reduce((s: number, i: { total: { offered: number } }) => s + i.total.offered, 0)).toBeCloseTo(out.total.offered, 9);
		const one = JSON.parse(sim(f, '--replications', '4', '--seed', '5', '--json', '--workers', '1').stdout);
		expect(one).toEqual(out);
	});

	it('--compare: the paired difference has its own interval, tighter than unpaired', () => {
		const base = file('base.json', JSON.stringify(small));
		const alt = file('alt.json', JSON.stringify({ ...small, name: 'one more', agents: [{ ...small.agents[0], count: 13 }] }));
		const r = sim(base, '--compare', alt, '--replications', '6', '--json');
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		const d = out.compare.diff.total;
		expect(d.serviceLevel).toBeCloseTo(out.compare.total.serviceLevel - out.total.serviceLevel, 9);
		expect(d.serviceLevel).toBeGreaterThan(0);
		const width = (ci: [number, number]) => ci[1] - ci[0];
		// Common random numbers: same arrivals in both, so offered differs by exactly nothing.
		expect(d.offered).toBe(0);
		expect(width(d.ci95.serviceLevel)).toBeLessThan(Math.hypot(width(out.total.ci95.serviceLevel), width(out.compare.total.ci95.serviceLevel)));
	});

	it('a missing file never shows the raw error code', () => {
		const r = sim(join(dir, 'nope.json'));
		expect(r.stderr).not.toMatch(/ENOENT/);
	});

	it('--help: the usage and every option on stdout, exit 0', () => {
		for (const flag of ['--help', '-h']) {
			const r = sim(flag);
			expect(r.code).toBe(0);
			expect(r.stderr).toBe('');
			for (const option of ['--replications', '--seed', '--compare', '--workers', '--json', '--help', 'exit codes']) expect(r.stdout).toContain(option);
		}
	});

	/** m:ss of a number of seconds, rounded to the second, written here independently of the CLI. */
	const mss = (s: number) => `${Math.floor(Math.round(s) / 60)}:${String(Math.round(s) % 60).padStart(2, '0')}`;
	/** The cells of the table row that starts with `scope`, in `text`. */
	const row = (text: string, scope: string) => {
		const line = text.split('\n').find((l) => l.startsWith(`${scope} `));
		if (!line) throw new Error(`no row ${scope} in:\n${text}`);
		return line;
	};

	it('without --json: a table with times as m:ss, matching the JSON means', () => {
		const f = file('small.json', JSON.stringify(small));
		const r = sim(f, '--replications', '4', '--seed', '5', '--workers', '1');
		expect(r.code, r.stderr).toBe(0);
		const j = JSON.parse(sim(f, '--replications', '4', '--seed', '5', '--json', '--workers', '1').stdout);
		const total = row(r.stdout, 'total');
		// AHT ≈ 2 minutes: shown as m:ss, never as seconds.
		expect(j.total.aht).toBeGreaterThan(60);
		expect(total).toContain(mss(j.total.aht));
		expect(total).toContain(mss(j.total.asa));
		expect(total).toContain(`${(j.total.serviceLevel * 100).toFixed(1)}%`);
		expect(row(r.stdout, 'queue billing')).toContain(mss(j.queues.billing.aht));
		expect(r.stdout).toMatch(/times m:ss/);
	});

	it('--compare with the same name on both sides: baseline and scenario told apart; differences signed, rates in pp', () => {
		const base = file('same-a.json', JSON.stringify(small));
		const alt = file('same-b.json', JSON.stringify({ ...small, agents: [{ ...small.agents[0], count: 10 }] }));
		const args = [base, '--compare', alt, '-r', '3', '--workers', '1'];
		const r = sim(...args);
		expect(r.code, r.stderr).toBe(0);
		const j = JSON.parse(sim(...args, '--json').stdout);
		expect(j.name).toBe(j.compare.name);
		expect(r.stdout).toContain(`baseline: ${small.name} (same-a.json)`);
		expect(r.stdout).toContain(`scenario: ${small.name} (same-b.json)`);
		expect(r.stdout).toContain(`difference: scenario − baseline (${small.name} (same-b.json) − ${small.name} (same-a.json))`);
		const diffTable = r.stdout.slice(r.stdout.indexOf('difference:'));
		const d = j.compare.diff.total;
		// Fewer agents: service level falls, waits grow. Shown as signed points and a signed clock.
		expect(d.serviceLevel).toBeLessThan(0);
		const sl = row(diffTable, 'total');
		expect(sl).toContain(`−${(Math.abs(d.serviceLevel) * 100).toFixed(1)} ±`);
		expect(sl).toMatch(/ pp/);
		expect(sl).not.toMatch(/\d%/);
		expect(sl).toContain(`+${mss(d.asa)}`);
	});
});
