import { expect, test } from '@playwright/test';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot } from './helpers/wall';

/**
 * /reports on a day that is not over: the live emulator's today (started at 14:00, so it has
 * traffic whatever the hour the test runs) reads "so far" in the calendar and the headline, while
 * backfilled, final days keep met/missed. Its own server: in reports.spec.ts the ingested days give
 * the ingest source a day of today with no intervals, which the reports prefer over the emulator's.
 */

const DAY = 86_400_000;
const yesterday = new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString().slice(0, 10);
const shift = (d: string, n: number) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);

let server: Sightline;

async function api<T>(path: string): Promise<T> {
	const r = await fetch(`${server.url}${path}`);
	if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
	return (await r.json()) as T;
}

/** Each stored day's status, as the history's day list gives it. */
async function dayStatuses(): Promise<Map<string, string>> {
	const r = await api<{ days: { date: string; source: string; status: string }[] }>('/api/history/days');
	return new Map(r.days.map((d) => [`${d.date} ${d.source}`, d.status]));
}

type Day = { date: string; source: string; total: { offered: number }; met: { met: boolean | null } };

test.beforeAll(async () => {
	test.setTimeout(180_000);
	server = await startSightline({ speed: 1, extraArgs: ['--time-zone', 'UTC', '--backfill', '3', '--from', '14:00'], startTimeoutMs: 150_000 });
});

test.afterAll(async () => {
	await server?.stop();
});

test('today, still running, reads "so far"; a final day keeps its verdict', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	const today = shift(yesterday, 1);
	// The live emulator's day is running: the history says so.
	const statuses = await dayStatuses();
	expect(statuses.get(`${today} emulator`)).toBe('open');
	// Its first contacts arrive a few seconds after the emulator starts (at 14:00, a few a second at speed 1).
	await expect
		.poll(async () => (await fetch(`${server.url}/api/reports/day/${today}`)).status, { timeout: 60_000 })
		.toBe(200);
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/reports?date=${today}`);
	await expect(page.getByTestId('day-report')).toBeVisible({ timeout: 20_000 });
	const cell = page.locator(`[data-date="${today}"]`);
	await expect(cell).toHaveAttribute('data-mark', 'so far');
	await expect(cell).not.toHaveClass(/\b(met|missed)\b/);
	await expect(cell).toHaveAttribute('aria-label', new RegExp(`^${today}: in progress, so far (met|missed|no traffic)$`));
	// The word is whole inside its cell at 1920x1080 (beside the icon it was cut to "so fa").
	const wordInside = await cell.evaluate((b) => {
		const w = b.querySelector('.m')!.getBoundingClientRect();
		const c = b.getBoundingClientRect();
		return w.left >= c.left && w.right <= c.right;
	});
	expect(wordInside).toBe(true);
	// The headline's verdict is provisional, up to the last interval with traffic (HH:MM, UTC here).
	const met = page.getByTestId('met');
	await expect(met).toHaveAttribute('data-final', 'no');
	await expect(met).toContainText(/So far today \(until \d\d:\d\d\): service-level target (met|missed|no traffic|nothing)/);
	await expect(met).not.toHaveClass(/\b(met|missed)\b/);
	// The channel groups' verdicts are "so far" too, none in the finished day's met/missed look.
	await expect(page.locator('[data-testid="headline-groups"] [data-met="met"], [data-testid="headline-groups"] [data-met="missed"]')).toHaveCount(0);
	await expect(page.locator('[data-testid="headline-groups"] [data-met="sofar"]').first()).toContainText(/so far (met|missed): target/);
	await saveScreenshot(page, 'reports-today.png');
	// The newest final day (backfilled or ingested) keeps met/missed in the calendar and a final headline.
	const final = [...statuses].filter(([k, st]) => st === 'final' && k.slice(0, 10) < today).map(([k]) => k.slice(0, 10)).sort().at(-1);
	expect(final).toBeDefined();
	const f = await api<Day>(`/api/reports/day/${final}`);
	expect(statuses.get(`${final} ${f.source}`)).toBe('final');
	await page.goto(`${server.url}/reports?date=${final}`);
	await expect(page.getByTestId('day-report')).toBeVisible({ timeout: 20_000 });
	await expect(page.locator(`[data-date="${final}"]`)).toHaveAttribute('data-mark', f.met.met === null ? 'no traffic' : f.met.met ? 'met' : 'missed');
	await expect(met).toHaveAttribute('data-final', 'yes');
	await expect(met).toContainText(f.met.met === null ? /Service-level target/ : `Service-level target ${f.met.met ? 'met' : 'missed'}`);
	await expect(met).not.toContainText('So far');
});
