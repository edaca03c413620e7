import { type AgentRow } from '$lib/domain/views';
import { AGENT_ACTIVITIES, type AgentActivity } from '$lib/domain/agent-activity';
import { ACTIVITY_GLYPH } from '$lib/ui/agent-style';
import { formatShortDuration } from '$lib/ui/format';
import { cellOrigin, isLong, slotMarks, type LongStateRule } from '$lib/ui/agent-grid';
import { secondsSince } from '$lib/ui/board-values';

/**
 * Canvas drawing of agent cells: colour + glyph, and with `detail` time in state and slots too. A
 * burst of hundreds of state changes then costs one sort and a few `drawImage` calls (only cells
 * that look different are repainted) instead of moving, restyling, relaying out and repainting a
 * thousand DOM nodes (40–50 ms a frame, measured by `npm run bench:wall-flip`).
 */

/**
 * Small cells have no room for text: time in state is a bar along the bottom that grows a tenth
 * of the cell per minute (full at AGE_FULL_MIN), and contacts in progress are dots along the top
 * (at most SLOT_DOTS_MAX), both readable from across a room.
 */
export const AGE_FULL_MIN = 10;
const SLOT_DOTS_MAX = 4;

/** What a cell looks like: the resolved theme colours and the font, read from CSS. */
export interface CellStyle {
	/** Fill per activity, AGENT_ACTIVITIES order. */
	readonly fill: readonly string[];
	/** Glyph colour on a filled cell. */
	readonly onState: string;
	/** Glyph colour of an offline (outlined) cell. */
	readonly muted: string;
	/** Ring of a cell past the board's long-state minutes (as the DOM cell's). */
	readonly alert: string;
	/** Page background: the ring's inner edge and the clock's disc, as on the DOM cell. */
	readonly bg: string;
	readonly font: string;
}

/** Reads the state colours and font the DOM cells use (theme.css), as seen from `el`. */
export function readCellStyle(el: Element): CellStyle {
	const cs = getComputedStyle(el);
	const v = (name: string) => cs.getPropertyValue(name).trim();
	return {
		fill: AGENT_ACTIVITIES.map((a) => v(`--st-${a}`)),
		onState: v('--on-state'),
		muted: v('--muted'),
		alert: v('--alert-solid'),
		bg: v('--bg'),
		font: cs.fontFamily
	};
}

/**
 * One pre-drawn cell per activity at one size, pixel ratio and style, plain and flagged (past the
 * board's long-state minutes: a thick ring in the alert colour and a clock for the glyph, as on the
 * DOM cell, so the flag does not rest on colour alone). ImageBitmaps, not canvases: drawing from a
 * canvas snapshots it on every `drawImage` (a thousand snapshots per redraw).
 */
interface Sprites {
	readonly plain: Readonly<Record<AgentActivity, ImageBitmap>>;
	readonly long: Readonly<Record<AgentActivity, ImageBitmap>>;
}

// Every team canvas draws the same cells: keep one set, redrawn only when size or theme changes.
let cached: { key: string; sprites: Sprites } | null = null;

