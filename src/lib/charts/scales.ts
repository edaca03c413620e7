import { area, line, scaleLinear } from 'd3';

/**
 * Path builders for sparklines: d3 computes the shape, the component only draws the string.
 * Gaps (null) break the line instead of dropping to zero.
 */
export interface SparkPaths {
	readonly line: string;
	readonly area: string;
	/** Position of the last defined point, for the end dot; null when there is none. */
	readonly last: { x: number; y: number } | null;
}

/** Sparkline paths of `values` in a `width`×`height` box; `domain` fixes the y range (e.g. 0..1). */
export function sparkPaths(values: readonly (number | null)[], width: number, height: number, domain?: readonly [number, number]): SparkPaths {
	const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
	if (defined.length === 0) return { line: '', area: '', last: null };
	const lo = domain ? domain[0] : Math.min(0, ...defined);
	const hiRaw = domain ? domain[1] : Math.max(...defined);
	const hi = hiRaw === lo ? lo + 1 : hiRaw;
	const x = scaleLinear()
		.domain([0, Math.max(1, values.length - 1)])
		.range([1, width - 1]);
	const y = scaleLinear().domain([lo, hi]).range([height - 1, 1]).clamp(true);
	const isDef = (v: number | null): v is number => v !== null && Number.isFinite(v);
	// One decimal is a tenth of a viewBox unit: invisible, and it keeps the path strings (rebuilt
	// with every sample) short.
	const ln = line<number | null>()
		.digits(1)
		.defined(isDef)
		.x((_, i) => x(i))
		.y((v) => y(v ?? 0));
	const ar = area<number | null>()
		.digits(1)
		.defined(isDef)
		.x((_, i) => x(i))
		.y0(height)
		.y1((v) => y(v ?? 0));
	let lastIdx = -1;
	for (let i = values.length - 1; i >= 0; i--) {
		if (isDef(values[i] ?? null)) {
			lastIdx = i;
			break;
		}
	}
	return {
		line: ln(values) ?? '',
		area: ar(values) ?? '',
		last: lastIdx >= 0 ? { x: x(lastIdx), y: y(values[lastIdx] ?? 0) } : null
	};
}
