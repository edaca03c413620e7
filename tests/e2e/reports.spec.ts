import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../sim/scenario';
import { traceEvents } from '../../sim/trace';
import { startSightline, type Sightline } from './helpers/server';
import { SCREENSHOT_DIR, saveScreenshot } from './helpers/wall';
import { pdfText } from './reports-pdf-text';

/**
 * /reports against the real server: past days go in through the real ingest path (simulated days
 * POSTed to /api/events), then a manager opens the page, picks a day, compares it with last week,
 * downloads a CSV and prints it to PDF.
 */

const DAY = 86_400_000;
const yesterday = new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString().slice(0, 10);
const shift = (d: string, n: number) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);
/** Days with history: yesterday, the two before, and the same weekdays a week earlier. */
const FILLED = [0, -1, -2, -7, -8].map((n) => shift(yesterday, n));

let server: Sightline;

async function api<T>(path: string): Promise<T> {
	const r = await fetch(`${server.url}${path}`);
	if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
	return (await r.json()) as T;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	// Backfilling 28 days is simulation work; on a loaded 2-core machine it can take minutes.
	test.setTimeout(360_000);
	// A backfilled install (the emulated center's last 28 days), plus five days ingested on top.
	server = await startSightline({ speed: 1, extraArgs: ['--time-zone', 'UTC', '--backfill', '28'], startTimeoutMs: 300_000 });
	const parsed = parseScenario(readFileSync('sim/scenarios/multichannel-day.json', 'utf8'));
	if (!parsed.ok) throw new Error('scenario');
	for (const [i, date] of FILLED.entries()) {
		const events = traceEvents(parsed.scenario, { seed: 11 + i, startTs: Date.parse(`${date}T08:00:00Z`) });
		for (let k = 0; k < events.length; k += 4000) {
			const r = await fetch(`${server.url}/api/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.ingest}` },
				body: JSON.stringify(events.slice(k, k + 4000))
			});
			if (r.status !== 202) throw new Error(`ingest ${date}: ${r.status} ${await r.text()}`);
		}
	}
});

test.afterAll(async () => {
	await server?.stop();
});

type Kpis = { offered: number; serviceLevel: number | null; asa: number | null };
type Day = {
	date: string;
	source: string;
	total: Kpis;
	met: { met: boolean | null; rule: string };
	groups: { group: string; name: string; kpis: Kpis; judgements: { kpi: string; target: number | null; met: boolean | null }[] }[];
};

/** Each stored day's status, as the history's day list gives it. */
async function dayStatuses(): Promise<Map<string, string>> {
	const r = await api<{ days: { date: string; source: string; status: string }[] }>('/api/history/days');
	return new Map(r.days.map((d) => [`${d.date} ${d.source}`, d.status]));
}

/**
 * The calendar words a day may carry, from its report and its source's status read before the
 * page loaded and after (worked out here, not by the page's code): a closing day may turn final
 * between the two reads, and the page shows whichever it read in between.
 */
function expectedMark(day: Day, before: string | undefined, after: string | undefined): RegExp {
	const verdict = day.met.met === null ? 'no traffic' : day.met.met ? 'met' : 'missed';
	const word = (status: string | undefined) => (status === 'open' ? 'so far' : status === 'closing' ? 'pending' : verdict);
	return new RegExp(`^(${word(before)}|${word(after)})$`);
}

