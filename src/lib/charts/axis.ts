import { axisBottom, axisLeft, axisRight, select, type AxisDomain, type AxisScale } from 'd3';
import type { Attachment } from 'svelte/attachments';

/**
 * The one place d3 owns DOM: an axis drawn into a `<g>` through an attachment. It re-runs when
 * the scale or tick settings change (they are read inside), and removes what it drew on teardown,
 * so a board running for weeks leaks no selections.
 */
export function axis<D extends AxisDomain>(
	side: 'bottom' | 'left' | 'right',
	scale: AxisScale<D>,
	opts: { ticks?: number; format?: (d: D) => string; tickSize?: number } = {}
): Attachment<SVGGElement> {
	return (g) => {
		const make = side === 'bottom' ? axisBottom : side === 'left' ? axisLeft : axisRight;
		const a = make(scale)
			.ticks(opts.ticks ?? 5)
			.tickSizeOuter(0)
			.tickSize(opts.tickSize ?? 4);
		if (opts.format) a.tickFormat((d) => opts.format!(d as D));
		const sel = select(g);
		sel.call(a);
		sel.select('.domain').remove();
		return () => {
			sel.selectAll('*').remove();
		};
	};
}
