import { expect, test, type Page } from '@playwright/test';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { agentsPastBox, cutStateLabels, queueRows, saveScreenshot, waitLive } from './helpers/wall';

/** The wall read from across a room, at every size, against the real server (emulator at 60×). */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	// From 14:00, the open day's busiest hours: four-digit counts widen the table's number columns,
	// the hard case for the queue names (at dawn "chat-support" fitted on one line by luck).
	server = await startSightline({ speed: 60, extraArgs: ['--from', '14:00', '--time-zone', 'UTC'] });
	const base = await getBoard(server.url, 'default');
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'kiosk', name: 'Kiosk floor', display: { density: 'kiosk' } });
});

test.afterAll(async () => {
	await server?.stop();
});

const px = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

/** Every queue-table header and cell whose text does not fit its box (clipped or cut off). */
function clipped(page: Page): Promise<string[]> {
	return page.getByTestId('queue-table').evaluate((table) => {
		const box = table.closest('section')!.getBoundingClientRect();
		const out: string[] = [];
		for (const el of table.querySelectorAll<HTMLElement>('th, td, .qname')) {
			const r = el.getBoundingClientRect();
			if (r.right > box.right + 1) out.push(`${el.textContent?.trim()} past the panel`);
			if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.textContent?.trim()} cut`);
		}
		return out;
	});
}

/** Queue names drawn on more than one line ("chat- / support"), or cut (ellipsis), with their line count. */
function namesNotOnOneLine(page: Page): Promise<string[]> {
	return page.getByTestId('queue-table').locator('.qname').evaluateAll((els) =>
		els.flatMap((el) => {
			const range = document.createRange();
			range.selectNodeContents(el);
			const lines = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top))).size;
			const text = el.textContent?.trim() ?? '';
			return lines > 1 ? [`${text}: ${lines} lines`] : el.scrollWidth > el.clientWidth + 1 ? [`${text}: cut`] : [];
		})
	);
}

test('kiosk density: table text at least 28 px at 1080p, headline numbers larger, nothing cut', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/kiosk?kiosk=1`);
	await waitLive(page);
	await expect(page.getByTestId('wall')).toHaveClass(/density-kiosk/);
	const table = await px(page, '[data-testid="queue-row"] td');
	expect(table).toBeGreaterThanOrEqual(28);
	// Headline numbers larger than before the densities (3.4rem = 54.4 px), twice the table's in the one-row tiles.
	expect(await px(page, '[data-testid="tile-sl-voice-value"]')).toBeGreaterThan(54.4);
	expect(await px(page, '[data-testid="tile-occupancy-value"]')).toBeGreaterThan(table * 2);
	expect(await px(page, '[data-testid="queue-table"] thead th')).toBeGreaterThanOrEqual(16);
	expect(await page.getByTestId('queue-table').locator('thead th').count()).toBe(10);
	expect(await clipped(page)).toEqual([]);
	expect(await cutStateLabels(page)).toEqual([]);
	// Every queue row of the bundled center is on screen (the names no longer break in two beside a chip).
	await expect(page.getByTestId('queue-row')).toHaveCount(10);
	await expect(page.getByTestId('queues-hidden')).toHaveCount(0);
	// The table has room for its names on one line: "chat-support" no longer breaks at its hyphen.
	expect(await namesNotOnOneLine(page)).toEqual([]);
	await saveScreenshot(page, 'wall-kiosk-1920x1080.png');
});

test('1280x720 keeps every column, and nothing in the table is cut', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	const heads = page.getByTestId('queue-table').locator('thead th');
	expect(await heads.count()).toBe(10);
	for (const h of await heads.all()) await expect(h).toBeInViewport();
	expect(await clipped(page)).toEqual([]);
	expect(await cutStateLabels(page)).toEqual([]);
	await saveScreenshot(page, 'wall-1280x720.png');
});

test('kiosk at 1280x720: every queue row on screen, whole; a shorter screen names the rows it leaves out', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	await page.goto(`${server.url}/wall/kiosk?kiosk=1`);
	await waitLive(page);
	await expect(page.getByTestId('wall')).toHaveClass(/density-kiosk/);
	// The bundled center: 8 queues and the voice and chat roll-ups.
	await expect(page.getByTestId('queue-row')).toHaveCount(10);
	await page.waitForTimeout(1000);
	expect(await queueRows(page)).toEqual((await queueRows(page)).map((r) => ({ ...r, shown: true, inside: true })));
	await expect(page.getByTestId('queues-hidden')).toHaveCount(0);
	// The open day's four-digit counts stay inside the panel; the state tiles' labels are whole.
	expect(await clipped(page)).toEqual([]);
	expect(await cutStateLabels(page)).toEqual([]);
	await saveScreenshot(page, 'wall-kiosk-1280x720.png');

	// Less room than rows: no row is drawn in part; the rows left out are counted and named.
	await page.setViewportSize({ width: 1280, height: 560 });
	const note = page.getByTestId('queues-hidden');
	await expect(note).toBeVisible();
	const rows = await queueRows(page);
	const left = rows.filter((r) => !r.shown);
	expect(left.length).toBeGreaterThan(0);
	for (const r of rows.filter((x) => x.shown)) expect(r, r.id).toMatchObject({ inside: true });
	const names = await page.getByTestId('queue-row').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-queue'), e.querySelector('.qname')?.textContent?.trim() ?? ''])));
	await expect(note).toHaveText(`+${left.length} ${left.length === 1 ? 'row' : 'rows'} not shown (no room): ${left.map((r) => names[r.id]).join(', ')}`);
	const noteBox = (await note.boundingBox())!;
	const lastShown = await page.locator(`[data-queue="${rows.filter((x) => x.shown).at(-1)!.id}"]`).boundingBox();
	expect(noteBox.y).toBeGreaterThanOrEqual(lastShown!.y + lastShown!.height - 1);
	await saveScreenshot(page, 'wall-kiosk-1280x560.png');
	// Room again: every row is back.
	await page.setViewportSize({ width: 1280, height: 720 });
	await expect(note).toHaveCount(0);
});

