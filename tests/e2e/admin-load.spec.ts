import { expect, test } from '@playwright/test';
import { startSightline, type Sightline } from './helpers/server';

/** The admin page loads its lists once on mount and once per token given, not again on every token change. */
let server: Sightline;

test.beforeAll(async () => {
	server = await startSightline({ speed: 10 });
});

test.afterAll(async () => {
	await server?.stop();
});

test('boards and config are fetched once on opening and once after Use token (4 requests, not 6)', async ({ page }) => {
	const loads: string[] = [];
	page.on('request', (r) => {
		const path = new URL(r.url()).pathname;
		if (path === '/api/boards' || path === '/api/config') loads.push(`${r.method()} ${path}`);
	});
	await page.goto(`${server.url}/admin`);
	await expect(page.getByTestId('board-editor')).toBeVisible();
	await page.waitForLoadState('networkidle');
	expect(loads.sort()).toEqual(['GET /api/boards', 'GET /api/config']);

	await page.getByTestId('admin-token').fill(server.tokens.admin!);
	await page.getByTestId('admin-token-save').click();
	await expect.poll(() => loads.length).toBe(4);
	// Nothing more follows the token change.
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(500);
	expect(loads.sort()).toEqual(['GET /api/boards', 'GET /api/boards', 'GET /api/config', 'GET /api/config']);
});
