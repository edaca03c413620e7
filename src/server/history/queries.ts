import type Database from 'better-sqlite3';
import type { Channel } from '../../lib/domain/channels';
import type { AgentPresence } from '../../lib/domain/events';
import {
	ALL_CHANNELS,
	ALL_QUEUES,
	SOURCE_PREFERENCE,
	type HistoryAgentDayRow,
	type HistoryAgentIntervalRow,
	type HistoryContactOutcome,
	type HistoryDayResponse,
	type HistoryDayStatus,
	type HistoryDaySummary,
	type HistoryIntervalRow,
	type HistoryQueue,
	type HistoryRecorded,
	type HistorySnapshot,
	type HistorySnapshotRow,
	type HistorySource,
	type HistoryTraceAgent,
	type HistoryTraceContact,
	type HistoryTraceResponse
} from '../../lib/domain/history';
import { DEFAULT_SITE } from '../../lib/domain/sites';
import { traceContact } from '../../lib/domain/history-trace';
import { computeKpis, emptyCounts, mergeCounts, occupancy, type KpiCounts } from '../../lib/domain/kpi';
import type { SlFormula } from '../../lib/domain/service-level';
import { addAgentTime, agentTimes, decodeAgentTimes, emptyAgentTime, type AgentStateRow, type AgentTime } from './agent-time';
import { countsOf, SUM_COUNTS_SQL } from './columns';

/**
 * Reads history back as the API's shapes (src/lib/domain/history.ts). Interval rows are sums of
 * the rows the Floor's changes produced; channel and total rows are rolled up here from the
 * queue rows with the same additive counts, so every level adds up.
 */

/** Formula of channel and total rows: DESIGN.md's default (the queue rows use their queue's). */
const ROLLUP_FORMULA: SlFormula = 'abandons-count-against';

interface DayRow {
	source: HistorySource;
	date: string;
	time_zone: string;
	day_start: number;
	day_end: number;
	interval_ms: number;
	queues: string;
	status: HistoryDayStatus;
	final_at: number | null;
	open_contacts: number;
	clock: number;
	rec_agent_states: number;
	rec_acw: number;
	rec_csat: number;
	summary: string | null;
	snapshot: string | null;
	changed: number;
}

/** Figures of a day summary that are computed from its rows (cached in h_days.summary). */
type SummaryFigures = Omit<HistoryDaySummary, 'date' | 'source' | 'timeZone' | 'dayStart' | 'dayEnd' | 'status' | 'recorded'>;

/** Queries over the history tables, of one site's days (DESIGN.md, "Sites"). */
export class HistoryQueries {
	constructor(
		private readonly db: Database.Database,
		/** The site whose days are read (default: the default site). */
		readonly site: string = DEFAULT_SITE
	) {}

	/** Every stored day, newest first (summaries computed once and cached until the day changes). */
	days(): HistoryDaySummary[] {
		const rows = this.db.prepare('SELECT * FROM h_days WHERE site = ? ORDER BY date DESC, source').all(this.site) as DayRow[];
		return rows.map((d) => {
			const figures = d.summary ? (JSON.parse(d.summary) as SummaryFigures) : this.#storeSummary(d);
			return { date: d.date, source: d.source, timeZone: d.time_zone, dayStart: d.day_start, dayEnd: d.day_end, status: d.status, ...figures, recorded: recordedOf(d) };
		});
	}

	/** Each stored day's status from `from` to `to` inclusive, one row per date and source (what `days()` says, without its figures). */
	dayStatuses(from: string, to: string): { date: string; source: HistorySource; status: HistoryDayStatus }[] {
		return this.db.prepare('SELECT date, source, status FROM h_days WHERE site = ? AND date BETWEEN ? AND ? ORDER BY date, source').all(this.site, from, to) as { date: string; source: HistorySource; status: HistoryDayStatus }[];
	}

	/**
	 * Computes and stores the summary of a day just written whole (a backfill day, as it is
	 * written), so the first days() after a fresh start does not compute 28 of them (~0.6 s).
	 */
	storeSummary(source: HistorySource, date: string): void {
		const d = this.db.prepare('SELECT * FROM h_days WHERE site = ? AND source = ? AND date = ?').get(this.site, source, date) as DayRow | undefined;
		if (d) this.#storeSummary(d);
	}