test('portrait 1080x1920: tiles in two rows, the agents below the table, nothing cut', async ({ page }) => {
	await page.setViewportSize({ width: 1080, height: 1920 });
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	await saveScreenshot(page, 'wall-portrait-1080x1920.png');
	const table = await page.getByTestId('queue-table').boundingBox();
	const grid = await page.getByTestId('agent-grid').boundingBox();
	expect(grid!.y).toBeGreaterThan(table!.y + table!.height);
	const sl = await page.getByTestId('tile-sl-voice').boundingBox();
	const occ = await page.getByTestId('tile-occupancy').boundingBox();
	expect(occ!.y).toBeGreaterThan(sl!.y + sl!.height - 1);
	expect(await clipped(page)).toEqual([]);
	expect(await cutStateLabels(page)).toEqual([]);
	// No headline value wider than its column (at 51 px a four-digit ASA ran into the AHT beside it).
	const wide = await page.getByTestId('headline').locator('td').evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth).map((td) => td.textContent?.trim()));
	expect(wide).toEqual([]);
});

test('portrait kiosk 1080x1920: every queue row and every agent on screen, whole; names on one line', async ({ page }) => {
	await page.setViewportSize({ width: 1080, height: 1920 });
	await page.goto(`${server.url}/wall/kiosk?kiosk=1`);
	await waitLive(page);
	await expect(page.getByTestId('wall')).toHaveClass(/density-kiosk/);
	await expect(page.getByTestId('queue-row')).toHaveCount(10);
	await expect(page.getByTestId('queues-hidden')).toHaveCount(0);
	expect(await namesNotOnOneLine(page)).toEqual([]);
	expect(await clipped(page)).toEqual([]);
	// The grid's teams all drawn (the bundled center's 83 agents in 7 teams), none reaching past the
	// box: the last two teams were cut by the panel's edge when the grid had 196 px.
	const grid = page.getByTestId('agent-grid');
	await expect(grid.locator('h3')).toHaveCount(7);
	await expect(page.getByTestId('agents-hidden')).toHaveCount(0);
	const n = Number(await grid.getAttribute('data-cells'));
	expect(n).toBeGreaterThan(20);
	await expect(grid.locator('li.cell')).toHaveCount(n);
	expect(await agentsPastBox(page)).toEqual([]);
	// Cells big enough to carry time in state and slots at a distance (not colour-only dots).
	await expect(grid).toHaveAttribute('data-detail', 'true');
	await saveScreenshot(page, 'wall-kiosk-portrait-1080x1920.png');
});

