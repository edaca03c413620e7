/**
 * Agent-grid burst micro-benchmark (`npm run bench:wall-flip`, not part of `npm test`): what one
 * frame costs when hundreds of agents change state at once, as at an emulator shift start.
 *
 * The real server runs the 1,000-agent scenario almost frozen (emulator at 0.01×), so nothing but
 * the synthetic bursts changes the floor. Each burst is a delta built in the page from the floor's
 * own working copy (N agents moved to the next activity, `since` = now), applied through
 * `FloorState.applyDelta` and published in an animation-frame callback, exactly as the live
 * connection's scheduler does. The long-animation-frame entry of that frame gives its script,
 * style+layout and total main-thread time; the rAF-to-rAF gap is what a viewer would see.
 *
 *   npm run bench:wall-flip -- [--reps 12] [--sizes 100,300,1000] [--sort state|time] [--width 1920 --height 1080] [--trace FILE] [--profile]
 *     [--scenario FILE|builtin]
 *
 * Needs build/ (npm run build) and Chromium (SIGHTLINE_CHROMIUM or /usr/bin/chromium).
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSightline } from '../e2e/helpers/server';

const ROOT = resolve(import.meta.dirname, '../..');

/** Agent cells on screen: DOM cells (large) plus cells drawn on the team canvases (small). A string for page.waitForFunction. */
const CELLS_ON_SCREEN = `[...document.querySelectorAll('[data-testid="agent-grid"] canvas')].reduce((s, c) => s + Number(c.dataset.drawn || 0), 0) + document.querySelectorAll('[data-testid="agent-grid"] li.cell').length`;

function flag(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}
const reps = Number(flag('reps') ?? 12);
const sizes = (flag('sizes') ?? '100,300,1000').split(',').map(Number);
const sort = flag('sort') === 'time' ? 'time' : 'state';
const width = Number(flag('width') ?? 1920);
const height = Number(flag('height') ?? 1080);
/** Writes a Chrome trace of one extra burst of the largest size here, for chrome://tracing or Perfetto. */
const traceFile = flag('trace');
/** Prints the JS functions with the most self time over 20 bursts of 300 agents (CDP sampling profiler). */
const profile = process.argv.includes('--profile');
/** Scenario file for the emulator; `builtin` for the server's own (about 80 agents, large DOM cells). */
const scenario = flag('scenario') ?? join(ROOT, 'tests/bench/wall-1000-agents.json');

/** One burst as measured in the page. */
interface Burst {
	/** Main-thread time by CDP Performance metrics over the burst, ms (task, script, style, layout). */
	cdp?: { task: number; script: number; style: number; layout: number };
	/** rAF callback of the burst to the next rAF callback, ms. */
	gap: number;
	/** Long-animation-frame entry covering the burst (absent when the frame was under 50 ms). */
	loaf: { duration: number; script: number; render: number; styleLayout: number } | null;
	/** Synchronous publish (Svelte flush included) measured around the call, ms. */
	publish: number;
}

/**
 * Runs in the page: one burst of `n` state changes. A string, not a function: tsx would wrap named
 * inner functions in a helper the page lacks.
 */
const BURST = `async (n) => {
	const conn = window.__sightline.conn;
	const floor = conn.floor;
	const ACTS = ['available', 'on-contact', 'wrap-up', 'not-ready', 'offline'];
	const w = floor.working;
	// Spread the changed agents over every team, like a shift start touching several groups.
	const step = Math.max(1, Math.floor(w.agents.length / n));
	const picked = [];
	for (let i = 0; picked.length < n && i < w.agents.length * step; i += step) picked.push(w.agents[(i + picked.length) % w.agents.length]);
	const now = conn.serverNow();
	window.__flipRound = (window.__flipRound || 0) + 1;
	const agents = picked.map((a) => ({ ...a, activity: ACTS[(ACTS.indexOf(a.activity) + 1 + (window.__flipRound % 2)) % ACTS.length], since: now - Math.floor(Math.random() * 5000) }));
	const frame = { type: 'delta', seq: floor.seq + 1, serverTime: now, changes: { board: null, dayStart: null, total: null, channels: null, queues: null, agents, removedAgents: null, trend: null } };
	window.__loaf = [];
	return await new Promise((res) => {
		requestAnimationFrame((t0) => {
			const p0 = performance.now();
			floor.applyDelta(frame);
			floor.publish(now);
			// Svelte flushes in a microtask; a resolved promise runs after it.
			Promise.resolve().then(() => {
				const publish = performance.now() - p0;
				requestAnimationFrame((t1) => {
					// Give the observer a moment to deliver the entry.
					setTimeout(() => {
						const e = window.__loaf.find((x) => x.startTime <= p0 + 1 && x.startTime + x.duration >= p0);
						const loaf = e ? {
							duration: e.duration,
							script: e.scripts.reduce((s, x) => s + x.duration, 0),
							render: e.startTime + e.duration - e.renderStart,
							styleLayout: e.startTime + e.duration - e.styleAndLayoutStart
						} : null;
						res({ gap: t1 - t0, loaf, publish });
					}, 30);
				});
			});
		});
	});
}`;

const LOAF_OBSERVER = `(() => {
	window.__loaf = [];
	new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__loaf.push(e); }).observe({ type: 'long-animation-frame', buffered: false });
})()`;

