/**
 * Time per agent state per interval, from the agent rows the Floor reported (each row is the
 * agent's state from its time until the next row). Pure: rows in, sums out.
 */

/** One stored agent row, as read back. */
export interface AgentStateRow {
	readonly agent: string;
	readonly ts: number;
	readonly activity: string;
	readonly reason: string | null;
	readonly busySlots: number;
	readonly offeredSlots: number;
}

/** Seconds per state (and slot-seconds) of one agent over one interval. */
export interface AgentTime {
	available: number;
	onContact: number;
	wrapUp: number;
	offline: number;
	notReady: Record<string, number>;
	busySlotTime: number;
	offeredSlotTime: number;
}

/** A fresh all-zero AgentTime. */
export function emptyAgentTime(): AgentTime {
	return { available: 0, onContact: 0, wrapUp: 0, offline: 0, notReady: {}, busySlotTime: 0, offeredSlotTime: 0 };
}

/** Adds `from` into `into`. */
export function addAgentTime(into: AgentTime, from: Readonly<AgentTime>): AgentTime {
	into.available += from.available;
	into.onContact += from.onContact;
	into.wrapUp += from.wrapUp;
	into.offline += from.offline;
	into.busySlotTime += from.busySlotTime;
	into.offeredSlotTime += from.offeredSlotTime;
	for (const [r, s] of Object.entries(from.notReady)) into.notReady[r] = (into.notReady[r] ?? 0) + s;
	return into;
}

function addSpan(t: AgentTime, row: AgentStateRow, seconds: number): void {
	switch (row.activity) {
		case 'available':
			t.available += seconds;
			break;
		case 'on-contact':
			t.onContact += seconds;
			break;
		case 'wrap-up':
			t.wrapUp += seconds;
			break;
		case 'not-ready': {
			const r = row.reason ?? '';
			t.notReady[r] = (t.notReady[r] ?? 0) + seconds;
			break;
		}
		default:
			t.offline += seconds;
	}
	t.busySlotTime += row.busySlots * seconds;
	t.offeredSlotTime += row.offeredSlots * seconds;
}

/**
 * Sums each agent's time per interval over `[from, to)`, intervals of `intervalMs` counted from
 * `from`. `rows` must be sorted by agent, then time (then write order). Before an agent's first
 * row its state is unknown and not counted; after its last row the state lasts until `to`.
 * Returns agent → interval start → time.
 */
export function agentTimes(rows: readonly AgentStateRow[], from: number, to: number, intervalMs: number): Map<string, Map<number, AgentTime>> {
	const out = new Map<string, Map<number, AgentTime>>();
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i]!;
		const next = rows[i + 1];
		const end = Math.min(to, next && next.agent === row.agent ? next.ts : to);
		let t = Math.max(from, row.ts);
		if (t >= end) continue;
		let perInterval = out.get(row.agent);
		if (!perInterval) out.set(row.agent, (perInterval = new Map()));
		while (t < end) {
			const start = from + Math.floor((t - from) / intervalMs) * intervalMs;
			const stop = Math.min(end, start + intervalMs);
			let acc = perInterval.get(start);
			if (!acc) perInterval.set(start, (acc = emptyAgentTime()));
			addSpan(acc, row, (stop - t) / 1000);
			t = stop;
		}
	}
	return out;
}
