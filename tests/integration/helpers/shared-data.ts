import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * A file of the shared real data (`../shared/data/NAME` beside the checkout), found from any
 * checkout depth (the main clone or a worktree further down).
 */
export function sharedData(name: string): string {
	let dir = resolve(import.meta.dirname, '..', '..', '..');
	for (;;) {
		const up = dirname(dir);
		const candidate = join(up, 'shared', 'data', name);
		if (existsSync(candidate)) return candidate;
		if (up === dir) throw new Error(`../shared/data/${name} not found`);
		dir = up;
	}
}
