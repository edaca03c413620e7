import { expect, test } from '@playwright/test';
import type { FloorEvent } from '../../src/lib/domain/events';
import { startSightline, type Sightline } from './helpers/server';

/**
 * /reports of a center with two sites: the site picker shows the chosen site's day (its own
 * contacts, counted here) and keeps it in the URL; without `?site=` the page is the default site's.
 */

const HOUR = 3600_000;
let server: Sightline;
const yesterday = new Date(Date.now() - 24 * HOUR).toISOString().slice(0, 10);
const noonYesterday = Date.parse(`${yesterday}T12:00:00Z`);

/** `n` contacts of `site` offered and answered at noon UTC yesterday (a day of its own on both sites' UTC clocks). */
function contacts(site: string, n: number): FloorEvent[] {
	const out: FloorEvent[] = [];
	for (let i = 0; i < n; i++) {
		const ts = noonYesterday + i * 60_000;
		out.push({ type: 'contact.queued', id: `${site}-q${i}`, ts, site, contact: `${site}-c${i}`, queue: 'billing', channel: 'voice' });
		out.push({ type: 'contact.answered', id: `${site}-a${i}`, ts: ts + 5000, site, contact: `${site}-c${i}`, queue: 'billing', agent: `${site}-a` });
	}
	return out;
}

async function call(path: string, token: string, method: string, body: unknown): Promise<void> {
	const r = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

test.beforeAll(async () => {
	server = await startSightline({ mode: 'ingest', extraArgs: ['--time-zone', 'UTC'] });
	// A second site on UTC too with a midnight reset, so both sites' yesterday is the same date.
	await call('/api/config', server.tokens.admin!, 'PUT', { sites: [{ id: 'ny', name: 'New York', timeZone: 'UTC', resetTime: '00:00' }] });
	await call('/api/events', server.tokens.ingest!, 'POST', [...contacts('main', 4), ...contacts('ny', 7)].sort((a, b) => a.ts - b.ts));
});
test.afterAll(async () => {
	await server?.stop();
});

test('the site picker shows the chosen site’s day and keeps it in the URL', async ({ page }) => {
	await page.goto(`${server.url}/reports?date=${yesterday}`);
	const site = page.getByLabel('Site', { exact: true });
	await expect(site).toHaveValue('main');
	const offered = page.locator('[data-testid="headline"] .tile[data-kpi="offered"] .value');
	await expect(offered).toHaveText('4');
	await site.selectOption('ny');
	await expect(page).toHaveURL(/[?&]site=ny/);
	await expect(offered).toHaveText('7');
	await page.reload();
	await expect(page.getByLabel('Site', { exact: true })).toHaveValue('ny');
	await expect(offered).toHaveText('7');
	// Back on the default site: its own 4 again, and the URL names no site.
	await page.getByLabel('Site', { exact: true }).selectOption('main');
	await expect(offered).toHaveText('4');
	await expect(page).not.toHaveURL(/site=/);
});
