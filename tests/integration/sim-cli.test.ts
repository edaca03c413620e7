/** The `npm run sim` contract: JSON shape, exit code 2 with one line for a bad scenario, paired comparison. */
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

function sim(...args: string[]) {
	const r = spawnSync('node_modules/.bin/tsx', ['sim/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small = { ...mmn, horizon: 7200, interval: 1800 };
const KPIS = ['offered', 'answered', 'abandoned', 'serviceLevel', 'asa', 'aht', 'abandonRate', 'occupancy'];

describe('sim CLI', () => {
	it.each([
		['a missing file', [join(dir, 'nope.json')], /nope\.json: cannot read/],
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

	it('without --json: a readable table', () => {
		const r = sim(file('t.json', JSON.stringify(small)), '-r', '2');
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/queue billing/);
		expect(r.stdout).toMatch(/total/);
	});
});
