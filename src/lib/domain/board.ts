import type { BoardConfig } from './board-config';
import { CHANNELS, type Channel } from './channels';
import { CHANNEL_GROUPS, GROUP_CHANNELS, type ChannelGroup } from './channel-groups';
import { BUSY, BUSY_SLOTS, IDLE, OFFERED_SLOTS, type AgentState, type Floor, type QueueState } from './floor';
import { computeKpis, countAgentTime, emptyCounts, mergeCounts, serviceLevel, type KpiCounts } from './kpi';
import { minuteOf } from './rolling';
import {
	agentCounts,
	agentRow,
	boardChanges,
	isEmptyChanges,
	queueRow,
	rollupRow,
	trendPoint,
	type AgentCounts,
	type AgentRow,
	type BoardChanges,
	type BoardView,
	type QueueRow,
	type RollupRow,
	type TrendPoint
} from './views';


/** How much trend a board carries: the last 12 hours of intervals. */
export const TREND_SPAN_MS = 12 * 3600_000;


/** Agent time per queue and per agent, for occupancy. */
interface AgentTime {
	readonly todayTime: Map<string, KpiCounts>;
	readonly rollingTime: Map<string, KpiCounts>;
	/** Each on-board agent's ledger over the rolling window. */
	readonly rollingLedger: Map<AgentState, Float64Array>;
}

/** An agent on the board, with its row id (`site/agent` on a board of several sites). */
interface OnBoard {
	readonly agent: AgentState;
	readonly id: string;
}

/** Per-agent facts gathered once per projection; maps keyed by row id (queue or agent). */
interface AgentPass extends AgentTime {
	readonly onBoard: OnBoard[];
	readonly staffed: Map<string, number>;
	readonly available: Map<string, number>;
}

/** Occupancy moves by the second; agent time is summed at most this often. */
const AGENT_TIME_REFRESH_MS = 1000;

const NO_CHANGES: BoardChanges = Object.freeze(boardChanges({}));

/** One site's floor as a board shows it. */
export interface SiteFloor {
	readonly site: string;
	readonly floor: Floor;
}

/** What a board projects: one floor, or the floors of the sites it shows (at least one). */
export type ShownFloors = Floor | readonly SiteFloor[];

/**
 * One floor's part of a board: its shown queues, and the prefix of its row ids. A board of
 * several sites keys each row `site/id`, so the same queue or agent id at two sites stays two rows.
 */
interface Part {
	readonly floor: Floor;
	readonly prefix: string;
	readonly queues: QueueState[];
}

/** A shown queue with the part it belongs to. */
interface PartQueue {
	readonly q: QueueState;
	readonly part: Part;
}

/**
 * Projects the floor for one board. Rows hold timestamps, never ages: a wait or time in state
 * that grows every second is computed in the browser (from `oldestSince`, `since` and the
 * server-clock offset), so a quiet floor sends nothing. `Kpis.longestWait` covers contacts that
 * have left the queue; a board shows the larger of it and the age of the oldest waiting contact.
 *
 * Projects the floor for one board: a whole view for snapshots (`view`, pure), and what changed
 * since the last projection for deltas (`changes`, which keeps what it sent as its baseline). The
 * hub calls `changes()` once per flush tick and sends the same encoded bytes to every client of
 * the board; a snapshot taken after it in the same tick is exactly the state that delta reached.
 */
export class BoardProjector {
	#board: BoardConfig;
	#boardDirty = false;
	#sentAgents = new Map<string, number>();
	#sentQueues = new Map<string, string>();
	#sentTotal = '';
	#sentChannels = '';
	#sentGroups = '';
	#sentTrend = new Map<number, string>();
	#sentDayStart: number | null = null;
	#sentLastEventAt: number | null = null;
	#time: AgentTime | null = null;
	#timeAt = -Infinity;
	/** Floor version and clock at the last projection: an unchanged floor is re-read once a second, for time-driven KPIs. */
	#projectedVersion = -1;
	#projectedAt = -Infinity;

	constructor(board: BoardConfig) {
		this.#board = board;
	}

	get board(): BoardConfig {
		return this.#board;
	}

