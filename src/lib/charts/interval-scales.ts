import { line, scaleBand, scaleLinear, type ScaleBand, type ScaleLinear } from 'd3';

/**
 * Scales and paths of an interval chart (one band per interval or day): d3 computes, the
 * component draws. Nulls break lines instead of dropping to zero.
 */

/** One plotted series. `stack` series are drawn as bars stacked in order; `line` as a line. */
export interface ChartSeries {
	readonly id: string;
	readonly label: string;
	readonly kind: 'stack' | 'line';
	readonly values: readonly (number | null)[];
	/** CSS colour (a theme variable). */
	readonly color: string;
	/** Drawn dashed: the day compared with. */
	readonly dashed?: boolean;
}

/** Layout of a chart in viewBox units. */
export interface ChartLayout {
	readonly width: number;
	readonly height: number;
	readonly margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };
}

/** What the component draws. */
export interface ChartGeometry {
	readonly x: ScaleBand<number>;
	readonly y: ScaleLinear<number, number>;
	readonly bars: readonly { readonly id: string; readonly color: string; readonly rects: readonly { i: number; x: number; y: number; w: number; h: number }[] }[];
	readonly lines: readonly {
		readonly id: string;
		readonly color: string;
		readonly dashed: boolean;
		readonly d: string;
		/** Points drawn as dots too (few bands, where a lone day would have no line). */
		readonly dots: readonly { readonly i: number; readonly x: number; readonly y: number }[];
	}[];
	readonly yTicks: readonly number[];
	/** Indexes of bands that get an x label. */
	readonly xTicks: readonly number[];
}

const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120];

/** Computes scales, stacked bars, line paths and ticks for `n` bands. */
export function chartGeometry(
	n: number,
	series: readonly ChartSeries[],
	layout: ChartLayout,
	opts: { yMax?: number | null; target?: number | null; maxXTicks?: number; seconds?: boolean } = {}
): ChartGeometry {
	const iw = layout.width - layout.margin.left - layout.margin.right;
	const ih = layout.height - layout.margin.top - layout.margin.bottom;
	const idx = Array.from({ length: n }, (_, i) => i);
	const x = scaleBand<number>().domain(idx).range([0, iw]).padding(n > 48 ? 0.12 : 0.22);
	const stacks = series.filter((s) => s.kind === 'stack');
	let hi = opts.yMax ?? 0;
	if (opts.yMax == null) {
		for (let i = 0; i < n; i++) {
			let sum = 0;
			for (const s of stacks) sum += s.values[i] ?? 0;
			hi = Math.max(hi, sum);
		}
		for (const s of series) if (s.kind === 'line') for (const v of s.values) if (v !== null && Number.isFinite(v)) hi = Math.max(hi, v);
		if (opts.target != null) hi = Math.max(hi, opts.target);
	}
	const y = scaleLinear()
		.domain([0, hi > 0 ? hi : 1])
		.range([ih, 0]);
	// Durations read best on whole minutes (0:00, 2:00, 4:00), not on decimal steps of seconds.
	const minuteStep = opts.seconds && opts.yMax == null && hi >= 120 ? (MINUTE_STEPS.find((m) => hi / (m * 60) <= 5) ?? 240) * 60 : null;
	if (minuteStep) y.domain([0, Math.ceil(hi / minuteStep) * minuteStep]);
	else if (opts.yMax == null) y.nice(4);
	const base = new Array<number>(n).fill(0);
	const bars = stacks.map((s) => ({
		id: s.id,
		color: s.color,
		rects: idx.flatMap((i) => {
			const v = s.values[i] ?? 0;
			if (!(v > 0)) return [];
			const b = base[i] ?? 0;
			base[i] = b + v;
			return [{ i, x: x(i) ?? 0, y: y(b + v), w: x.bandwidth(), h: y(b) - y(b + v) }];
		})
	}));
	const mid = (i: number) => (x(i) ?? 0) + x.bandwidth() / 2;
	const lines = series
		.filter((s) => s.kind === 'line')
		.map((s) => ({
			id: s.id,
			color: s.color,
			dashed: s.dashed ?? false,
			d:
				line<number | null>()
					.digits(1)
					.defined((v) => v !== null && Number.isFinite(v))
					.x((_, i) => mid(i))
					.y((v) => y(v ?? 0))(s.values as (number | null)[]) ?? '',
			dots: n <= 62 ? idx.flatMap((i) => {
				const v = s.values[i];
				return v !== null && v !== undefined && Number.isFinite(v) ? [{ i, x: mid(i), y: y(v) }] : [];
			}) : []
		}));
	const maxTicks = opts.maxXTicks ?? 12;
	const every = Math.max(1, Math.ceil(n / maxTicks));
	const top = y.domain()[1] ?? 1;
	const yTicks = minuteStep ? Array.from({ length: Math.round(top / minuteStep) + 1 }, (_, i) => i * minuteStep) : y.ticks(4);
	return { x, y, bars, lines, yTicks, xTicks: idx.filter((i) => i % every === 0) };
}
