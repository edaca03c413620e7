import type Database from 'better-sqlite3';
import type { Channel } from '../../lib/domain/channels';
import type { AgentChange, CountsChange, FloorObserver, LegChange } from '../../lib/domain/floor';
import type { HistoryQueue, HistorySource } from '../../lib/domain/history';
import { capacityRecord } from '../../lib/domain/history-trace';
import { mergeCounts, type KpiCounts } from '../../lib/domain/kpi';
import { DEFAULT_SITE } from '../../lib/domain/sites';
import { dayKey, dayStart as dayStartOf } from '../../lib/domain/time';
import { agentTimes, encodeAgentTimes } from './agent-time';
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
	/** `source|date`, made once per day rather than per change. */
	readonly key: string;
	readonly source: HistorySource;
	readonly date: string;
	readonly dayStart: number;
	clock: number;
	agentStates: boolean;
	acw: boolean;
	csat: boolean;
	/** Latest change of each stay (by leg id) since the last flush. */
	readonly legs: Map<string, LegChange>;
	/** Bulk mode: counts summed per queue, agent ('' for none) and interval start, since the last flush. */
	readonly sums: Map<string, Map<string, Map<number, CountsRow>>>;
}

/** Bulk mode: a day's agent rows per agent, in the order the Floor reported them. */
interface BulkAgentRows {
	readonly source: HistorySource;
	readonly date: string;
	readonly dayStart: number;
	readonly byAgent: Map<string, AgentRow[]>;
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
	/** encodeAgentTimes' JSON (stores written before it: [{ start, ...AgentTime }] in interval order). */
	readonly intervals: string;
}

/** One day's h_days row as a flush writes it. */
interface DayRow {
	readonly source: HistorySource;
	readonly date: string;
	readonly timeZone: string;
	readonly dayStart: number;
	readonly dayEnd: number;
	readonly intervalMs: number;
	readonly queues: string;
	readonly status: 'open' | 'closing' | 'final';
	readonly clock: number;
	readonly agentStates: number;
	readonly acw: number;
	readonly csat: number;
}

/**
 * The rows of one flush, ready to write, as plain data (structured-clonable): what a backfill
 * worker thread hands the main thread, which writes them with HistoryRowWriter.
 */
export interface HistoryRows {
	readonly days: readonly DayRow[];
	/**
	 * h_counts and h_legs rows as the inserts' positional parameters: a worker thread posts a day's
	 * ~10,000 of them, and arrays of plain values clone and bind far cheaper than objects.
	 */
	readonly counts: readonly SqlValue[][];
	readonly legs: readonly SqlValue[][];
	readonly agents: readonly AgentRow[];
	readonly profiles: readonly ProfileRow[];
	readonly agentTime: readonly AgentTimeRow[];
}

type SqlValue = string | number | null;

/** Writes HistoryRows to a store's history tables (prepared once per writer). */
export class HistoryRowWriter {
	readonly #insertCounts: Database.Statement;
	readonly #insertLeg: Database.Statement;
	readonly #insertAgentState: Database.Statement;
	readonly #insertProfile: Database.Statement;
	readonly #upsertDay: Database.Statement;
	readonly #insertAgentTime: Database.Statement;

