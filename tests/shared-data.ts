import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Path of a file of the shared real data (`../shared/data/NAME` beside the repo). A git worktree
 * sits deeper than a clone, so the first `shared/data` found walking up from the repo root wins.
 */
export function sharedDataPath(name: string): string {
	let dir = resolve(import.meta.dirname, '..');
	for (;;) {
		const up = dirname(dir);
		const candidate = join(up, 'shared', 'data', name);
		if (existsSync(candidate)) return candidate;
		if (up === dir) throw new Error(`shared data file ${name} not found beside the repo (../shared/data/)`);
		dir = up;
	}
}

/** Text of a shared data file. */
export function readSharedData(name: string): string {
	return readFileSync(sharedDataPath(name), 'utf8');
}