test('opens on yesterday; calendar marks days; pick, step, compare, export, print', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	const statusesBefore = await dayStatuses();
	await page.goto(`${server.url}/reports`);
	const y = await api<Day>(`/api/reports/day/${yesterday}`);
	await expect(page.getByTestId('day-report')).toBeVisible({ timeout: 20_000 });
	await expect(page).toHaveURL(new RegExp(`date=${yesterday}`));
	await expect(page.locator('[data-kpi="offered"] .value')).toHaveText(y.total.offered.toLocaleString('en-US'));
	await expect(page.getByTestId('met')).toContainText(y.met.met ? 'met' : 'missed');

	// The headline judges each channel group apart: a named row per group, each cell named "ASA · Voice".
	expect(y.met.rule).toBe('every-group');
	// Yesterday may still be closing (ingested emails unanswered at its end): then its verdicts read "so far"
	// (reports-today.spec.ts holds the page's reading of a status against the API's).
	const yFinal = (await page.getByTestId('met').getAttribute('data-final')) === 'yes';
	expect(y.groups.map((g) => g.group)).toEqual(['voice', 'messaging', 'email']);
	const headline = page.getByTestId('headline-groups');
	for (const g of y.groups) {
		await expect(headline.getByRole('rowheader', { name: g.name, exact: true })).toBeVisible();
		const asa = page.getByTestId(`group-${g.group}-asa`);
		const seconds = Math.round(g.kpis.asa ?? 0);
		const clock = seconds >= 3600 ? `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}` : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
		await expect(asa).toHaveAttribute('aria-label', new RegExp(`^ASA · ${g.name}: ${clock}, ${yFinal ? '' : 'so far '}(met|missed): target ≤ `));
		const j = g.judgements.find((x) => x.kpi === 'asa')!;
		await expect(asa).toHaveAttribute('data-met', yFinal ? (j.met ? 'met' : 'missed') : 'sofar');
		await expect(page.getByTestId(`group-${g.group}-serviceLevel-value`)).toHaveText(`${((g.kpis.serviceLevel ?? 0) * 100).toFixed(1)}%`);
	}
	// Voice is held to seconds and email to hours, not one target for both.
	const asaTarget = (g: string) => y.groups.find((x) => x.group === g)!.judgements.find((j) => j.kpi === 'asa')!.target!;
	expect(asaTarget('email')).toBeGreaterThan(asaTarget('voice') * 60);

	// Calendar: days with history carry a word (met/missed; a day not final yet says so), others say "no data".
	const statuses = await dayStatuses();
	for (const d of FILLED.filter((d) => d.slice(0, 7) === yesterday.slice(0, 7))) {
		const day = await api<Day>(`/api/reports/day/${d}`);
		const key = `${d} ${day.source}`;
		await expect(page.locator(`[data-date="${d}"]`)).toHaveAttribute('data-mark', expectedMark(day, statusesBefore.get(key), statuses.get(key)));
	}
	// Backfilled days are marked too; a day after today has not happened: "to come", not "no data".
	const backfilled = shift(yesterday, -4);
	if (backfilled.slice(0, 7) === yesterday.slice(0, 7)) await expect(page.locator(`[data-date="${backfilled}"]`)).not.toHaveAttribute('data-mark', 'no data');
	const future = shift(yesterday, 3);
	if (future.slice(0, 7) === yesterday.slice(0, 7)) await expect(page.locator(`[data-date="${future}"]`)).toHaveAttribute('data-mark', 'to come');
	await saveScreenshot(page, 'reports-day.png');

	// Hover an interval mid-morning: the read-out names the interval and its figures.
	const chart = page.getByTestId('interval-chart').first();
	const box = (await chart.locator('svg').boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
	await expect(chart.getByRole('status')).toContainText('Offered');
	await saveScreenshot(page, 'reports-hover.png');

	// The ASA chart of all channels mixes seconds and hours, so it has no target line; one group's chart has that group's.
	const asaChart = page.getByTestId('interval-chart').filter({ hasText: 'Average speed of answer' });
	await expect(asaChart).toContainText('all channels');
	await expect(asaChart.locator('.key', { hasText: 'target' })).toHaveCount(0);
	const hms = (s: number) => `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
	await page.getByTestId('chart-scope').getByLabel('Email').check();
	await expect(asaChart).toContainText('Email');
	await expect(asaChart.locator('.key', { hasText: 'target' })).toHaveText(`target ${hms(asaTarget('email'))}`);
	await page.getByTestId('chart-scope').getByLabel('Voice').check();
	await expect(asaChart.locator('.key', { hasText: 'target' })).toContainText(`target 0:${String(asaTarget('voice')).padStart(2, '0')}`);
	await saveScreenshot(page, 'reports-charts-voice.png');
	await page.getByTestId('chart-scope').getByLabel('All channels').check();

	// Step back a day with the keyboard, then pick a day in the calendar (the month shown is the day's).
	const before = shift(yesterday, -1);
	await page.locator('h1').click();
	await page.keyboard.press('ArrowLeft');
	await expect(page).toHaveURL(new RegExp(`date=${before}`));
	const b = await api<Day>(`/api/reports/day/${before}`);
	await expect(page.locator('[data-kpi="offered"] .value')).toHaveText(b.total.offered.toLocaleString('en-US'));
	const target = yesterday.slice(0, 7) === before.slice(0, 7) ? yesterday : shift(yesterday, -2);
	await page.locator(`[data-date="${target}"]`).click();
	const t = await api<Day>(`/api/reports/day/${target}`);
	await expect(page.locator('[data-kpi="offered"] .value')).toHaveText(t.total.offered.toLocaleString('en-US'));
	if (target !== yesterday) {
		await page.locator('h1').click();
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('ArrowRight');
	}
	await expect(page).toHaveURL(new RegExp(`date=${yesterday}`));
	await expect(page.locator('[data-kpi="offered"] .value')).toHaveText(y.total.offered.toLocaleString('en-US'));

	// Compare with the same weekday last week: signed differences on the tiles and dashed lines on the charts.
	await page.getByLabel('Same weekday last week').check();
	const lastWeek = await api<Day>(`/api/reports/day/${shift(yesterday, -7)}`);
	const diff = y.total.offered - lastWeek.total.offered;
	const signed = (diff > 0 ? '+' : diff < 0 ? '−' : '±') + Math.abs(diff).toLocaleString('en-US');
	await expect(page.getByTestId('diff-offered')).toHaveText(`${signed} vs ${shift(yesterday, -7)}`);
	await expect(page.locator('[data-series="offered-other"]')).toHaveCount(1);
	await expect(page.getByTestId('table-comparison')).toBeVisible();
	await saveScreenshot(page, 'reports-compare.png');

	// One-click CSV of the queue table: the page's columns, one row per queue, figures as the API has them.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-queues').click()]);
	const csvPath = join(SCREENSHOT_DIR, '..', 'reports-queues.csv');
	await download.saveAs(csvPath);
	const rows = parse(readFileSync(csvPath, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
	const apiQueues = (await api<{ queues: { name: string; kpis: { offered: number } }[] }>(`/api/reports/day/${yesterday}`)).queues;
	expect(rows.map((r) => [r['Queue'], Number(r['Offered'])])).toEqual(apiQueues.map((q) => [q.name, q.kpis.offered]));
	expect(Object.keys(rows[0] ?? {})).toContain('Service level (%)');
	// And the channel groups' CSV: one row per group, with its own ASA target.
	const [groupDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-channel-groups').click()]);
	const groupPath = join(SCREENSHOT_DIR, '..', 'reports-groups.csv');
	await groupDownload.saveAs(groupPath);
	const groupRows = parse(readFileSync(groupPath, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
	expect(groupRows.map((r) => [r['Channel group'], Number(r['Offered']), Number(r['ASA target (s)'])])).toEqual(y.groups.map((g) => [g.name, g.kpis.offered, asaTarget(g.group)]));

	// Print to PDF: the headline KPIs are on paper.
	await page.emulateMedia({ media: 'print' });
	await saveScreenshot(page, 'reports-print-media.png');
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	writeFileSync(join(SCREENSHOT_DIR, '..', 'reports-day.pdf'), pdf);
	const text = pdfText(pdf).replace(/\s+/g, ' ');
	for (const word of ['OFFERED', 'ANSWERED', 'ABANDONED', 'SERVICE LEVEL', 'ASA', 'AHT', 'OCCUPANCY', 'LONGEST WAIT']) expect(text.toUpperCase()).toContain(word);
	expect(text).toContain(y.total.offered.toLocaleString('en-US'));
	for (const g of y.groups) expect(text).toContain(`${((g.kpis.serviceLevel ?? 0) * 100).toFixed(1)}%`);
	expect(text).not.toContain('Boards'); // no navigation on paper
	await page.emulateMedia({ media: 'screen' });
});

test('month view: a trend chart per KPI and the table of days', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/reports?date=${yesterday}&view=month`);
	await expect(page.getByTestId('range-view')).toBeVisible({ timeout: 20_000 });
	const rows = page.getByTestId('table-range').locator('tbody tr');
	// Every day of the month with history: the ingested ones, and whatever else the install keeps (the emulator's today).
	const first = `${yesterday.slice(0, 7)}-01`;
	const last = shift(`${shift(first, 31).slice(0, 7)}-01`, -1);
	const month = await api<{ days: { date: string; recorded: { agentTime: boolean } }[] }>(`/api/reports/range?from=${first}&to=${last}`);
	for (const d of FILLED.filter((d) => d.slice(0, 7) === yesterday.slice(0, 7))) expect(month.days.map((x) => x.date)).toContain(d);
	await expect(rows).toHaveCount(month.days.length);
	// Offered, SL, abandon rate, ASA, AHT; and occupancy where any day recorded agent states.
	await expect(page.getByTestId('interval-chart')).toHaveCount(month.days.some((d) => d.recorded.agentTime) ? 6 : 5);
	await saveScreenshot(page, 'reports-month.png');
});