	constructor(
		private readonly db: Database.Database,
		/** `live` keeps rows already there; `bulk` adds counts to the interval's row. */
		mode: WriterMode,
		/** The site every row is written under (its first key column; DESIGN.md, "Sites"). */
		private readonly site: string = DEFAULT_SITE
	) {
		const cols = KPI_COLUMNS.map((k) => `"${k}"`).join(', ');
		const vals = KPI_COLUMNS.map(() => '?').join(', ');
		const conflict =
			mode === 'live'
				? 'ON CONFLICT DO NOTHING'
				: `ON CONFLICT DO UPDATE SET ${KPI_COLUMNS.map((k) => (k === 'longestWait' ? `"${k}" = max("${k}", excluded."${k}")` : `"${k}" = "${k}" + excluded."${k}"`)).join(', ')}`;
		this.#insertCounts = db.prepare(
			`INSERT INTO h_counts (site, source, date, event, part, queue, channel, start, agent, ${cols})
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ${vals}) ${conflict}`
		);
		// A stay's row is rewritten as it progresses; times only fill in and an outcome never reverts to open.
		this.#insertLeg = db.prepare(
			`INSERT INTO h_legs (site, source, date, leg, contact, queue, channel, priority, offered, left_at, answered, wrapup, ended, outcome, agent, transferred_to, csat)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT DO UPDATE SET
			   left_at = coalesce(excluded.left_at, left_at), answered = coalesce(excluded.answered, answered),
			   wrapup = coalesce(excluded.wrapup, wrapup), ended = coalesce(excluded.ended, ended),
			   outcome = CASE WHEN excluded.outcome = 'open' THEN outcome ELSE excluded.outcome END,
			   agent = coalesce(excluded.agent, agent), transferred_to = coalesce(excluded.transferred_to, transferred_to),
			   csat = coalesce(excluded.csat, csat)`
		);
		this.#insertAgentState = db.prepare(
			`INSERT OR IGNORE INTO h_agent_states (site, source, date, event, agent, ts, n, cause, activity, presence, reason, busy_slots, offered_slots)
			 VALUES (?, @source, @date, @event, @agent, @ts, @n, @cause, @activity, @presence, @reason, @busySlots, @offeredSlots)`
		);
		this.#insertProfile = db.prepare(
			`INSERT OR REPLACE INTO h_agents (site, source, date, agent, name, team, skills, capacity) VALUES (?, @source, @date, @agent, @name, @team, @skills, @capacity)`
		);
		this.#insertAgentTime = db.prepare(
			'INSERT OR REPLACE INTO h_agent_time (site, source, date, agent, intervals) VALUES (?, @source, @date, @agent, @intervals)'
		);
		this.#upsertDay = db.prepare(
			`INSERT INTO h_days (site, source, date, time_zone, day_start, day_end, interval_ms, queues, status, clock, rec_agent_states, rec_acw, rec_csat)
			 VALUES (?, @source, @date, @timeZone, @dayStart, @dayEnd, @intervalMs, @queues, @status, @clock, @agentStates, @acw, @csat)
			 ON CONFLICT DO UPDATE SET clock = max(clock, excluded.clock), queues = excluded.queues, summary = NULL, changed = 1,
			   rec_agent_states = max(rec_agent_states, excluded.rec_agent_states), rec_acw = max(rec_acw, excluded.rec_acw),
			   rec_csat = max(rec_csat, excluded.rec_csat)`
		);
	}

	/** Writes `rows` in one transaction: all of them or, when it throws, none. */
	write(rows: HistoryRows): void {
		const site = this.site;
		this.db.transaction(() => {
			for (const d of rows.days) this.#upsertDay.run(site, d);
			// Positional parameters: binding an object of ~25 named keys costs several times the insert itself.
			for (const r of rows.counts) this.#insertCounts.run(site, r);
			for (const r of rows.legs) this.#insertLeg.run(site, r);
			for (const r of rows.agents) this.#insertAgentState.run(site, r);
			for (const p of rows.profiles) this.#insertProfile.run(site, p);
			for (const r of rows.agentTime) this.#insertAgentTime.run(site, r);
		})();
	}
}

/** Profiles already written per day, kept at most this many (then forgotten and rewritten: harmless). */
const MAX_PROFILES_REMEMBERED = 100_000;

