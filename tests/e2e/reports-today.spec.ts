import { expect, test } from '@playwright/test';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot } from './helpers/wall';
import { pendingDayEvents } from '../helpers/pending-day';

/**
 * /reports on days that are not over: the live emulator's today (started at 14:00, so it has
 * traffic whatever the hour the test runs) reads "so far" in the calendar and the headline, while
 * backfilled, final days keep met/missed; an ingested day two days back with an email still open
 * is pending (late outcomes may still arrive). The week and month holding them say they are not
 * final, and their rows carry the same marks. Its own server, with exactly these days.
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

/** Two days back: ingested on top of the backfilled day, an email left open so the day stays pending. */
const pending = shift(yesterday, -1);

test.beforeAll(async () => {
	test.setTimeout(180_000);
	server = await startSightline({ speed: 1, extraArgs: ['--time-zone', 'UTC', '--backfill', '3', '--from', '14:00'], startTimeoutMs: 150_000 });
	const events = pendingDayEvents(pending, 'pend');
	const r = await fetch(`${server.url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.ingest}` },
		body: JSON.stringify(events)
	});
	if (r.status !== 202) throw new Error(`ingest ${pending}: ${r.status} ${await r.text()}`);
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

type Range = { from: string; to: string; days: { date: string; source: string; traffic: boolean; met: { met: boolean | null } }[] };

test('a week and a month holding today and a pending day say they are not final', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	const today = shift(yesterday, 1);
	// The history's statuses: today running, the ingested day pending (its email is open), the others final.
	await expect.poll(async () => (await dayStatuses()).get(`${pending} ingest`), { timeout: 30_000 }).toBe('closing');
	await expect.poll(async () => (await fetch(`${server.url}/api/reports/day/${today}`)).status, { timeout: 60_000 }).toBe(200);
	expect((await api<Day>(`/api/reports/day/${pending}`)).source).toBe('ingest');
	const statuses = await dayStatuses();
	expect(statuses.get(`${today} emulator`)).toBe('open');

	for (const view of ['week', 'month'] as const) {
		await page.goto(`${server.url}/reports?date=${today}&view=${view}`);
		await expect(page.getByTestId('range-view')).toBeVisible({ timeout: 20_000 });
		const from = view === 'week' ? shift(today, -6) : `${today.slice(0, 7)}-01`;
		const range = await api<Range>(`/api/reports/range?from=${from}&to=${today}`);
		// Worked out here from the range and the history, not by the page's code.
		const statusOf = (d: Range['days'][number]) => statuses.get(`${d.date} ${d.source}`);
		const holdsPending = range.days.some((d) => d.date === pending);
		expect(holdsPending).toBe(view === 'week' || pending.slice(0, 7) === today.slice(0, 7));
		const final = range.days.filter((d) => statusOf(d) === 'final');
		const met = final.filter((d) => d.traffic && d.met.met === true).length;
		const missed = final.filter((d) => d.traffic && d.met.met === false).length;

		// The headline says what the range holds that is not final, in the neutral look.
		const note = page.getByTestId('range-final');
		await expect(note).toHaveAttribute('data-final', 'no');
		await expect(note).toContainText('includes today so far (still running)');
		// "and" before the last reason: the month's days to come, unless today is its last day.
		const [y, m] = today.split('-').map(Number) as [number, number];
		const toCome = view === 'month' && today < new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
		if (holdsPending) await expect(note).toContainText(`today so far (still running)${toCome ? ',' : ' and'} 1 pending day (ended; late outcomes may still arrive)`);
		await expect(note).toContainText('Its totals and verdicts may still change.');
		await expect(note).not.toHaveClass(/\b(met|missed)\b/);
		const summary = page.getByTestId('range-summary');
		await expect(summary).toContainText(`${met} ${met === 1 ? 'day' : 'days'} met, ${missed} missed, ${final.length - met - missed} without traffic, 1 so far${holdsPending ? ', 1 pending' : ''}`);
		await expect(summary).toContainText('Whole range so far: offered');

		// The rows carry the calendar's marks: today "so far", the ingested day "pending", a final day its verdict.
		const verdictCell = (date: string) => page.getByTestId('table-range').locator('tbody tr', { hasText: date }).locator('td').nth(2);
		await expect(verdictCell(today)).toHaveText(/^◔ so far: (met|missed|no traffic)$/);
		if (holdsPending) await expect(verdictCell(pending)).toHaveText(/^… pending: (met|missed|no traffic)$/);
		await expect(verdictCell(yesterday)).toHaveText(/^(met|missed|no traffic)$/);
		// Nothing cut: the table of days fits its panel at 1920x1080.
		const fits = await page.getByTestId('table-range').evaluate((t) => {
			const s = t.querySelector('.scroll')!;
			return s.scrollWidth <= s.clientWidth;
		});
		expect(fits).toBe(true);
		await saveScreenshot(page, `reports-today-${view}.png`);
	}
});

