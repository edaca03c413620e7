import { expect, test } from '@playwright/test';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot, waitLive } from './helpers/wall';

/** Thresholds from board config colour the wall live, and the admin page edits boards. */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startSightline({ speed: 60 });
});

test.afterAll(async () => {
	await server?.stop();
});

test('a threshold crossing turns a tile red and the banner names it', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default?test-hooks=1`);
	await waitLive(page);
	const occupancy = page.getByTestId('tile-occupancy');
	await expect(page.getByTestId('tile-occupancy-value')).toHaveText(/^\d+%$/, { timeout: 30_000 });
	const readOccupancy = () =>
		page.evaluate(
			() => (window as unknown as { __sightline: { conn: { floor: { view: { total: { today: { occupancy: number } } } } } } }).__sightline.conn.floor.view.total.today.occupancy
		);
	// The emulated day starts quiet: wait until the floor is busy enough for a threshold to sit clearly under it.
	await expect.poll(readOccupancy, { timeout: 60_000 }).toBeGreaterThan(0.02);
	const now = await readOccupancy();
	await expect(occupancy).not.toHaveAttribute('data-level', 'alert');

	// Set the alert level well under the current value: the next frame carries the new board.
	const board = await getBoard(server.url, 'default');
	const rules = board.thresholds.default.filter((r) => r.kpi !== 'occupancy');
	await putBoard(server.url, server.tokens.admin!, {
		...board,
		thresholds: { ...board.thresholds, default: [...rules, { kpi: 'occupancy', warn: now / 4, alert: now / 2 }] }
	});

	await expect(occupancy).toHaveAttribute('data-level', 'alert', { timeout: 10_000 });
	await expect(occupancy).toHaveClass(/alert/);
	// Colour is not the only signal: the tile says "Alert".
	await expect(occupancy).toContainText('Alert');
	const banner = page.getByTestId('alert-banner');
	await expect(banner).toHaveClass(/alert/);
	await expect(banner).toContainText('Occupancy');
	await expect(banner).toContainText('above');
	const color = await page.getByTestId('tile-occupancy-value').evaluate((e) => getComputedStyle(e).color);
	const [r, g, b] = color.match(/\d+/g)!.map(Number);
	expect(r).toBeGreaterThan(200);
	expect(g!).toBeLessThan(150);
	expect(b!).toBeLessThan(150);
	await saveScreenshot(page, 'wall-alert-1920x1080.png');

	// A per-queue override colours that queue's row.
	await putBoard(server.url, server.tokens.admin!, {
		...board,
		thresholds: { default: board.thresholds.default, queues: { billing: [{ kpi: 'serviceLevel', warn: 1.5, alert: 1.2 }] } }
	});
	await expect(occupancy).not.toHaveAttribute('data-level', 'alert', { timeout: 10_000 });
	const billing = page.locator('[data-testid="queue-row"][data-queue="billing"]');
	await expect(billing).toHaveClass(/alert/, { timeout: 10_000 });
	await expect(page.getByTestId('alert-banner')).toContainText('(billing)');

	// A rule on the rolling window: the tile shows that window large, and the banner names the period.
	await putBoard(server.url, server.tokens.admin!, {
		...board,
		thresholds: { default: [{ kpi: 'serviceLevel', warn: 1.5, alert: 1.2, window: 'rolling' }], queues: {} }
	});
	const sl = page.getByTestId('tile-sl-voice');
	await expect(page.getByTestId('headline').locator('thead')).toContainText('Service level last 30 min', { timeout: 10_000 });
	await expect(sl).toHaveAttribute('title', /^Service level last 30 min · Voice: \d+% · Today \d+%/);
	await expect(sl).toHaveAttribute('data-level', 'alert');
	await expect(page.getByTestId('alert-banner')).toContainText(/Service level last 30 min \d+% below 120%/);
	// In the queue table the rolling column carries the level, today's does not.
	await expect(billing.locator('td').nth(3)).toHaveAttribute('data-level', 'alert');
	await expect(billing.locator('td').nth(2)).toHaveAttribute('data-level', 'none');
});

test('the admin page edits a board with the admin token, and the wall follows', async ({ page, context }) => {
	await page.goto(`${server.url}/admin`);
	await page.getByTestId('admin-token').fill(server.tokens.admin!);
	await page.getByTestId('admin-token-save').click();
	await expect(page.getByTestId('board-editor')).toBeVisible();
	await page.getByTestId('board-name-input').fill('Floor — renamed');
	// Alert on any contact waiting at all (count above -1): certain to be red.
	await page.getByTestId('default-waiting-on').check();
	await page.getByTestId('default-waiting-alert').fill('-1');
	await page.getByTestId('default-waiting-alert').dispatchEvent('change');
	// Rates can be judged today or on the rolling window; counts and waits are always now.
	await expect(page.getByTestId('default-waiting-window')).toHaveCount(0);
	await page.getByTestId('default-serviceLevel-on').check();
	const slRule = async () => (await getBoard(server.url, 'default')).thresholds.default.find((r) => r.kpi === 'serviceLevel');
	for (const window of ['today', 'rolling'] as const) {
		await page.getByTestId('default-serviceLevel-window').selectOption(window);
		await page.getByTestId('board-save').click();
		await expect(page.getByTestId('admin-message')).toContainText('saved');
		await expect.poll(async () => (await slRule())?.window ?? 'today').toBe(window);
	}
	expect(await page.evaluate(() => localStorage.getItem('sightline.adminToken'))).toBe(server.tokens.admin);

	const wall = await context.newPage();
	await wall.goto(`${server.url}/wall/default`);
	await waitLive(wall);
	await expect(wall.getByTestId('board-name')).toHaveText('Floor — renamed');
	await expect(wall.getByTestId('tile-waiting-voice')).toHaveAttribute('data-level', 'alert');

	// Queue service-level settings save through PUT /api/config.
	await page.getByLabel('billing target').fill('75');
	await page.getByLabel('billing target').dispatchEvent('change');
	await page.getByLabel('billing threshold').fill('25');
	await page.getByRole('button', { name: 'Save queue settings' }).click();
	await expect(page.getByTestId('admin-message')).toContainText('Service-level settings');
	const cfg = (await (await fetch(`${server.url}/api/config`)).json()) as { queues: { id: string; sl: { threshold: number; target: number } }[] };
	expect(cfg.queues.find((q) => q.id === 'billing')?.sl).toMatchObject({ threshold: 25, target: 0.75 });

	// Without a valid token the server refuses and the page says so.
	await page.getByTestId('admin-token').fill('wrong');
	await page.getByTestId('admin-token-save').click();
	await page.getByTestId('board-save').click();
	await expect(page.getByTestId('admin-message')).toContainText('not saved');
});
