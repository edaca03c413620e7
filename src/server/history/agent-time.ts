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

/**
 * One agent's time per interval as h_agent_time stores it: columns instead of an object per
 * interval, so the field names are not repeated 96 times a day. `s`: first interval start, `dt`:
 * interval length (ms), `k`: each interval's index from `s`; then one array per figure, in `k`'s
 * order, and `r`: seconds per not-ready reason (0 where an interval had none). Numbers are the
 * doubles as summed, so decoding gives back exactly what was encoded. The 28-day backfill's agent
 * time took ~770 KB a day as objects (bench:history, store per day).
 */
interface AgentTimeColumns {
	readonly s: number;
	readonly dt: number;
	readonly k: number[];
	readonly a: number[];
	readonly c: number[];
	readonly w: number[];
	readonly o: number[];
	readonly b: number[];
	readonly f: number[];
	readonly r: Record<string, number[]>;
}

/** Encodes one agent's time per interval (start → time) for h_agent_time. */
export function encodeAgentTimes(perInterval: ReadonlyMap<number, AgentTime>, intervalMs: number): string {
	const starts = [...perInterval.keys()].sort((x, y) => x - y);
	const s = starts[0] ?? 0;
	const col: AgentTimeColumns = { s, dt: intervalMs, k: [], a: [], c: [], w: [], o: [], b: [], f: [], r: {} };
	starts.forEach((start, i) => {
		const t = perInterval.get(start)!;
		col.k.push(Math.round((start - s) / intervalMs));
		col.a.push(t.available);
		col.c.push(t.onContact);
		col.w.push(t.wrapUp);
		col.o.push(t.offline);
		col.b.push(t.busySlotTime);
		col.f.push(t.offeredSlotTime);
		for (const [reason, seconds] of Object.entries(t.notReady)) (col.r[reason] ??= new Array<number>(starts.length).fill(0))[i] = seconds;
	});
	return JSON.stringify(col);
}

/**
 * Decodes h_agent_time's `intervals`: the columns of encodeAgentTimes, or the array of
 * `{ start, ...AgentTime }` that stores written before it hold.
 */
export function decodeAgentTimes(text: string): Map<number, AgentTime> {
	const parsed = JSON.parse(text) as AgentTimeColumns | (AgentTime & { start: number })[];
	if (Array.isArray(parsed)) return new Map(parsed.map(({ start, ...t }) => [start, t]));
	const out = new Map<number, AgentTime>();
	const reasons = Object.entries(parsed.r);
	parsed.k.forEach((k, i) => {
		const notReady: Record<string, number> = {};
		for (const [reason, seconds] of reasons) if (seconds[i]) notReady[reason] = seconds[i];
		out.set(parsed.s + k * parsed.dt, {
			available: parsed.a[i]!,
			onContact: parsed.c[i]!,
			wrapUp: parsed.w[i]!,
			offline: parsed.o[i]!,
			notReady,
			busySlotTime: parsed.b[i]!,
			offeredSlotTime: parsed.f[i]!
		});
	});
	return out;
}
