/**
 * Wallboard soak check (`npm run bench:wall`, not part of `npm test`): runs the real server's
 * emulator at 20× speed with 1,000 agents (tests/bench/wall-1000-agents.json), 8 hours into its
 * day so that every bounded history on the board is already full, keeps the wall
 * open in headless Chromium for a sustained period, and reports the JS heap before and after
 * (each measured after a forced GC, via CDP), DOM/listener counters, and the longest frame
 * (rAF-to-rAF gap) and long tasks. Targets: heap growth < 10 %, no frame over 50 ms.
 *
 *   npm run bench:wall -- [--seconds 600] [--warmup 60] [--speed 20] [--width 1920 --height 1080] [--profile]
 *
 * Needs build/ (npm run build) and Chromium (SIGHTLINE_CHROMIUM or /usr/bin/chromium).
 */
import { chromium, type CDPSession } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSightline, zoneAtHour } from '../e2e/helpers/server';

const ROOT = resolve(import.meta.dirname, '../..');

/** Agent cells on screen: DOM cells (large) plus cells drawn on the team canvases (small). A string for page.waitForFunction. */
const CELLS_ON_SCREEN = `[...document.querySelectorAll('[data-testid="agent-grid"] canvas')].reduce((s, c) => s + Number(c.dataset.drawn || 0), 0) + document.querySelectorAll('[data-testid="agent-grid"] li.cell').length`;
const CELLS_AT_LEAST_1000 = `${CELLS_ON_SCREEN} >= 1000`;

function arg(name: string, def: number): number {
	const i = process.argv.indexOf(`--${name}`);
	const v = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[`WALL_SOAK_${name.toUpperCase()}`] ?? def);
	if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
	return v;
}

const seconds = arg('seconds', 600);
const warmup = arg('warmup', 60);
const speed = arg('speed', 20);
const width = arg('width', 1920);
const height = arg('height', 1080);
/**
 * With `--profile`, a CDP sampling profile (1 ms) covers the measured period, and the busiest
 * stretches of the main thread (runs of non-idle samples of 30 ms or more) are broken down by
 * function: what the longest frames spent their time on, GC included.
 */
const profile = process.argv.includes('--profile');

interface FrameStats {
	frames: number;
	maxGap: number;
	over50: number;
	over33: number;
	longTasks: number;
	maxLongTask: number;
	/** The longest animation frames (Long Animation Frames API), with where their time went. */
	worst: { at: number; duration: number; beforeRender: number; styleLayout: number; scripts: string[]; board: string }[];
	gaps: number[];
	hist: number[];
}

/** The gap (ms) under which a share `q` of frames fall. */
function percentile(hist: readonly number[], q: number): number {
	const total = hist.reduce((a, b) => a + b, 0);
	let acc = 0;
	for (let i = 0; i < hist.length; i++) {
		acc += hist[i]!;
		if (acc >= q * total) return i;
	}
	return hist.length - 1;
}

/**
 * Frame monitor run in the page: the gap between consecutive animation frames is how long the
 * page could not paint; long tasks come from the Long Tasks API where there is one.
 */
