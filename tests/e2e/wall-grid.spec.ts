import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { agentsPastBox, saveScreenshot, waitLive } from './helpers/wall';

/**
 * The agent grid at 1,000 agents (the soak scenario at 20×): small cells are drawn on one canvas
 * per team, still grouped by team, sorted by state or time in state, with the counts as text and
 * the agent named on hover.
 */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startSightline({ speed: 20, scenario: join(resolve(import.meta.dirname, '../..'), 'tests/bench/wall-1000-agents.json') });
});

test.afterAll(async () => {
	await server?.stop();
});

/** Per team canvas: cells drawn and the run-length order of their states. */
function canvases(page: Page): Promise<{ drawn: number; order: string; label: string }[]> {
	return page
		.getByTestId('agent-grid')
		.locator('canvas')
		.evaluateAll((els) => els.map((e) => ({ drawn: Number((e as HTMLElement).dataset.drawn ?? 0), order: (e as HTMLElement).dataset.order ?? '', label: e.textContent ?? '' })));
}

const RANK = ['available', 'on-contact', 'wrap-up', 'not-ready', 'offline'];

test('1,000 agents: one canvas per team, every agent drawn, sorted by state', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	const grid = page.getByTestId('agent-grid');
	await expect(grid).toHaveAttribute('data-mode', 'canvas');
	await expect(grid).toHaveAttribute('data-cells', '1000');
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBe(1000);
	const teams = await canvases(page);
	expect(teams.length).toBe(7);
	for (const t of teams) {
		// By state: each state is one run, in legend order.
		const runs = t.order.split(',').map((r) => r.split(':')[0]!);
		expect(new Set(runs).size).toBe(runs.length);
		const ranks = runs.map((r) => RANK.indexOf(r));
		expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
		// The counts are text too (fallback content of the canvas, and the team header).
		expect(t.label).toMatch(/\d+ agents/);
	}
	await expect(grid.locator('h3')).toHaveCount(7);
	// The legend counts every agent.
	const legend = await page.locator('[data-testid^="agents-"] .n').allInnerTexts();
	expect(legend.map((s) => Number(s.replace(/\D/g, ''))).reduce((a, b) => a + b, 0)).toBe(1000);
	await saveScreenshot(page, 'wall-1000-agents-1920x1080.png');
});

test('1,000 agents: hovering a cell names the agent and its state', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	const first = page.getByTestId('agent-grid').locator('canvas').first();
	await expect(first).toHaveAttribute('data-drawn', /^[1-9]/);
	await first.hover({ position: { x: 4, y: 4 } });
	await expect(first).toHaveAttribute('title', /— (Available|On contact|Wrap-up|Not ready|Offline)/);
});

test('1,000 agents: sort by time in state, and back', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBe(1000);
	await page.getByRole('button', { name: 'By time in state' }).click();
	await expect(page.getByRole('button', { name: 'By time in state' })).toHaveAttribute('aria-pressed', 'true');
	// By time, states interleave: some team shows a state in more than one run.
	await expect
		.poll(async () => (await canvases(page)).some((t) => {
			const runs = t.order.split(',').map((r) => r.split(':')[0]);
			return new Set(runs).size < runs.length;
		}), { timeout: 10_000 })
		.toBe(true);
	await page.getByRole('button', { name: 'By state' }).click();
	await expect
		.poll(async () => (await canvases(page)).every((t) => {
			const runs = t.order.split(',').map((r) => r.split(':')[0]);
			return new Set(runs).size === runs.length;
		}), { timeout: 10_000 })
		.toBe(true);
});

/**
 * Reads every team canvas back: for each cell of the drawn order, is the pixel on its left edge
 * halfway down the fill of the agent's state (transparent inside an offline outline), and are the
 * slots after a team's last cell empty? Also counts cells with an age bar (the bottom-left pixel
 * in the on-state colour): none may be offline. Order and pixels are read in one synchronous
 * call, so they belong to the same paint.
 */