	#storeSummary(d: DayRow): SummaryFigures {
		const figures = this.#summarize(d);
		this.db.prepare('UPDATE h_days SET summary = ? WHERE site = ? AND source = ? AND date = ?').run(JSON.stringify(figures), this.site, d.source, d.date);
		return figures;
	}

	/**
	 * The sources that hold `date`, in SOURCE_PREFERENCE order, those with contacts first: a
	 * source's day of agent rows alone (agents logged in, nothing offered; or one a store written
	 * before the writer's fix holds, see HistoryWriter.agent) is not preferred over one with traffic.
	 */
	sourcesOf(date: string): HistorySource[] {
		const rows = this.db
			.prepare('SELECT source, EXISTS (SELECT 1 FROM h_counts c WHERE c.site = d.site AND c.source = d.source AND c.date = d.date) AS contacts FROM h_days d WHERE site = ? AND date = ?')
			.all(this.site, date) as { source: HistorySource; contacts: 0 | 1 }[];
		const contacts = new Map(rows.map((r) => [r.source, r.contacts === 1]));
		const held = SOURCE_PREFERENCE.filter((s) => contacts.has(s));
		return [...held.filter((s) => contacts.get(s)), ...held.filter((s) => !contacts.get(s))];
	}

	/**
	 * One day in detail, or null when it is not stored. Agent rows only with `agents`; `fresh`
	 * computes the snapshot from the rows even when a stored one is current; `snapshotOnly` leaves
	 * out the agent rows per interval.
	 */
	day(date: string, source: HistorySource | undefined, options: { agents: boolean; fresh?: boolean; snapshotOnly?: boolean }): HistoryDayResponse | null {
		const d = this.#dayRow(date, source);
		if (!d) return null;
		const recorded = recordedOf(d);
		const queues = JSON.parse(d.queues) as HistoryQueue[];
		const perQueue = this.#intervalCounts(d);
		const times = this.#agentTimes(d);
		const handled = this.#handledPerAgent(d);

		// Agent time per interval (all agents) for the total rows, only where presence was recorded.
		const agentTotal = new Map<number, AgentTime>();
		for (const perInterval of times.values()) for (const [start, t] of perInterval) addAgentTime(agentTotal.get(start) ?? setGet(agentTotal, start, emptyAgentTime()), t);

		const intervals: HistoryIntervalRow[] = [];
		const byStart = groupBy(perQueue, (r) => r.start);
		const starts = new Set<number>([...byStart.keys(), ...(recorded.agentStates ? agentTotal.keys() : [])]);
		for (const start of [...starts].sort((a, b) => a - b)) {
			const rows = byStart.get(start) ?? [];
			const perChannel = new Map<Channel, KpiCounts>();
			const total = emptyCounts();
			for (const r of rows) {
				intervals.push({ start, queue: r.queue, channel: r.channel, counts: r.counts });
				mergeCounts(perChannel.get(r.channel) ?? setGet(perChannel, r.channel, emptyCounts()), r.counts);
				mergeCounts(total, r.counts);
			}
			for (const [channel, counts] of [...perChannel].sort(([a], [b]) => a.localeCompare(b))) intervals.push({ start, queue: ALL_QUEUES, channel, counts });
			const t = agentTotal.get(start);
			if (t && recorded.agentStates) {
				total.busyTime = t.onContact + t.wrapUp;
				total.idleTime = t.available;
				total.busySlotTime = t.busySlotTime;
				total.offeredSlotTime = t.offeredSlotTime;
			}
			intervals.push({ start, queue: ALL_QUEUES, channel: ALL_CHANNELS, counts: total });
		}

		// A past day's snapshot is the stored one while no row changed since it was written, and always once final (frozen).
		const current = d.status === 'final' || (d.status === 'closing' && d.changed === 0);
		const stored = !options.fresh && d.snapshot !== null && current ? (JSON.parse(d.snapshot) as HistorySnapshot) : null;
		const kpis = stored ?? this.#snapshot(d, queues, intervals, recorded);
		const { agents: snapshotAgents, ...shared } = kpis;
		const snapshot: HistorySnapshot = { ...shared, status: d.status, finalAt: d.final_at, openContacts: d.open_contacts };
		const response: HistoryDayResponse = {
			date: d.date,
			source: d.source,
			timeZone: d.time_zone,
			intervalMs: d.interval_ms,
			dayStart: d.day_start,
			dayEnd: d.day_end,
			queues,
			intervals,
			snapshot: options.agents ? { ...snapshot, agents: snapshotAgents ?? this.#agentDayRows(d, times, handled, recorded) } : snapshot,
			recorded
		};
		if (!options.agents || options.snapshotOnly) return response;
		const agents: HistoryAgentIntervalRow[] = [];
		const agentIds = new Set<string>([...times.keys(), ...handled.keys()]);
		for (const agent of [...agentIds].sort()) {
			const perInterval = times.get(agent) ?? new Map<number, AgentTime>();
			const handledPer = handled.get(agent) ?? new Map<number, { handled: number; handleSum: number }>();
			const agentStarts = [...new Set([...perInterval.keys(), ...handledPer.keys()])].sort((a, b) => a - b);
			for (const start of agentStarts) {
				agents.push({ start, agent, ...timesOf(perInterval.get(start) ?? emptyAgentTime(), handledPer.get(start)?.handled ?? 0, recorded) });
			}
		}
		return { ...response, agents };
	}

	/**
	 * Writes the daily snapshot (per queue, channel, total and agent) of up to `limit` closing days
	 * whose rows changed since theirs was written (the reset, a late outcome), and of final days
	 * that have none yet (days written whole); oldest first. Returns how many. A final
	 * day's stored snapshot is frozen: rows added later (a contact closed after the grace period)
	 * no longer change it.
	 */
	storeSnapshots(limit: number): number {
		const due = this.db
			.prepare(`SELECT source, date FROM h_days WHERE site = ? AND ((status = 'closing' AND (changed = 1 OR snapshot IS NULL)) OR (status = 'final' AND snapshot IS NULL)) ORDER BY date LIMIT ?`)
			.all(this.site, limit) as { source: HistorySource; date: string }[];
		const save = this.db.prepare('UPDATE h_days SET snapshot = ?, changed = 0 WHERE site = ? AND source = ? AND date = ?');
		for (const { source, date } of due) {
			const day = this.day(date, source, { agents: true, fresh: true, snapshotOnly: true });
			if (!day) continue;
			// Status, final time and open contacts live in h_days and are added when read.
			const { total, channels, queues, agents } = day.snapshot;
			save.run(JSON.stringify({ total, channels, queues, agents }), this.site, source, date);
		}
		return due.length;
	}

	/** What a replay needs of one day, or null when it is not stored. */
	trace(date: string, source: HistorySource | undefined): HistoryTraceResponse | null {
		const d = this.#dayRow(date, source);
		if (!d) return null;
		const recorded = recordedOf(d);
		const legs = this.db
			.prepare('SELECT * FROM h_legs WHERE site = ? AND source = ? AND date = ? ORDER BY offered, contact, leg')
			.all(this.site, d.source, d.date) as LegRow[];
		const contacts: HistoryTraceContact[] = legs.map((l) => traceContact({ ...l, left: l.left_at, transferredTo: l.transferred_to }, recorded.afterContactWork));
		const agents: HistoryTraceAgent[] = (
			this.db.prepare('SELECT agent, name, team, skills, capacity FROM h_agents WHERE site = ? AND source = ? AND date = ? ORDER BY agent').all(this.site, d.source, d.date) as {
				agent: string;
				name: string;
				team: string;
				skills: string;
				capacity: string;
			}[]
		).map((a) => ({ agent: a.agent, name: a.name, team: a.team, skills: JSON.parse(a.skills) as Record<string, number>, capacity: JSON.parse(a.capacity) as Partial<Record<Channel, number>> }));
		const agentStates = recorded.agentStates
			? (
					this.db
						.prepare(`SELECT agent, ts, presence, reason FROM h_agent_states WHERE site = ? AND source = ? AND date = ? AND cause IN ('state', 'day') ORDER BY ts, n`)
						.all(this.site, d.source, d.date) as { agent: string; ts: number; presence: AgentPresence; reason: string | null }[]
				).map((r) => ({ agent: r.agent, ts: r.ts, state: r.presence, reason: r.presence === 'not-ready' ? r.reason : null }))
			: [];
		return {
			date: d.date,
			source: d.source,
			timeZone: d.time_zone,
			dayStart: d.day_start,
			dayEnd: d.day_end,
			queues: JSON.parse(d.queues) as HistoryQueue[],
			contacts,
			agents,
			agentStates,
			recorded
		};
	}

	#dayRow(date: string, source: HistorySource | undefined): DayRow | null {
		const pick = source ?? this.sourcesOf(date)[0];
		if (!pick) return null;
		return (this.db.prepare('SELECT * FROM h_days WHERE site = ? AND source = ? AND date = ?').get(this.site, pick, date) as DayRow | undefined) ?? null;
	}

	#intervalCounts(d: DayRow): { start: number; queue: string; channel: Channel; counts: KpiCounts }[] {
		const rows = this.db
			.prepare(`SELECT start, queue, channel, ${SUM_COUNTS_SQL} FROM h_counts WHERE site = ? AND source = ? AND date = ? GROUP BY start, queue, channel ORDER BY start, queue`)
			.all(this.site, d.source, d.date) as ({ start: number; queue: string; channel: Channel } & Record<string, number>)[];
		return rows.map((r) => ({ start: r.start, queue: r.queue, channel: r.channel, counts: countsOf(r) }));
	}

	/** Agent → interval → time, over the day up to what was recorded of it. */
	#agentTimes(d: DayRow): Map<string, Map<number, AgentTime>> {
		// Days written whole (backfill, import) store agent time per interval; live days their rows.
		const summed = this.db.prepare('SELECT agent, intervals FROM h_agent_time WHERE site = ? AND source = ? AND date = ?').all(this.site, d.source, d.date) as { agent: string; intervals: string }[];
		if (summed.length) {
			const out = new Map<string, Map<number, AgentTime>>();
			for (const { agent, intervals } of summed) out.set(agent, decodeAgentTimes(intervals));
			return out;
		}
		const rows = this.db
			.prepare(
				`SELECT agent, ts, activity, reason, busy_slots AS busySlots, offered_slots AS offeredSlots FROM h_agent_states
				 WHERE site = ? AND source = ? AND date = ? ORDER BY agent, ts, n`
			)
			.all(this.site, d.source, d.date) as AgentStateRow[];
		// A day still running counts agent time up to the last moment recorded; a past day to its end.
		return agentTimes(rows, d.day_start, d.status === 'open' ? Math.min(d.day_end, d.clock) : d.day_end, d.interval_ms);
	}

	/** Agent → interval → contacts finished (attributed, like every count, to the interval the contact was offered in). */
	#handledPerAgent(d: DayRow): Map<string, Map<number, { handled: number; handleSum: number }>> {
		const rows = this.db
			.prepare(
				`SELECT agent, start, sum(handled) AS handled, sum(handleSum) AS handleSum FROM h_counts
				 WHERE site = ? AND source = ? AND date = ? AND agent IS NOT NULL GROUP BY agent, start`
			)
			.all(this.site, d.source, d.date) as { agent: string; start: number; handled: number; handleSum: number }[];
		const out = new Map<string, Map<number, { handled: number; handleSum: number }>>();
		for (const r of rows) (out.get(r.agent) ?? setGet(out, r.agent, new Map())).set(r.start, { handled: r.handled, handleSum: r.handleSum });
		return out;
	}

	#snapshot(d: DayRow, queues: readonly HistoryQueue[], intervals: readonly HistoryIntervalRow[], recorded: HistoryRecorded): HistorySnapshot {
		const sums = new Map<string, { queue: string; channel: Channel | typeof ALL_CHANNELS; counts: KpiCounts }>();
		for (const r of intervals) {
			const key = `${r.queue}\u0000${r.channel}`;
			const s = sums.get(key) ?? setGet(sums, key, { queue: r.queue, channel: r.channel, counts: emptyCounts() });
			mergeCounts(s.counts, r.counts);
		}
		const formulaOf = new Map(queues.map((q) => [q.id, q.sl.formula]));
		const rowOf = (s: { queue: string; channel: Channel | typeof ALL_CHANNELS; counts: KpiCounts }): HistorySnapshotRow => {
			const formula = s.queue === ALL_QUEUES ? ROLLUP_FORMULA : (formulaOf.get(s.queue) ?? ROLLUP_FORMULA);
			const k = computeKpis(s.counts, formula);
			return {
				queue: s.queue,
				channel: s.channel,
				counts: s.counts,
				serviceLevel: k.serviceLevel,
				slFormula: formula,
				asa: k.asa,
				aht: k.aht,
				abandonRate: k.abandonRate,
				occupancy: recorded.agentStates && s.channel === ALL_CHANNELS ? k.occupancy : null,
				csat: k.csat
			};
		};
		const all = [...sums.values()];
		const total = all.find((s) => s.queue === ALL_QUEUES && s.channel === ALL_CHANNELS) ?? { queue: ALL_QUEUES, channel: ALL_CHANNELS, counts: emptyCounts() };
		return {
			status: d.status,
			finalAt: d.final_at,
			openContacts: d.open_contacts,
			total: rowOf(total),
			channels: all.filter((s) => s.queue === ALL_QUEUES && s.channel !== ALL_CHANNELS).map(rowOf),
			queues: all.filter((s) => s.queue !== ALL_QUEUES).map(rowOf)
		};
	}

	#agentDayRows(
		d: DayRow,
		times: Map<string, Map<number, AgentTime>>,
		handled: Map<string, Map<number, { handled: number; handleSum: number }>>,
		recorded: HistoryRecorded
	): HistoryAgentDayRow[] {
		const profiles = new Map(
			(this.db.prepare('SELECT agent, name, team FROM h_agents WHERE site = ? AND source = ? AND date = ?').all(this.site, d.source, d.date) as { agent: string; name: string; team: string }[]).map((p) => [p.agent, p])
		);
		const ids = [...new Set([...times.keys(), ...handled.keys()])].sort();
		return ids.map((agent) => {
			const t = emptyAgentTime();
			for (const x of times.get(agent)?.values() ?? []) addAgentTime(t, x);
			let n = 0;
			let sum = 0;
			for (const h of handled.get(agent)?.values() ?? []) {
				n += h.handled;
				sum += h.handleSum;
			}
			const busy = t.onContact + t.wrapUp;
			const counts = { ...emptyCounts(), busyTime: busy, idleTime: t.available };
			const p = profiles.get(agent);
			return {
				agent,
				name: p?.name ?? agent,
				team: p?.team ?? '',
				...timesOf(t, n, recorded),
				occupancy: recorded.agentStates ? occupancy(counts) : null,
				aht: n > 0 ? sum / n : null
			};
		});
	}

	#summarize(d: DayRow): SummaryFigures {
		const c = countsOf(
			this.db.prepare(`SELECT ${SUM_COUNTS_SQL} FROM h_counts WHERE site = ? AND source = ? AND date = ?`).get(this.site, d.source, d.date) as Record<string, unknown>
		);
		const recorded = recordedOf(d);
		let occ: number | null = null;
		if (recorded.agentStates) {
			const t = emptyAgentTime();
			for (const perInterval of this.#agentTimes(d).values()) for (const x of perInterval.values()) addAgentTime(t, x);
			occ = occupancy({ ...emptyCounts(), busyTime: t.onContact + t.wrapUp, idleTime: t.available });
		}
		const agents = (
			this.db
				.prepare(
					`SELECT count(*) AS n FROM (SELECT agent FROM h_agent_states WHERE site = ? AND source = ? AND date = ? AND cause != 'day'
					 UNION SELECT agent FROM h_agent_time WHERE site = ? AND source = ? AND date = ?
					 UNION SELECT agent FROM h_counts WHERE site = ? AND source = ? AND date = ? AND agent IS NOT NULL)`
				)
				.get(this.site, d.source, d.date, this.site, d.source, d.date, this.site, d.source, d.date) as { n: number }
		).n;
		const { offered, answered, abandoned, shortAbandoned, transferred, serviceLevel, asa, aht, abandonRate } = computeKpis(c, ROLLUP_FORMULA);
		return { offered, answered, abandoned, shortAbandoned, transferred, serviceLevel, slFormula: ROLLUP_FORMULA, asa, aht, abandonRate, occupancy: occ, agents };
	}
}

