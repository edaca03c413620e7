/**
 * The planner against the real server in headless Chromium: the bundled day, a staffing change
 * made by dragging and by the shift form, a run in the worker pool whose paired SL difference is
 * read back from the page and checked, cancel of a long run, the main thread staying responsive.
 */
import { expect, test, type Page } from '@playwright/test';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot } from './helpers/wall';

let server: Sightline;

test.beforeAll(async () => {
	server = await startSightline({ speed: 1 });
});
test.afterAll(async () => {
	await server?.stop();
});

async function openPlan(page: Page, path = '/plan'): Promise<void> {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}${path}`);
	await expect(page.getByTestId('source-label')).toContainText('bundled', { timeout: 30_000 });
}

/** Watches long tasks on the page's main thread from now on. */
async function watchLongTasks(page: Page): Promise<void> {
	await page.evaluate(() => {
		const w = window as unknown as { __longest: number };
		w.__longest = 0;
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
		}).observe({ type: 'longtask', buffered: false });
	});
}

test('add agents at the morning peak, run, and the scenario beats the baseline with a paired 95 % interval above zero', async ({ page }) => {
	await openPlan(page);
	await page.getByTestId('staffing-group').selectOption('voice-support');
	await page.getByTestId('shift-n').fill('6');
	await page.getByTestId('shift-from').fill('10:00');
	await page.getByTestId('shift-to').fill('12:00');
	await page.getByTestId('shift-add').click();
	await expect(page.getByTestId('diff')).toContainText('10:00–12:00: 18 → 24 agents (+6)');

	// Drag a step: press on 13:00 and pull it to the top of the chart.
	const chart = page.getByTestId('staffing-chart');
	const box = (await chart.boundingBox())!;
	const x13 = box.x + 34 + ((box.width - 42) * (20 + 0.5)) / 48;
	await page.mouse.move(x13, box.y + box.height - 40);
	await page.mouse.down();
	await page.mouse.move(x13, box.y + 15, { steps: 5 });
	await page.mouse.up();
	await expect(page.getByTestId('diff')).toContainText(/13:00–13:15: 18 → \d+ agents \(\+\d+\)/);

	await page.getByTestId('replications').fill('10');
	await watchLongTasks(page);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
	const cell = page.getByTestId('sl-diff-support');
	const lo = Number(await cell.getAttribute('data-lo'));
	const hi = Number(await cell.getAttribute('data-hi'));
	expect(lo).toBeGreaterThan(0);
	expect(hi).toBeGreaterThan(lo);
	await expect(page.getByTestId('sl-by-queue').locator('tr[data-queue="support"]')).toContainText('better');
	await expect(page.getByTestId('chart-sl')).toBeVisible();
	const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
	console.log(`longest main-thread task while running: ${longest.toFixed(0)} ms`);
	await saveScreenshot(page, 'plan-results.png');
});

test('a long run can be canceled', async ({ page }) => {
	await openPlan(page);
	await page.getByTestId('replications').fill('400');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'running');
	await expect.poll(async () => Number(await page.getByTestId('progress').getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
	await page.getByTestId('cancel').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'canceled', { timeout: 10_000 });
	// The pool is usable again after a cancel.
	await page.getByTestId('replications').fill('2');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
});
