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
