import { expect, test } from '@playwright/test';
import { getBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';

/** The admin page against the real server: tokens, failed saves, names the API and the page share. */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startSightline({ speed: 10 });
});

test.afterAll(async () => {
	await server?.stop();
});

test('a new board survives a save refused for want of a token; the 401 message clears once a token is given', async ({ page }) => {
	await page.goto(`${server.url}/admin`);
	await expect(page.getByTestId('board-editor')).toBeVisible();
	await page.getByRole('button', { name: '+ New board' }).click();
	await page.getByLabel('Board id').fill('night-shift');
	await page.getByTestId('board-name-input').fill('Night shift');
	await page.getByTestId('board-density').selectOption('kiosk');
	await page.getByTestId('board-save').click();
	const msg = page.getByTestId('admin-message');
	await expect(msg).toContainText('Board not saved: 401 an admin token is required');

	// The unsaved board is still being edited, with everything typed into it.
	await expect(page.getByTestId('board-name-input')).toHaveValue('Night shift');
	await expect(page.getByLabel('Board id')).toHaveValue('night-shift');

	await page.getByTestId('admin-token').fill(server.tokens.admin!);
	await page.getByTestId('admin-token-save').click();
	await expect(msg).toHaveCount(0);
	await expect(page.getByTestId('board-name-input')).toHaveValue('Night shift');

	await page.getByTestId('board-save').click();
	await expect(msg).toContainText('Board “Night shift” saved');
	const saved = await getBoard(server.url, 'night-shift');
	expect(saved.name).toBe('Night shift');
	expect(saved.display?.density).toBe('kiosk');
	await expect(page.getByRole('button', { name: 'Night shift' })).toBeVisible();
});

test('a wrong KPI name is refused with the valid names, the ones the admin page shows', async ({ page }) => {
	const board = await getBoard(server.url, 'default');
	const r = await fetch(`${server.url}/api/boards/default`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.admin}` },
		body: JSON.stringify({ ...board, thresholds: { default: [{ kpi: 'sla', warn: 0.8, alert: 0.7 }], queues: {} } })
	});
	expect(r.status).toBe(400);
	const body = (await r.json()) as { errors: { path: string; message: string }[] };
	expect(body.errors).toEqual([
		{ path: '/thresholds/default/0/kpi', message: 'unknown KPI "sla"; valid: serviceLevel, asa, abandonRate, longestWait, waiting, occupancy' }
	]);

	// The page names each KPI as the API does, beside its label.
	await page.goto(`${server.url}/admin`);
	await expect(page.getByTestId('board-editor').locator('code.api').first()).toBeVisible();
	const names = await page.getByTestId('board-editor').locator('code.api').allInnerTexts();
	// The board-wide table first; the names repeat in each per-queue override table.
	expect(names.slice(0, 6)).toEqual(['serviceLevel', 'asa', 'abandonRate', 'longestWait', 'waiting', 'occupancy']);
	// Switching a rule on seeds the board defaults' levels (occupancy warns at 90%, as the default board).
	await page.getByTestId('default-occupancy-on').uncheck();
	await page.getByTestId('default-occupancy-on').check();
	await expect(page.getByTestId('default-occupancy-warn')).toHaveValue('90');
	await expect(page.getByTestId('default-occupancy-alert')).toHaveValue('95');
});
