import type Database from 'better-sqlite3';
import type { Channel } from '../../lib/domain/channels';
import type { AgentChange, CountsChange, FloorObserver, LegChange } from '../../lib/domain/floor';
import type { HistoryQueue, HistorySource } from '../../lib/domain/history';
import { capacityRecord } from '../../lib/domain/history-trace';
import { emptyCounts, mergeCounts, type KpiCounts } from '../../lib/domain/kpi';
import { dayKey, dayStart as dayStartOf } from '../../lib/domain/time';
import { agentTimes } from './agent-time';
import { KPI_COLUMNS } from './columns';

/**
 * Writes history rows from what the Floor reports (FloorObserver): history is a projection of
 * the Floor's decisions, never a second reading of the events.
 *
 * Rows are keyed by (source, day, id of the event that made them), so writing the same change
 * twice (a restart re-deriving today from the event log, a replay of the same day) changes
 * nothing. Changes are buffered while the Floor applies a batch and written by flush() in one
 * transaction; a flush that fails keeps its rows and the next flush retries them, so rows are
 * never lost while the process lives, and a restart re-derives them from the event log.
 *
 * `bulk` mode (imports, backfill) writes whole days that were deleted first: counts are summed
 * per interval, queue and agent instead of kept per event, a contact's stay is written once, and
 * agent time is stored per agent and interval (h_agent_time) with only the presence rows kept.
 *
 * Each row carries the source of the event that made it (attribute()): one live floor may hear
 * the emulator and ingested traffic at once, and deleting one source's day leaves the other's.
 */

/** What the writer needs to know about the floor it follows. */
export interface FloorDescription {
	readonly timeZone: string;
	readonly resetTime: string;
	readonly intervalMs: number;
	readonly queues: readonly HistoryQueue[];
	/** The floor's clock now: a day that ended before it is past (closing), not open. */
	readonly clock: number;
}

/** Write mode: per event (idempotent, live) or summed per interval (whole days at once). */
export type WriterMode = 'live' | 'bulk';

interface DayInfo {
	readonly source: HistorySource;
	readonly date: string;
	readonly dayStart: number;
	clock: number;
	agentStates: boolean;
	acw: boolean;
	csat: boolean;
}

interface CountsRow {
	readonly source: HistorySource;
	readonly date: string;
	readonly event: string;
	readonly part: number;
	readonly queue: string;
	readonly channel: Channel;
	readonly start: number;
	readonly agent: string | null;
	readonly counts: KpiCounts;
}

interface AgentRow {
	readonly source: HistorySource;
	readonly date: string;
	readonly event: string;
	readonly agent: string;
	readonly ts: number;
	readonly n: number;
	readonly cause: string;
	readonly activity: string;
	readonly presence: string;
	readonly reason: string | null;
	readonly busySlots: number;
	readonly offeredSlots: number;
}

interface ProfileRow {
	readonly source: HistorySource;
	readonly date: string;
	readonly agent: string;
	readonly name: string;
	readonly team: string;
	readonly skills: string;
	readonly capacity: string;
}

/** Agent time of one agent over a day, per interval, as h_agent_time stores it (days written whole). */
interface AgentTimeRow {
	readonly source: HistorySource;
	readonly date: string;
	readonly agent: string;
	/** JSON: [{ start, ...AgentTime }] in interval order. */
	readonly intervals: string;
}

/** Profiles already written per day, kept at most this many (then forgotten and rewritten: harmless). */
const MAX_PROFILES_REMEMBERED = 100_000;

/** Buffers and writes the history rows of one source. */
export class HistoryWriter implements FloorObserver {
	#counts: CountsRow[] = [];
	readonly #bulkCounts = new Map<string, CountsRow>();
	readonly #legs = new Map<string, { readonly source: HistorySource; readonly date: string; readonly leg: LegChange }>();
	#agents: AgentRow[] = [];
	readonly #profiles = new Map<string, ProfileRow>();
	readonly #profilesWritten = new Set<string>();
	/** Bulk mode: every agent row of each day, summed into agent time per interval by finish(). */
	readonly #bulkAgentRows = new Map<string, { readonly source: HistorySource; readonly date: string; readonly dayStart: number; readonly rows: AgentRow[] }>();
	#agentTime: AgentTimeRow[] = [];
	readonly #days = new Map<string, DayInfo>();
	readonly #dateOf = new Map<number, string>();
	readonly #dayEnds = new Map<string, number>();
	/** The day of the last change (a shortcut for #day()); cleared with #days. */
	#lastDay: DayInfo | null = null;
	/** Source of the changes reported now (set while a batch is applied); null: this writer's own source. */
	#current: HistorySource | null = null;
	/** Source of each agent's last change, for changes no event caused (its state carried into a new day). */
	readonly #agentSource = new Map<string, HistorySource>();
	/** Orders agent rows of equal time: later writers (a restart) sort after earlier ones. */
	#n = Date.now() * 1000;
	readonly #insertCounts: Database.Statement;
	readonly #insertLeg: Database.Statement;
	readonly #insertAgentState: Database.Statement;
	readonly #insertProfile: Database.Statement;
	readonly #upsertDay: Database.Statement;
	readonly #insertAgentTime: Database.Statement;
	/** Dates that received rows from this writer. */
	readonly datesWritten = new Set<string>();
	/** Rows written so far, and flushes that failed (their rows were kept and retried). */
	readonly stats = { rows: 0, failedFlushes: 0 };

