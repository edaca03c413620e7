import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the wall screenshots go (outside Playwright's own output dir, which it wipes per run). */
export const SCREENSHOT_DIR = join(import.meta.dirname, '../../../test-results/screenshots');

/** Waits until the board is live with a snapshot on screen. */
export async function waitLive(page: Page, timeout = 30_000): Promise<void> {
	await expect(page.getByTestId('freshness')).toHaveAttribute('data-status', 'live', { timeout });
	await expect(page.getByTestId('headline')).toBeVisible({ timeout });
}

/** Text of everything numeric on the board, to see it change. */
export async function boardText(page: Page): Promise<string> {
	const tiles = await page.locator('[data-testid^="tile-"]').allInnerTexts();
	const table = await page.getByTestId('queue-table').innerText();
	return tiles.join('|') + table;
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const path = join(SCREENSHOT_DIR, name);
	await page.screenshot({ path });
	return path;
}

/** Each queue row: whether it is shown (not left out) and whether it lies wholly inside its panel and the screen. */
export function queueRows(page: Page): Promise<{ id: string; shown: boolean; inside: boolean }[]> {
	return page.getByTestId('queue-table').evaluate((table) => {
		const box = table.closest('section')!.getBoundingClientRect();
		return [...table.querySelectorAll<HTMLElement>('[data-testid="queue-row"]')].map((tr) => {
			const r = tr.getBoundingClientRect();
			return { id: tr.dataset.queue ?? '', shown: getComputedStyle(tr).visibility === 'visible', inside: r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= innerHeight };
		});
	});
}

/**
 * Agent-state tile labels that are not read whole: text wider than the label's box (clipped), or
 * a label box reaching past its tile. Empty when every label is on screen in full.
 */
export function cutStateLabels(page: Page): Promise<string[]> {
	return page.locator('[data-testid^="agents-"] .label').evaluateAll((labels) =>
		labels.flatMap((el) => {
			const tile = el.closest('li')!.getBoundingClientRect();
			const r = el.getBoundingClientRect();
			const text = el.textContent?.trim() ?? '';
			const out: string[] = [];
			if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1) out.push(`${text}: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
			if (r.right > tile.right + 0.5 || r.left < tile.left - 0.5) out.push(`${text}: past its tile`);
			return out;
		})
	);
}

/** Agent cells (DOM or canvas) and team headers reaching past the grid's box, which clips them. */
export function agentsPastBox(page: Page): Promise<string[]> {
	return page.getByTestId('agent-grid').evaluate((box) => {
		const b = box.getBoundingClientRect();
		return [...box.querySelectorAll<HTMLElement>('h3, li.cell, canvas, [data-testid="agents-hidden"]')]
			.filter((el) => el.getBoundingClientRect().bottom > b.bottom + 0.5)
			.map((el) => `${el.tagName.toLowerCase()} ${el.textContent?.trim().slice(0, 40)}: bottom ${Math.round(el.getBoundingClientRect().bottom)} > ${Math.round(b.bottom)}`);
	});
}