	/** Replaces the board config; the next changes() carries it and every row it now shows. */
	setBoard(board: BoardConfig): void {
		this.#board = board;
		this.#boardDirty = true;
		this.#sentAgents.clear();
		this.#sentQueues.clear();
		this.#sentTrend.clear();
		this.#sentTotal = '';
		this.#sentChannels = '';
		this.#sentGroups = '';
		this.#time = null;
	}

	/**
	 * The whole board now, for a snapshot. Pure with respect to the deltas: it reads the floor and
	 * never moves the baseline of changes(), so one projector serves a board's deltas and any number
	 * of snapshots in between (it may refresh the agent-time memo, which only follows the clock).
	 */
	view(shown: ShownFloors): BoardView {
		const parts = this.#parts(shown);
		const lead = parts[0]!.floor;
		const queues = partQueues(parts);
		const pass = this.#agentPass(parts);
		const { total, channels, groups } = this.#rollups(queues, pass);
		return {
			board: this.#board,
			dayStart: lead.dayStart,
			intervalMs: lead.config.intervalMs,
			rollingMs: lead.config.rollingMs,
			lastEventAt: lastEventAt(parts),
			total,
			channels,
			queues: queues.map((pq) => this.#queueRow(pq, pass)),
			agents: pass.onBoard.map(toAgentRow),
			trend: this.#trend(parts),
			groups
		};
	}

	/**
	 * What changed since the last changes() (the first call carries every row); every field null
	 * when nothing did. Called once per flush tick by the hub, whose clients all share its stream.
	 */
	changes(shown: ShownFloors): BoardChanges {
		const parts = this.#parts(shown);
		const lead = parts[0]!.floor;
		// Every floor's version only grows, so their sum changes whenever one of them does.
		let version = 0;
		for (const p of parts) version += p.floor.version;
		const quiet = version === this.#projectedVersion && lead.clock - this.#projectedAt < AGENT_TIME_REFRESH_MS;
		if (quiet && !this.#boardDirty) return NO_CHANGES;
		this.#projectedVersion = version;
		this.#projectedAt = lead.clock;
		const queues = partQueues(parts);
		const pass = this.#agentPass(parts);

		const agents: AgentRow[] = [];
		const seen = new Set<string>();
		for (const o of pass.onBoard) {
			seen.add(o.id);
			if (this.#sentAgents.get(o.id) !== o.agent.version) {
				agents.push(toAgentRow(o));
				this.#sentAgents.set(o.id, o.agent.version);
			}
		}
		const removedAgents: string[] = [];
		for (const id of this.#sentAgents.keys()) {
			if (!seen.has(id)) {
				removedAgents.push(id);
				this.#sentAgents.delete(id);
			}
		}

		const queueRows: QueueRow[] = [];
		for (const pq of queues) {
			const row = this.#queueRow(pq, pass);
			const json = JSON.stringify(row);
			if (this.#sentQueues.get(row.id) !== json) {
				queueRows.push(row);
				this.#sentQueues.set(row.id, json);
			}
		}

		const { total, channels, groups } = this.#rollups(queues, pass);
		const groupsJson = JSON.stringify(groups);
		const groupsChanged = groupsJson !== this.#sentGroups;
		this.#sentGroups = groupsJson;
		const totalJson = JSON.stringify(total);
		const channelsJson = JSON.stringify(channels);
		const totalChanged = totalJson !== this.#sentTotal;
		const channelsChanged = channelsJson !== this.#sentChannels;
		this.#sentTotal = totalJson;
		this.#sentChannels = channelsJson;

		const trend: TrendPoint[] = [];
		for (const p of this.#trend(parts)) {
			const json = JSON.stringify(p);
			if (this.#sentTrend.get(p.start) !== json) {
				trend.push(p);
				this.#sentTrend.set(p.start, json);
			}
		}
		const oldest = lead.clock - TREND_SPAN_MS - lead.config.intervalMs;
		for (const start of this.#sentTrend.keys()) if (start < oldest) this.#sentTrend.delete(start);

		const dayChanged = lead.dayStart !== this.#sentDayStart;
		this.#sentDayStart = lead.dayStart;
		const board = this.#boardDirty ? this.#board : null;
		this.#boardDirty = false;

		const changes = boardChanges({
			board,
			dayStart: dayChanged ? lead.dayStart : null,
			total: totalChanged ? total : null,
			channels: channelsChanged ? channels : null,
			queues: queueRows.length ? queueRows : null,
			agents: agents.length ? agents : null,
			removedAgents: removedAgents.length ? removedAgents : null,
			trend: trend.length ? trend : null,
			groups: groupsChanged ? groups : null
		});
		// Events on queues this board does not show still say the producers are alive: tell it, but
		// alone at most once a second so a busy floor does not add a frame per tick per board.
		const last = lastEventAt(parts);
		if (last === null || last === this.#sentLastEventAt) return changes;
		if (isEmptyChanges(changes) && this.#sentLastEventAt !== null && last - this.#sentLastEventAt < AGENT_TIME_REFRESH_MS) return changes;
		this.#sentLastEventAt = last;
		return { ...changes, lastEventAt: last };
	}

	/** The floors shown, each with its queues and row-id prefix (none when one floor is shown). */
	#parts(shown: ShownFloors): Part[] {
		if (!Array.isArray(shown)) return [{ floor: shown as Floor, prefix: '', queues: this.#queues(shown as Floor) }];
		const many = shown.length > 1;
		return shown.map((s) => ({ floor: s.floor, prefix: many ? `${s.site}/` : '', queues: this.#queues(s.floor) }));
	}

	/** The queues of one floor this board shows, in floor order. */
	#queues(floor: Floor): QueueState[] {
		const { queues, channels } = this.#board;
		const ids = queues ? new Set(queues) : null;
		const chans = channels ? new Set<Channel>(channels) : null;
		const out: QueueState[] = [];
		for (const q of floor.queues.values()) {
			if (ids && !ids.has(q.config.id)) continue;
			if (chans && !chans.has(q.config.channel)) continue;
			out.push(q);
		}
		return out;
	}

	/** One pass over agents: who is on the board, and staffing and agent time per queue (keyed by row id). */
	#agentPass(parts: readonly Part[]): AgentPass {
		const everything = this.#board.queues === null && this.#board.channels === null;
		const lead = parts[0]!.floor;
		const pass: AgentPass = {
			onBoard: [],
			staffed: new Map(),
			available: new Map(),
			todayTime: new Map(),
			rollingTime: new Map(),
			rollingLedger: new Map()
		};
		const refreshTime = !this.#time || lead.clock - this.#timeAt >= AGENT_TIME_REFRESH_MS || lead.clock < this.#timeAt;
		const time: AgentTime = refreshTime ? pass : this.#time!;
		const rollingMinutes = Math.ceil(lead.config.rollingMs / 60_000);
		for (const { floor, prefix, queues } of parts) {
			const ids = new Set(queues.map((q) => q.config.id));
			const nowMinute = minuteOf(floor.clock);
			for (const a of floor.agents.values()) {
				let on = everything;
				let rolling: Float64Array | null = null;
				for (const qid in a.skills) {
					if (!ids.has(qid)) continue;
					on = true;
					const q = floor.queues.get(qid)!;
					const key = prefix + qid;
					if (a.activity !== 'offline') inc(pass.staffed, key);
					if (a.canTake(q.config.channel)) inc(pass.available, key);
					if (refreshTime) {
						addTime(pass.todayTime, key, a.today);
						rolling ??= rollingLedger(a, nowMinute, rollingMinutes);
						addTime(pass.rollingTime, key, rolling);
					}
				}
				if (on) {
					pass.onBoard.push({ agent: a, id: prefix + a.id });
					if (refreshTime) pass.rollingLedger.set(a, rolling ?? rollingLedger(a, nowMinute, rollingMinutes));
				}
			}
		}
		if (refreshTime) {
			this.#time = { todayTime: pass.todayTime, rollingTime: pass.rollingTime, rollingLedger: pass.rollingLedger };
			this.#timeAt = lead.clock;
			return pass;
		}
		return { ...pass, todayTime: time.todayTime, rollingTime: time.rollingTime, rollingLedger: time.rollingLedger };
	}

	#queueRow({ q, part }: PartQueue, pass: AgentPass): QueueRow {
		const id = part.prefix + q.config.id;
		const today = withTime({ ...q.today }, pass.todayTime.get(id));
		const rolling = withTime(rollingCounts(q, part.floor), pass.rollingTime.get(id));
		return queueRow({
			id,
			// Two sites' "Billing" must read apart on the wall: the site leads the name.
			name: part.prefix ? `${part.prefix.slice(0, -1)} · ${q.config.name}` : q.config.name,
			channel: q.config.channel,
			sl: q.config.sl,
			waiting: q.waiting.size,
			oldestSince: q.oldestSince(),
			staffed: pass.staffed.get(id) ?? 0,
			available: pass.available.get(id) ?? 0,
			today: computeKpis(today, q.config.sl.formula),
			rolling: computeKpis(rolling, q.config.sl.formula)
		});
	}

	/** Roll-ups summed from the counts of every shown queue (of every site): counts add up, rates are computed from the sums. */
	#rollups(queues: readonly PartQueue[], pass: AgentPass): { total: RollupRow; channels: RollupRow[]; groups: RollupRow[] } {
		const present = CHANNELS.filter((c) => queues.some(({ q }) => q.config.channel === c));
		const groups = CHANNEL_GROUPS.filter((g) => GROUP_CHANNELS[g].some((c) => present.includes(c)));
		// Each scope is a set of channels (null: all); a group is summed from its queues' counts like a channel.
		const scopes: { scope: 'total' | Channel | ChannelGroup; channels: readonly Channel[] | null }[] = [
			{ scope: 'total', channels: null },
			...present.map((c) => ({ scope: c, channels: [c] })),
			...groups.map((g) => ({ scope: g, channels: GROUP_CHANNELS[g] }))
		];
		const rollingByQueue = new Map(queues.map(({ q, part }) => [q, rollingCounts(q, part.floor)]));
		const rows = scopes.map(({ scope, channels: chans }) => {
			const qs = (chans === null ? queues : queues.filter(({ q }) => chans.includes(q.config.channel))).map(({ q }) => q);
			const today = emptyCounts();
			const rolling = emptyCounts();
			let waiting = 0;
			let oldestSince: number | null = null;
			for (const q of qs) {
				mergeCounts(today, q.today);
				mergeCounts(rolling, rollingByQueue.get(q)!);
				waiting += q.waiting.size;
				const o = q.oldestSince();
				if (o !== null && (oldestSince === null || o < oldestSince)) oldestSince = o;
			}
			// Agent time is summed per agent, not per queue, so a multi-skilled agent counts once.
			const onBoard = pass.onBoard.map((o) => o.agent);
			const agents = chans === null ? onBoard : onBoard.filter((a) => a.channels.some((c) => chans.includes(c)));
			for (const a of agents) {
				countAgentTime(today, a.today[BUSY]!, a.today[IDLE]!, a.today[BUSY_SLOTS]!, a.today[OFFERED_SLOTS]!);
				// An agent new since the last agent-time refresh has no ledger yet: it counts from the next one.
				const r = pass.rollingLedger.get(a);
				if (!r) continue;
				countAgentTime(rolling, r[BUSY]!, r[IDLE]!, r[BUSY_SLOTS]!, r[OFFERED_SLOTS]!);
			}
			return rollupRow({
				scope,
				waiting,
				oldestSince,
				today: computeKpis(today, this.#board.slFormula),
				rolling: computeKpis(rolling, this.#board.slFormula),
				agents: countAgents(agents)
			});
		});
		return { total: rows[0]!, channels: rows.slice(1, 1 + present.length), groups: rows.slice(1 + present.length) };
	}

	/**
	 * One point per interval over the trend span, empty intervals included so the time axis is even.
	 * The first shown site's intervals are the grid; another site's interval is counted in the
	 * grid interval it starts in (sites in zones a half hour apart, with hourly intervals).
	 */
	#trend(parts: readonly Part[]): TrendPoint[] {
		const lead = parts[0]!.floor;
		const step = lead.config.intervalMs;
		const current = lead.dayStart + Math.floor((lead.clock - lead.dayStart) / step) * step;
		let first = current;
		for (const p of parts) for (const q of p.queues) for (const start of q.intervals.keys()) if (start < first) first = start;
		first = Math.max(first, current - Math.floor(TREND_SPAN_MS / step) * step);
		const cellOf = (start: number) => first + Math.floor((start - first) / step) * step;
		const cells = new Map<number, { counts: KpiCounts; waitingMax: number }>();
		const cell = (start: number) => {
			let c = cells.get(start);
			if (!c) cells.set(start, (c = { counts: emptyCounts(), waitingMax: 0 }));
			return c;
		};
		// With one floor and every queue shown, the floor's own maximum is exact; otherwise the sum
		// of per-queue maxima bounds it from above.
		const exact = parts.length === 1 && parts[0]!.queues.length === lead.queues.size;
		for (const p of parts) {
			for (const q of p.queues) {
				for (const [start, c] of q.intervals) if (start >= first) mergeCounts(cell(cellOf(start)).counts, c);
				if (!exact) for (const [start, w] of q.waitingMax) if (start >= first) cell(cellOf(start)).waitingMax += w;
			}
		}
		const points: TrendPoint[] = [];
		for (let start = first; start <= current; start += step) {
			const c = cells.get(start);
			const k = c?.counts ?? emptyCounts();
			points.push(
				trendPoint({
					start,
					offered: k.offered,
					answered: k.answered,
					abandoned: k.abandoned,
					serviceLevel: serviceLevel(k, this.#board.slFormula),
					waitingMax: exact ? (lead.waitingMaxTotal.get(start) ?? 0) : (c?.waitingMax ?? 0)
				})
			);
		}
		return points;
	}
}

function toAgentRow({ agent: a, id }: OnBoard): AgentRow {
	return agentRow({
		id,
		name: a.name,
		team: a.team,
		activity: a.activity,
		reason: a.reason,
		since: a.since,
		slots: [...a.slots],
		capacity: [...a.capacity]
	});
}

function countAgents(agents: readonly AgentState[]): AgentCounts {
	let available = 0;
	let onContact = 0;
	let wrapUp = 0;
	let notReady = 0;
	let offline = 0;
	const byChannel = CHANNELS.map(() => 0);
	const reasons: Record<string, number> = {};
	for (const a of agents) {
		switch (a.activity) {
			case 'available':
				available++;
				break;
			case 'on-contact':
				onContact++;
				break;
			case 'wrap-up':
				wrapUp++;
				break;
			case 'not-ready':
				notReady++;
				reasons[a.reason ?? ''] = (reasons[a.reason ?? ''] ?? 0) + 1;
				break;
			case 'offline':
				offline++;
				break;
		}
		for (let i = 0; i < CHANNELS.length; i++) if (a.slots[i]! > 0) byChannel[i]!++;
	}
	return agentCounts({ available, onContact, wrapUp, notReady, offline, onContactByChannel: byChannel, notReadyByReason: reasons });
}

/** Every part's shown queues, with their part. */
function partQueues(parts: readonly Part[]): PartQueue[] {
	return parts.flatMap((part) => part.queues.map((q) => ({ q, part })));
}

/** The latest event time of any shown floor (null before any). */
function lastEventAt(parts: readonly Part[]): number | null {
	let last: number | null = null;
	for (const { floor } of parts) if (floor.lastEventAt !== null && (last === null || floor.lastEventAt > last)) last = floor.lastEventAt;
	return last;
}

function rollingCounts(q: QueueState, floor: Floor): KpiCounts {
	const out = emptyCounts();
	q.minutes.forEachRecent(minuteOf(floor.clock), Math.ceil(floor.config.rollingMs / 60_000), (b) => mergeCounts(out, b));
	return out;
}

function rollingLedger(a: AgentState, nowMinute: number, minutes: number): Float64Array {
	const out = new Float64Array(4);
	a.minutes.forEachRecent(nowMinute, minutes, (b) => {
		for (let i = 0; i < 4; i++) out[i]! += b[i]!;
	});
	return out;
}

function inc(m: Map<string, number>, k: string): void {
	m.set(k, (m.get(k) ?? 0) + 1);
}

function addTime(m: Map<string, KpiCounts>, k: string, ledger: Float64Array): void {
	let c = m.get(k);
	if (!c) m.set(k, (c = emptyCounts()));
	countAgentTime(c, ledger[BUSY]!, ledger[IDLE]!, ledger[BUSY_SLOTS]!, ledger[OFFERED_SLOTS]!);
}

function withTime(c: KpiCounts, time: KpiCounts | undefined): KpiCounts {
	if (time) countAgentTime(c, time.busyTime, time.idleTime, time.busySlotTime, time.offeredSlotTime);
	return c;
}
