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
