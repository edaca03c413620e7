import { expect, test } from '@playwright/test';
import { DEFAULT_BOARD } from '../../src/lib/domain/board-config';
import { putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { waitLive } from './helpers/wall';

/**
 * Sites on the wall (#16), against the real server fed by POSTs: a board of two sites names both
 * beside its name and shows each site's queue as its own row; a board of the default site names none.
 */
let s: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	s = await startSightline({ mode: 'ingest', extraArgs: ['--time-zone', 'UTC'] });
	const r = await fetch(`${s.url}/api/config`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.admin}` },
		body: JSON.stringify({ sites: [{ id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '00:00' }] })
	});
	expect(r.status, await r.text()).toBe(200);
	await putBoard(s.url, s.tokens.admin!, { ...DEFAULT_BOARD, id: 'both', name: 'Both sites', sites: ['main', 'ny'] });
});

test.afterAll(async () => {
	await s?.stop();
});

test('a board of two sites names them and keeps each site’s queue apart; the default board names none', async ({ page }) => {
	const now = Date.now();
	const events = [
		{ type: 'contact.queued', id: 'ws-1', ts: now - 2000, contact: 'c1', queue: 'billing', channel: 'voice' },
		{ type: 'contact.queued', id: 'ws-2', ts: now - 1000, contact: 'c2', queue: 'billing', channel: 'voice', site: 'ny' },
		{ type: 'contact.queued', id: 'ws-3', ts: now - 500, contact: 'c3', queue: 'billing', channel: 'voice', site: 'ny' }
	];
	const r = await fetch(`${s.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.ingest}` }, body: JSON.stringify(events) });
	expect(r.status, await r.text()).toBe(202);

	await page.goto(`${s.url}/wall/both`);
	await waitLive(page);
	await expect(page.getByTestId('board-sites')).toHaveText('Sites: main, ny');
	await expect(page.locator('[data-testid="queue-row"][data-queue="main/billing"]')).toContainText('main · billing');
	await expect(page.locator('[data-testid="queue-row"][data-queue="ny/billing"]')).toBeVisible();

	await page.goto(`${s.url}/wall/default`);
	await waitLive(page);
	await expect(page.getByTestId('board-sites')).toHaveCount(0);
	await expect(page.locator('[data-testid="queue-row"][data-queue="billing"]')).toBeVisible();
	await expect(page.locator('[data-testid="queue-row"][data-queue="ny/billing"]')).toHaveCount(0);
});
