import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../sim/scenario';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, zoneAtHour, type Sightline } from './helpers/server';
import { cutStateLabels, queueRows, saveScreenshot, waitLive } from './helpers/wall';

/**
 * The emulated center keeps opening hours (08:00–20:00 in its time zone). The clock is set by the
 * center's zone: the server follows the calendar of a zone where it is now about 22:00 (closed) or
 * 11:00 (open), or 03:00 (after the midnight reset). After hours the wall says "Closed · opens 08:00"
 * and raises no alarm, and its banner claims the day's figures only while the floor still holds
 * them; a source that goes quiet while the center is open is still stale.
 */

test.describe.configure({ mode: 'serial' });

const servers: Sightline[] = [];
let dir = '';
let closed: Promise<Sightline> | null = null;

/** The server of a center where it is about 22:00 (closed since 20:00), started once for the tests that need it. */
function closedServer(): Promise<Sightline> {
	closed ??= startSightline({ speed: 1, extraArgs: ['--time-zone', zoneAtHour(22)] }).then((s) => {
		servers.push(s);
		return s;
	});
	return closed;
}

test.beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'sightline-hours-'));
});

test.afterAll(async () => {
	for (const s of servers) await s.stop();
	rmSync(dir, { recursive: true, force: true });
});

test('after closing time the wall says closed and when it opens, with no alarm', async ({ page }) => {
	test.setTimeout(180_000);
	const server = await closedServer();
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page, 60_000);
	const badge = page.getByTestId('freshness');
	await expect(badge).toHaveAttribute('data-freshness', 'after-hours');
	await expect(badge).toHaveText(/^\s*Closed\s+· opens 08:00\s*$/);
	// No alarm: no "stale" overlay, nothing dimmed, no blinking dot, no red or amber banner.
	await expect(page.getByTestId('not-live')).toHaveCount(0);
	await expect(page.getByTestId('wall')).toHaveAttribute('data-live', 'true');
	expect(await badge.locator('.dot').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
	await expect(page.getByTestId('alert-banner').locator('[data-calm]')).toHaveAttribute('data-calm', 'closed');
	await expect(page.getByTestId('alert-banner')).toHaveClass(/\bok\b/);
	// The day that was played is on the board, as it ended, and the banner says so, on one line.
	await expect(page.locator('[data-testid="tile-sl-voice-value"]')).not.toHaveText('—');
	const notice = page.getByTestId('closed-notice');
	await expect(notice).toHaveText("Closed since 20:00 · showing today's figures as the day ended · opens 08:00 tomorrow");
	await expect(notice).toHaveAttribute('data-figures', 'true');
	expect(await page.getByTestId('alert-banner').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
	await saveScreenshot(page, 'wall-closed-1920x1080.png');
});

test('a closed kiosk at 1280x720 shows every queue row, and every agent-state label whole', async ({ page }) => {
	test.setTimeout(120_000);
	const server = await closedServer();
	const base = await getBoard(server.url, 'default');
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'kiosk', name: 'Kiosk floor', display: { density: 'kiosk' } });
	await page.setViewportSize({ width: 1280, height: 720 });
	await page.goto(`${server.url}/wall/kiosk?kiosk=1`);
	await waitLive(page, 60_000);
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'after-hours');
	await expect(page.getByTestId('wall')).toHaveClass(/density-kiosk/);
	// The bundled center: 8 queues and the voice and chat roll-ups, none left out at the table's foot.
	await expect(page.getByTestId('queue-row')).toHaveCount(10);
	await page.waitForTimeout(1000);
	const rows = await queueRows(page);
	expect(rows).toEqual(rows.map((r) => ({ ...r, shown: true, inside: true })));
	await expect(page.getByTestId('queues-hidden')).toHaveCount(0);
	// "Available", not "AVAILAB" with the word only in a tooltip.
	expect(await cutStateLabels(page)).toEqual([]);
	await expect(page.getByTestId('agents-available').locator('.label')).toHaveText('Available');
	expect(await page.getByTestId('alert-banner').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
	await saveScreenshot(page, 'wall-closed-kiosk-1280x720.png');
});

test('after the midnight reset the closed wall claims no figures: closed since yesterday, opens today', async ({ browser }) => {
	test.setTimeout(180_000);
	// 03:00 at the center: its day rolled at midnight, hours after it closed at 20:00. The browser
	// is in a zone where it is 15:00 (inside the opening hours): the wall must read the center's clock.
	const server = await startSightline({ speed: 1, extraArgs: ['--time-zone', zoneAtHour(3)] });
	servers.push(server);
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: zoneAtHour(15) });
	try {
		const page = await context.newPage();
		const browserHour = await page.evaluate(() => new Date().getHours());
		expect(browserHour >= 8 && browserHour < 20, `browser hour ${browserHour}`).toBe(true);
		await page.goto(`${server.url}/wall/default`);
		await waitLive(page, 60_000);
		await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'after-hours');
		const notice = page.getByTestId('closed-notice');
		await expect(notice).toHaveText('Closed since 20:00 yesterday · opens 08:00');
		await expect(notice).toHaveAttribute('data-figures', 'false');
		// The floor is the new day's: nothing offered yet, and no alarm.
		await expect(page.getByTestId('not-live')).toHaveCount(0);
		await expect(page.getByTestId('alert-banner')).toHaveClass(/\bok\b/);
		const offered = await page.locator('[data-queue="ch:voice"] td').nth(4).textContent();
		expect(offered?.trim()).toBe('0');
		await saveScreenshot(page, 'wall-closed-after-midnight-1920x1080.png');
	} finally {
		await context.close();
	}
});

test('a source quiet during opening hours is still stale', async ({ page }) => {
	test.setTimeout(180_000);
	// The bundled center, with every contact in its first quarter hour: at 11:00 nothing has come for hours.
	const parsed = parseScenario(readFileSync('sim/scenarios/multichannel-day.json', 'utf8'));
	if (!parsed.ok) throw new Error('scenario');
	const s = parsed.scenario;
	const early = {
		...s,
		agents: s.agents.map(({ shifts: _shifts, ...a }) => a),
		queues: s.queues.map((q) => ({ ...q, arrivals: { perInterval: Array.from({ length: Math.ceil(s.horizon / (s.interval ?? 900)) }, (_, i) => (i === 0 ? 20 : 0)) } }))
	};
	const path = join(dir, 'early-day.json');
	writeFileSync(path, JSON.stringify(early));
	const server = await startSightline({ speed: 1, scenario: path, extraArgs: ['--time-zone', zoneAtHour(11)] });
	servers.push(server);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page, 60_000);
	const badge = page.getByTestId('freshness');
	await expect(badge).toHaveAttribute('data-freshness', 'data-stale');
	await expect(page.getByTestId('freshness-detail')).toHaveText(/^no events for \d+ h \d+ min$/);
	await expect(page.getByTestId('not-live')).toContainText('Stale');
	await saveScreenshot(page, 'wall-stale-open-1920x1080.png');
});