function stat(xs: readonly number[]): string {
	const s = [...xs].sort((a, b) => a - b);
	const med = s[Math.floor(s.length / 2)] ?? 0;
	return `median ${med.toFixed(1)}, max ${(s[s.length - 1] ?? 0).toFixed(1)}`;
}

async function main(): Promise<void> {
	if (!existsSync(join(ROOT, 'build/index.html'))) throw new Error('build/ is missing: run `npm run build` first');
	const exe = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
	console.log(`wall flip: bursts of ${sizes.join(', ')} agents × ${reps}, sort by ${sort}, ${scenario === 'builtin' ? 'built-in scenario' : scenario.split('/').pop()}, ${width}x${height}`);
	const server = await startSightline({ speed: 0.01, scenario: scenario === 'builtin' ? undefined : scenario });
	const browser = await chromium.launch({
		executablePath: exe === 'playwright' || !existsSync(exe) ? undefined : exe,
		args: ['--no-sandbox', '--disable-gpu']
	});
	let failed = false;
	try {
		const page = await browser.newPage({ viewport: { width, height } });
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Performance.enable');
		const metrics = async () => {
			const { metrics: m } = await cdp.send('Performance.getMetrics');
			const get = (k: string) => (m.find((x) => x.name === k)?.value ?? 0) * 1000;
			return { task: get('TaskDuration'), script: get('ScriptDuration'), style: get('RecalcStyleDuration'), layout: get('LayoutDuration') };
		};
		const burst = async (n: number): Promise<Burst> => {
			const m0 = await metrics();
			const r = (await page.evaluate(`(${BURST})(${n})`)) as Burst;
			const m1 = await metrics();
			r.cdp = { task: m1.task - m0.task, script: m1.script - m0.script, style: m1.style - m0.style, layout: m1.layout - m0.layout };
			return r;
		};
		page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
		await page.goto(`${server.url}/wall/default?kiosk=1&sort=${sort}&test-hooks=1`);
		await page.waitForSelector('[data-testid="freshness"][data-status="live"]', { timeout: 60_000 });
		await page.waitForFunction(`${CELLS_ON_SCREEN} >= Number(document.querySelector('[data-testid="agent-grid"]')?.dataset.cells || Infinity)`, null, { timeout: 60_000 });
		const mode = await page.getAttribute('[data-testid="agent-grid"]', 'data-mode');
		console.log(`${await page.evaluate(CELLS_ON_SCREEN)} agent cells (${mode})`);
		await page.waitForTimeout(2000);
		await page.evaluate(LOAF_OBSERVER);
		// Warm-up: first bursts pay for JIT and first-time style sharing.
		for (let i = 0; i < 3; i++) await burst(300);
		const idle = await metrics();
		await page.waitForTimeout(1000);
		const idle1 = await metrics();
		console.log(`idle main thread: ${(idle1.task - idle.task).toFixed(1)} ms per second`);
		for (const n of sizes) {
			const rows: Burst[] = [];
			for (let i = 0; i < reps; i++) {
				rows.push(await burst(n));
				await page.waitForTimeout(150);
			}
			const loafs = rows.map((r) => r.loaf);
			const c = rows.map((r) => r.cdp!);
			console.log(
				`${String(n).padStart(5)} agents: main thread ${stat(c.map((x) => x.task))} ms (script ${stat(c.map((x) => x.script))}, style ${stat(c.map((x) => x.style))}, layout ${stat(c.map((x) => x.layout))})`
			);
			console.log(`${String(n).padStart(5)} agents: frame gap ${stat(rows.map((r) => r.gap))} ms · publish + Svelte flush ${stat(rows.map((r) => r.publish))} ms`);
			const long = loafs.filter((l) => l !== null);
			if (long.length)
				console.log(
					`${String(n).padStart(5)} agents: ${long.length} long animation frames (> 50 ms): ${stat(long.map((l) => l.duration))} ms (script ${stat(long.map((l) => l.script))}, render ${stat(long.map((l) => l.render))}, style+layout ${stat(long.map((l) => l.styleLayout))})`
				);
		}
		if (profile) {
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
			await cdp.send('Profiler.start');
			for (let i = 0; i < 20; i++) await burst(300);
			const { profile: prof } = await cdp.send('Profiler.stop');
			const self = new Map<string, number>();
			const dt = prof.timeDeltas ?? [];
			const byId = new Map(prof.nodes.map((n) => [n.id, n]));
			(prof.samples ?? []).forEach((id, i) => {
				const n = byId.get(id)!;
				const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
				self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000);
			});
			for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / 20).toFixed(2)} ms/burst ${k}`);
		}
		if (traceFile) {
			await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'benchmark'] });
			await burst(sizes[sizes.length - 1]!);
			await browser.stopTracing();
			console.log(`trace of one burst: ${traceFile}`);
		}
		const cells = (await page.evaluate(CELLS_ON_SCREEN)) as number;
		const expected = Number(await page.getAttribute('[data-testid="agent-grid"]', 'data-cells'));
		if (cells < expected) {
			console.log(`FAIL: only ${cells} cells after the bursts`);
			failed = true;
		}
	} finally {
		await browser.close();
		await server.stop();
	}
	process.exitCode = failed ? 1 : 0;
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : String(e));
	process.exit(2);
});
