/**
 * npm run bench:plan — time from Run to results on /plan for the bundled multi-channel day,
 * baseline + scenario × 20 replications in headless Chromium's worker pool, and the longest
 * main-thread task meanwhile (Long Tasks API), against the same replications in one Node process
 * in the same run. Target: under 3 s on 2 cores. Prints figures; asserts nothing.
 *
 * Needs build/ (npm run build) and Chromium (SIGHTLINE_CHROMIUM or /usr/bin/chromium).
 * Options: --replications N (default 20), --runs K (browser runs, default 3).
 */
import { chromium } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runReplications } from '../../sim/replicate';
import { validateScenario, type Scenario } from '../../sim/scenario';
import { applyChanges } from '../../src/lib/planner/changes';
import { staffingOf } from '../../src/lib/planner/staffing';
import { startSightline } from '../e2e/helpers/server';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { replications: { type: 'string', default: '20' }, runs: { type: 'string', default: '3' } } });
const R = Number(values.replications);
const RUNS = Number(values.runs);

function valid(x: unknown): Scenario {
	const v = validateScenario(x);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

async function main(): Promise<void> {
	if (!existsSync(join(ROOT, 'build/index.html'))) throw new Error('build/ is missing: run `npm run build` first');
	const day = valid(JSON.parse(readFileSync(join(ROOT, 'sim/scenarios/multichannel-day.json'), 'utf8')));
	const support = day.agents.find((g) => g.group === 'voice-support')!;
	// The scenario the browser builds with its shift form: voice-support +6 from 10:00 to 12:00.
	const alt = valid(applyChanges(day, { staffing: { 'voice-support': staffingOf(day, support).map((h, i) => (i >= 8 && i < 16 ? h + 6 : h)) } }));
	console.log(`bench:plan: bundled multi-channel day, ${R} replications × (baseline + scenario), ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`);

	// Node: the same replications, one process, one thread.
	const t0 = performance.now();
	runReplications(day, 7, R);
	runReplications(alt, 7, R);
	const node = performance.now() - t0;

	const server = await startSightline({ speed: 1 });
	const exe = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
	const browser = await chromium.launch({ executablePath: exe === 'playwright' || !existsSync(exe) ? undefined : exe, args: ['--no-sandbox', '--disable-gpu'] });
	const rows: { run: number; ms: number; longest: number; tasks: number; workers: number }[] = [];
	try {
		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
		await page.goto(`${server.url}/plan`);
		await page.getByTestId('source-label').waitFor({ timeout: 60_000 });
		await page.getByTestId('staffing-group').selectOption('voice-support');
		await page.getByTestId('shift-n').fill('6');
		await page.getByTestId('shift-from').fill('10:00');
		await page.getByTestId('shift-to').fill('12:00');
		await page.getByTestId('shift-add').click();
		await page.getByTestId('replications').fill(String(R));
		for (let run = 1; run <= RUNS; run++) {
			// Changing the seed and back makes the results stale, so each run starts from the same state.
			const r = await page.evaluate(async () => {
				const tasks: number[] = [];
				const obs = new PerformanceObserver((l) => {
					for (const e of l.getEntries()) tasks.push(e.duration);
				});
				obs.observe({ type: 'longtask' });
				const bar = document.querySelector('[data-testid="runbar"]')!;
				const t0 = performance.now();
				(document.querySelector('[data-testid="run"]') as HTMLButtonElement).click();
				await new Promise<void>((res) => {
					const mo = new MutationObserver(() => {
						if (bar.getAttribute('data-status') === 'done' || bar.getAttribute('data-status') === 'failed') {
							mo.disconnect();
							res();
						}
					});
					mo.observe(bar, { attributes: true });
				});
				// Until the results are on screen: the next frame after "done".
				await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
				const ms = performance.now() - t0;
				await new Promise((r) => setTimeout(r, 300));
				obs.disconnect();
				return { ms, longest: Math.max(0, ...tasks), tasks: tasks.length, workers: Math.max(2, Math.min(16, navigator.hardwareConcurrency)), status: bar.getAttribute('data-status') };
			});
			if (r.status !== 'done') throw new Error(`run ${run} ended ${r.status}`);
			rows.push({ run, ...r });
		}
	} finally {
		await browser.close();
		await server.stop();
	}
	console.log('');
	console.log('where                          Run → results    longest main-thread task   long tasks');
	for (const r of rows) console.log(`Chromium, ${r.workers} workers, run ${r.run}      ${(r.ms / 1000).toFixed(2).padStart(6)} s        ${r.longest.toFixed(0).padStart(5)} ms                ${r.tasks}`);
	console.log(`Node, one process, one thread    ${(node / 1000).toFixed(2).padStart(6)} s`);
	const best = Math.min(...rows.map((r) => r.ms));
	console.log('');
	console.log(`best browser run ${(best / 1000).toFixed(2)} s against target 3 s: ${best < 3000 ? 'met' : 'missed'}; browser/Node ${(best / node).toFixed(2)}×`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
