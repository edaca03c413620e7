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

test('the planner plays its scenario on a wallboard of its own', async ({ page, context }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/plan`);
	await expect(page.getByTestId('source-label')).toContainText('bundled', { timeout: 30_000 });
	await page.getByTestId('plan-name').fill('e2e what-if');
	await page.getByTestId('plan-token').fill(server.tokens.supervisor!);
	await page.getByTestId('play-on-wall').click();
	await expect(page.getByTestId('save-message')).toContainText('Playing "e2e what-if" at 60×');
	const [wall] = await Promise.all([context.waitForEvent('page'), page.getByTestId('play-wall-link').click()]);
	await expect(wall.getByTestId('source')).toHaveAttribute('data-kind', 'simulation', { timeout: 20_000 });
	await expect(wall.getByTestId('source')).toHaveText(/simulation · e2e what-if/i);
	// The first test's ended day makes room for one more; then two are running and the next is refused, saying why.
	await page.getByTestId('play-on-wall').click();
	await page.getByTestId('play-on-wall').click();
	await expect(page.getByTestId('save-message')).toContainText('Not played: 409');
});
