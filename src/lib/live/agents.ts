import { type AgentRow } from '../domain/views';
import { AGENT_ACTIVITIES, type AgentActivity } from '../domain/agent-activity';

/** How the agent grid orders cells inside each team. */
export type AgentSort = 'state' | 'time';

/** Reads a sort from a URL parameter, defaulting to `state`. */
export function parseAgentSort(x: string | null | undefined): AgentSort {
	return x === 'time' ? 'time' : 'state';
}

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
