import { expect, test } from '@playwright/test';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { boardText, saveScreenshot, waitLive } from './helpers/wall';

/** The wallboard against the real server running the emulator at 60× speed. */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startSightline({ speed: 60 });
});

test.afterAll(async () => {
	await server?.stop();
});

test('landing page lists boards that link to their wall', async ({ page }) => {
	await page.goto(`${server.url}/`);
	const link = page.getByTestId('board-list').getByRole('link', { name: 'Whole floor' });
	await expect(link).toBeVisible();
	await link.click();
	await expect(page).toHaveURL(/\/wall\/default$/);
	await waitLive(page);
});

test('tiles show numbers that change, and the agent grid fills', async ({ page }) => {
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	// A normal page puts nothing on window: the test hook needs ?test-hooks=1.
	expect(await page.evaluate(() => '__sightline' in window)).toBe(false);
	// The emulator is never passed off as live.
	await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'emulator');
	await expect(page.getByTestId('source')).toHaveText('Emulator · 60×');
	await expect(page.getByTestId('tile-sl-voice-value')).toHaveText(/^\d+%$|^—$/);
	await expect(page.getByTestId('tile-aht-voice-value')).toHaveText(/^\d+:\d\d$/, { timeout: 30_000 });
	await expect(page.getByTestId('tile-occupancy-value')).toHaveText(/^\d+%$/, { timeout: 30_000 });
	const before = await boardText(page);
	await expect.poll(() => boardText(page), { timeout: 20_000 }).not.toBe(before);

	const cells = page.getByTestId('agent-grid').locator('li.cell');
	await expect.poll(() => cells.count(), { timeout: 20_000 }).toBeGreaterThan(20);
	// Every cell carries its state as data and as a glyph, not colour alone.
	const activities = await cells.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-activity')))]);
	expect(activities.length).toBeGreaterThan(1);
	await expect(page.getByTestId('agents-on-contact')).toContainText(/\d/);
	await expect(page.getByTestId('queue-row').first()).toBeVisible();
	await expect(page.getByTestId('headline')).toContainText('SL = answered ≤ T');
});

test('a small floor gets large DOM cells, sortable by state and by time in state', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	const grid = page.getByTestId('agent-grid');
	await expect(grid).toHaveAttribute('data-mode', 'dom');
	const cells = grid.locator('li.cell');
	await expect.poll(() => cells.count(), { timeout: 20_000 }).toBeGreaterThan(20);
	const rank = ['available', 'on-contact', 'wrap-up', 'not-ready', 'offline'];
	// By state: within each team, cells run in legend order.
	const sortedByState = () =>
		grid.locator('.team').evaluateAll((teams, rank) =>
			teams.every((t) => {
				const r = [...t.querySelectorAll('li.cell')].map((c) => rank.indexOf(c.getAttribute('data-activity') ?? ''));
				return r.every((x, i) => i === 0 || r[i - 1]! <= x);
			}),
		rank);
	expect(await sortedByState()).toBe(true);
	await page.getByRole('button', { name: 'By time in state' }).click();
	await expect(page.getByRole('button', { name: 'By time in state' })).toHaveAttribute('aria-pressed', 'true');
	expect(await cells.count()).toBeGreaterThan(20);
	await page.getByRole('button', { name: 'By state' }).click();
	await expect.poll(sortedByState).toBe(true);
});

test('renders at most once per animation frame while deltas stream in', async ({ page }) => {
	await page.goto(`${server.url}/wall/default?test-hooks=1`);
	await waitLive(page);
	const r = await page.evaluate(async () => {
		const conn = (window as unknown as { __sightline: { conn: { stats: { publishes: number; deltas: number } } } }).__sightline.conn;
		const p0 = conn.stats.publishes;
		const d0 = conn.stats.deltas;
		let frames = 0;
		await new Promise<void>((res) => {
			const t0 = performance.now();
			const f = () => {
				frames += 1;
				if (performance.now() - t0 < 3000) requestAnimationFrame(f);
				else res();
			};
			requestAnimationFrame(f);
		});
		return { publishes: conn.stats.publishes - p0, deltas: conn.stats.deltas - d0, frames };
	});
	expect(r.deltas).toBeGreaterThan(5);
	expect(r.publishes).toBeLessThanOrEqual(r.frames + 1);
});

/**
 * Headless Chromium keeps every page visible (Playwright pages are always "active", see
 * microsoft/playwright#2286), so the page is told it is hidden the way a background tab is: the
 * document reports `hidden`, `visibilitychange` fires, and animation frames stop until it is
 * visible again (what Chrome does); the socket, the server and the timers are real.
 */
