/** Wall display options read from the URL: `?kiosk=1&rotate=30&theme=light&sort=time`. */
export interface WallParams {
	readonly kiosk: boolean;
	/** Seconds per board when cycling through boards; null when not rotating. */
	readonly rotate: number | null;
	readonly theme: 'dark' | 'light';
	readonly sort: 'state' | 'time';
	readonly token: string | null;
}

/** Smallest rotation period honoured, so a typo cannot make the wall flicker. */
export const MIN_ROTATE_SECONDS = 5;

/** Parses wall options; anything unknown falls back to the default. */
export function parseWallParams(q: URLSearchParams): WallParams {
	const kiosk = ['1', 'true', 'yes'].includes(q.get('kiosk') ?? '');
	const r = Number(q.get('rotate'));
	const rotate = q.has('rotate') && Number.isFinite(r) && r > 0 ? Math.max(MIN_ROTATE_SECONDS, r) : null;
	return {
		kiosk,
		rotate,
		theme: q.get('theme') === 'light' ? 'light' : 'dark',
		sort: q.get('sort') === 'time' ? 'time' : 'state',
		token: q.get('token')
	};
}

/** The board after `current` in `ids` (wrapping), for rotation. */
export function nextBoard(ids: readonly string[], current: string): string | null {
	if (ids.length === 0) return null;
	const i = ids.indexOf(current);
	return ids[(i + 1) % ids.length] ?? null;
}

/** Applies the theme and kiosk flags to the document root (the cursor hides everywhere in kiosk). */
export function applyWallChrome(p: Pick<WallParams, 'kiosk' | 'theme'>): () => void {
	const root = document.documentElement;
	const prevTheme = root.dataset.theme;
	root.dataset.theme = p.theme;
	root.classList.toggle('kiosk', p.kiosk);
	return () => {
		root.classList.remove('kiosk');
		if (prevTheme) root.dataset.theme = prevTheme;
	};
}