test('the month holding today counts the days after today as to come, not without data', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	const today = shift(yesterday, 1);
	await expect.poll(async () => (await fetch(`${server.url}/api/reports/day/${today}`)).status, { timeout: 60_000 }).toBe(200);
	// From the calendar, not the page's code: the month's days after today (UTC, the server's zone here).
	const [y, m] = today.split('-').map(Number) as [number, number];
	const monthDays = Array.from({ length: new Date(Date.UTC(y, m, 0)).getUTCDate() }, (_, i) => `${today.slice(0, 8)}${String(i + 1).padStart(2, '0')}`);
	const after = monthDays.filter((d) => d > today);
	// Days up to today with no history: the month's days before the backfill reached.
	const range = await api<Range>(`/api/reports/range?from=${monthDays[0]}&to=${monthDays.at(-1)}`);
	const held = new Set(range.days.map((d) => d.date));
	const withoutData = monthDays.filter((d) => d <= today && !held.has(d)).length;

	await page.goto(`${server.url}/reports?date=${today}&view=month`);
	await expect(page.getByTestId('range-view')).toBeVisible({ timeout: 20_000 });
	const summary = page.getByTestId('range-summary');
	// The ingested day two days back is pending when this month holds it.
	const holdsPending = pending.slice(0, 7) === today.slice(0, 7);
	await expect(summary).toContainText(`1 so far${holdsPending ? ', 1 pending' : ''}${withoutData ? `, ${withoutData} without data` : ''}${after.length ? `, ${after.length} to come` : ''}.`);
	if (!withoutData) await expect(summary).not.toContainText('without data');
	const note = page.getByTestId('range-final');
	await expect(note).toContainText('includes today so far (still running)');
	if (after.length) await expect(note).toContainText(`${after.length} ${after.length === 1 ? 'day' : 'days'} to come. Its totals and verdicts may still change.`);
	// The calendar: each day after today reads "to come" in the neutral look, none "no data".
	for (const d of after) {
		const cell = page.locator(`[data-testid="calendar"] [data-date="${d}"]`);
		await expect(cell).toHaveAttribute('data-mark', 'to come');
		await expect(cell).toHaveAttribute('aria-label', `${d}: to come (after today)`);
		await expect(cell).not.toHaveClass(/\b(none|met|missed)\b/);
	}
	await expect(page.locator(`[data-testid="calendar"] [data-date="${today}"]`)).toHaveAttribute('data-mark', 'so far');
	await saveScreenshot(page, 'reports-today-month-to-come.png');

	// The next month, every day of it after today: all to come, the range not final, nothing "without data".
	const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
	const nextDays = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	await page.goto(`${server.url}/reports?date=${next}&view=month`);
	await expect(page.getByTestId('range-view')).toBeVisible({ timeout: 20_000 });
	await expect(summary).toContainText(`0 days met, 0 missed, 0 without traffic, ${nextDays} to come.`);
	await expect(summary).not.toContainText('without data');
	await expect(note).toHaveText(`◔ Not final: includes ${nextDays} days to come. Its totals and verdicts may still change.`);
	await expect(page.locator(`[data-testid="calendar"] [data-date="${next}"]`)).toHaveAttribute('data-mark', 'to come');
});

test('the day view of tomorrow says it is to come, not "No history"; a past day without history keeps it', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	// The center's time zone as the page reads it (/api/config: the default site's), and its today and
	// tomorrow worked out here with Intl, not by the page's code.
	const cfg = await api<{ timeZone?: string; sites?: { id: string; timeZone: string }[] }>('/api/config');
	const zone = cfg.sites?.[0]?.timeZone ?? cfg.timeZone ?? 'UTC';
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
	const tomorrow = shift(today, 1);
	expect((await fetch(`${server.url}/api/reports/day/${tomorrow}`)).status).toBe(404);

	await page.goto(`${server.url}/reports?date=${tomorrow}`);
	const toCome = page.getByTestId('to-come');
	await expect(toCome).toHaveText(`${tomorrow} is to come: it has not happened yet (today is ${today} in the center's time zone).`, { timeout: 20_000 });
	await expect(page.locator('main')).not.toContainText('No history');
	await expect(page.getByTestId('no-data')).toHaveCount(0);
	// The calendar's neutral "to come" look (dotted, no fill), not the dimmed "no data" one.
	await expect(toCome).toHaveClass(/\bfuture\b/);
	await expect(toCome).not.toHaveClass(/\bnone\b/);
	await expect(toCome).toHaveCSS('border-top-style', 'dotted');
	await saveScreenshot(page, 'reports-day-to-come.png');

	// Stepping past today with the arrow key reads the same.
	await page.goto(`${server.url}/reports?date=${today}`);
	await expect(page.getByTestId('day-report')).toBeVisible({ timeout: 20_000 });
	await page.keyboard.press('ArrowRight');
	await expect(page).toHaveURL(new RegExp(`date=${tomorrow}`));
	await expect(toCome).toContainText(`${tomorrow} is to come`);
	await expect(page.locator('main')).not.toContainText('No history');

	// A past day before the backfill has no history: it keeps its message.
	const past = shift(today, -20);
	expect((await fetch(`${server.url}/api/reports/day/${past}`)).status).toBe(404);
	await page.goto(`${server.url}/reports?date=${past}`);
	await expect(page.getByTestId('no-data')).toHaveText(`No history for ${past}. Pick a marked day in the calendar.`, { timeout: 20_000 });
	await expect(toCome).toHaveCount(0);
});