/** Buffers and writes the history rows of one source. */
export class HistoryWriter implements FloorObserver {
	#counts: CountsRow[] = [];
	/** Summed counts rows held by the days (bulk mode). */
	#sumRows = 0;
	#agents: AgentRow[] = [];
	readonly #profiles = new Map<string, ProfileRow>();
	/** Agents whose profile row was written, per `source|date` (kept across flushes). */
	readonly #profilesWritten = new Map<string, Set<string>>();
	#profilesRemembered = 0;
	/** Bulk mode: every agent row of each day, summed into agent time per interval by finish(). */
	readonly #bulkAgentRows = new Map<string, BulkAgentRows>();
	#agentTime: AgentTimeRow[] = [];
	readonly #days = new Map<string, DayInfo>();
	readonly #dateOf = new Map<number, string>();
	readonly #dayEnds = new Map<string, number>();
	/** The day of the last change (a shortcut for #day()); cleared with #days. */
	#lastDay: DayInfo | null = null;
	/** Source of the changes reported now (set while a batch is applied); null: this writer's own source. */
	#current: HistorySource | null = null;
	/**
	 * Source of each agent's last change, for changes no event caused (its state carried into a new
	 * day, a contact expired): the source that last moved the agent.
	 */
	readonly #agentSource = new Map<string, HistorySource>();
	/** Orders agent rows of equal time: later writers (a restart) sort after earlier ones. */
	#n = Date.now() * 1000;
	/** Writes the rows; made on the first flush (a writer without a database only collects, see take()). */
	#rowWriter: HistoryRowWriter | null = null;
	/** Dates that received rows from this writer. */
	readonly datesWritten = new Set<string>();
	/** Rows written so far, and flushes that failed (their rows were kept and retried). */
	readonly stats = { rows: 0, failedFlushes: 0 };

	constructor(
		/** Where flush() writes; null for a writer whose rows are taken with take() (a worker thread). */
		private readonly db: Database.Database | null,
		/** Source of changes not attributed otherwise (see attribute()). */
		readonly source: HistorySource,
		private readonly describe: () => FloorDescription,
		readonly mode: WriterMode = 'live',
		/** Dates rows may go to (an import writes only the days it replaced); null: any. */
		private readonly onlyDates: ReadonlySet<string> | null = null,
		/** The site of the floor it follows: every row is written under it. */
		readonly site: string = DEFAULT_SITE
	) {}

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
		let legs = 0;
		for (const d of this.#days.values()) legs += d.legs.size;
		return this.#counts.length + this.#sumRows + legs + this.#agents.length + this.#profiles.size + this.#agentTime.length;
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
			// By agent, then time; a stable sort, so rows of equal time keep the order the Floor reported them in.
			const rows: AgentRow[] = [];
			for (const agent of [...d.byAgent.keys()].sort(byCodeUnits)) for (const r of d.byAgent.get(agent)!.sort((a, b) => a.ts - b.ts)) rows.push(r);
			for (const [agent, perInterval] of agentTimes(rows, d.dayStart, dayEnd, desc.intervalMs))
				this.#agentTime.push({ source: d.source, date: d.date, agent, intervals: encodeAgentTimes(perInterval, desc.intervalMs) });
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
		// Nested maps of the ids the change carries: no key string per change (bench:history, backfill).
		let byAgent = day.sums.get(c.queue);
		if (!byAgent) day.sums.set(c.queue, (byAgent = new Map()));
		let byStart = byAgent.get(c.agent ?? '');
		if (!byStart) byAgent.set(c.agent ?? '', (byStart = new Map()));
		const row = byStart.get(c.start);
		if (row) mergeCounts(row.counts, c.delta);
		else {
			this.#sumRows++;
			byStart.set(c.start, {
				source: day.source,
				date: day.date,
				event: `sum:${c.start}:${c.queue}:${c.agent ?? ''}`,
				part: 0,
				queue: c.queue,
				channel: c.channel,
				start: c.start,
				agent: c.agent,
				// The Floor hands over a fresh delta (FloorObserver): it becomes the row's sum.
				counts: c.delta
			});
		}
	}

	leg(l: LegChange): void {
		const day = this.#day(this.#current ?? this.source, l.dayStart, l.ended ?? l.left ?? l.offered);
		if (!day) return;
		if (l.wrapup !== null) day.acw = true;
		// Later changes of the same stay carry everything earlier ones did: keep the last.
		day.legs.set(l.leg, l);
	}

