import { expect, test } from '@playwright/test';
import { startSightline, type Sightline } from './helpers/server';

/**
 * "Play on the wallboard" on a real wall: a supervisor starts a simulated day through
 * POST /api/simulations; /wall/<its board> marks it SIMULATION, shows its queue, and says when the
 * simulated day has ended. The live board beside it stays live.
 */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startSightline({ mode: 'ingest' });
});

test.afterAll(async () => {
	await server?.stop();
});

test('a simulated day on its own board is marked SIMULATION and says when it ended', async ({ page }) => {
	// One simulated hour at 300×: 12 s on the wall.
	const scenario = {
		name: 'afternoon what-if',
		horizon: 3600,
		queues: [{ id: 'what-if-voice', channel: 'voice', arrivals: { perHour: 400 }, handle: { dist: 'exponential', mean: 60 } }],
		agents: [{ group: 'g', count: 8, skills: { 'what-if-voice': 1 } }]
	};
	const r = await fetch(`${server.url}/api/simulations`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.supervisor}` },
		body: JSON.stringify({ scenario, speed: 300, seed: 3 })
	});
	expect(r.status, await r.clone().text()).toBe(201);
	const sim = (await r.json()) as { board: string };

	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/${sim.board}`);
	const badge = page.getByTestId('source');
	await expect(badge).toHaveAttribute('data-kind', 'simulation');
	await expect(badge).toHaveText(/simulation · afternoon what-if/i);
	await expect(page.locator('[data-testid="queue-row"][data-queue="what-if-voice"]')).toBeVisible({ timeout: 20_000 });
	await expect(badge).toHaveText(/simulation ended · afternoon what-if/i, { timeout: 60_000 });

	// The live board is not touched: still the live source, without the simulated queue.
	await page.goto(`${server.url}/wall/default`);
	await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'ingest');
	await expect(page.locator('[data-testid="queue-row"][data-queue="what-if-voice"]')).toHaveCount(0);
});
