import type { AgentRow } from '../domain/views';
import { AGENT_ACTIVITIES, type AgentActivity } from '../domain/agent-activity';
import { CHANNELS } from '../domain/channels';
import { ACTIVITY_LABEL, CHANNEL_MARK } from './agent-style';
import { secondsSince } from './board-values';

/**
 * The agent grid's pure logic, in one place for the DOM cells, the canvas cells and the tests:
 * how agents are grouped and ordered, what a cell says (time in state, slots, name, the long-state
 * flag, the tooltip), and the geometry of the cells.
 */

/** How the agent grid orders cells inside each team. */
export type AgentSort = 'state' | 'time';

/** One team's agents, in display order. */
export interface TeamGroup {
	readonly team: string;
	readonly agents: readonly AgentRow[];
	/** Agents per activity in this team, AGENT_ACTIVITIES order. */
	readonly counts: readonly number[];
}

const ACTIVITY_RANK: Readonly<Record<AgentActivity, number>> = Object.fromEntries(
	AGENT_ACTIVITIES.map((a, i) => [a, i])
) as Record<AgentActivity, number>;

/**
 * Groups agents by team (teams by name) and orders each team's cells: by state (then longest in
 * state first), or by time in state (longest first). Ordering uses `since` only, never the clock,
 * so cells do not shuffle every second.
 */
export function groupAgents(agents: readonly AgentRow[], sort: AgentSort): TeamGroup[] {
	const teams = new Map<string, AgentRow[]>();
	for (const a of agents) {
		const t = teams.get(a.team);
		if (t) t.push(a);
		else teams.set(a.team, [a]);
	}
	// Ties break on the id by code unit: any fixed order keeps cells still, and a locale-aware
	// compare costs more than the rest of the sort of 1,000 agents ten times a second.
	const byId = (a: AgentRow, b: AgentRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	const cmp =
		sort === 'time'
			? (a: AgentRow, b: AgentRow) => a.since - b.since || byId(a, b)
			: (a: AgentRow, b: AgentRow) => ACTIVITY_RANK[a.activity] - ACTIVITY_RANK[b.activity] || a.since - b.since || byId(a, b);
	return [...teams.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([team, rows]) => {
			const counts = AGENT_ACTIVITIES.map(() => 0);
			for (const r of rows) counts[ACTIVITY_RANK[r.activity]]! += 1;
			return { team: team || 'No team', agents: rows.sort(cmp), counts };
		});
}

/** The board's rule: minutes per activity after which an agent is flagged (absent or 0: never). */
export type LongStateRule = Readonly<Partial<Record<AgentActivity, number>>>;

/** Minutes after which `agent` is flagged in its current activity, or null when the rule never flags it. */
export function longAfterMinutes(agent: AgentRow, rule: LongStateRule): number | null {
	const m = rule[agent.activity];
	return m !== undefined && m > 0 ? m : null;
}

/** Whether `agent` has been in its activity longer than the rule allows, at `now` (server ms). */
export function isLong(agent: AgentRow, now: number, rule: LongStateRule): boolean {
	const m = longAfterMinutes(agent, rule);
	return m !== null && secondsSince(agent.since, now) >= m * 60;
}

/** Channel slots in use as marks, e.g. `VC2` for one voice and two chats; empty when idle. */
export function slotMarks(slots: readonly number[]): string {
	let s = '';
	CHANNELS.forEach((c, i) => {
		const n = slots[i] ?? 0;
		if (n > 0) s += n > 1 ? `${CHANNEL_MARK[c]}${n}` : CHANNEL_MARK[c];
	});
	return s;
}

/**
 * What fits on a cell: "Ada L." for "Ada Lovelace"; a name that repeats the team ("back-office-3"
 * in back-office) keeps only what tells the agent apart ("#3").
 */
export function shortName(agent: AgentRow): string {
	const n = agent.name.trim();
	if (agent.team && n.toLowerCase().startsWith(`${agent.team.toLowerCase()}-`)) return `#${n.slice(agent.team.length + 1)}`;
	const words = n.split(/\s+/);
	return words.length > 1 ? `${words[0]} ${words.at(-1)?.charAt(0) ?? ''}.` : n;
}

/** The full description of a cell (its title, for DOM and canvas cells alike). */
export function agentTitle(agent: AgentRow, now: number, rule: LongStateRule): string {
	const slots = slotMarks(agent.slots);
	const long = isLong(agent, now, rule);
	return `${agent.name} — ${ACTIVITY_LABEL[agent.activity]}${agent.reason ? ` (${agent.reason})` : ''}${slots ? ` · slots ${slots}` : ''}${
		long ? ` · over ${longAfterMinutes(agent, rule)} min in this state` : ''
	}`;
}

/*
 * Geometry.
 */

/**
 * Picks the largest square cell that fits every agent of every team into the grid's box, each
 * team starting a new row under its own header. Pure arithmetic: it runs when the box resizes or
 * the team sizes change, never per tick.
 */
export function fitCellSize(width: number, height: number, teamSizes: readonly number[], headerPx: number, gapPx: number, minPx = 10, maxPx = 120): number {
	if (width <= 0 || height <= 0) return minPx;
	for (let c = maxPx; c > minPx; c--) {
		if (teamHeights(width, teamSizes, headerPx, gapPx, c).reduce((a, b) => a + b, 0) <= height) return c;
	}
	return minPx;
}

/** Height in px each team takes (its header and its rows of `cell`-px cells) in a grid `width` px wide. */
function teamHeights(width: number, teamSizes: readonly number[], headerPx: number, gapPx: number, cell: number): number[] {
	const cols = gridColumns(width, cell, gapPx);
	return teamSizes.map((n) => headerPx + Math.ceil(n / cols) * (cell + gapPx));
}

/**
 * How many teams, in order, fit whole into `height` with `cell`-px cells: all of them, or, when
 * even the smallest cells leave some out, as many as fit above a `notePx` line that names the rest
 * (a wall has no scrollbar: a team is shown whole or counted, never cut).
 */
export function teamsThatFit(width: number, height: number, teamSizes: readonly number[], headerPx: number, gapPx: number, cell: number, notePx: number): number {
	const heights = teamHeights(width, teamSizes, headerPx, gapPx, cell);
	if (heights.reduce((a, b) => a + b, 0) <= height) return teamSizes.length;
	let used = notePx;
	let k = 0;
	for (const h of heights) {
		if (used + h > height) break;
		used += h;
		k++;
	}
	return k;
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