function checkPixels(page: Page): Promise<{ cells: number; wrong: string[]; repainted: { n: number; of: number }[]; bars: number; flagged: number }> {
	return page.evaluate(() => {
		const grid = document.querySelector<HTMLElement>('[data-testid="agent-grid"]')!;
		const cell = parseFloat(grid.style.getPropertyValue('--cell'));
		const gap = parseFloat(grid.style.getPropertyValue('--gap'));
		const dpr = window.devicePixelRatio || 1;
		const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
		const css = getComputedStyle(grid);
		const fill: Record<string, number[]> = {};
		for (const a of ['available', 'on-contact', 'wrap-up', 'not-ready', 'offline']) {
			probe.clearRect(0, 0, 1, 1);
			probe.fillStyle = css.getPropertyValue(`--st-${a}`).trim();
			probe.fillRect(0, 0, 1, 1);
			fill[a] = [...probe.getImageData(0, 0, 1, 1).data];
		}
		probe.clearRect(0, 0, 1, 1);
		probe.fillStyle = css.getPropertyValue('--on-state').trim();
		probe.fillRect(0, 0, 1, 1);
		const onState = [...probe.getImageData(0, 0, 1, 1).data];
		probe.clearRect(0, 0, 1, 1);
		probe.fillStyle = css.getPropertyValue('--alert-solid').trim();
		probe.fillRect(0, 0, 1, 1);
		const alert = [...probe.getImageData(0, 0, 1, 1).data];
		let flagged = 0;
		const wrong: string[] = [];
		const repainted: { n: number; of: number }[] = [];
		let cells = 0;
		let bars = 0;
		grid.querySelectorAll('canvas').forEach((c, t) => {
			repainted.push({ n: Number(c.dataset.repainted), of: Number(c.dataset.drawn) });
			const order = (c.dataset.order ?? '').split(',').filter(Boolean).flatMap((r) => {
				const [a, n] = r.split(':');
				return Array<string>(Number(n)).fill(a!);
			});
			const long = new Set((c.dataset.long ?? '').split(',').filter(Boolean).map(Number));
			flagged += long.size;
			const cols = Math.max(1, Math.floor((c.clientWidth + gap) / (cell + gap)));
			const size = Math.round(cell * dpr);
			const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
			const slots = Math.ceil(order.length / cols) * cols;
			const pixel = (x: number, y: number) => {
				const at = (y * c.width + x) * 4;
				return [img[at]!, img[at + 1]!, img[at + 2]!, img[at + 3]!];
			};
			for (let i = 0; i < slots; i++) {
				const x0 = Math.round((i % cols) * (cell + gap) * dpr);
				const y0 = Math.round(Math.floor(i / cols) * (cell + gap) * dpr);
				const want = order[i];
				// A flagged cell (the board's long-state rule) has a ring in the alert colour along its edge.
				if (long.has(i)) {
					const ring = pixel(x0 + 1, y0 + Math.floor(size * 0.5));
					if (!ring.every((v, k) => Math.abs(v - alert[k]!) <= 2)) wrong.push(`team ${t} cell ${i}: flagged, edge pixel rgba(${ring.join(',')})`);
					cells += 1;
					continue;
				}
				const px = pixel(x0 + Math.floor(size * 0.15), y0 + Math.floor(size * 0.5));
				const bar = pixel(x0 + Math.floor(size * 0.3), y0 + size - 1);
				if (bar.every((v, k) => Math.abs(v - onState[k]!) <= 2)) {
					bars += 1;
					if (want === 'offline' || want === undefined) wrong.push(`team ${t} cell ${i}: an age bar on ${want ?? 'an empty slot'}`);
				}
				const ok =
					want === undefined || want === 'offline'
						? px[3] === 0
						: px[3] === 255 && px.slice(0, 3).every((v, k) => Math.abs(v - fill[want]![k]!) <= 2);
				if (want !== undefined) cells += 1;
				if (!ok) wrong.push(`team ${t} cell ${i}: want ${want ?? 'empty'}, pixel rgba(${px.join(',')})`);
			}
		});
		return { cells, wrong, repainted, bars, flagged };
	});
}

