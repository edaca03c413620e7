import { expect, test } from '@playwright/test';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, zoneAtHour, type Sightline } from './helpers/server';
import { saveScreenshot, waitLive } from './helpers/wall';

/**
 * Headline tiles per channel group (#11), against the real server fed by POSTs: voice waits
 * seconds, chat minutes, email an hour; each group's ASA, SL and longest wait stay in its own row,
 * named on the tile, and a failing voice queue shows red however well the rest does. Expected
 * figures are worked out here from the waits posted.
 */
let ingest: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	// Local noon: the hour of events below lies inside today.
	ingest = await startSightline({ mode: 'ingest', extraArgs: ['--time-zone', zoneAtHour(12)] });
});

test.afterAll(async () => {
	await ingest?.stop();
});

let n = 0;
async function post(events: Record<string, unknown>[]): Promise<void> {
	const body = events.map((e) => ({ id: `hl-${++n}`, ...e }));
	const r = await fetch(`${ingest.url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${ingest.tokens.ingest}` },
		body: JSON.stringify(body)
	});
	expect(r.status, await r.text()).toBe(202);
}

/** Seconds as the tiles print them (m:ss, h:mm:ss), from the whole seconds. */
const clock = (s: number) => {
	const t = Math.floor(s);
	const h = Math.floor(t / 3600);
	const mm = String(Math.floor((t % 3600) / 60)).padStart(h ? 2 : 1, '0');
	return `${h ? `${h}:` : ''}${mm}:${String(t % 60).padStart(2, '0')}`;
};

test('voice, messaging and email each get their own headline row, named on every tile', async ({ page }) => {
	const now = Date.now();
	const at = (secondsAgo: number) => now - secondsAgo * 1000;
	const agent = (id: string, queue: string) => [
		{ type: 'agent.profile', ts: at(4000), agent: id, name: id, team: 'T', skills: { [queue]: 1 }, capacity: {} },
		{ type: 'agent.state', ts: at(4000), agent: id, state: 'available' }
	];
	// Waits: voice 5 s and 40 s answered (T = 20 s), one voice abandon after 50 s; chat 30 s; email 3,000 s.
	const contacts: [string, string, string, number, number, 'answered' | 'abandoned', string?][] = [
		['m1', 'mail', 'email', 3600, 3000, 'answered', 'e1'],
		['c1', 'web', 'chat', 400, 30, 'answered', 'k1'],
		['v1', 'sales', 'voice', 300, 5, 'answered', 'v1a'],
		['v2', 'sales', 'voice', 250, 40, 'answered', 'v2a'],
		['v3', 'sales', 'voice', 200, 50, 'abandoned']
	];
	const events: Record<string, unknown>[] = [...agent('e1', 'mail'), ...agent('k1', 'web'), ...agent('v1a', 'sales'), ...agent('v2a', 'sales')];
	for (const [contact, queue, channel, ago, wait, outcome, who] of contacts) {
		events.push({ type: 'contact.queued', ts: at(ago), contact, queue, channel });
		events.push(outcome === 'answered' ? { type: 'contact.answered', ts: at(ago - wait), contact, queue, agent: who } : { type: 'contact.abandoned', ts: at(ago - wait), contact, queue });
	}
	await post(events.sort((a, b) => (a.ts as number) - (b.ts as number)));

	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${ingest.url}/wall/default`);
	await waitLive(page);
	await expect(page.getByTestId('headline')).toHaveAttribute('data-groups', 'voice messaging email');
	// ASA per group: (5 + 40) / 2 for voice, chat's 30 s, email's 50 minutes; all four mixed would be 12:48.
	await expect(page.getByTestId('tile-asa-voice-value')).toHaveText(clock((5 + 40) / 2));
	await expect(page.getByTestId('tile-asa-messaging-value')).toHaveText(clock(30));
	await expect(page.getByTestId('tile-asa-email-value')).toHaveText(clock(3000));
	// Every cell is named: its row is the group, its column the KPI, its title both.
	await expect(page.getByTestId('tile-asa-voice')).toHaveAttribute('title', /^ASA · Voice: 0:22 · /);
	await expect(page.getByTestId('tile-asa-email')).toHaveAttribute('title', /^ASA · Email: 50:00 · /);
	await expect(page.locator('[data-group="email"] th')).toHaveText('Email');
	await expect(page.getByRole('columnheader', { name: 'ASA' })).toBeVisible();
	// Voice SL: one of two answered within 20 s, the 50 s abandon counts against: 1 / 3, under the 70% alert.
	await expect(page.getByTestId('tile-sl-voice-value')).toHaveText(`${Math.round(100 / 3)}%`);
	await expect(page.getByTestId('tile-sl-voice')).toHaveAttribute('data-level', 'alert');
	await expect(page.getByTestId('tile-sl-messaging-value')).toHaveText('100%');
	await expect(page.getByTestId('tile-sl-messaging')).toHaveAttribute('data-level', 'ok');
	// Longest wait today per group: the tile shows who waits now (nobody), "max today" is in the table; abandon rate per group.
	await expect(page.getByTestId('tile-abandon-voice-value')).toHaveText(`${Math.round(100 / 3)}%`);
	await expect(page.getByTestId('tile-abandon-email-value')).toHaveText('0%');
	// Occupancy is of agents: once, for all of them.
	await expect(page.getByTestId('tile-occupancy')).toContainText('Occupancy · all agents');
	await saveScreenshot(page, 'wall-headline-groups-1920x1080.png');

	// A board of voice queues only: one row, named, with its sparklines.
	const board = await getBoard(ingest.url, 'default');
	await putBoard(ingest.url, ingest.tokens.admin!, { ...board, id: 'voice', name: 'Voice', channels: ['voice'] });
	await page.goto(`${ingest.url}/wall/voice`);
	await waitLive(page);
	await expect(page.getByTestId('headline')).toHaveAttribute('data-groups', 'voice');
	await expect(page.getByTestId('tile-asa-value')).toHaveText(clock(22.5));
	await expect(page.getByTestId('tile-asa')).toContainText('ASA · Voice');
});
