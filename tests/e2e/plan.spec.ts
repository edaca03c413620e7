/**
 * The planner against the real server in headless Chromium: the bundled day, a staffing change
 * made by dragging and by the shift form, a run in the worker pool whose paired SL difference is
 * read back from the page and checked, cancel of a long run, the main thread staying responsive;
 * save and reload from the URL, a share link, apply with the diff, /admin's versions, audit and
 * roll back, and a webhook receiver of the test's own checking the HMAC signature.
 */
import { expect, test, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot } from './helpers/wall';

let server: Sightline;
const ROOT = resolve(import.meta.dirname, '../..');

test.beforeAll(async () => {
	// Two weeks backfilled in the store: days to start a plan from, and history to forecast from.
	server = await startSightline({ speed: 1, extraArgs: ['--backfill', '14'], startTimeoutMs: 180_000 });
});
test.afterAll(async () => {
	await server?.stop();
});

/** A file of ../shared/data, looked for in the folders above the repo (worktrees sit deeper than the main checkout). */
function sharedData(name: string): string {
	for (let dir = ROOT; ; dir = dirname(dir)) {
		const p = join(dirname(dir), 'shared', 'data', name);
		if (existsSync(p)) return p;
		if (dirname(dir) === dir) throw new Error(`../shared/data/${name} not found above ${ROOT}`);
	}
}