	agent(a: AgentChange): void {
		const s = a.agent;
		// A change an event caused is that event's source: the attributed one (ingest), else this writer's own
		// (the emulator's playback). Only a change no event caused follows the agent's last source: an
		// ingested past day once left its agents marked `ingest`, and every later emulator move of them
		// went to an `ingest` day of today with no contacts, which the reports then preferred (404).
		const caused = a.cause !== 'day' && !a.event.startsWith('expired:');
		const source = this.#current ?? (caused ? this.source : (this.#agentSource.get(s.id) ?? this.source));
		if (this.#agentSource.get(s.id) !== source) this.#agentSource.set(s.id, source);
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
			let held = this.#bulkAgentRows.get(day.key);
			if (!held) this.#bulkAgentRows.set(day.key, (held = { source, date: day.date, dayStart: day.dayStart, byAgent: new Map() }));
			const rows = held.byAgent.get(s.id);
			if (rows) rows.push(row);
			else held.byAgent.set(s.id, [row]);
			if (a.cause !== 'contact') this.#agents.push(row);
		} else this.#agents.push(row);
		let written = this.#profilesWritten.get(day.key);
		if (a.cause === 'profile' || !written?.has(s.id)) {
			if (this.#profilesRemembered > MAX_PROFILES_REMEMBERED) {
				this.#profilesWritten.clear();
				this.#profilesRemembered = 0;
				written = undefined;
			}
			if (!written) this.#profilesWritten.set(day.key, (written = new Set()));
			if (!written.has(s.id)) {
				written.add(s.id);
				this.#profilesRemembered++;
			}
			this.#profiles.set(`${day.key}|${s.id}`, {
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
		if (!this.db) throw new Error('this history writer has no database: take() its rows');
		this.#rowWriter ??= new HistoryRowWriter(this.db, this.mode, this.site);
		try {
			this.#rowWriter.write(this.#rows());
		} catch (e) {
			this.stats.failedFlushes++;
			throw e;
		}
		this.#written(n);
		return n;
	}

	/** Hands over every buffered row instead of writing it (a worker thread's writer; the caller writes them). */
	take(): HistoryRows {
		const n = this.pending;
		const rows = this.#rows();
		this.#written(n);
		return rows;
	}

	/** The buffered rows, with each day's h_days row as it stands now. */
	#rows(): HistoryRows {
		const desc = this.describe();
		const queues = JSON.stringify(desc.queues);
		const days = [...this.#days.values()].map((d): DayRow => {
			const dayEnd = this.#dayEnd(d.dayStart, desc);
			return {
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
			};
		});
		const counts = this.#counts.map(countsParams);
		const legs: SqlValue[][] = [];
		for (const d of this.#days.values()) {
			for (const byAgent of d.sums.values()) for (const byStart of byAgent.values()) for (const r of byStart.values()) counts.push(countsParams(r));
			for (const l of d.legs.values())
				legs.push([d.source, d.date, l.leg, l.contact, l.queue, l.channel, l.priority, l.offered, l.left, l.answered, l.wrapup, l.ended, l.outcome, l.agent, l.transferredTo, l.csat]);
		}
		return { days, counts, legs, agents: this.#agents, profiles: [...this.#profiles.values()], agentTime: this.#agentTime };
	}

	/** Forgets the rows just written (or taken). */
	#written(n: number): void {
		this.#counts = [];
		this.#sumRows = 0;
		this.#agents = [];
		this.#profiles.clear();
		this.#agentTime = [];
		for (const d of this.#days.values()) this.datesWritten.add(d.date);
		this.#days.clear();
		this.#lastDay = null;
		this.stats.rows += n;
	}

	/** Forgets every buffered row (a bulk import that failed half-way is retried from its start). */
	discard(): void {
		this.#counts = [];
		this.#sumRows = 0;
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
			d = { key, source, date, dayStart, clock: ts, agentStates: false, acw: false, csat: false, legs: new Map(), sums: new Map() };
			this.#days.set(key, d);
		} else if (ts > d.clock) d.clock = ts;
		this.#lastDay = d;
		return d;
	}
}

/** The h_counts insert's parameters of a row. */
function countsParams(r: CountsRow): SqlValue[] {
	const p: SqlValue[] = [r.source, r.date, r.event, r.part, r.queue, r.channel, r.start, r.agent];
	for (const k of KPI_COLUMNS) p.push(r.counts[k]);
	return p;
}

/** Orders strings by UTF-16 code units, like `<` (localeCompare would not). */
function byCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