const FRAME_MONITOR = `(() => {
	const st = { frames: 0, maxGap: 0, over50: 0, over33: 0, longTasks: 0, maxLongTask: 0, worst: [], gaps: [], hist: new Array(1001).fill(0) };
	window.__soak = st;
	// What the board looked like when a long frame ended: a change of layout (cell size, cells, banner, trend) is a suspect.
	function boardState() {
		const grid = document.querySelector('[data-testid="agent-grid"]');
		const banner = document.querySelector('[data-testid="alert-banner"]');
		return 'cell ' + (grid ? grid.style.getPropertyValue('--cell') : '?') + ', cells ' + (grid ? grid.dataset.cells : '?') +
			', banner ' + (banner ? banner.className.split(' ')[1] : '?') + ', trend bars ' + document.querySelectorAll('[data-testid="trend-panel"] rect.bar').length +
			', levels ' + document.querySelectorAll('.warn, .alert').length;
	}
	let last = performance.now();
	function tick(t) {
		const gap = t - last;
		last = t;
		st.frames += 1;
		if (gap > st.maxGap) st.maxGap = gap;
		st.hist[Math.min(1000, Math.round(gap))] += 1;
		if (gap > 50) st.over50 += 1;
		if (gap > 33.4) st.over33 += 1;
		if (gap > 25) { st.gaps.push(Math.round(gap)); if (st.gaps.length > 200) st.gaps.shift(); }
		requestAnimationFrame(tick);
	}
	requestAnimationFrame(tick);
	try {
		new PerformanceObserver(function (list) {
			for (const e of list.getEntries()) { st.longTasks += 1; st.maxLongTask = Math.max(st.maxLongTask, e.duration); }
		}).observe({ type: 'longtask', buffered: false });
	} catch (e) {}
	try {
		// Which script or rendering phase made a long frame: keep the five longest.
		new PerformanceObserver(function (list) {
			for (const e of list.getEntries()) {
				const end = e.startTime + e.duration;
				st.worst.push({
					at: Math.round(e.startTime / 1000),
					duration: Math.round(e.duration),
					beforeRender: Math.round((e.renderStart || end) - e.startTime),
					styleLayout: Math.round(e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0),
					scripts: e.scripts.filter(function (x) { return x.duration >= 5; }).map(function (x) { return x.invoker + ' ' + Math.round(x.duration) + 'ms'; }),
					board: boardState()
				});
				st.worst.sort(function (a, b) { return b.duration - a.duration; });
				st.worst.length = Math.min(st.worst.length, 5);
			}
		}).observe({ type: 'long-animation-frame', buffered: false });
	} catch (e) {}
})()`;

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** Heap-snapshot node types grouped for the growth breakdown. */
const KINDS: Readonly<Record<string, string>> = {
	code: 'compiled code',
	string: 'strings',
	'concatenated string': 'strings',
	'sliced string': 'strings',
	array: 'arrays',
	object: 'objects',
	closure: 'closures',
	native: 'DOM/native',
	number: 'numbers',
	hidden: 'V8 internal',
	'object shape': 'V8 internal'
};

/**
 * Self size per kind of heap node, from a heap snapshot (taken after the GCs of `heap()`). A
 * growing heap of data (objects, arrays, strings, DOM) is a leak; compiled code grows as V8
 * optimises more of the page over the first minutes and is bounded.
 */
async function heapByKind(cdp: CDPSession): Promise<Map<string, number>> {
	let json = '';
	const onChunk = (e: { chunk: string }) => {
		json += e.chunk;
	};
	cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
	await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
	const snap = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
	const fields = snap.snapshot.meta.node_fields;
	const typeAt = fields.indexOf('type');
	const sizeAt = fields.indexOf('self_size');
	const types = snap.snapshot.meta.node_types[0];
	const out = new Map<string, number>();
	for (let i = 0; i < snap.nodes.length; i += fields.length) {
		const k = KINDS[types[snap.nodes[i + typeAt]!]!] ?? 'other';
		out.set(k, (out.get(k) ?? 0) + snap.nodes[i + sizeAt]!);
	}
	return out;
}

interface CpuProfile {
	nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
	samples?: number[];
	timeDeltas?: number[];
}

/**
 * Prints the longest runs of consecutive non-idle samples (a main-thread task that kept the page
 * from painting) and, for the five longest, the functions with the most self time in them.
 */
function printBusyStretches(prof: CpuProfile): void {
	const byId = new Map(prof.nodes.map((n) => [n.id, n]));
	const samples = prof.samples ?? [];
	const dt = prof.timeDeltas ?? [];
	const name = (id: number) => {
		const n = byId.get(id)!.callFrame;
		return `${n.functionName || '(anon)'}${n.url ? ` ${n.url.split('/').pop()}:${n.lineNumber}` : ''}`;
	};
	const runs: { ms: number; from: number; to: number }[] = [];
	let start = -1;
	let ms = 0;
	for (let i = 0; i <= samples.length; i++) {
		const idle = i === samples.length || byId.get(samples[i]!)!.callFrame.functionName === '(idle)';
		if (!idle) {
			if (start < 0) (start = i), (ms = 0);
			ms += (dt[i + 1] ?? 1000) / 1000;
		} else if (start >= 0) {
			if (ms >= 30) runs.push({ ms, from: start, to: i });
			start = -1;
		}
	}
	runs.sort((a, b) => b.ms - a.ms);
	console.log(`busy stretches >= 30 ms (sampling profile): ${runs.length}; longest ${runs.slice(0, 10).map((r) => r.ms.toFixed(0)).join(', ') || 'none'} ms`);
	for (const r of runs.slice(0, 5)) {
		const self = new Map<string, number>();
		for (let i = r.from; i < r.to; i++) {
			const k = name(samples[i]!);
			self.set(k, (self.get(k) ?? 0) + (dt[i + 1] ?? 1000) / 1000);
		}
		const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 6);
		console.log(`  ${r.ms.toFixed(0)} ms: ${top.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')}`);
	}
}

