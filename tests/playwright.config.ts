import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * Browser tests run in Debian's Chromium by default (Playwright cannot download its own here).
 * Set SIGHTLINE_CHROMIUM to another executable, or to "playwright" to use Playwright's own browser.
 */
const chromium = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
const executablePath = chromium === 'playwright' || !existsSync(chromium) ? undefined : chromium;

export default defineConfig({
	testDir: 'e2e',
	outputDir: '../test-results/e2e',
	fullyParallel: false,
	workers: 1,
	timeout: 120_000,
	reporter: [['list'], ['json', { outputFile: '../test-results/playwright.json' }]],
	use: {
		headless: true,
		launchOptions: {
			executablePath,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	}
});
