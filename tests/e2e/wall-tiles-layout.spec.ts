import { expect, test, type Page } from '@playwright/test';
import { getBoard, putBoard } from './helpers/api';
import { startSightline, type Sightline } from './helpers/server';
import { saveScreenshot, waitLive } from './helpers/wall';

/**
 * The headline tiles use the screen's width: on a portrait wall no row of tiles is left mostly
 * empty (the occupancy tile stood alone under the scoreboard, three quarters of its row blank),
 * and the landscape layouts keep their one row of tiles exactly as before. Real server (emulator
 * at 60×), real Chromium, measured from the drawn boxes.
 */
let server: Sightline;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	server = await startSightline({ speed: 60, extraArgs: ['--from', '14:00', '--time-zone', 'UTC'] });
	const base = await getBoard(server.url, 'default');
	const admin = server.tokens.admin!;
	await putBoard(server.url, admin, { ...base, id: 'kiosk', name: 'Kiosk floor', display: { density: 'kiosk' } });
	// One channel group: a row of KPI tiles instead of the scoreboard.
	await putBoard(server.url, admin, { ...base, id: 'voice', name: 'Voice floor', channels: ['voice'] });
});

test.afterAll(async () => {
	await server?.stop();
});

interface Box {
	readonly id: string;
	readonly x: number;
	readonly y: number;
	readonly w: number;
	readonly h: number;
}

/** The headline's box (inside its padding, which it has none of) and each tile's, in order. */
function headline(page: Page): Promise<{ box: Box; gap: number; tiles: Box[] }> {
	return page.getByTestId('headline').evaluate((el) => {
		const box = (e: Element, id: string) => {
			const r = e.getBoundingClientRect();
			return { id, x: r.x, y: r.y, w: r.width, h: r.height };
		};
		return {
			box: box(el, 'headline'),
			gap: parseFloat(getComputedStyle(el).columnGap),
			tiles: [...el.children].map((c) => box(c, c.getAttribute('data-testid') ?? c.getAttribute('aria-label') ?? c.tagName))
		};
	});
}

/** Tiles grouped into rows by their top edge; per row, the share of the headline's width no tile covers (gaps count as empty). */
function rows(h: { box: Box; tiles: Box[] }): { ids: string[]; empty: number }[] {
	const byTop = new Map<number, Box[]>();
	for (const t of h.tiles) {
		const key = [...byTop.keys()].find((k) => Math.abs(k - t.y) < 2) ?? t.y;
		byTop.set(key, [...(byTop.get(key) ?? []), t]);
	}
	return [...byTop.values()].map((row) => ({ ids: row.map((t) => t.id), empty: 1 - row.reduce((s, t) => s + t.w, 0) / h.box.w }));
}

const PORTRAIT = [
	[1080, 1920],
	[2160, 3840]
] as const;
const LANDSCAPE = [
	[1920, 1080],
	[3840, 2160],
	[1280, 720]
] as const;
const BOARDS = [
	['default', ''],
	['kiosk', '?kiosk=1'],
	['voice', '']
] as const;

for (const [w, h] of PORTRAIT) {
	for (const [board, query] of BOARDS) {
		test(`portrait ${w}x${h}, ${board} board: no row of tiles more than a quarter empty, numbers large and whole`, async ({ page }) => {
			await page.setViewportSize({ width: w, height: h });
			await page.goto(`${server.url}/wall/${board}${query}`);
			await waitLive(page);
			const hl = await headline(page);
			const found = rows(hl);
			await saveScreenshot(page, `wall-tiles-${board}-${w}x${h}.png`);
			// Every tile is drawn, and every row is filled to at least three quarters of the width.
			expect(hl.tiles.length).toBeGreaterThanOrEqual(2);
			for (const r of found) expect(r.empty, `row ${r.ids.join(' + ')}: ${Math.round(r.empty * 100)}% empty`).toBeLessThanOrEqual(0.25);
			// Nothing past the screen's edge.
			for (const t of hl.tiles) expect(t.x + t.w, t.id).toBeLessThanOrEqual(w);
			// Occupancy is read across a room: the density's full size, as large as the other headline
			// numbers (the scoreboard's, or the other tiles'), and not cut.
			const occ = page.getByTestId('tile-occupancy-value');
			const size = await occ.evaluate((el) => ({ px: parseFloat(getComputedStyle(el).fontSize), cut: el.scrollWidth > el.clientWidth + 1 }));
			expect(size.cut).toBe(false);
			const others = board === 'voice' ? '[data-testid="tile-waiting-value"]' : '[data-testid="headline"] td';
			const other = await page.locator(others).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
			expect(size.px).toBeGreaterThanOrEqual(other);
			expect(size.px).toBeGreaterThanOrEqual(w / 20);
		});
	}
}

for (const [w, h] of LANDSCAPE) {
	for (const [board, query] of BOARDS) {
		test(`landscape ${w}x${h}, ${board} board: one row of tiles on the eight-column grid, as before`, async ({ page }) => {
			await page.setViewportSize({ width: w, height: h });
			await page.goto(`${server.url}/wall/${board}${query}`);
			await waitLive(page);
			const hl = await headline(page);
			// One row: every tile at the headline's top, as tall as it.
			expect(rows(hl)).toHaveLength(1);
			for (const t of hl.tiles) {
				expect(Math.abs(t.y - hl.box.y), t.id).toBeLessThan(1);
				expect(Math.abs(t.h - hl.box.h), t.id).toBeLessThan(1);
			}
			// The eight columns: the scoreboard seven and occupancy one; or SL two and the other KPIs one each.
			const col = (hl.box.w - 7 * hl.gap) / 8;
			const spans = board === 'voice' ? [2, 1, 1, 1, 1, 1, 1] : [7, 1];
			expect(hl.tiles.map((t) => t.id).at(-1)).toBe('tile-occupancy');
			expect(hl.tiles).toHaveLength(spans.length);
			let x = hl.box.x;
			hl.tiles.forEach((t, i) => {
				const span = spans[i]!;
				expect(Math.abs(t.x - x), `${t.id} left`).toBeLessThan(1);
				expect(Math.abs(t.w - (span * col + (span - 1) * hl.gap)), `${t.id} width`).toBeLessThan(1);
				x += t.w + hl.gap;
			});
			// The occupancy tile keeps its column layout: label, number, then the sparkline below them.
			const occ = page.getByTestId('tile-occupancy');
			const value = (await occ.getByTestId('tile-occupancy-value').boundingBox())!;
			const spark = (await occ.getByRole('img', { name: 'Occupancy, last 30 minutes' }).boundingBox())!;
			expect(spark.y).toBeGreaterThanOrEqual(value.y + value.height - 1);
		});
	}
}