async function openPlan(page: Page, path = '/plan'): Promise<void> {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}${path}`);
	await expect(page.getByTestId('source-label')).toContainText('bundled', { timeout: 30_000 });
}

/** Watches long tasks on the page's main thread from now on. */
async function watchLongTasks(page: Page): Promise<void> {
	await page.evaluate(() => {
		const w = window as unknown as { __longest: number };
		w.__longest = 0;
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
		}).observe({ type: 'longtask', buffered: false });
	});
}

test('add agents at the morning peak, run, and the scenario beats the baseline with a paired 95 % interval above zero', async ({ page }) => {
	await openPlan(page);
	// Before any pick, the select names the group the chart and the shift form edit (it was blank).
	await expect(page.getByTestId('staffing-group')).toHaveValue('voice-early');
	await expect(page.getByTestId('shift-add')).toHaveText('Apply to voice-early');
	await page.getByTestId('staffing-group').selectOption('voice-support');
	await expect(page.getByTestId('shift-add')).toHaveText('Apply to voice-support');
	await page.getByTestId('shift-n').fill('6');
	await page.getByTestId('shift-from').fill('10:00');
	await page.getByTestId('shift-to').fill('12:00');
	await page.getByTestId('shift-add').click();
	await expect(page.getByTestId('diff')).toContainText('10:00–12:00: 18 → 24 agents (+6)');

	// Drag a step: press on 13:00 and pull it to the top of the chart.
	const chart = page.getByTestId('staffing-chart');
	const box = (await chart.boundingBox())!;
	const x13 = box.x + 34 + ((box.width - 42) * (20 + 0.5)) / 48;
	await page.mouse.move(x13, box.y + box.height - 40);
	await page.mouse.down();
	await page.mouse.move(x13, box.y + 15, { steps: 5 });
	await page.mouse.up();
	await expect(page.getByTestId('diff')).toContainText(/13:00–13:15: 18 → \d+ agents \(\+\d+\)/);

	await page.getByTestId('replications').fill('10');
	await watchLongTasks(page);
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
	const cell = page.getByTestId('sl-diff-support');
	const lo = Number(await cell.getAttribute('data-lo'));
	const hi = Number(await cell.getAttribute('data-hi'));
	expect(lo).toBeGreaterThan(0);
	expect(hi).toBeGreaterThan(lo);
	await expect(page.getByTestId('sl-by-queue').locator('tr[data-queue="support"]')).toContainText('better');
	await expect(page.getByTestId('chart-sl')).toBeVisible();
	const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
	console.log(`longest main-thread task while running: ${longest.toFixed(0)} ms`);
	await saveScreenshot(page, 'plan-results.png');
});

test('a backfilled day from history: calibration with its fit in words, agents added in the afternoon beat the baseline', async ({ page }) => {
	await openPlan(page);
	const pick = page.getByTestId('history-day');
	await expect(pick.locator('option', { hasText: 'backfill' }).first()).toBeAttached({ timeout: 30_000 });
	const value = await pick.locator('option', { hasText: 'backfill' }).first().getAttribute('value');
	await pick.selectOption(value!);
	// Without a token the trace is refused and the page says what it needs.
	await page.getByTestId('history-open').click();
	await expect(page.getByTestId('load-error')).toContainText('supervisor token');
	await page.getByTestId('history-token').fill(server.tokens.supervisor!);
	await page.getByTestId('history-open').click();
	const date = value!.split('|')[0]!;
	await expect(page.getByTestId('source-label')).toContainText(`${date} from history (backfill); staffing recorded`, { timeout: 30_000 });
	await expect(page.getByTestId('calibration-staffing')).toContainText('Staffing recorded, method: recorded: agents available or on contacts');
	const cal = page.getByTestId('calibration');
	await expect(cal).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
	const fit = page.getByTestId('calibration-fit');
	const verdict = await fit.getAttribute('data-fit');
	await expect(fit).toContainText(verdict === 'good' ? /^✓\s*Good fit: replayed with its own staffing/ : /Poor fit: replayed with its own staffing.*Do not trust what-ifs/);
	await expect(fit).toContainText(/abandons \d+\.\d % against \d+\.\d % recorded/);
	await expect(fit).toContainText(/\d+ of \d+ intervals with at least 10 contacts are outside those bands/);
	await page.getByText('Per interval (recorded / replayed)').click();
	await expect(page.getByTestId('calibration-table').locator('tbody tr').first()).toBeVisible();
	await saveScreenshot(page, 'plan-calibration.png');

	// The day replays with the emulated center's own groups (team, skills, concurrency from the profiles).
	await expect(page.getByTestId('staffing-group').locator('option')).toHaveText(['voice-early', 'voice-late', 'voice-support', 'sales-desk', 'chat', 'blended', 'back-office']);
	// Ten more support agents 13:00–17:00.
	await page.getByTestId('staffing-group').selectOption('voice-support');
	await page.getByTestId('shift-n').fill('10');
	await page.getByTestId('shift-from').fill('13:00');
	await page.getByTestId('shift-to').fill('17:00');
	await page.getByTestId('shift-add').click();
	// The group's recorded heads vary by interval: every interval 13:00–17:00 gets +10.
	await expect(page.getByTestId('diff')).toContainText(/voice-support 13:00–[\d:]+: .*\(\+10\)/);
	await expect(page.getByTestId('diff')).not.toContainText(/\(\+(?!10\))[\d.]+\)/);
	await page.getByTestId('replications').fill('8');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
	const cell = page.getByTestId('sl-diff-support');
	const lo = Number(await cell.getAttribute('data-lo'));
	expect(lo).toBeGreaterThan(0);
	await expect(page.getByTestId('sl-by-queue').locator('tr[data-queue="support"]')).toContainText('better');
});

test('plan a future day: Erlang staffing first, then the simulation search in the workers with progress, its staffing the new baseline', async ({ page }) => {
	test.setTimeout(300_000);
	await openPlan(page);
	const panel = page.getByTestId('forecast-panel');
	await panel.locator('summary').first().click();
	const day = page.getByTestId('forecast-day');
	await expect(day.locator('option:not([disabled])').first()).toBeAttached({ timeout: 30_000 });
	const date = await day.inputValue();
	expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	await page.getByTestId('forecast-open').click();
	await expect(page.getByTestId('source-label')).toContainText(`forecast ${date}`, { timeout: 120_000 });
	await expect(page.getByTestId('source-label')).toContainText('staffing by Erlang A');
	const erlangHours = await page.getByTestId('forecast-hours').textContent();
	expect(erlangHours).toMatch(/Erlang C [\d,.]+, Erlang A [\d,.]+\.$/);

	await page.getByTestId('search-run').click();
	await expect(page.getByTestId('search-progress')).toContainText(/Round [1-9]\d* \(at most \d+\)/, { timeout: 120_000 });
	await expect(page.getByTestId('search-done')).toBeVisible({ timeout: 240_000 });
	console.log(`forecast-day search in the browser: ${Number(await page.getByTestId('search-done').getAttribute('data-ms')) / 1000} s`);
	await expect(page.getByTestId('source-label')).toContainText(/staffing by simulation search \(\d+ rounds × 10 replications\)/);
	await expect(page.getByTestId('forecast-hours')).toContainText(/simulation search [\d,.]+\./);
	// Every busy interval meets its target by the search's own judgement, and staffing is on the chart to edit.
	await page.getByText('Per interval: agents and simulated service level against target').click();
	const table = page.getByTestId('forecast-table');
	await expect(table.locator('tbody tr').first()).toBeVisible();
	expect(await table.locator('tbody tr', { hasText: '✘ missed' }).count()).toBe(0);
	expect(await table.locator('tbody tr', { hasText: '✓ met' }).count()).toBeGreaterThan(10);
	await expect(page.getByTestId('staffing-chart')).toBeVisible();
	await saveScreenshot(page, 'plan-forecast.png');
});

test('play on the wallboard: the scenario plays on a board of its own, opened in a new tab and marked as a simulation', async ({ page, context }) => {
	await openPlan(page);
	await page.getByTestId('staffing-group').selectOption('voice-support');
	await page.getByTestId('shift-n').fill('4');
	await page.getByTestId('shift-from').fill('10:00');
	await page.getByTestId('shift-to').fill('12:00');
	await page.getByTestId('shift-add').click();
	// Without a token the server refuses and the page says what is needed (the blank tab closes again).
	await page.getByTestId('play-wall').click();
	await expect(page.getByTestId('play-message')).toContainText('needs a supervisor token');
	await page.evaluate((t) => localStorage.setItem('sightline.token', t), server.tokens.supervisor!);
	const opened = context.waitForEvent('page');
	await page.getByTestId('play-wall').click();
	const wall = await opened;
	await expect(page.getByTestId('play-message')).toContainText(/Playing on board sim-\d+ at 60×/);
	await expect(wall).toHaveURL(/\/wall\/sim-\d+$/, { timeout: 30_000 });
	await expect(wall.getByTestId('source')).toHaveAttribute('data-kind', 'simulation', { timeout: 30_000 });
	const board = /\/wall\/(sim-\d+)$/.exec(wall.url())![1]!;
	// The server plays our scenario: its name and speed, by the API.
	const info = (await (await fetch(`${server.url}/api/simulations`)).json()) as { simulations: { board: string; name: string; speed: number }[] };
	expect(info.simulations.find((x) => x.board === board)).toMatchObject({ name: 'What-if', speed: 60 });
	await wall.close();
});

test('a long run can be canceled', async ({ page }) => {
	await openPlan(page);
	await page.getByTestId('replications').fill('400');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'running');
	await expect.poll(async () => Number(await page.getByTestId('progress').getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(0);
	await page.getByTestId('cancel').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'canceled', { timeout: 10_000 });
	// The pool is usable again after a cancel.
	await page.getByTestId('replications').fill('2');
	await page.getByTestId('run').click();
	await expect(page.getByTestId('runbar')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
});

test('save, reload from the URL and from a share link, apply with the diff, see version and audit in /admin, roll back; the webhook gets a signed delivery', async ({ page }) => {
	// A webhook receiver of the test's own.
	const got: { sig: string; ts: string; body: string }[] = [];
	const receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			got.push({ sig: String(req.headers['x-sightline-signature']), ts: String(req.headers['x-sightline-timestamp']), body });
			res.writeHead(204).end();
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
	const port = (receiver.address() as AddressInfo).port;
	const secret = 'e2e-shared-secret-0123456789';
	const put = await fetch(`${server.url}/api/webhooks`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${server.tokens.admin}`, 'content-type': 'application/json' },
		body: JSON.stringify({ webhooks: [{ url: `http://127.0.0.1:${port}/sightline`, secret }] })
	});
	expect(put.status).toBe(200);

	try {
		await openPlan(page);
		await page.getByTestId('staffing-group').selectOption('chat');
		await page.getByTestId('shift-n').fill('2');
		await page.getByTestId('shift-from').fill('14:00');
		await page.getByTestId('shift-to').fill('16:00');
		await page.getByTestId('shift-add').click();
		await page.getByTestId('volume-billing').fill('10');
		await page.getByTestId('volume-billing').dispatchEvent('change');
		await page.getByTestId('plan-name').fill('Two more chat agents');
		await page.getByTestId('plan-token').fill(server.tokens.supervisor!);
		await page.getByTestId('save').click();
		await expect(page.getByTestId('save-message')).toContainText('as version 1');
		expect(page.url()).toMatch(/\?plan=[0-9a-f]{12}&version=1$/);
		const planId = new URL(page.url()).searchParams.get('plan');

		// Reload from the URL: same plan, same changes.
		await page.reload();
		await expect(page.getByTestId('diff')).toContainText('14:00–16:00: 11 → 13 agents (+2)', { timeout: 30_000 });
		await expect(page.getByTestId('diff')).toContainText('volume +10 % all day');
		await expect(page.getByTestId('plan-name')).toHaveValue('Two more chat agents');

		// A share link carries the plan itself.
		await page.getByTestId('share').click();
		const link = await page.getByTestId('share-url').inputValue();
		expect(link).toMatch(/#p=/);
		const other = await page.context().newPage();
		await other.goto(link);
		await expect(other.getByTestId('diff')).toContainText('14:00–16:00: 11 → 13 agents (+2)', { timeout: 30_000 });
		await other.close();

		// Apply: the confirmation shows the diff.
		await page.getByTestId('apply-open').click();
		await expect(page.getByTestId('apply-dialog')).toContainText('14:00–16:00: 11 → 13 agents (+2)');
		await page.getByTestId('apply-effective').fill('2027-01-04');
		await page.getByTestId('apply-confirm').click();
		await expect(page.getByTestId('save-message')).toContainText(/Applied: live plan version \d+, effective 2027-01-04 on Mon, Tue, Wed, Thu, Fri/);
		await saveScreenshot(page, 'plan-applied.png');

		await expect.poll(() => got.length, { timeout: 15_000 }).toBeGreaterThan(0);
		const d = got[0]!;
		expect(d.sig).toBe(`sha256=${createHmac('sha256', secret).update(`${d.ts}.${d.body}`).digest('hex')}`);
		const first = JSON.parse(d.body) as { data: { version: number; name: string } };
		expect(first.data.name).toBe('Two more chat agents');

		// A second apply, then /admin shows both and rolls back to the first.
		const second = await fetch(`${server.url}/api/plans/${planId}/apply`, {
			method: 'POST',
			headers: { authorization: `Bearer ${server.tokens.supervisor}`, 'content-type': 'application/json' },
			body: JSON.stringify({ effective: '2027-02-01', weekdays: [6, 7] })
		});
		expect(second.status).toBe(200);
		await page.evaluate((t) => localStorage.setItem('sightline.adminToken', t), server.tokens.admin!);
		await page.goto(`${server.url}/admin`);
		const versions = page.getByTestId('plan-versions');
		await expect(versions.locator(`tr[data-version="${first.data.version}"]`)).toContainText('supervisor (bootstrap token)');
		await expect(page.getByTestId('plan-audit')).toContainText('plan.apply');
		page.once('dialog', (dlg) => void dlg.accept());
		await page.getByTestId(`rollback-${first.data.version}`).click();
		await expect(versions).toContainText(`rollback to v${first.data.version}`);
		await expect(page.getByTestId('plan-audit')).toContainText('plan.rollback');
		await saveScreenshot(page, 'plan-admin.png');
	} finally {
		await new Promise((r) => receiver.close(r));
	}
});

test('a real day from a trace file becomes the baseline, its staffing said to be estimated and how', async ({ page }) => {
	await openPlan(page);
	// The sample shipped with the repo (one morning of the Anonymous Bank).
	await page.getByTestId('open-trace').setInputFiles(join(ROOT, 'sim/traces/anonymous-bank-1999-08-01-morning.csv'));
	await expect(page.getByTestId('source-label')).toContainText('anonymous-bank', { timeout: 30_000 });
	await expect(page.getByTestId('source-label')).toContainText('effective availability');
	await expect(page.getByTestId('calibration-staffing')).toContainText('Staffing estimated, method: effective availability');
	await expect(page.getByTestId('calibration-fit')).toContainText(/(Good|Poor) fit: replayed with its own staffing/, { timeout: 60_000 });
	await expect(page.getByTestId('staffing-chart')).toBeVisible();
	// A multi-day file without a day is refused with the days named.
	await page.getByTestId('open-trace').setInputFiles(sharedData('anonymous-bank-1999-08-01-to-24.csv'));
	await expect(page.getByTestId('load-error')).toContainText('pick one', { timeout: 60_000 });
});
