import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	// The timing report is for profiling builds; a user starting the board does not need it.
	build: { rolldownOptions: { checks: { bundlerTimings: false } } },
	test: {
		include: [
			'src/**/*.test.ts',
			'sim/**/*.test.ts',
			'workers/**/*.test.ts',
			'tests/unit/**/*.test.ts',
			'tests/integration/**/*.test.ts'
		],
		environment: 'node',
		// Machines here have 2 cores; integration tests open real sockets and SQLite files.
		pool: 'forks',
		maxWorkers: 2,
		testTimeout: 60_000,
		hookTimeout: 60_000,
		reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
	}
});
