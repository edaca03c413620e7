import { area, line, scaleLinear } from 'd3';

/**
 * Shapes of an interval chart with confidence bands: d3 computes the scales and path strings,
 * the Svelte component only draws them. Intervals without a figure (null) leave a gap.
 */

/** One interval's mean and 95 % interval. */
export interface BandPoint {
	readonly mean: number | null;
	readonly lo: number | null;
	readonly hi: number | null;
}

/** Paths of one series. */
export interface BandPaths {
	readonly line: string;
	readonly band: string;
}

/** Linear scales for `n` intervals drawn as steps centred on each interval, over `domain`. */
export function bandScales(n: number, width: number, height: number, domain: readonly [number, number], pad = { left: 44, right: 8, top: 8, bottom: 22 }) {
	const x = scaleLinear().domain([0, Math.max(1, n)]).range([pad.left, width - pad.right]);
	const y = scaleLinear().domain(domain).range([height - pad.bottom, pad.top]).nice();
	return { x, y, pad };
}

/** Line through interval centres and the band between lo and hi. */
export function bandPaths(points: readonly BandPoint[], x: (i: number) => number, y: (v: number) => number): BandPaths {
	const def = (p: BandPoint) => p.mean !== null && Number.isFinite(p.mean);
	const ln = line<BandPoint>()
		.digits(1)
		.defined(def)
		.x((_, i) => x(i + 0.5))
		.y((p) => y(p.mean ?? 0));
	const ar = area<BandPoint>()
		.digits(1)
		.defined((p) => p.lo !== null && p.hi !== null)
		.x((_, i) => x(i + 0.5))
		.y0((p) => y(p.lo ?? 0))
		.y1((p) => y(p.hi ?? 0));
	return { line: ln(points as BandPoint[]) ?? '', band: ar(points as BandPoint[]) ?? '' };
}

/** The y range that holds every band and the extra values (targets), starting at 0. */
export function bandDomain(series: readonly (readonly BandPoint[])[], extra: readonly number[] = [], fixed?: readonly [number, number]): [number, number] {
	if (fixed) return [fixed[0], fixed[1]];
	let hi = 0;
	for (const s of series) for (const p of s) hi = Math.max(hi, p.hi ?? p.mean ?? 0, p.mean ?? 0);
	for (const e of extra) hi = Math.max(hi, e);
	return [0, hi > 0 ? hi * 1.05 : 1];
}
