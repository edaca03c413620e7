/**
 * Picks the largest square cell that fits every agent of every team into the grid's box, each
 * team starting a new row under its own header. Pure arithmetic: it runs when the box resizes or
 * the team sizes change, never per tick.
 */
export function fitCellSize(width: number, height: number, teamSizes: readonly number[], headerPx: number, gapPx: number, minPx = 10, maxPx = 120): number {
	if (width <= 0 || height <= 0) return minPx;
	for (let c = maxPx; c > minPx; c--) {
		const cols = Math.max(1, Math.floor((width + gapPx) / (c + gapPx)));
		let h = 0;
		for (const n of teamSizes) h += headerPx + Math.ceil(n / cols) * (c + gapPx);
		if (h <= height) return c;
	}
	return minPx;
}

/** Columns of `cell`-px squares with `gapPx` between them that fit in `width` (at least one). */
export function gridColumns(width: number, cell: number, gapPx: number): number {
	return Math.max(1, Math.floor((width + gapPx) / (cell + gapPx)));
}

/** Height in px of `n` cells laid out in `cols` columns: whole rows, no trailing gap. */
export function gridHeight(n: number, cols: number, cell: number, gapPx: number): number {
	const rows = Math.ceil(n / cols);
	return rows === 0 ? 0 : rows * (cell + gapPx) - gapPx;
}

/** Top-left corner in px of cell `i`, filling rows left to right like a wrapping flex row. */
export function cellOrigin(i: number, cols: number, cell: number, gapPx: number): { x: number; y: number } {
	return { x: (i % cols) * (cell + gapPx), y: Math.floor(i / cols) * (cell + gapPx) };
}

/** Index of the cell under point (x, y), or -1 over a gap or past the last of `n` cells. */
export function cellAt(x: number, y: number, n: number, cols: number, cell: number, gapPx: number): number {
	if (x < 0 || y < 0) return -1;
	const pitch = cell + gapPx;
	const c = Math.floor(x / pitch);
	const r = Math.floor(y / pitch);
	if (c >= cols || x - c * pitch >= cell || y - r * pitch >= cell) return -1;
	const i = r * cols + c;
	return i < n ? i : -1;
}
