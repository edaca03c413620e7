import { expect, test } from '@playwright/test';
import { startSightline, type Sightline } from './helpers/server';
import { boardText, saveScreenshot, waitLive } from './helpers/wall';

/** Killing the server shows "reconnecting" and dims the old numbers; a restart brings live data back. */
let server: Sightline;

test.beforeAll(async () => {
	server = await startSightline({ speed: 60 });
});

test.afterAll(async () => {
	await server?.stop();
});

test('kill -9 and restart: reconnecting, then live again', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default?test-hooks=1`);
	await waitLive(page);
	await expect(page.getByTestId('not-live')).toHaveCount(0);

	await server.kill('SIGKILL');
	const badge = page.getByTestId('freshness');
	await expect(badge).toHaveAttribute('data-status', 'reconnecting', { timeout: 10_000 });
	await expect(badge).toContainText('Reconnecting');
	await expect(badge).toContainText('last data');
	// Old numbers stay on screen but are labelled and dimmed, never shown as live.
	await expect(page.getByTestId('not-live')).toBeVisible();
	await expect(page.getByTestId('wall')).toHaveAttribute('data-live', 'false');
	await page.waitForTimeout(1500);
	await saveScreenshot(page, 'wall-reconnecting-1920x1080.png');

	await server.restart();
	await waitLive(page, 45_000);
	await expect(page.getByTestId('not-live')).toHaveCount(0);
	const before = await boardText(page);
	await expect.poll(() => boardText(page), { timeout: 20_000 }).not.toBe(before);
	const stats = await page.evaluate(() => (window as unknown as { __sightline: { conn: { stats: { connects: number; snapshots: number } } } }).__sightline.conn.stats);
	expect(stats.connects).toBeGreaterThan(1);
	expect(stats.snapshots).toBeGreaterThan(1);
});