/** Sprites: small cells carry a centred glyph; detail cells a corner glyph, text is drawn per cell. */
function sprites(cell: number, dpr: number, style: CellStyle, detail: boolean): { key: string; sprites: Sprites } {
	const key = `${cell}|${dpr}|${detail}|${style.fill.join()}|${style.onState}|${style.muted}|${style.alert}|${style.bg}|${style.font}`;
	if (cached?.key === key) return cached;
	const size = Math.max(1, Math.round(cell * dpr));
	if (cached) for (const set of Object.values(cached.sprites)) for (const b of Object.values(set as Record<string, ImageBitmap>)) b.close();
	const draw = (a: AgentActivity, i: number, long: boolean): ImageBitmap => {
		const c = new OffscreenCanvas(size, size);
		const g = c.getContext('2d')!;
		const r = size * 0.12;
		g.beginPath();
		if (a === 'offline') {
			// Same as the DOM cell: an outline (inset 1 px) and a muted glyph.
			g.roundRect(dpr / 2, dpr / 2, size - dpr, size - dpr, r);
			g.lineWidth = dpr;
			g.strokeStyle = style.fill[i]!;
			g.stroke();
		} else {
			g.roundRect(0, 0, size, size, r);
			g.fillStyle = style.fill[i]!;
			g.fill();
		}
		if (long) {
			// The ring sits inside the cell (a canvas cell has no room outside it): alert, then a thin dark edge.
			const ring = Math.max(2 * dpr, Math.round(size * 0.14));
			g.beginPath();
			g.roundRect(ring / 2, ring / 2, size - ring, size - ring, r);
			g.lineWidth = ring;
			g.strokeStyle = style.alert;
			g.stroke();
			g.beginPath();
			g.roundRect(ring + dpr / 2, ring + dpr / 2, size - 2 * ring - dpr, size - 2 * ring - dpr, r / 2);
			g.lineWidth = dpr;
			g.strokeStyle = style.bg;
			g.stroke();
		}
		g.fillStyle = a === 'offline' ? style.muted : style.onState;
		const glyph = long ? '⏱' : ACTIVITY_GLYPH[a];
		if (detail) {
			// As the DOM cell: a small glyph in the top-left corner.
			g.font = `700 ${size * 0.26}px ${style.font}`;
			g.textAlign = 'left';
			g.textBaseline = 'top';
			g.fillText(glyph, size * 0.1, size * 0.08);
		} else {
			g.font = `400 ${size * 0.42}px ${style.font}`;
			g.textAlign = 'center';
			g.textBaseline = 'middle';
			g.fillText(glyph, size / 2, size / 2);
		}
		return c.transferToImageBitmap();
	};
	const plain = {} as Record<AgentActivity, ImageBitmap>;
	const long = {} as Record<AgentActivity, ImageBitmap>;
	AGENT_ACTIVITIES.forEach((a, i) => {
		plain[a] = draw(a, i, false);
		long[a] = draw(a, i, true);
	});
	cached = { key, sprites: { plain, long } };
	return cached;
}

/**
 * What a canvas shows: the layout it was drawn with and, per cell, what the cell looks like (its
 * activity, and with detail its time and slot text). A redraw compares and repaints only the
 * cells whose look changed: when a few agents change state, a team sorted by state moves only
 * the cells at the edges of the runs, not every cell behind them.
 */
interface Drawn {
	readonly layout: string;
	readonly looks: readonly string[];
}

const drawnOn = new WeakMap<HTMLCanvasElement, Drawn>();

/** Makes the next `paintCells` on `canvas` repaint every cell (after its context was lost and restored). */
export function forgetPainted(canvas: HTMLCanvasElement): void {
	drawnOn.delete(canvas);
}

/**
 * Draws `agents` in order as cells of `cell` CSS px with `gap` between them, `cols` to a row, on a
 * canvas whose backing store is `dpr` times its CSS size, repainting only the cells that look
 * different from the last call (everything after a resize or a change of size, theme or detail).
 * Cells show time in state (at `now`, server ms) and channel slots in use: with `detail` as text,
 * like the large DOM cells; without, as an age bar and dots. Agents past the board's long-state
 * minutes (`longState`) are drawn flagged. Returns how many cells it repainted and which are flagged.
 */