interface LegRow {
	contact: string;
	queue: string;
	channel: Channel;
	priority: number;
	offered: number;
	left_at: number | null;
	answered: number | null;
	wrapup: number | null;
	ended: number | null;
	outcome: HistoryContactOutcome;
	agent: string | null;
	transferred_to: string | null;
	csat: number | null;
}

function recordedOf(d: DayRow): HistoryRecorded {
	return { agentStates: d.rec_agent_states === 1, afterContactWork: d.rec_acw === 1, csat: d.rec_csat === 1 };
}

/** AgentTimes as the API gives them: what presence alone tells is null when presence was not recorded. */
function timesOf(t: AgentTime, handled: number, recorded: HistoryRecorded) {
	return {
		available: recorded.agentStates ? t.available : null,
		onContact: t.onContact,
		wrapUp: recorded.afterContactWork ? t.wrapUp : null,
		notReady: recorded.agentStates ? t.notReady : null,
		offline: recorded.agentStates ? t.offline : null,
		handled
	};
}

function setGet<K, V>(m: Map<K, V>, k: K, v: V): V {
	m.set(k, v);
	return v;
}

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
	const out = new Map<K, T[]>();
	for (const x of xs) (out.get(key(x)) ?? setGet(out, key(x), [])).push(x);
	return out;
}