test('1,000 agents: after minutes of changes every cell still shows its agent, repainting only what changed', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default?kiosk=1`);
	await waitLive(page);
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBe(1000);
	let partial = 0;
	let bars = 0;
	// At 20×, 12 s is 4 floor minutes: hundreds of state changes, each repainting a few cells.
	for (let k = 0; k < 6; k++) {
		await page.waitForTimeout(2_000);
		const r = await checkPixels(page);
		expect(r.cells).toBe(1000);
		expect(r.wrong).toEqual([]);
		partial += r.repainted.filter(({ n, of }) => n > 0 && n < of / 2).length;
		bars = Math.max(bars, r.bars);
	}
	// Agents a minute or more in their state carry an age bar, and the grid says what it means.
	expect(bars).toBeGreaterThan(0);
	await expect(page.getByTestId('agent-key')).toContainText('minutes in state');
	// Some paint touched under half a team's cells, not the whole canvas.
	expect(partial).toBeGreaterThan(0);
});

test('1,000 agents at 3840x2160 in kiosk mode still draw every agent', async ({ page }) => {
	await page.setViewportSize({ width: 3840, height: 2160 });
	await page.goto(`${server.url}/wall/default?kiosk=1`);
	await waitLive(page);
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBe(1000);
	expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
	await saveScreenshot(page, 'wall-1000-agents-3840x2160.png');
});

test('1,000 agents at 1280x720: teams that do not fit are left out whole and counted, none cut by the panel', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	await page.goto(`${server.url}/wall/default?kiosk=1`);
	await waitLive(page);
	const note = page.getByTestId('agents-hidden');
	await expect(note).toBeVisible({ timeout: 20_000 });
	const teams = await canvases(page);
	expect(teams.length).toBeGreaterThan(0);
	expect(teams.length).toBeLessThan(7);
	// Every drawn team lies wholly inside the grid's box (which clips), and so does the note.
	expect(await agentsPastBox(page)).toEqual([]);
	// Drawn and counted add up to the floor; the note names each left-out team with its size.
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBeGreaterThan(0);
	const text = (await note.textContent())!.replace(/\s+/g, ' ').trim();
	const m = /^\+(\d+) agents not shown \(no room\): (.+)$/.exec(text);
	expect(m, text).not.toBeNull();
	const named = m![2]!.split(', ').map((x) => Number(x.split(' ').at(-1)));
	expect(named.length).toBe(7 - teams.length);
	expect(named.reduce((a, b) => a + b, 0)).toBe(Number(m![1]));
	const drawn = (await canvases(page)).reduce((s, c) => s + c.drawn, 0);
	expect(drawn + Number(m![1])).toBe(1000);
	await saveScreenshot(page, 'wall-1000-agents-1280x720.png');
});

test('a few hundred agents with room to spare: canvas cells with time in state and slots', async ({ page }) => {
	const base = await getBoard(server.url, 'default');
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'chat', name: 'Chat', channels: ['chat'] });
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/chat?kiosk=1`);
	await waitLive(page);
	const grid = page.getByTestId('agent-grid');
	await expect(grid).toHaveAttribute('data-mode', 'canvas');
	await expect(grid).toHaveAttribute('data-detail', 'true');
	const n = Number(await grid.getAttribute('data-cells'));
	expect(n).toBeGreaterThan(150);
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBe(n);
	await saveScreenshot(page, 'wall-chat-detail-1920x1080.png');
});

test('1,000 agents on canvases: agents past the board’s long-state minutes are flagged, only in the states the rule names', async ({ page }) => {
	const base = await getBoard(server.url, 'default');
	// 3 floor seconds available is "long" on this board (at 20×, 0.15 s of real time); no other state is judged.
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'long', name: 'Long', display: { longState: { available: 0.05 } } });
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/long`);
	await waitLive(page);
	await expect(page.getByTestId('agent-grid')).toHaveAttribute('data-mode', 'canvas');
	await expect.poll(async () => (await canvases(page)).reduce((s, c) => s + c.drawn, 0), { timeout: 20_000 }).toBe(1000);
	// Every flagged cell is an available agent (read from the drawn order), drawn with the ring; most available agents are flagged.
	const flaggedStates = () =>
		page.getByTestId('agent-grid').locator('canvas').evaluateAll((els) =>
			els.flatMap((e) => {
				const d = (e as HTMLElement).dataset;
				const order = (d.order ?? '').split(',').filter(Boolean).flatMap((r) => {
					const [a, n] = r.split(':');
					return Array<string>(Number(n)).fill(a!);
				});
				return (d.long ?? '').split(',').filter(Boolean).map((i) => order[Number(i)] ?? 'none');
			})
		);
	await expect.poll(async () => (await flaggedStates()).length, { timeout: 10_000 }).toBeGreaterThan(20);
	expect(new Set(await flaggedStates())).toEqual(new Set(['available']));
	const r = await checkPixels(page);
	expect(r.wrong).toEqual([]);
	expect(r.flagged).toBeGreaterThan(20);
	const available = Number((await page.getByTestId('agents-available').locator('.n').innerText()).replace(/\D/g, ''));
	expect(r.flagged).toBeLessThanOrEqual(available + 20);
	// Hovering a flagged cell says why, as the DOM cell's title does.
	const canvas = page.getByTestId('agent-grid').locator('canvas:not([data-long=""])').first();
	const at = await canvas.evaluate((e) => {
		const grid = e.closest<HTMLElement>('[data-testid="agent-grid"]')!;
		const cell = parseFloat(grid.style.getPropertyValue('--cell'));
		const gap = parseFloat(grid.style.getPropertyValue('--gap'));
		const cols = Math.max(1, Math.floor((e.clientWidth + gap) / (cell + gap)));
		const i = Number(((e as HTMLElement).dataset.long ?? '').split(',')[0]);
		return { x: (i % cols) * (cell + gap) + cell / 2, y: Math.floor(i / cols) * (cell + gap) + cell / 2 };
	});
	await canvas.hover({ position: at });
	await expect(canvas).toHaveAttribute('title', /— Available.* · over 0\.05 min in this state/);
	await saveScreenshot(page, 'wall-1000-agents-long-state-1920x1080.png');
	// The rule off: nothing flagged.
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'long', name: 'Long', display: { longState: {} } });
	await expect.poll(async () => (await flaggedStates()).length, { timeout: 10_000 }).toBe(0);
});