	constructor(
		private readonly db: Database.Database,
		/** Source of changes not attributed otherwise (see attribute()). */
		readonly source: HistorySource,
		private readonly describe: () => FloorDescription,
		readonly mode: WriterMode = 'live',
		/** Dates rows may go to (an import writes only the days it replaced); null: any. */
		private readonly onlyDates: ReadonlySet<string> | null = null
	) {
		const cols = KPI_COLUMNS.map((k) => `"${k}"`).join(', ');
		const vals = KPI_COLUMNS.map(() => '?').join(', ');
		const conflict =
			mode === 'live'
				? 'ON CONFLICT DO NOTHING'
				: `ON CONFLICT DO UPDATE SET ${KPI_COLUMNS.map((k) => (k === 'longestWait' ? `"${k}" = max("${k}", excluded."${k}")` : `"${k}" = "${k}" + excluded."${k}"`)).join(', ')}`;
		this.#insertCounts = db.prepare(
			`INSERT INTO h_counts (source, date, event, part, queue, channel, start, agent, ${cols})
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${vals}) ${conflict}`
		);
		// A stay's row is rewritten as it progresses; times only fill in and an outcome never reverts to open.
		this.#insertLeg = db.prepare(
			`INSERT INTO h_legs (source, date, leg, contact, queue, channel, priority, offered, left_at, answered, wrapup, ended, outcome, agent, transferred_to, csat)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT DO UPDATE SET
			   left_at = coalesce(excluded.left_at, left_at), answered = coalesce(excluded.answered, answered),
			   wrapup = coalesce(excluded.wrapup, wrapup), ended = coalesce(excluded.ended, ended),
			   outcome = CASE WHEN excluded.outcome = 'open' THEN outcome ELSE excluded.outcome END,
			   agent = coalesce(excluded.agent, agent), transferred_to = coalesce(excluded.transferred_to, transferred_to),
			   csat = coalesce(excluded.csat, csat)`
		);
		this.#insertAgentState = db.prepare(
			`INSERT OR IGNORE INTO h_agent_states (source, date, event, agent, ts, n, cause, activity, presence, reason, busy_slots, offered_slots)
			 VALUES (@source, @date, @event, @agent, @ts, @n, @cause, @activity, @presence, @reason, @busySlots, @offeredSlots)`
		);
		this.#insertProfile = db.prepare(
			`INSERT OR REPLACE INTO h_agents (source, date, agent, name, team, skills, capacity) VALUES (@source, @date, @agent, @name, @team, @skills, @capacity)`
		);
		this.#insertAgentTime = db.prepare(
			'INSERT OR REPLACE INTO h_agent_time (source, date, agent, intervals) VALUES (@source, @date, @agent, @intervals)'
		);
		this.#upsertDay = db.prepare(
			`INSERT INTO h_days (source, date, time_zone, day_start, day_end, interval_ms, queues, status, clock, rec_agent_states, rec_acw, rec_csat)
			 VALUES (@source, @date, @timeZone, @dayStart, @dayEnd, @intervalMs, @queues, @status, @clock, @agentStates, @acw, @csat)
			 ON CONFLICT DO UPDATE SET clock = max(clock, excluded.clock), queues = excluded.queues, summary = NULL, changed = 1,
			   rec_agent_states = max(rec_agent_states, excluded.rec_agent_states), rec_acw = max(rec_acw, excluded.rec_acw),
			   rec_csat = max(rec_csat, excluded.rec_csat)`
		);
	}

	/**
	 * Runs `fn`, which applies events to the floor, with the rows of what it changed marked as coming
	 * from `source`: one live floor hears the emulator and ingest at once, and each keeps its own rows.
	 */
	attribute<T>(source: HistorySource, fn: () => T): T {
		const before = this.#current;
		this.#current = source;
		try {
			return fn();
		} finally {
			this.#current = before;
		}
	}

	/** Rows waiting for flush(). */
	get pending(): number {
		return this.#counts.length + this.#bulkCounts.size + this.#legs.size + this.#agents.length + this.#profiles.size + this.#agentTime.length;
	}

	/**
	 * Bulk mode, after the last event: sums each day's agent rows into time per agent and interval
	 * (what the day's figures need), written by the next flush(). Only presence and profile rows
	 * are kept as rows (the trace's staffing); the per-contact activity rows are not stored.
	 */
	finish(): void {
		if (this.mode !== 'bulk') return;
		const desc = this.describe();
		for (const d of this.#bulkAgentRows.values()) {
			const dayEnd = this.#dayEnd(d.dayStart, desc);
			// Stable sort: rows of equal time keep the order the Floor reported them in.
			const rows = d.rows.sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : a.ts - b.ts));
			for (const [agent, perInterval] of agentTimes(rows, d.dayStart, dayEnd, desc.intervalMs)) {
				const intervals = [...perInterval].sort(([a], [b]) => a - b).map(([start, t]) => ({ start, ...t }));
				this.#agentTime.push({ source: d.source, date: d.date, agent, intervals: JSON.stringify(intervals) });
			}
		}
		this.#bulkAgentRows.clear();
	}

	counts(c: CountsChange): void {
		const day = this.#day(this.#current ?? this.source, c.dayStart, c.start);
		if (!day) return;
		if (c.delta.csatAnswers > 0) day.csat = true;
		if (this.mode === 'live') {
			this.#counts.push({ source: day.source, date: day.date, event: c.event, part: c.part, queue: c.queue, channel: c.channel, start: c.start, agent: c.agent, counts: c.delta });
			return;
		}
		const key = `${day.source}|${day.date}|${c.start}|${c.queue}|${c.agent ?? ''}`;
		const row = this.#bulkCounts.get(key);
		if (row) mergeCounts(row.counts, c.delta);
		else
			this.#bulkCounts.set(key, {
				source: day.source,
				date: day.date,
				event: `sum:${c.start}:${c.queue}:${c.agent ?? ''}`,
				part: 0,
				queue: c.queue,
				channel: c.channel,
				start: c.start,
				agent: c.agent,
				counts: mergeCounts(emptyCounts(), c.delta)
			});
	}

	leg(l: LegChange): void {
		const day = this.#day(this.#current ?? this.source, l.dayStart, l.ended ?? l.left ?? l.offered);
		if (!day) return;
		if (l.wrapup !== null) day.acw = true;
		// Later changes of the same stay carry everything earlier ones did: keep the last.
		this.#legs.set(`${day.source}|${day.date}|${l.leg}`, { source: day.source, date: day.date, leg: l });
	}

	agent(a: AgentChange): void {
		const s = a.agent;
		let source = this.#current;
		if (source) {
			if (this.#agentSource.get(s.id) !== source) this.#agentSource.set(s.id, source);
		} else source = this.#agentSource.get(s.id) ?? this.source;
		const day = this.#day(source, a.dayStart, a.ts);
		if (!day) return;
		if (a.cause === 'state') day.agentStates = true;
		const row: AgentRow = {
			source,
			date: day.date,
			event: a.event,
			agent: s.id,
			ts: a.ts,
			n: this.#n++,
			cause: a.cause,
			activity: s.activity,
			presence: s.presence,
			reason: s.reason,
			busySlots: a.busySlots,
			offeredSlots: a.offeredSlots
		};
		if (this.mode === 'bulk') {
			const dayOf = `${source}|${day.date}`;
			const held = this.#bulkAgentRows.get(dayOf) ?? { source, date: day.date, dayStart: day.dayStart, rows: [] };
			if (held.rows.length === 0) this.#bulkAgentRows.set(dayOf, held);
			held.rows.push(row);
			if (a.cause !== 'contact') this.#agents.push(row);
		} else this.#agents.push(row);
		const key = `${source}|${day.date}|${s.id}`;
		if (a.cause === 'profile' || !this.#profilesWritten.has(key)) {
			if (this.#profilesWritten.size > MAX_PROFILES_REMEMBERED) this.#profilesWritten.clear();
			this.#profilesWritten.add(key);
			this.#profiles.set(key, {
				source,
				date: day.date,
				agent: s.id,
				name: s.name,
				team: s.team,
				skills: JSON.stringify(s.skills),
				capacity: JSON.stringify(capacityRecord(s.capacity))
			});
		}
	}

	/**
	 * Writes every buffered row in one transaction and returns how many. On failure nothing of it
	 * is written, the rows stay buffered for the next flush, and the error is thrown.
	 */
	flush(): number {
		const n = this.pending;
		if (n === 0 && this.#days.size === 0) return 0;
		const desc = this.describe();
		const queues = JSON.stringify(desc.queues);
		try {
			this.db.transaction(() => {
				for (const d of this.#days.values()) {
					const dayEnd = this.#dayEnd(d.dayStart, desc);
					this.#upsertDay.run({
						source: d.source,
						date: d.date,
						timeZone: desc.timeZone,
						dayStart: d.dayStart,
						dayEnd,
						intervalMs: desc.intervalMs,
						queues,
						status: this.mode === 'bulk' ? 'final' : Math.max(d.clock, desc.clock) >= dayEnd ? 'closing' : 'open',
						clock: Math.min(d.clock, dayEnd),
						agentStates: d.agentStates ? 1 : 0,
						acw: d.acw ? 1 : 0,
						csat: d.csat ? 1 : 0
					});
				}
				// Positional parameters: binding an object of ~25 named keys costs several times the insert itself.
				const insertCounts = (r: CountsRow) => this.#insertCounts.run(r.source, r.date, r.event, r.part, r.queue, r.channel, r.start, r.agent, ...KPI_COLUMNS.map((k) => r.counts[k]));
				for (const r of this.#counts) insertCounts(r);
				for (const r of this.#bulkCounts.values()) insertCounts(r);
				for (const { source, date, leg: l } of this.#legs.values())
					this.#insertLeg.run(source, date, l.leg, l.contact, l.queue, l.channel, l.priority, l.offered, l.left, l.answered, l.wrapup, l.ended, l.outcome, l.agent, l.transferredTo, l.csat);
				for (const r of this.#agents) this.#insertAgentState.run(r);
				for (const p of this.#profiles.values()) this.#insertProfile.run(p);
				for (const r of this.#agentTime) this.#insertAgentTime.run(r);
			})();
		} catch (e) {
			this.stats.failedFlushes++;
			throw e;
		}
		this.#counts = [];
		this.#bulkCounts.clear();
		this.#legs.clear();
		this.#agents = [];
		this.#profiles.clear();
		this.#agentTime = [];
		for (const d of this.#days.values()) this.datesWritten.add(d.date);
		this.#days.clear();
		this.#lastDay = null;
		this.stats.rows += n;
		return n;
	}

	/** Forgets every buffered row (a bulk import that failed half-way is retried from its start). */
	discard(): void {
		this.#counts = [];
		this.#bulkCounts.clear();
		this.#legs.clear();
		this.#agents = [];
		this.#profiles.clear();
		this.#bulkAgentRows.clear();
		this.#agentTime = [];
		this.#days.clear();
		this.#lastDay = null;
	}

	/** End of the day starting at `dayStart`, remembered: date-fns-tz takes ~0.1 ms a call, 5% of the server's CPU at one call per live flush (bench:server). */
	#dayEnd(dayStart: number, desc: FloorDescription): number {
		const key = `${dayStart}|${desc.timeZone}|${desc.resetTime}`;
		let end = this.#dayEnds.get(key);
		if (end === undefined) {
			if (this.#dayEnds.size > 1000) this.#dayEnds.clear();
			end = dayStartOf(dayStart + 26 * 3600_000, desc.timeZone, desc.resetTime);
			this.#dayEnds.set(key, end);
		}
		return end;
	}

	#day(source: HistorySource, dayStart: number, ts: number): DayInfo | null {
		// Almost every change is of the same day and source as the one before it.
		const last = this.#lastDay;
		if (last && last.source === source && last.dayStart === dayStart) {
			if (ts > last.clock) last.clock = ts;
			return last;
		}
		let date = this.#dateOf.get(dayStart);
		if (date === undefined) {
			if (this.#dateOf.size > 1000) this.#dateOf.clear();
			date = dayKey(dayStart, this.describe().timeZone);
			this.#dateOf.set(dayStart, date);
		}
		if (this.onlyDates && !this.onlyDates.has(date)) return null;
		const key = `${source}|${date}`;
		let d = this.#days.get(key);
		if (!d) {
			d = { source, date, dayStart, clock: ts, agentStates: false, acw: false, csat: false };
			this.#days.set(key, d);
		} else if (ts > d.clock) d.clock = ts;
		this.#lastDay = d;
		return d;
	}
}