test('forecast vs actual: a forecast issued for yesterday is held against the day', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	// Before anything is issued, the section says so.
	await page.goto(`${server.url}/reports?date=${shift(yesterday, -1)}`);
	await expect(page.getByTestId('day-report')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('forecast-accuracy-message')).toContainText('No forecast was issued', { timeout: 20_000 });
	// A supervisor issues the forecast of yesterday (from the days before it).
	const issued = await fetch(`${server.url}/api/forecast/issue`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.supervisor}` },
		body: JSON.stringify({ start: yesterday, days: 1, interval: 3600 })
	});
	if (issued.status !== 201) throw new Error(`issue: ${issued.status} ${await issued.text()}`);
	const acc = await api<{ wape: number; coverage: number; rows: { start: string; actual: number; inside: boolean | null }[] }>(`/api/forecast/accuracy?date=${yesterday}`);
	await page.goto(`${server.url}/reports?date=${yesterday}`);
	const section = page.getByTestId('forecast-accuracy');
	await expect(section.getByRole('heading', { name: 'Forecast vs actual', exact: true })).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('forecast-wape')).toHaveText(`${(acc.wape * 100).toFixed(1)}%`);
	await expect(page.getByTestId('forecast-coverage')).toHaveText(`${(acc.coverage * 100).toFixed(1)}%`);
	// One row per hour that expected or saw contacts, actuals as the API has them.
	const shown = acc.rows.filter((r) => r.inside !== null);
	const rows = page.getByTestId('table-forecast-vs-actual').locator('tbody tr');
	await expect(rows).toHaveCount(shown.length);
	await expect(rows.first().locator('td').nth(4)).toHaveText((shown[0]?.actual ?? 0).toLocaleString('en-US'));
	await section.scrollIntoViewIfNeeded();
	await saveScreenshot(page, 'reports-forecast-vs-actual.png');
});
