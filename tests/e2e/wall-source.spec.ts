import { expect, test, type Page } from '@playwright/test';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot } from './helpers/wall';

/**
 * The wall says what feeds it and how fresh its numbers are, against the real server: an ingest
 * floor fed by POSTs from the test, and a replay of the shipped Anonymous Bank sample.
 */
let ingest: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	ingest = await startSightline({ mode: 'ingest' });
});

test.afterAll(async () => {
	await ingest?.stop();
});

let n = 0;
/** Posts events to the ingest endpoint as a producer would; `ts` is now. */
async function post(events: Record<string, unknown>[]): Promise<void> {
	const now = Date.now();
	const body = events.map((e) => ({ id: `e2e-${++n}`, ts: now, ...e }));
	const r = await fetch(`${ingest.url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${ingest.tokens.ingest}` },
		body: JSON.stringify(body)
	});
	expect(r.status, await r.text()).toBe(202);
}

/** The text of a panel's "old" marker (a ::after label), or "none". */
function oldMarker(page: Page, testid: string): Promise<string> {
	return page.getByTestId(testid).evaluate((el) => {
		const panel = el.closest('[data-panel]') ?? el;
		return getComputedStyle(panel, '::after').content;
	});
}

test('an ingest wall names its source, says how long producers were quiet and turns stale past the board limit', async ({ page }) => {
	const board = await getBoard(ingest.url, 'default');
	await putBoard(ingest.url, ingest.tokens.admin!, { ...board, display: { staleAfterSeconds: 10 } });
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${ingest.url}/wall/default`);
	await expect(page.getByTestId('source')).toHaveAttribute('data-kind', 'ingest');

	// Nothing has arrived since the server started: connected, but nothing on screen is current.
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'data-stale', { timeout: 20_000 });
	await expect(page.getByTestId('freshness-detail')).toHaveText('no events since the server started');
	await expect(page.getByTestId('alert-banner').locator('[data-calm]')).toHaveAttribute('data-calm', 'old');

	await post([
		{ type: 'agent.profile', agent: 'a1', name: 'Ada Lovelace', team: 'Voice', skills: { sales: 1 }, capacity: {} },
		{ type: 'agent.state', agent: 'a1', state: 'available' },
		{ type: 'contact.queued', contact: 'c1', queue: 'sales', channel: 'voice' }
	]);
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'live', { timeout: 10_000 });
	await expect(page.getByTestId('wall')).toHaveAttribute('data-live', 'true');
	await expect(page.getByTestId('freshness-detail')).toHaveText(/^last event \d\d:\d\d:\d\d$/);
	expect(await oldMarker(page, 'queue-table')).toBe('none');
	await expect(page.getByTestId('alert-banner').locator('[data-calm]')).not.toHaveAttribute('data-calm', 'old');

	// The producer goes quiet: past 10 s the whole wall is stale, and every panel says it is old.
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'data-stale', { timeout: 20_000 });
	await expect(page.getByTestId('freshness-detail')).toHaveText(/^no events for 1\d s$/);
	await expect(page.getByTestId('wall')).toHaveAttribute('data-live', 'false');
	await expect(page.getByTestId('not-live')).toContainText('No events arrived for');
	await expect(page.getByTestId('alert-banner')).toContainText('Numbers are not current');
	await expect(page.getByTestId('alert-banner')).not.toContainText('within thresholds');
	for (const id of ['queue-table', 'agent-grid', 'tile-sl']) expect(await oldMarker(page, id)).toMatch(/^"OLD · as of \d\d:\d\d:\d\d"$/);
	await saveScreenshot(page, 'wall-ingest-stale-1920x1080.png');

	// One event brings it back.
	await post([{ type: 'agent.state', agent: 'a1', state: 'not-ready', reason: 'break' }]);
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'live', { timeout: 10_000 });
	expect(await oldMarker(page, 'queue-table')).toBe('none');
});

test('"all KPIs within thresholds" only on a judged floor: not without thresholds, not on an empty board', async ({ page }) => {
	await post([{ type: 'agent.state', agent: 'a1', state: 'available' }]);
	const base = await getBoard(ingest.url, 'default');
	await putBoard(ingest.url, ingest.tokens.admin!, { ...base, id: 'bare', name: 'No thresholds', thresholds: { default: [], queues: {} }, display: { staleAfterSeconds: 600 } });
	await putBoard(ingest.url, ingest.tokens.admin!, { ...base, id: 'nobody', name: 'Empty', queues: ['no-such-queue'], display: { staleAfterSeconds: 600 } });

	await page.goto(`${ingest.url}/wall/bare`);
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'live', { timeout: 20_000 });
	await expect(page.getByTestId('alert-banner')).toHaveText('No thresholds set for this board');

	await page.goto(`${ingest.url}/wall/nobody`);
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'live', { timeout: 20_000 });
	await expect(page.getByTestId('alert-banner')).toHaveText('No agents and no contacts on this board yet');
});

test('an unknown board says so and stops, instead of retrying for ever', async ({ page }) => {
	await page.goto(`${ingest.url}/wall/no-such-board`);
	const box = page.getByTestId('connecting');
	await expect(box).toHaveAttribute('data-status', 'refused', { timeout: 10_000 });
	await expect(box).toContainText('There is no board “no-such-board” on this server.');
	await expect(box.getByRole('link', { name: 'See the boards there are' })).toHaveAttribute('href', '/');
	// Still refused a while later: no reconnect loop put "Server unreachable" back.
	await page.waitForTimeout(3_000);
	await expect(box).toHaveAttribute('data-status', 'refused');
	await expect(box).not.toContainText('retrying');
});

test('a replay carries a badge with its day and speed, and its end shows on the wall', async ({ page }) => {
	// The shipped sample: ten hours of 1999-08-01, played at 1200× (about 30 s).
	const replay = await startSightline({
		mode: 'replay',
		speed: 1200,
		extraArgs: ['--trace', 'sim/traces/anonymous-bank-1999-08-01-morning.csv']
	});
	try {
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto(`${replay.url}/wall/default`);
		const badge = page.getByTestId('source');
		await expect(badge).toHaveAttribute('data-kind', 'replay', { timeout: 20_000 });
		await expect(badge).toHaveText(/^replay · 1999-08-01 · 1,200×$/i);
		await expect(badge).toBeVisible();
		// Readable across the room: at least 20 px capitals on a solid background.
		const size = await badge.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
		expect(size).toBeGreaterThanOrEqual(20);

		await expect(page.getByTestId('replay-ended')).toBeVisible({ timeout: 60_000 });
		await expect(page.getByTestId('replay-ended')).toContainText('1999-08-01 was played to its last event');
		await expect(badge).toHaveText(/^replay ended · 1999-08-01 · 1,200×$/i);
		await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'ended');
		// The final numbers stay readable (not dimmed as if stale).
		await expect(page.getByTestId('wall')).toHaveAttribute('data-live', 'true');
		await saveScreenshot(page, 'wall-replay-ended-1920x1080.png');
	} finally {
		await replay.stop();
	}
});
