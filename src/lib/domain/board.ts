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

/** Per-agent facts gathered once per projection. */
interface AgentPass extends AgentTime {
	readonly onBoard: AgentState[];
	readonly staffed: Map<string, number>;
	readonly available: Map<string, number>;
}

/** Occupancy moves by the second; agent time is summed at most this often. */
const AGENT_TIME_REFRESH_MS = 1000;

const NO_CHANGES: BoardChanges = Object.freeze(boardChanges({}));

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
	view(floor: Floor): BoardView {
		const queues = this.#queues(floor);
		const pass = this.#agentPass(floor, queues);
		const { total, channels, groups } = this.#rollups(floor, queues, pass);
		return {
			board: this.#board,
			dayStart: floor.dayStart,
			intervalMs: floor.config.intervalMs,
			rollingMs: floor.config.rollingMs,
			lastEventAt: floor.lastEventAt,
			total,
			channels,
			queues: queues.map((q) => this.#queueRow(q, pass, floor)),
			agents: pass.onBoard.map(toAgentRow),
			trend: this.#trend(floor, queues),
			groups
		};
	}

	/**
	 * What changed since the last changes() (the first call carries every row); every field null
	 * when nothing did. Called once per flush tick by the hub, whose clients all share its stream.
	 */
	changes(floor: Floor): BoardChanges {
		const quiet = floor.version === this.#projectedVersion && floor.clock - this.#projectedAt < AGENT_TIME_REFRESH_MS;
		if (quiet && !this.#boardDirty) return NO_CHANGES;
		this.#projectedVersion = floor.version;
		this.#projectedAt = floor.clock;
		const queues = this.#queues(floor);
		const pass = this.#agentPass(floor, queues);

		const agents: AgentRow[] = [];
		const seen = new Set<string>();
		for (const a of pass.onBoard) {
			seen.add(a.id);
			if (this.#sentAgents.get(a.id) !== a.version) {
				agents.push(toAgentRow(a));
				this.#sentAgents.set(a.id, a.version);
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
		for (const q of queues) {
			const row = this.#queueRow(q, pass, floor);
			const json = JSON.stringify(row);
			if (this.#sentQueues.get(row.id) !== json) {
				queueRows.push(row);
				this.#sentQueues.set(row.id, json);
			}
		}

		const { total, channels, groups } = this.#rollups(floor, queues, pass);
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
		for (const p of this.#trend(floor, queues)) {
			const json = JSON.stringify(p);
			if (this.#sentTrend.get(p.start) !== json) {
				trend.push(p);
				this.#sentTrend.set(p.start, json);
			}
		}
		const oldest = floor.clock - TREND_SPAN_MS - floor.config.intervalMs;
		for (const start of this.#sentTrend.keys()) if (start < oldest) this.#sentTrend.delete(start);

		const dayChanged = floor.dayStart !== this.#sentDayStart;
		this.#sentDayStart = floor.dayStart;
		const board = this.#boardDirty ? this.#board : null;
		this.#boardDirty = false;

		const changes = boardChanges({
			board,
			dayStart: dayChanged ? floor.dayStart : null,
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
		const last = floor.lastEventAt;
		if (last === null || last === this.#sentLastEventAt) return changes;
		if (isEmptyChanges(changes) && this.#sentLastEventAt !== null && last - this.#sentLastEventAt < AGENT_TIME_REFRESH_MS) return changes;
		this.#sentLastEventAt = last;
		return { ...changes, lastEventAt: last };
	}

	/** The queues this board shows, in floor order. */
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

	/** One pass over agents: who is on the board, and staffing and agent time per queue. */
	#agentPass(floor: Floor, queues: readonly QueueState[]): AgentPass {
		const everything = this.#board.queues === null && this.#board.channels === null;
		const ids = new Set(queues.map((q) => q.config.id));
		const pass: AgentPass = {
			onBoard: [],
			staffed: new Map(),
			available: new Map(),
			todayTime: new Map(),
			rollingTime: new Map(),
			rollingLedger: new Map()
		};
		const refreshTime = !this.#time || floor.clock - this.#timeAt >= AGENT_TIME_REFRESH_MS || floor.clock < this.#timeAt;
		const time: AgentTime = refreshTime ? pass : this.#time!;
		const nowMinute = minuteOf(floor.clock);
		const rollingMinutes = Math.ceil(floor.config.rollingMs / 60_000);
		for (const a of floor.agents.values()) {
			let on = everything;
			let rolling: Float64Array | null = null;
			for (const qid in a.skills) {
				if (!ids.has(qid)) continue;
				on = true;
				const q = floor.queues.get(qid)!;
				if (a.activity !== 'offline') inc(pass.staffed, qid);
				if (a.canTake(q.config.channel)) inc(pass.available, qid);
				if (refreshTime) {
					addTime(pass.todayTime, qid, a.today);
					rolling ??= rollingLedger(a, nowMinute, rollingMinutes);
					addTime(pass.rollingTime, qid, rolling);
				}
			}
			if (on) {
				pass.onBoard.push(a);
				if (refreshTime) pass.rollingLedger.set(a, rolling ?? rollingLedger(a, nowMinute, rollingMinutes));
			}
		}
		if (refreshTime) {
			this.#time = { todayTime: pass.todayTime, rollingTime: pass.rollingTime, rollingLedger: pass.rollingLedger };
			this.#timeAt = floor.clock;
			return pass;
		}
		return { ...pass, todayTime: time.todayTime, rollingTime: time.rollingTime, rollingLedger: time.rollingLedger };
	}

	#queueRow(q: QueueState, pass: AgentPass, floor: Floor): QueueRow {
		const id = q.config.id;
		const today = withTime({ ...q.today }, pass.todayTime.get(id));
		const rolling = withTime(rollingCounts(q, floor), pass.rollingTime.get(id));
		return queueRow({
			id,
			name: q.config.name,
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

	#rollups(
		floor: Floor,
		queues: readonly QueueState[],
		pass: AgentPass
	): { total: RollupRow; channels: RollupRow[]; groups: RollupRow[] } {
		const present = CHANNELS.filter((c) => queues.some((q) => q.config.channel === c));
		const groups = CHANNEL_GROUPS.filter((g) => GROUP_CHANNELS[g].some((c) => present.includes(c)));
		// Each scope is a set of channels (null: all); a group is summed from its queues' counts like a channel.
		const scopes: { scope: 'total' | Channel | ChannelGroup; channels: readonly Channel[] | null }[] = [
			{ scope: 'total', channels: null },
			...present.map((c) => ({ scope: c, channels: [c] })),
			...groups.map((g) => ({ scope: g, channels: GROUP_CHANNELS[g] }))
		];
		const rollingByQueue = new Map(queues.map((q) => [q, rollingCounts(q, floor)]));
		const rows = scopes.map(({ scope, channels: chans }) => {
			const qs = chans === null ? queues : queues.filter((q) => chans.includes(q.config.channel));
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
			const agents = chans === null ? pass.onBoard : pass.onBoard.filter((a) => a.channels.some((c) => chans.includes(c)));
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

	/** One point per interval over the trend span, empty intervals included so the time axis is even. */
	#trend(floor: Floor, queues: readonly QueueState[]): TrendPoint[] {
		const step = floor.config.intervalMs;
		const current = floor.dayStart + Math.floor((floor.clock - floor.dayStart) / step) * step;
		let first = current;
		for (const q of queues) for (const start of q.intervals.keys()) if (start < first) first = start;
		first = Math.max(first, current - Math.floor(TREND_SPAN_MS / step) * step);
		const everything = queues.length === floor.queues.size;
		const points: TrendPoint[] = [];
		for (let start = first; start <= current; start += step) {
			const k = emptyCounts();
			let waitingMax = 0;
			for (const q of queues) {
				const c = q.intervals.get(start);
				if (c) mergeCounts(k, c);
				// With every queue shown the floor's own maximum is exact; otherwise the sum of
				// per-queue maxima bounds it from above.
				if (!everything) waitingMax += q.waitingMax.get(start) ?? 0;
			}
			if (everything) waitingMax = floor.waitingMaxTotal.get(start) ?? 0;
			points.push(
				trendPoint({
					start,
					offered: k.offered,
					answered: k.answered,
					abandoned: k.abandoned,
					serviceLevel: serviceLevel(k, this.#board.slFormula),
					waitingMax
				})
			);
		}
		return points;
	}
}

function toAgentRow(a: AgentState): AgentRow {
	return agentRow({
		id: a.id,
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