const BACKGROUND_TAB = () => {
	let hidden = false;
	const raf = window.requestAnimationFrame.bind(window);
	const held: FrameRequestCallback[] = [];
	Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
	Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
	window.requestAnimationFrame = (cb) => (hidden ? (held.push(cb), 0) : raf(cb));
	(window as unknown as { __setHidden: (h: boolean) => void }).__setHidden = (h) => {
		hidden = h;
		document.dispatchEvent(new Event('visibilitychange'));
		if (!h) for (const cb of held.splice(0)) raf(cb);
	};
};

test('a background tab keeps its floor current, and shows it at once when it comes back', async ({ page }) => {
	await page.addInitScript(BACKGROUND_TAB);
	await page.goto(`${server.url}/wall/default?test-hooks=1`);
	await waitLive(page);
	type Stats = { deltas: number; publishes: number; connects: number; resyncs: number };
	const read = () =>
		page.evaluate(() => {
			const c = (window as unknown as { __sightline: { conn: { status: string; stats: Stats; floor: { seq: number | null } } } }).__sightline.conn;
			return { status: c.status, seq: c.floor.seq ?? -1, ...c.stats };
		});
	const setHidden = (h: boolean) => page.evaluate((h) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(h), h);
	await setHidden(true);
	const a = await read();
	const text = await boardText(page);
	const frames = await page.evaluate(() => new Promise<number>((res) => {
		// No animation frame runs while hidden: count any that do over 5 s.
		let n = 0;
		requestAnimationFrame(() => (n += 1));
		setTimeout(() => res(n), 5_000);
	}));
	const b = await read();
	expect(frames).toBe(0);
	// Frames kept arriving and were applied (seq moved on without gaps), and the board re-rendered
	// without animation frames: no reconnect, no resync, never stale.
	expect(b.deltas - a.deltas).toBeGreaterThan(10);
	expect(b.seq - a.seq).toBe(b.deltas - a.deltas);
	expect(b.publishes - a.publishes).toBeGreaterThan(2);
	expect([b.status, b.connects, b.resyncs]).toEqual(['live', a.connects, a.resyncs]);
	expect(await boardText(page)).not.toBe(text);

	// Back in front, the board shows the floor as of now: the view is published in the
	// visibilitychange handler itself, before any animation frame or socket message can run.
	const current = await page.evaluate(() => {
		(window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(false);
		const f = (window as unknown as { __sightline: { conn: { floor: { view: unknown; working: unknown } } } }).__sightline.conn.floor;
		return f.view === f.working;
	});
	expect(current).toBe(true);
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-status', 'live');
});

test('screenshots at 1920x1080 and 3840x2160, dark and light', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default?kiosk=1`);
	await waitLive(page);
	await page.waitForTimeout(4000);
	// Nothing spills out of the screen at either size.
	const overflow = () => page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
	expect(await overflow()).toBeLessThanOrEqual(0);
	await saveScreenshot(page, 'wall-1920x1080.png');

	await page.setViewportSize({ width: 3840, height: 2160 });
	await page.waitForTimeout(1500);
	expect(await overflow()).toBeLessThanOrEqual(0);
	await saveScreenshot(page, 'wall-3840x2160.png');

	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default?theme=light`);
	await waitLive(page);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	await page.waitForTimeout(2000);
	await saveScreenshot(page, 'wall-1920x1080-light.png');
});

test('kiosk mode hides navigation and the cursor', async ({ page }) => {
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	await expect(page.getByTestId('nav')).toBeVisible();
	await page.goto(`${server.url}/wall/default?kiosk=1`);
	await waitLive(page);
	await expect(page.getByTestId('nav')).toHaveCount(0);
	await expect(page.locator('html')).toHaveClass(/kiosk/);
	expect(await page.evaluate(() => getComputedStyle(document.body).cursor)).toBe('none');
	expect(await page.getByTestId('tile-sl-voice').evaluate((e) => getComputedStyle(e).cursor)).toBe('none');
});

test('rotate mode cycles through the boards', async ({ page }) => {
	const base = await getBoard(server.url, 'default');
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'voice', name: 'Voice queues', channels: ['voice'] });
	await page.goto(`${server.url}/wall/default?kiosk=1&rotate=5`);
	await waitLive(page);
	await expect(page.getByTestId('rotating')).toContainText('5s');
	await expect(page).toHaveURL(/\/wall\/voice\?kiosk=1&rotate=5$/, { timeout: 15_000 });
	await expect(page.getByTestId('board-name')).toHaveText('Voice queues');
	await waitLive(page);
	// The voice board shows voice queues only.
	await expect(page.getByTestId('queue-row').filter({ hasText: 'chat-support' })).toHaveCount(0);
	await expect(page).toHaveURL(/\/wall\/default\?kiosk=1&rotate=5$/, { timeout: 15_000 });
	await expect(page.getByTestId('board-name')).toHaveText('Whole floor');
});
