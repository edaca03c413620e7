/**
 * The one test command (`npm test`): type-check, build, unit + integration (vitest),
 * then browser tests (Playwright), and a closing `N passed, N failed` line over both runners.
 * Every stage runs even when an earlier one fails, so one red test never hides the rest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

interface Stage {
	name: string;
	cmd: string[];
}

const stages: Stage[] = [
	{ name: 'check', cmd: ['npm', 'run', 'check'] },
	{ name: 'build', cmd: ['npm', 'run', 'build'] },
	{ name: 'vitest', cmd: ['npx', 'vitest', 'run'] },
	{ name: 'playwright', cmd: ['npx', 'playwright', 'test', '--config', 'tests/playwright.config.ts'] }
];

rmSync('test-results/vitest.json', { force: true });
rmSync('test-results/playwright.json', { force: true });

const failedStages: string[] = [];
for (const stage of stages) {
	console.log(`\n=== ${stage.name}: ${stage.cmd.join(' ')}`);
	const [bin, ...args] = stage.cmd as [string, ...string[]];
	const r = spawnSync(bin, args, { stdio: 'inherit' });
	if (r.status !== 0) failedStages.push(stage.name);
}

let passed = 0;
let failed = 0;
let skipped = 0;

if (existsSync('test-results/vitest.json')) {
	const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8')) as {
		numPassedTests: number;
		numFailedTests: number;
		numPendingTests: number;
		numTodoTests: number;
	};
	passed += v.numPassedTests;
	failed += v.numFailedTests;
	skipped += v.numPendingTests + v.numTodoTests;
}
if (existsSync('test-results/playwright.json')) {
	const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')) as {
		stats: { expected: number; unexpected: number; flaky: number; skipped: number };
	};
	passed += p.stats.expected + p.stats.flaky;
	failed += p.stats.unexpected;
	skipped += p.stats.skipped;
}
// A stage that failed without reporting a failed test (type errors, a build error, a crashed runner) still counts.
for (const s of failedStages) {
	if (s === 'vitest' || s === 'playwright') continue;
	console.log(`stage failed: ${s}`);
	failed += 1;
}
if ((failedStages.includes('vitest') || failedStages.includes('playwright')) && failed === 0) failed = 1;

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failedStages.length > 0 ? 1 : 0);
