import type { AgentRow, BoardChanges, BoardView, QueueRow, TrendPoint } from '../domain/views';

/**
 * Applies a delta to a board view without mutating it: the result shares every untouched row and
 * array with the input, so a component keyed on a row re-renders only when that row changed.
 */

/** Most trend points kept: a day of 15-minute intervals, so a board running for weeks stays bounded. */
export const TREND_CAP = 96;

function replaceById<T extends { readonly id: string }>(rows: readonly T[], changed: readonly T[], removed: readonly string[] | null): readonly T[] {
	if (changed.length === 0 && (!removed || removed.length === 0)) return rows;
	const byId = new Map<string, T>();
	for (const r of changed) byId.set(r.id, r);
	const gone = removed && removed.length ? new Set(removed) : null;
	const out: T[] = [];
	for (const r of rows) {
		if (gone?.has(r.id)) continue;
		const n = byId.get(r.id);
		if (n) {
			out.push(n);
			byId.delete(r.id);
		} else out.push(r);
	}
	// What is left is new rows: append in the order the server sent them.
	for (const n of byId.values()) if (!gone?.has(n.id)) out.push(n);
	return out;
}

/** Merges trend points by `start` (replace or insert), keeps them ordered and at most `cap` long. */
export function mergeTrend(points: readonly TrendPoint[], changed: readonly TrendPoint[], cap = TREND_CAP): readonly TrendPoint[] {
	if (changed.length === 0) return points.length > cap ? points.slice(points.length - cap) : points;
	const byStart = new Map<number, TrendPoint>();
	for (const p of points) byStart.set(p.start, p);
	for (const p of changed) byStart.set(p.start, p);
	const out = [...byStart.values()].sort((a, b) => a.start - b.start);
	return out.length > cap ? out.slice(out.length - cap) : out;
}

/** The view after `changes`. */
export function applyChanges(view: BoardView, changes: BoardChanges, trendCap = TREND_CAP): BoardView {
	const agents =
		changes.agents || changes.removedAgents
			? replaceById<AgentRow>(view.agents, changes.agents ?? [], changes.removedAgents)
			: view.agents;
	const queues = changes.queues ? replaceById<QueueRow>(view.queues, changes.queues, null) : view.queues;
	return {
		board: changes.board ?? view.board,
		dayStart: changes.dayStart ?? view.dayStart,
		intervalMs: view.intervalMs,
		rollingMs: view.rollingMs,
		lastEventAt: changes.lastEventAt ?? view.lastEventAt,
		total: changes.total ?? view.total,
		channels: changes.channels ?? view.channels,
		queues,
		agents,
		trend: changes.trend ? mergeTrend(view.trend, changes.trend, trendCap) : view.trend,
		groups: changes.groups ?? view.groups
	};
}

/** A snapshot's view with its trend capped like every later one. */
export function capSnapshot(view: BoardView, trendCap = TREND_CAP): BoardView {
	return view.trend.length > trendCap ? { ...view, trend: view.trend.slice(view.trend.length - trendCap) } : view;
}