async function main(): Promise<void> {
	if (!existsSync(join(ROOT, 'build/index.html'))) throw new Error('build/ is missing: run `npm run build` first');
	const exe = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
	console.log(`wall soak: ${seconds}s measured after ${warmup}s warm-up, emulator ${speed}x, 1,000 agents, ${width}x${height}`);
	// The emulated day starts 8 hours in, at local noon: the trend's 8-hour window is full from the
	// first frame, so what is measured is the board in its steady state (a wall that has run for
	// weeks), not the trend panel filling up; and no midnight reset falls inside the run.
	const server = await startSightline({
		speed,
		scenario: join(ROOT, 'tests/bench/wall-1000-agents.json'),
		extraArgs: ['--from', '16:00', '--time-zone', zoneAtHour(12)]
	});
	const browser = await chromium.launch({
		executablePath: exe === 'playwright' || !existsSync(exe) ? undefined : exe,
		args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc']
	});
	try {
		const page = await browser.newPage({ viewport: { width, height } });
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Performance.enable');
		page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
		await page.goto(`${server.url}/wall/default?kiosk=1&test-hooks=1`);
		await page.waitForSelector('[data-testid="freshness"][data-status="live"]', { timeout: 60_000 });
		await page.waitForFunction(CELLS_AT_LEAST_1000, null, { timeout: 60_000 });
		const mode = await page.getAttribute('[data-testid="agent-grid"]', 'data-mode');
		console.log(`live; ${await page.evaluate(CELLS_ON_SCREEN)} agent cells (${mode}); warming up ${warmup}s`);
		const heap = async () => {
			await cdp.send('HeapProfiler.collectGarbage');
			await cdp.send('HeapProfiler.collectGarbage');
			const { metrics } = await cdp.send('Performance.getMetrics');
			const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
			const dom = await cdp.send('Memory.getDOMCounters');
			return {
				used: get('JSHeapUsedSize'),
				total: get('JSHeapTotalSize'),
				nodes: dom.nodes,
				listeners: dom.jsEventListeners,
				documents: dom.documents,
				task: get('TaskDuration'),
				script: get('ScriptDuration'),
				layout: get('LayoutDuration') + get('RecalcStyleDuration')
			};
		};
		const stats = () =>
			page.evaluate(() => (window as unknown as { __sightline: { conn: { stats: Record<string, number> } } }).__sightline.conn.stats);

		// A heap snapshot throws compiled code away and the page recompiles it over the next seconds:
		// take the "before" snapshot halfway through the warm-up, so neither the frames nor the heap
		// measured afterwards pay for it.
		await page.waitForTimeout((warmup * 1000) / 2);
		const kindsBefore = await heapByKind(cdp);
		await page.waitForTimeout((warmup * 1000) / 2);
		const before = await heap();
		const s0 = await stats();
		// Frame monitor: the gap between consecutive animation frames is how long the page could not paint.
		// A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
		await page.evaluate(FRAME_MONITOR);
		console.log(`before: heap ${mb(before.used)} used / ${mb(before.total)} total, ${before.nodes} DOM nodes, ${before.listeners} listeners`);

		if (profile) {
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
			await cdp.send('Profiler.start');
		}
		const t0 = Date.now();
		const every = Math.min(60, Math.max(10, Math.floor(seconds / 10)));
		while ((Date.now() - t0) / 1000 < seconds) {
			await page.waitForTimeout(Math.min(every, seconds - (Date.now() - t0) / 1000) * 1000);
			const { metrics } = await cdp.send('Performance.getMetrics');
			const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
			const f = await page.evaluate(() => (window as unknown as { __soak: FrameStats }).__soak);
			const status = await page.getAttribute('[data-testid="freshness"]', 'data-status');
			console.log(
				`  t=${Math.round((Date.now() - t0) / 1000)}s heap ${mb(used)} (no GC) · frames ${f.frames} · longest ${f.maxGap.toFixed(1)} ms · >50ms ${f.over50} · status ${status}`
			);
		}

		const f = await page.evaluate(() => (window as unknown as { __soak: FrameStats }).__soak);
		if (profile) printBusyStretches((await cdp.send('Profiler.stop')).profile);
		const s1 = await stats();
		const after = await heap();
		const kindsAfter = await heapByKind(cdp);
		const growth = (after.used - before.used) / before.used;
		console.log(`after:  heap ${mb(after.used)} used / ${mb(after.total)} total, ${after.nodes} DOM nodes, ${after.listeners} listeners`);
		console.log('');
		console.log(`JS heap (after GC): before ${mb(before.used)}, after ${mb(after.used)}, growth ${(growth * 100).toFixed(1)}% (target < 10%)`);
		const kb = (b: number) => `${b >= 0 ? '+' : ''}${(b / 1024).toFixed(0)} KB`;
		console.log(
			`heap growth by kind (snapshot self sizes, from halfway through the warm-up): ${[...new Set([...kindsBefore.keys(), ...kindsAfter.keys()])]
				.map((k) => [k, (kindsAfter.get(k) ?? 0) - (kindsBefore.get(k) ?? 0)] as const)
				.sort((a, b) => b[1] - a[1])
				.map(([k, d]) => `${k} ${kb(d)}`)
				.join(', ')}`
		);
		console.log(`DOM nodes ${before.nodes} -> ${after.nodes}; JS event listeners ${before.listeners} -> ${after.listeners}`);
		console.log(
			`frames: ${f.frames} in ${seconds}s (${(f.frames / seconds).toFixed(1)}/s); longest frame gap ${f.maxGap.toFixed(1)} ms (target <= 50 ms); gaps > 50 ms: ${f.over50}; > 33 ms: ${f.over33}`
		);
		const busy = (after.task - before.task) / seconds;
		console.log(
			`frame gap percentiles: p50 ${percentile(f.hist, 0.5)} ms, p99 ${percentile(f.hist, 0.99)} ms, p99.9 ${percentile(f.hist, 0.999)} ms; ${((f.over50 / Math.max(1, f.frames)) * 100).toFixed(2)}% of frames over 50 ms`
		);
		console.log(
			`renderer main thread busy ${(busy * 100).toFixed(1)}% (script ${(((after.script - before.script) / seconds) * 100).toFixed(1)}%, style+layout ${(((after.layout - before.layout) / seconds) * 100).toFixed(1)}%)`
		);
		console.log(`long tasks: ${f.longTasks}, longest ${f.maxLongTask.toFixed(1)} ms; recent gaps > 25 ms: ${f.gaps.slice(-20).join(', ') || 'none'}`);
		for (const w of f.worst)
			console.log(
				`  long animation frame at ${w.at}s page time: ${w.duration} ms (${w.beforeRender} ms before rendering, ${w.styleLayout} ms style+layout onwards)${w.scripts.length ? `; scripts: ${w.scripts.join(', ')}` : ''}; board: ${w.board}`
			);
		console.log(
			`stream: ${s1.deltas! - s0.deltas!} deltas, ${s1.snapshots! - s0.snapshots!} snapshots, ${s1.resyncs! - s0.resyncs!} resyncs, ${s1.publishes! - s0.publishes!} renders, ${s1.connects! - s0.connects!} reconnects`
		);
		const ok = growth < 0.1 && f.maxGap <= 50;
		console.log(ok ? 'PASS' : 'FAIL: a target was missed (see above)');
		process.exitCode = ok ? 0 : 1;
	} finally {
		await browser.close();
		await server.stop();
	}
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : String(e));
	process.exit(2);
});
