import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../sim/scenario';
import { startSightline, zoneAtHour, type Sightline } from './helpers/server';
import { saveScreenshot, waitLive } from './helpers/wall';

/**
 * The emulated center keeps opening hours (08:00–20:00 in its time zone). The clock is set by the
 * center's zone: the server follows the calendar of a zone where it is now about 22:00 (closed) or
 * 11:00 (open). After hours the wall says "Closed · opens 08:00" and raises no alarm; a source that
 * goes quiet while the center is open is still stale.
 */

test.describe.configure({ mode: 'serial' });

const servers: Sightline[] = [];
let dir = '';

test.beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'sightline-hours-'));
});

test.afterAll(async () => {
	for (const s of servers) await s.stop();
	rmSync(dir, { recursive: true, force: true });
});

test('after closing time the wall says closed and when it opens, with no alarm', async ({ page }) => {
	test.setTimeout(180_000);
	const server = await startSightline({ speed: 1, extraArgs: ['--time-zone', zoneAtHour(22)] });
	servers.push(server);
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
	// The day that was played is on the board, as it ended.
	await expect(page.locator('[data-testid="tile-sl-voice-value"]')).not.toHaveText('—');
	await saveScreenshot(page, 'wall-closed-1920x1080.png');
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
