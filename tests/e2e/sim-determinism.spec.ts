/**
 * The engine gives exactly the same numbers in a browser as in Node: the pure engine is bundled
 * with esbuild and run in Chromium, directly and through the comlink Web Worker
 * (workers/sim.worker.ts), and compared number for number with a Node run of the same scenario
 * and seed.
 */
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runReplications } from '../../sim/replicate';
import { validateScenario, type Scenario } from '../../sim/scenario';
import { traceEvents } from '../../sim/trace';

const root = fileURLToPath(new URL('../..', import.meta.url));
const day = JSON.parse(readFileSync(`${root}/sim/scenarios/multichannel-day.json`, 'utf8')) as Scenario & {
	queues: Scenario['queues'];
};
const mmn = JSON.parse(readFileSync(`${root}/sim/scenarios/mmn.json`, 'utf8')) as unknown;

async function bundle(options: { entry?: string; contents?: string }): Promise<string> {
	const r = await build({
		...(options.entry
			? { entryPoints: [options.entry] }
			: { stdin: { contents: options.contents!, resolveDir: root, loader: 'ts', sourcefile: 'sim-browser-entry.ts' } }),
		absWorkingDir: root,
		bundle: true,
		format: 'iife',
		platform: 'browser',
		target: 'es2022',
		write: false,
		logLevel: 'silent'
	});
	return r.outputFiles[0]!.text;
}

function valid(x: unknown): Scenario {
	const v = validateScenario(x);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

let engineJs = '';
let workerJs = '';

test.beforeAll(async () => {
	engineJs = await bundle({
		contents: `
			import { runReplications } from './sim/replicate';
			import { traceEvents } from './sim/trace';
			import { validateScenario } from './sim/scenario';
			import { wrap, proxy } from 'comlink';
			(globalThis as any).Sim = { runReplications, traceEvents, validateScenario, wrap, proxy };
		`
	});
	workerJs = await bundle({ entry: 'workers/sim.worker.ts' });
});

async function open(page: Page): Promise<void> {
	// A real origin, so the page may start a worker from a blob URL.
	await page.route('http://sim.test/**', (route) =>
		route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>sim</title>' })
	);
	await page.goto('http://sim.test/');
	await page.addScriptTag({ content: engineJs });
	// No Node globals leaked into the bundle: it ran in a plain page.
	expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
}

test('a browser run gives exactly the Node numbers (direct and through the worker)', async ({ page }) => {
	const s = valid(day);
	const node = runReplications(s, 42, 2);
	await open(page);

	const direct = await page.evaluate(
		({ s }) => (globalThis as any).Sim.runReplications(s, 42, 2),
		{ s }
	);
	expect(direct).toEqual(JSON.parse(JSON.stringify(node)));

	const viaWorker = await page.evaluate(
		async ({ s, workerJs }) => {
			const Sim = (globalThis as any).Sim;
			const url = URL.createObjectURL(new Blob([workerJs], { type: 'text/javascript' }));
			const api = Sim.wrap(new Worker(url));
			const progress: number[] = [];
			const r = await api.run({ kind: 'replications', scenario: s, seed: 42, reps: [0, 1] }, Sim.proxy((p: number) => progress.push(p)));
			return { runs: r.runs, progress };
		},
		{ s, workerJs }
	);
	expect(viaWorker.runs).toEqual(JSON.parse(JSON.stringify(node)));
	expect(viaWorker.progress.at(-1)).toBe(1);
});

test('the event trace is identical in the browser', async ({ page }) => {
	const s = valid(mmn);
	const startTs = Date.UTC(2025, 5, 2, 8);
	const node = traceEvents(s, { seed: 9, startTs });
	await open(page);
	const browser = await page.evaluate(({ s, startTs }) => (globalThis as any).Sim.traceEvents(s, { seed: 9, startTs }), { s, startTs });
	expect(browser).toEqual(node);
});

test('the worker can be canceled and reports a bad scenario as an error', async ({ page }) => {
	await open(page);
	const long = { ...day, horizon: 43200 * 20, queues: day.queues.map((q) => ({ ...q, arrivals: { perHour: 500 } })) };
	const out = await page.evaluate(
		async ({ long, workerJs }) => {
			const Sim = (globalThis as any).Sim;
			const api = Sim.wrap(new Worker(URL.createObjectURL(new Blob([workerJs], { type: 'text/javascript' }))));
			const job = api.run({ kind: 'replications', scenario: long, seed: 1, reps: [0] });
			await new Promise((r) => setTimeout(r, 50));
			await api.cancel();
			const canceled = await job.then(() => 'finished', (e: Error) => e.message);
			const bad = await api.run({ kind: 'replications', scenario: { horizon: 1, queues: [] , agents: []}, seed: 1, reps: [0] }).then(
				() => 'accepted',
				(e: Error) => e.message
			);
			return { canceled, bad };
		},
		{ long, workerJs }
	);
	expect(out.canceled).toMatch(/canceled/);
	expect(out.bad).toMatch(/invalid scenario: queues/);
});