test('a TV has no hover: on a board with room, agent names are on the cells', async ({ page }) => {
	const base = await getBoard(server.url, 'default');
	await putBoard(server.url, server.tokens.admin!, { ...base, id: 'email', name: 'Email desk', queues: ['email'] });
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/email`);
	await waitLive(page);
	const cells = page.getByTestId('agent-grid').locator('li.cell');
	await expect.poll(() => cells.count(), { timeout: 20_000 }).toBeGreaterThan(3);
	const names = page.getByTestId('agent-grid').getByTestId('agent-name');
	await expect.poll(() => names.count()).toBe(await cells.count());
	expect(await px(page, '[data-testid="agent-name"]')).toBeGreaterThanOrEqual(14);
	// The cell shows what tells the agent apart ("back-office-3" in team back-office: "#3"); the title has it whole.
	const first = cells.first();
	const title = (await first.getAttribute('title')) ?? '';
	const full = title.split(' — ')[0] ?? '';
	const shown = (await first.getByTestId('agent-name').textContent()) ?? '';
	expect(full.length).toBeGreaterThan(0);
	expect(shown.length).toBeGreaterThan(0);
	// Either the whole name, its distinguishing end after the team ("#3"), or first name and initial.
	const ok = shown === full || (shown.startsWith('#') && full.endsWith(shown.slice(1))) || full.startsWith(shown.split(' ')[0] ?? shown);
	expect(ok, `${shown} for ${full}`).toBe(true);
	await saveScreenshot(page, 'wall-names-1920x1080.png');
});

test('an agent far longer than the board allows in one state is flagged on the grid', async ({ page }) => {
	const base = await getBoard(server.url, 'default');
	// Three seconds in any state is "long" on this board: flags appear within seconds.
	await putBoard(server.url, server.tokens.admin!, {
		...base,
		id: 'strict',
		name: 'Strict',
		display: { longState: { available: 0.05, 'on-contact': 0.05, 'wrap-up': 0.05, 'not-ready': 0.05 } }
	});
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`${server.url}/wall/strict`);
	await waitLive(page);
	const flagged = page.getByTestId('agent-grid').locator('li.cell[data-long="true"]');
	await expect.poll(() => flagged.count(), { timeout: 20_000 }).toBeGreaterThan(0);
	await expect(flagged.first()).toHaveAttribute('title', /over 0\.05 min in this state/);
	// The default board (not-ready 30, on-contact 60, wrap-up 10 minutes; at 60× an emulated hour
	// passes a real minute): only agents in a state with a rule, each past that rule's minutes.
	await page.goto(`${server.url}/wall/default`);
	await waitLive(page);
	const rule: Record<string, number> = { 'not-ready': 30, 'on-contact': 60, 'wrap-up': 10 };
	const cells = await page.getByTestId('agent-grid').locator('li.cell').evaluateAll((els) =>
		els.map((e) => ({ activity: e.getAttribute('data-activity')!, long: e.getAttribute('data-long') === 'true', title: e.getAttribute('title') ?? '' }))
	);
	expect(cells.length).toBeGreaterThan(20);
	for (const c of cells.filter((x) => x.long)) expect(c.title, c.activity).toContain(`over ${rule[c.activity]} min in this state`);
	expect(cells.filter((x) => x.long && !(x.activity in rule))).toEqual([]);
});

/**
 * Every piece of text in the headline, the agent-state tiles, the queue table and the agent grid:
 * cut (content wider or taller than its box, or past its panel), or a word broken across lines
 * ("suppor / t"). A title excuses nothing: a wall has no mouse, so text cut with the whole of it in
 * a tooltip is still cut to the room (that is how "AVAILAB" once passed). Words are split at spaces
 * and after hyphens, where a break is allowed.
 */
function unreadable(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const roots = ['[data-testid="headline"]', '[aria-label="Agents by state"]', '[data-testid="queue-table"]', '[aria-label="Agents"]'].map((s) => document.querySelector(s));
		const out: string[] = [];
		for (const root of roots) {
			if (!root) continue;
			for (const el of root.querySelectorAll<HTMLElement>('*')) {
				const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()) as Text[];
				if (own.length === 0) continue;
				const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
				const panel = el.closest('[data-panel]')?.getBoundingClientRect();
				// Cut by its own box (ellipsis, line clamp), or drawn past its panel, which clips.
				const css = getComputedStyle(el);
				const cut = (css.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) || (css.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1);
				const range = document.createRange();
				range.selectNodeContents(el);
				const r = range.getBoundingClientRect();
				const past = panel && r.width > 0 && (r.right > panel.right + 1 || r.left < panel.left - 1 || r.bottom > panel.bottom + 1);
				if (cut || past) out.push(`"${text}" ${cut ? 'cut' : 'past its panel'} (${el.tagName.toLowerCase()}.${el.className})`);
				for (const node of own) {
					for (const m of node.textContent!.matchAll(/[^\s-]+-?/g)) {
						const range = document.createRange();
						range.setStart(node, m.index);
						range.setEnd(node, m.index + m[0].length);
						const lines = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
						if (lines.size > 1) out.push(`"${m[0]}" broken across lines in "${text}"`);
					}
				}
			}
		}
		return out;
	});
}

for (const [w, h, board, kiosk] of [
	[1920, 1080, 'default', false],
	[3840, 2160, 'default', false],
	[1280, 720, 'default', false],
	[1080, 1920, 'default', false],
	[2160, 3840, 'default', false],
	[1920, 1080, 'kiosk', true],
	[3840, 2160, 'kiosk', true],
	[1280, 720, 'kiosk', true],
	[1080, 1920, 'kiosk', true],
	[2160, 3840, 'kiosk', true]
] as const) {
	test(`no text cut or broken mid-word at ${w}x${h}, ${board} board${kiosk ? ' in kiosk mode' : ''}`, async ({ page }) => {
		await page.setViewportSize({ width: w, height: h });
		await page.goto(`${server.url}/wall/${board}${kiosk ? '?kiosk=1' : ''}`);
		await waitLive(page);
		// Give the floor a moment so every panel has its numbers.
		await expect(page.getByTestId('agents-on-contact').locator('.n')).not.toHaveText('0', { timeout: 20_000 });
		await page.waitForTimeout(1500);
		const name = `wall-text-${board}-${w}x${h}.png`;
		await saveScreenshot(page, name);
		expect(await unreadable(page), name).toEqual([]);
		// A tooltip excuses nothing on a wall: every agent-state label is whole on the tile.
		expect(await cutStateLabels(page), name).toEqual([]);
	});
}