export function paintCells(
	canvas: HTMLCanvasElement,
	agents: readonly AgentRow[],
	cols: number,
	cell: number,
	gap: number,
	dpr: number,
	style: CellStyle,
	now: number,
	detail: boolean,
	longState: LongStateRule
): { repainted: number; long: number[] } {
	const g = canvas.getContext('2d');
	if (!g) return { repainted: 0, long: [] };
	const { key, sprites: s } = sprites(cell, dpr, style, detail);
	const layout = `${canvas.width}x${canvas.height}|${cols}|${gap}|${key}`;
	const before = drawnOn.get(canvas);
	const full = before?.layout !== layout;
	const size = Math.max(1, Math.round(cell * dpr));

	const looks: string[] = new Array(agents.length);
	const times: string[] | null = detail ? new Array(agents.length) : null;
	const marks: string[] | null = detail ? new Array(agents.length) : null;
	// Without detail: minutes in state (the bar's length) and contacts in progress (dots).
	const ages = detail ? null : new Uint8Array(agents.length);
	const dots = detail ? null : new Uint8Array(agents.length);
	const flagged = new Uint8Array(agents.length);
	const long: number[] = [];
	const changed: number[] = [];
	for (let i = 0; i < agents.length; i++) {
		const a = agents[i]!;
		const seconds = secondsSince(a.since, now);
		if (isLong(a, now, longState)) {
			flagged[i] = 1;
			long.push(i);
		}
		let look: string;
		if (times && marks) {
			times[i] = formatShortDuration(seconds);
			marks[i] = slotMarks(a.slots);
			look = `${a.activity}|${flagged[i]}|${times[i]}|${marks[i]}`;
		} else {
			const offline = a.activity === 'offline';
			ages![i] = offline ? 0 : Math.min(AGE_FULL_MIN, Math.floor(seconds / 60));
			dots![i] = offline ? 0 : Math.min(SLOT_DOTS_MAX, a.slots.reduce((n, x) => n + x, 0));
			look = `${a.activity}|${flagged[i]}|${ages![i]}|${dots![i]}`;
		}
		looks[i] = look;
		if (full || before.looks[i] !== look) changed.push(i);
	}

	if (full) g.clearRect(0, 0, canvas.width, canvas.height);
	else {
		// Cells that changed, and cells past the end of a team that shrank, are cleared first.
		for (const i of changed) clearCell(g, i, cols, cell, gap, dpr, size);
		for (let i = agents.length; i < before.looks.length; i++) clearCell(g, i, cols, cell, gap, dpr, size);
	}
	for (const i of changed) {
		const { x, y } = cellOrigin(i, cols, cell, gap);
		g.drawImage((flagged[i] ? s.long : s.plain)[agents[i]!.activity], Math.round(x * dpr), Math.round(y * dpr));
	}
	if (ages && dots) {
		g.fillStyle = style.onState;
		const bar = Math.max(dpr, Math.round(size * 0.14));
		const dot = Math.max(dpr, Math.round(size * 0.13));
		for (const i of changed) {
			const { x, y } = cellOrigin(i, cols, cell, gap);
			const px = Math.round(x * dpr);
			const py = Math.round(y * dpr);
			if (ages[i]! > 0) g.fillRect(px, py + size - bar, Math.round((size * ages[i]!) / AGE_FULL_MIN), bar);
			for (let d = 0; d < dots[i]!; d++) g.fillRect(px + Math.round(size * 0.1) + d * (dot + dpr), py + Math.round(size * 0.1), dot, dot);
		}
	}
	if (times && marks) {
		// Text in two passes (one font each) rather than switching fonts per cell.
		g.textBaseline = 'middle';
		g.textAlign = 'center';
		g.font = `800 ${size * 0.32}px ${style.font}`;
		for (const i of changed) {
			const { x, y } = cellOrigin(i, cols, cell, gap);
			g.fillStyle = agents[i]!.activity === 'offline' ? style.muted : style.onState;
			g.fillText(times[i]!, Math.round(x * dpr) + size / 2, Math.round(y * dpr) + size * 0.58);
		}
		g.textBaseline = 'top';
		g.textAlign = 'right';
		g.font = `800 ${size * 0.22}px ${style.font}`;
		for (const i of changed) {
			if (!marks[i]) continue;
			const { x, y } = cellOrigin(i, cols, cell, gap);
			g.fillStyle = agents[i]!.activity === 'offline' ? style.muted : style.onState;
			g.fillText(marks[i]!, Math.round(x * dpr) + size * 0.94, Math.round(y * dpr) + size * 0.06);
		}
	}
	drawnOn.set(canvas, { layout, looks });
	return { repainted: changed.length, long };
}

/** Clears cell `i`'s square (sprites are drawn at whole device pixels, `size` square). */
function clearCell(g: CanvasRenderingContext2D, i: number, cols: number, cell: number, gap: number, dpr: number, size: number): void {
	const { x, y } = cellOrigin(i, cols, cell, gap);
	g.clearRect(Math.round(x * dpr), Math.round(y * dpr), size, size);
}

/** Run-length summary of the drawn order, e.g. `available:3,on-contact:5`: for tests and debugging. */
export function drawnOrder(agents: readonly AgentRow[]): string {
	const runs: string[] = [];
	let prev: string | null = null;
	let n = 0;
	for (const a of agents) {
		if (a.activity === prev) n += 1;
		else {
			if (prev !== null) runs.push(`${prev}:${n}`);
			prev = a.activity;
			n = 1;
		}
	}
	if (prev !== null) runs.push(`${prev}:${n}`);
	return runs.join(',');
}
