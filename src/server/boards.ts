import { DEFAULT_BOARD, parseBoardConfig, type BoardConfig } from '../lib/domain/board-config';
import { preview, type ValidationError } from '../lib/domain/result';
import type { SiteConfig } from '../lib/domain/sites';
import type { Store } from './store';

/**
 * Board configs: the built-in default board (the whole floor) plus those saved through the API,
 * each saved change a new version in the store with an audit line.
 */
export class BoardRegistry {
	readonly #boards = new Map<string, BoardConfig>();

	constructor(
		private readonly store: Store,
		/** The configured sites: a board may show only those. */
		private readonly sites: () => readonly SiteConfig[]
	) {
		this.#boards.set(DEFAULT_BOARD.id, DEFAULT_BOARD);
		for (const stored of store.latestConfigs<unknown>('board')) {
			const parsed = parseBoardConfig(stored.body);
			// A stored config that no longer validates (schema changed) is skipped, not fatal.
			if (parsed.ok) this.#boards.set(parsed.board.id, parsed.board);
		}
	}

	get(id: string): BoardConfig | undefined {
		return this.#boards.get(id);
	}

	list(): BoardConfig[] {
		return [...this.#boards.values()];
	}

	/** Validates and saves a board under `id`; returns the board and its version, or the problems. */
	put(id: string, body: unknown, actor: string, now: number): { ok: true; board: BoardConfig; version: number } | { ok: false; errors: readonly ValidationError[] } {
		const checked = this.check(id, body);
		return checked.ok ? { ok: true, board: checked.board, version: this.save(checked.board, actor, now) } : checked;
	}

	/** Validates a board to be saved under `id` (its sites must be configured ones); returns it or the problems. */
	check(id: string, body: unknown): { ok: true; board: BoardConfig } | { ok: false; errors: readonly ValidationError[] } {
		const withId = body !== null && typeof body === 'object' && !Array.isArray(body) && !('id' in body) ? { ...body, id } : body;
		const parsed = parseBoardConfig(withId);
		if (!parsed.ok) return parsed;
		if (parsed.board.id !== id) return { ok: false, errors: [{ path: '/id', message: `${preview(parsed.board.id)} does not match the path's ${preview(id)}` }] };
		const known = this.sites();
		const unknown = (parsed.board.sites ?? []).flatMap((s, i) =>
			known.some((k) => k.id === s) ? [] : [{ path: `/sites/${i}`, message: `unknown site ${preview(s)}; configured: ${known.map((k) => preview(k.id)).join(', ')}` }]
		);
		if (unknown.length) return { ok: false, errors: unknown };
		return { ok: true, board: parsed.board };
	}

	/** Saves a board check() accepted as a new version; returns the version. */
	save(board: BoardConfig, actor: string, now: number): number {
		const version = this.store.saveConfig('board', board.id, board, actor, now);
		this.#boards.set(board.id, board);
		return version;
	}
}
