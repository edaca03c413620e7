import { CHANNELS, DEFAULT_CAPACITY, EXCLUSIVE_CHANNELS, type Channel } from './channels';
import type { AgentPresence, EventOf, FloorEvent } from './events';
import {
	countAbandoned,
	countAnswered,
	countCsat,
	countHandled,
	countOffered,
	countTransferred,
	emptyCounts,
	type KpiCounts
} from './kpi';
import { MinuteRing, minuteOf } from './rolling';
import { resolveSl, type SlSettings } from './service-level';
import { dayStart as dayStartOf, intervalStart } from './time';
import type { AgentActivity } from './agent-activity';
import type { HistoryContactOutcome } from './history';

/**
 * The floor reducer: the one place where events become floor state and KPI counts, used by the
 * live server, by replays and (through the same events) by the simulator's emulator.
 *
 * Duplicate event ids are dropped. An event that is impossible for the contact's current state
 * (answered twice, ended before answered, abandoned after answer) is not applied and is counted as
 * an anomaly, so the floor is never corrupted by a bad producer. Agent-side oddities a real ACD
 * produces (an offline agent answering, an agent never profiled) are applied leniently: the agent
 * is created or logged in, because the contact really was answered.
 */

/** A queue as configured. */
export interface QueueConfig {
	readonly id: string;
	readonly name: string;
	readonly channel: Channel;
	readonly sl: SlSettings;
}

/** How the floor keeps time and which queues it knows up front (others are added as events name them). */
export interface FloorConfig {
	/** IANA time zone of the center. */
	readonly timeZone: string;
	/** Daily reset time, "HH:MM" local. */
	readonly resetTime: string;
	readonly intervalMs: number;
	readonly rollingMs: number;
	readonly queues: readonly QueueConfig[];
}

/** Defaults: UTC day from midnight, 15-minute intervals, 30-minute rolling window. */
export const DEFAULT_FLOOR_CONFIG: FloorConfig = {
	timeZone: 'UTC',
	resetTime: '00:00',
	intervalMs: 15 * 60_000,
	rollingMs: 30 * 60_000,
	queues: []
};

/**
 * Limits that keep a careless or hostile producer from growing the floor without bound
 * (issue #9). Every id a day may create costs memory and tick time until the process restarts.
 */
export interface FloorLimits {
	/** New queue ids (not configured ones) that events may create per day. */
	readonly newQueuesPerDay: number;
	/** New agent ids that events may create per day. */
	readonly newAgentsPerDay: number;
	/** A contact still open this long after it was first offered is dropped and counted as an anomaly (ms). */
	readonly maxContactAgeMs: number;
	/** Contacts expired per advance() at most, so one tick stays short however many are due. */
	readonly expirePerTick: number;
}

/** Generous defaults: a 2,000-seat center creates a few hundred ids a day; email may stay open for days. */
export const DEFAULT_FLOOR_LIMITS: FloorLimits = {
	newQueuesPerDay: 1000,
	newAgentsPerDay: 10_000,
	maxContactAgeMs: 7 * 24 * 3600_000,
	expirePerTick: 10_000
};

/** How a floor is run, beside its config. */
export interface FloorOptions {
	/**
	 * Whether event times may start a new day. True for replays, imports and tests that play past
	 * days on their own clocks; false for the live floor, whose day rolls only when advance() is
	 * given the wall clock, so one event stamped hours ahead cannot wipe "today" (issue #9).
	 */
	readonly rollDayOnEventTime?: boolean;
	readonly limits?: Partial<FloorLimits>;
	/** Told what each applied event closed or changed, for history (see FloorObserver). */
	readonly observer?: FloorObserver | null;
	/**
	 * The caller vouches that no event id repeats (a backfill plays the simulator's generated ids),
	 * so apply() skips the duplicate check and keeps no id set: that Set was 0.47 s of a 28-day
	 * backfill's ~6 s (bench:history). An id given twice is then applied twice: never set it for
	 * events from outside.
	 */
	readonly uniqueIds?: boolean;
}

/**
 * What an applied event did that history keeps. The Floor calls these synchronously inside
 * apply()/advance(); history is a projection of these calls and never reads events itself.
 * Objects passed in are fresh (counts) or live floor state (agents): copy what you keep.
 */
export interface FloorObserver {
	/** KPI counts the event added to a queue, attributed to the interval the contact was offered in (also for a day already past). */
	counts(change: CountsChange): void;
	/** A contact's stay in one queue after the event: offered, left the queue, wrapped up, ended. */
	leg(change: LegChange): void;
	/** An agent after the event (presence, activity, slots, profile), or at the start of a new day (`cause` 'day'). */
	agent(change: AgentChange): void;
}

/** A change of one queue's counts. */
export interface CountsChange {
	/** Id of the event; with `part`, the change's identity (a transfer changes two queues). */
	readonly event: string;
	readonly part: number;
	readonly queue: string;
	readonly channel: Channel;
	/** Start of the day and of the interval the contact was offered in. */
	readonly dayStart: number;
	readonly start: number;
	/** The agent whose handling finished, for `handled` counts; else null. */
	readonly agent: string | null;
	/** Only what this event added (a fresh object). */
	readonly delta: KpiCounts;
}

/** One stay of a contact in one queue, as it stands after an event. */
export interface LegChange {
	readonly event: string;
	/** Id of the event that offered the contact to this queue: the stay's identity. */
	readonly leg: string;
	readonly dayStart: number;
	readonly contact: string;
	readonly queue: string;
	readonly channel: Channel;
	readonly priority: number;
	readonly offered: number;
	/** When it left the queue (answered, abandoned or transferred while waiting), else null. */
	readonly left: number | null;
	readonly answered: number | null;
	readonly wrapup: number | null;
	/** End of handling (ended, or transferred on by the agent), else null. */
	readonly ended: number | null;
	readonly outcome: HistoryContactOutcome;
	readonly agent: string | null;
	readonly transferredTo: string | null;
	readonly csat: number | null;
}

/** An agent after an event. */
export interface AgentChange {
	/** Id of the event, `day:<dayStart>:<agent>` for the state carried into a new day, `expired:<leg>` for an expiry. */
	readonly event: string;
	readonly ts: number;
	/** The floor's day at `ts`. */
	readonly dayStart: number;
	readonly cause: 'state' | 'profile' | 'contact' | 'day';
	/** Live state: read it now, do not keep it. */
	readonly agent: AgentState;
	/** Slot-seconds per second the agent accrues now: in use and offered (both 0 when not taking work). */
	readonly busySlots: number;
	readonly offeredSlots: number;
}

/** What applying one event did. */
export type ApplyOutcome =
	| { readonly kind: 'applied' }
	| { readonly kind: 'duplicate' }
	| { readonly kind: 'anomaly'; readonly reason: string };

const APPLIED: ApplyOutcome = Object.freeze({ kind: 'applied' });
const DUPLICATE: ApplyOutcome = Object.freeze({ kind: 'duplicate' });
const anomaly = (reason: string): ApplyOutcome => ({ kind: 'anomaly', reason });

/** Agent time ledger slots: busy, idle, busy slot time, offered slot time (seconds). */
export const BUSY = 0;
export const IDLE = 1;
export const BUSY_SLOTS = 2;
export const OFFERED_SLOTS = 3;

/** How far back interval counts are kept, so trend charts span the last day whatever the reset time. */
const INTERVAL_HISTORY_MS = 24 * 3600_000;

/** A contact the floor is tracking (waiting, being handled, or in wrap-up). */
interface ContactState {
	readonly id: string;
	readonly channel: Channel;
	queue: string;
	priority: number;
	phase: 'waiting' | 'active' | 'wrapup';
	/** When the contact entered its current queue (wait is measured from here). */
	queuedAt: number;
	agent: string | null;
	answeredAt: number;
	/** Id of the event that offered the current stay, when it was first offered (for expiry), and history details. */
	leg: string;
	readonly createdAt: number;
	wrapupAt: number;
	csat: number | null;
}

/** Live state and counts of one queue. Read by board projection; changed only by the Floor. */
export class QueueState {
	/** Waiting contacts: id → queued at (epoch ms). */
	readonly waiting = new Map<string, number>();
	/** Counts of contacts offered today (the running sum of today's intervals). */
	today: KpiCounts = emptyCounts();
	/** Counts per interval start (epoch ms), for the last day. */
	readonly intervals = new Map<number, KpiCounts>();
	/** Most contacts waiting at once, per interval start. */
	readonly waitingMax = new Map<number, number>();
	minutes: MinuteRing<KpiCounts>;
	/** Bumped on every change, so projections re-read only what changed. */
	version = 0;

	constructor(
		public config: QueueConfig,
		rollingMinutes: number
	) {
		this.minutes = new MinuteRing(rollingMinutes, emptyCounts, resetCounts);
	}

	/** Queued-at of the oldest waiting contact, or null. */
	oldestSince(): number | null {
		let oldest: number | null = null;
		for (const t of this.waiting.values()) if (oldest === null || t < oldest) oldest = t;
		return oldest;
	}
}

/** Live state of one agent. Read by board projection; changed only by the Floor. */
export class AgentState {
	name: string;
	team = '';
	skills: Readonly<Record<string, number>> = {};
	/** Capacity per channel, CHANNELS order. */
	capacity: number[] = CHANNELS.map((c) => DEFAULT_CAPACITY[c]);
	presence: AgentPresence = 'offline';
	reason: string | null = null;
	/** Contacts held (active or in wrap-up). */
	readonly contacts = new Set<string>();
	/** Slots in use per channel (a contact in wrap-up still holds its slot), CHANNELS order. */
	readonly slots: number[] = CHANNELS.map(() => 0);
	/** Of the contacts held, how many are in wrap-up. */
	wrapups = 0;
	activity: AgentActivity = 'offline';
	/** When `activity` began. */
	since: number;
	/** Time is accrued into the ledgers up to here. */
	accruedTo: number;
	/** Today's ledger: busy, idle, busy slot, offered slot seconds. */
	today = new Float64Array(4);
	minutes: MinuteRing<Float64Array>;
	/** Channels the agent serves (has a skill on a queue of), for slot accounting. */
	channels: readonly Channel[] = [];
	version = 0;

	constructor(
		readonly id: string,
		now: number,
		rollingMinutes: number
	) {
		this.name = id;
		this.since = now;
		this.accruedTo = now;
		this.minutes = new MinuteRing<Float64Array>(rollingMinutes, () => new Float64Array(4), (b) => b.fill(0));
	}

	/** True when the agent can take a new contact on `channel` now. */
	canTake(channel: Channel): boolean {
		if (this.presence !== 'available') return false;
		if (EXCLUSIVE_CHANNELS.has(channel)) return this.contacts.size === 0;
		for (const i of EXCLUSIVE_INDEXES) if (this.slots[i]! > 0) return false;
		const ci = CHANNELS.indexOf(channel);
		return this.slots[ci]! < this.capacity[ci]!;
	}
}

const EXCLUSIVE_INDEXES: readonly number[] = CHANNELS.flatMap((c, i) => (EXCLUSIVE_CHANNELS.has(c) ? [i] : []));

function resetCounts(c: KpiCounts): void {
	Object.assign(c, emptyCounts());
}

/** The live floor: queues, agents, contacts in flight and today's KPI counts. */
export class Floor {
	#config: FloorConfig;
	readonly queues = new Map<string, QueueState>();
	readonly agents = new Map<string, AgentState>();
	readonly #contacts = new Map<string, ContactState>();
	/** Event ids seen today and the previous day: enough to drop retries without growing for ever. */
	#seen = new Set<string>();
	#seenBefore = new Set<string>();
	#clock: number;
	#dayStart: number;
	#nextDayStart: number;
	/** Contacts waiting on all queues now, and its max per interval. */
	#waitingTotal = 0;
	readonly waitingMaxTotal = new Map<number, number>();
	/** Bumped on every change of anything. */
	version = 0;
	/** The floor clock when an event was last applied (null before any): how fresh a wall's data is. */
	lastEventAt: number | null = null;
	/** Clock of the last accrual of every agent: advance() does it at most once a second. */
	#accruedAll = -Infinity;
	readonly stats = { applied: 0, duplicates: 0, anomalies: 0 };
	/** Anomalies by reason, for diagnosis. */
	readonly anomalyReasons = new Map<string, number>();
	readonly limits: FloorLimits;
	readonly #rollOnEvents: boolean;
	readonly #uniqueIds: boolean;
	#observer: FloorObserver | null;
	/** Ids created by events today, against the limits. */
	#newQueues = 0;
	#newAgents = 0;
	/** Day starts of recent past/future days, so attributing a late outcome costs no time-zone math. */
	readonly #dayStarts = new Map<number, number>();
	#rollingSpan: number;

	constructor(config: FloorConfig, now: number, options: FloorOptions = {}) {
		this.#config = config;
		this.#clock = now;
		this.#rollOnEvents = options.rollDayOnEventTime ?? true;
		this.#uniqueIds = options.uniqueIds ?? false;
		this.#observer = options.observer ?? null;
		this.limits = { ...DEFAULT_FLOOR_LIMITS, ...options.limits };
		this.#dayStart = dayStartOf(now, config.timeZone, config.resetTime);
		this.#nextDayStart = dayStartOf(this.#dayStart + 26 * 3600_000, config.timeZone, config.resetTime);
		this.#rollingSpan = this.#rollingMinutes;
		for (const q of config.queues) this.queues.set(q.id, new QueueState(q, this.#rollingSpan));
	}

	/** Sets (or clears) the observer told what each event changed (history). */
	observe(observer: FloorObserver | null): void {
		this.#observer = observer;
	}

	get config(): FloorConfig {
		return this.#config;
	}
	/** The floor's clock: the latest of the wall clock given to advance() and the event times applied. */
	get clock(): number {
		return this.#clock;
	}
	/** Epoch ms at which the center's current day began. */
	get dayStart(): number {
		return this.#dayStart;
	}
	/** Epoch ms at which the next day begins. */
	get nextDayStart(): number {
		return this.#nextDayStart;
	}
	get waitingTotal(): number {
		return this.#waitingTotal;
	}
	/** Number of contacts in flight (waiting, active or in wrap-up). */
	get contactsInFlight(): number {
		return this.#contacts.size;
	}

	/** Where a contact in flight is (null when unknown or ended): lets ingest hold an event that arrived before its predecessor. */
	contactPhase(id: string): 'waiting' | 'active' | 'wrapup' | null {
		return this.#contacts.get(id)?.phase ?? null;
	}

	get #rollingMinutes(): number {
		return Math.max(1, Math.ceil(this.#config.rollingMs / 60_000));
	}

	/**
	 * Applies new settings: queue names and SL settings apply at once, and so does a new rolling
	 * window (every queue's and agent's minute ring is resized, keeping the minutes both spans
	 * hold); time zone, reset time and interval length from the next day.
	 */
	configure(config: FloorConfig): void {
		this.#config = config;
		const span = this.#rollingMinutes;
		if (span !== this.#rollingSpan) {
			this.#rollingSpan = span;
			const now = minuteOf(this.#clock);
			for (const q of this.queues.values()) {
				q.minutes = q.minutes.resized(span, now);
				q.version++;
			}
			for (const a of this.agents.values()) {
				a.minutes = a.minutes.resized(span, now);
				a.version++;
			}
		}
		for (const q of config.queues) {
			const state = this.queues.get(q.id);
			if (state) {
				state.config = q;
				state.version++;
			} else this.queues.set(q.id, new QueueState(q, span));
		}
		for (const a of this.agents.values()) this.#refreshAgentChannels(a);
		this.version++;
	}

	/**
	 * Whether applying `events` would create more new queue or agent ids than today's limits allow.
	 * Ingest calls this before acknowledging a batch, so it can answer 400 naming the first event
	 * past the limit; events that arrive otherwise past the limit are anomalies.
	 */
	checkIdLimits(events: readonly FloorEvent[]): { readonly index: number; readonly path: string; readonly message: string } | null {
		const queues = new Set<string>();
		const agents = new Set<string>();
		for (let i = 0; i < events.length; i++) {
			const e = events[i]!;
			const q = e.type === 'contact.queued' ? e.queue : e.type === 'contact.transferred' ? e.toQueue : null;
			if (q !== null && !this.queues.has(q) && !queues.has(q)) {
				queues.add(q);
				if (this.#newQueues + queues.size > this.limits.newQueuesPerDay)
					return { index: i, path: e.type === 'contact.queued' ? '/queue' : '/toQueue', message: `more than ${this.limits.newQueuesPerDay} new queue ids today; configure the queues or raise the limit` };
			}
			const a = 'agent' in e ? e.agent : null;
			if (a !== null && !this.agents.has(a) && !agents.has(a)) {
				agents.add(a);
				if (this.#newAgents + agents.size > this.limits.newAgentsPerDay)
					return { index: i, path: '/agent', message: `more than ${this.limits.newAgentsPerDay} new agent ids today; raise the limit if the center is this large` };
			}
		}
		return null;
	}

	/** Contacts still open whose current stay was offered in `[from, to)`: a past day that can still change. */
	openContactsOfferedIn(from: number, to: number): number {
		let n = 0;
		for (const c of this.#contacts.values()) if (c.queuedAt >= from && c.queuedAt < to) n++;
		return n;
	}

	/** Moves the clock to `now` (the wall clock, or a playback source's): day rollover, agent time accrual, expiry, old intervals dropped. */
	advance(now: number): void {
		if (now > this.#clock) this.#clock = now;
		// The wall clock rolls the day even when an event stamped ahead already moved the clock past the reset.
		if (now >= this.#nextDayStart) this.#rollDay(now);
		// Agent time only feeds occupancy, shown to the second; accruing 1,000 agents every 50 ms tick would be waste.
		if (this.#clock - this.#accruedAll < 1000) return;
		this.#accruedAll = this.#clock;
		this.#expire();
		for (const a of this.agents.values()) this.#accrue(a, this.#clock);
		const oldest = this.#clock - INTERVAL_HISTORY_MS;
		for (const q of this.queues.values()) {
			for (const start of q.intervals.keys()) if (start < oldest) q.intervals.delete(start);
			for (const start of q.waitingMax.keys()) if (start < oldest) q.waitingMax.delete(start);
		}
		for (const start of this.waitingMaxTotal.keys()) if (start < oldest) this.waitingMaxTotal.delete(start);
	}

	/** Moves the clock forward only; agent time is accrued lazily (per agent event, and in advance()). */
	#moveClock(now: number): void {
		this.#clock = now;
		if (now >= this.#nextDayStart && this.#rollOnEvents) this.#rollDay(now);
	}

	/** Drops contacts open longer than the age limit, oldest first, at most `expirePerTick` per call. */
	#expire(): void {
		const cutoff = this.#clock - this.limits.maxContactAgeMs;
		let budget = this.limits.expirePerTick;
		// The map keeps insertion order, which is creation order: the oldest contacts come first.
		for (const c of this.#contacts.values()) {
			if (c.createdAt >= cutoff || budget-- <= 0) break;
			if (c.phase === 'waiting') this.#dequeue(c);
			else this.#release(c, this.#clock, null);
			this.#contacts.delete(c.id);
			this.stats.anomalies++;
			const reason = 'contact expired: open longer than the age limit';
			this.anomalyReasons.set(reason, (this.anomalyReasons.get(reason) ?? 0) + 1);
			this.version++;
		}
	}

	/** Applies one schema-valid event. Never throws for a valid event. */
	apply(e: FloorEvent): ApplyOutcome {
		const unique = this.#uniqueIds;
		if (!unique && (this.#seen.has(e.id) || this.#seenBefore.has(e.id))) {
			this.stats.duplicates++;
			return DUPLICATE;
		}
		if (e.ts > this.#clock) this.#moveClock(e.ts);
		const outcome = this.#dispatch(e);
		if (outcome.kind === 'applied') {
			if (!unique) this.#seen.add(e.id);
			this.stats.applied++;
			this.version++;
			this.lastEventAt = this.#clock;
		} else if (outcome.kind === 'anomaly') {
			this.stats.anomalies++;
			this.anomalyReasons.set(outcome.reason, (this.anomalyReasons.get(outcome.reason) ?? 0) + 1);
		}
		return outcome;
	}

	#dispatch(e: FloorEvent): ApplyOutcome {
		const limit = this.#overLimit(e);
		if (limit) return anomaly(limit);
		switch (e.type) {
			case 'contact.queued':
				return this.#queued(e);
			case 'contact.answered':
				return this.#answered(e);
			case 'contact.abandoned':
				return this.#abandoned(e);
			case 'contact.transferred':
				return this.#transferred(e);
			case 'contact.wrapup':
				return this.#wrapup(e);
			case 'contact.ended':
				return this.#ended(e);
			case 'agent.state':
				return this.#agentState(e);
			case 'agent.profile':
				return this.#agentProfile(e);
		}
	}

	/** The reason an event is refused because it would create an id past today's limits, or null. */
	#overLimit(e: FloorEvent): string | null {
		const q = e.type === 'contact.queued' ? e.queue : e.type === 'contact.transferred' ? e.toQueue : null;
		if (q !== null && this.#newQueues >= this.limits.newQueuesPerDay && !this.queues.has(q)) return 'new queue id past the daily limit';
		if ('agent' in e && this.#newAgents >= this.limits.newAgentsPerDay && !this.agents.has(e.agent)) return 'new agent id past the daily limit';
		return null;
	}

	#queued(e: EventOf<'contact.queued'>): ApplyOutcome {
		const existing = this.#contacts.get(e.contact);
		if (existing) {
			// After a transfer the producer may also send the queued event for the new queue: already done.
			if (existing.phase === 'waiting' && existing.queue === e.queue) return APPLIED;
			return anomaly(`contact.queued for a contact already ${existing.phase === 'waiting' ? 'waiting in another queue' : 'being handled'}`);
		}
		const c: ContactState = {
			id: e.contact,
			channel: e.channel,
			queue: e.queue,
			priority: e.priority ?? 0,
			phase: 'waiting',
			queuedAt: e.ts,
			agent: null,
			answeredAt: 0,
			leg: e.id,
			// Age is measured on the floor's clock, so traffic of a past day sent late is not expired at once.
			createdAt: this.#clock,
			wrapupAt: 0,
			csat: null
		};
		this.#contacts.set(c.id, c);
		this.#enqueue(c, this.#queue(e.queue, e.channel), e.ts, e.id, 0);
		if (this.#observer) this.#reportLeg(c, e.id, 'open', null, null, null);
		return APPLIED;
	}

	#answered(e: EventOf<'contact.answered'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.answered for an unknown contact');
		if (c.phase !== 'waiting') return anomaly('contact.answered for a contact already answered');
		if (c.queue !== e.queue) return anomaly('contact.answered names a queue the contact is not waiting in');
		const q = this.#dequeue(c);
		const wait = Math.max(0, e.ts - c.queuedAt) / 1000;
		this.#countAt(q, c.queuedAt, (k) => countAnswered(k, wait, q.config.sl), e.id, 0, null);
		c.phase = 'active';
		c.agent = e.agent;
		c.answeredAt = e.ts;
		const a = this.#agent(e.agent, e.ts);
		this.#accrue(a, e.ts);
		if (a.presence === 'offline') a.presence = 'available';
		a.contacts.add(c.id);
		a.slots[CHANNELS.indexOf(c.channel)]!++;
		this.#refreshActivity(a, e.ts);
		if (this.#observer) {
			this.#reportLeg(c, e.id, 'open', e.ts, null, null);
			this.#reportAgent(a, e.id, e.ts, 'contact');
		}
		return APPLIED;
	}

	#abandoned(e: EventOf<'contact.abandoned'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.abandoned for an unknown contact');
		if (c.phase !== 'waiting') return anomaly('contact.abandoned after it was answered');
		if (c.queue !== e.queue) return anomaly('contact.abandoned names a queue the contact is not waiting in');
		const q = this.#dequeue(c);
		const wait = Math.max(0, e.ts - c.queuedAt) / 1000;
		this.#countAt(q, c.queuedAt, (k) => countAbandoned(k, wait, q.config.sl), e.id, 0, null);
		this.#contacts.delete(c.id);
		if (this.#observer) this.#reportLeg(c, e.id, 'abandoned', e.ts, null, null);
		return APPLIED;
	}

	#transferred(e: EventOf<'contact.transferred'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.transferred for an unknown contact');
		if (c.queue !== e.fromQueue) return anomaly('contact.transferred from a queue the contact is not in');
		if (c.phase === 'waiting') {
			const q = this.#dequeue(c);
			const wait = Math.max(0, e.ts - c.queuedAt) / 1000;
			this.#countAt(q, c.queuedAt, (k) => countTransferred(k, wait), e.id, 0, null);
			if (this.#observer) this.#reportLeg(c, e.id, 'transferred', e.ts, null, e.toQueue);
		} else {
			// An agent transferred it: that handling is over (counted for the queue that answered it).
			if (this.#observer) this.#reportLeg(c, e.id, 'transferred', c.answeredAt, e.ts, e.toQueue);
			this.#release(c, e.ts, e.id);
		}
		c.queue = e.toQueue;
		c.phase = 'waiting';
		c.agent = null;
		c.queuedAt = e.ts;
		c.answeredAt = 0;
		c.wrapupAt = 0;
		c.leg = e.id;
		this.#enqueue(c, this.#queue(e.toQueue, c.channel), e.ts, e.id, 1);
		if (this.#observer) this.#reportLeg(c, e.id, 'open', null, null, null);
		return APPLIED;
	}

	#wrapup(e: EventOf<'contact.wrapup'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.wrapup for an unknown contact');
		if (c.phase !== 'active') return anomaly(c.phase === 'waiting' ? 'contact.wrapup before it was answered' : 'contact.wrapup twice');
		if (c.agent !== e.agent) return anomaly('contact.wrapup by an agent who does not hold the contact');
		const a = this.#agent(e.agent, e.ts);
		this.#accrue(a, e.ts);
		c.phase = 'wrapup';
		c.wrapupAt = e.ts;
		a.wrapups++;
		this.#refreshActivity(a, e.ts);
		if (this.#observer) {
			this.#reportLeg(c, e.id, 'open', c.answeredAt, null, null);
			this.#reportAgent(a, e.id, e.ts, 'contact');
		}
		return APPLIED;
	}

	#ended(e: EventOf<'contact.ended'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.ended for an unknown contact');
		if (c.phase === 'waiting') return anomaly('contact.ended before it was answered');
		if (c.agent !== e.agent) return anomaly('contact.ended by an agent who does not hold the contact');
		const q = this.#queueOf(c);
		const answeredAt = c.answeredAt;
		if (this.#observer) {
			c.csat = e.csat ?? null;
			this.#reportLeg(c, e.id, 'handled', answeredAt, e.ts, null);
		}
		this.#release(c, e.ts, e.id);
		this.#countAt(
			q,
			c.queuedAt,
			(k) => {
				countHandled(k, Math.max(0, e.ts - answeredAt) / 1000);
				if (e.csat !== undefined) countCsat(k, e.csat);
			},
			e.id,
			0,
			e.agent
		);
		this.#contacts.delete(c.id);
		return APPLIED;
	}

	#agentState(e: EventOf<'agent.state'>): ApplyOutcome {
		const a = this.#agent(e.agent, e.ts);
		this.#accrue(a, e.ts);
		a.presence = e.state;
		a.reason = e.state === 'not-ready' ? (e.reason ?? null) : null;
		a.version++;
		this.#refreshActivity(a, e.ts);
		if (this.#observer) this.#reportAgent(a, e.id, e.ts, 'state');
		return APPLIED;
	}

	#agentProfile(e: EventOf<'agent.profile'>): ApplyOutcome {
		const a = this.#agent(e.agent, e.ts);
		this.#accrue(a, e.ts);
		a.name = e.name;
		a.team = e.team;
		a.skills = { ...e.skills };
		a.capacity = CHANNELS.map((c) => e.capacity[c] ?? DEFAULT_CAPACITY[c]);
		this.#refreshAgentChannels(a);
		a.version++;
		for (const qid of Object.keys(e.skills)) {
			const q = this.queues.get(qid);
			if (q) q.version++;
		}
		if (this.#observer) this.#reportAgent(a, e.id, e.ts, 'profile');
		return APPLIED;
	}

	/** Frees the agent slot a contact holds; `event` (null: expiry) names the change for history. */
	#release(c: ContactState, ts: number, event: string | null): void {
		if (!c.agent) return;
		const a = this.#agent(c.agent, ts);
		this.#accrue(a, ts);
		if (c.phase === 'wrapup') a.wrapups--;
		a.contacts.delete(c.id);
		a.slots[CHANNELS.indexOf(c.channel)]!--;
		this.#refreshActivity(a, ts);
		if (this.#observer) this.#reportAgent(a, event ?? `expired:${c.leg}`, ts, 'contact');
	}

	#enqueue(c: ContactState, q: QueueState, ts: number, event: string, part: number): void {
		q.waiting.set(c.id, ts);
		q.version++;
		this.#waitingTotal++;
		this.#countAt(q, ts, countOffered, event, part, null);
		const interval = intervalStart(this.#clock, this.#dayStart, this.#config.intervalMs);
		if ((q.waitingMax.get(interval) ?? 0) < q.waiting.size) q.waitingMax.set(interval, q.waiting.size);
		if ((this.waitingMaxTotal.get(interval) ?? 0) < this.#waitingTotal) this.waitingMaxTotal.set(interval, this.#waitingTotal);
	}

	#dequeue(c: ContactState): QueueState {
		const q = this.#queueOf(c);
		q.waiting.delete(c.id);
		q.version++;
		this.#waitingTotal--;
		return q;
	}

	/** The queue a tracked contact is in: it always exists, since a contact is only tracked once its queue is created. */
	#queueOf(c: ContactState): QueueState {
		const q = this.queues.get(c.queue);
		if (!q) throw new Error(`floor invariant broken: contact ${c.id} is in unknown queue ${c.queue}`);
		return q;
	}

	/**
	 * Applies a count change to the contact's offered interval, today's total and the rolling
	 * window: the forecasting convention attributes a contact to the interval it was offered in.
	 * An outcome of a contact offered on another day (an email answered after the reset) updates
	 * that day's interval, kept for a day, but not today's total; the observer gets it whatever its day.
	 */
	#countAt(q: QueueState, offeredAt: number, fn: (k: KpiCounts) => void, event: string, part: number, agent: string | null): void {
		const day = this.#dayOf(offeredAt);
		const start = intervalStart(offeredAt, day, this.#config.intervalMs);
		if (day === this.#dayStart || offeredAt >= this.#clock - INTERVAL_HISTORY_MS) {
			let k = q.intervals.get(start);
			if (!k) q.intervals.set(start, (k = emptyCounts()));
			fn(k);
			if (day === this.#dayStart) fn(q.today);
		}
		const bucket = q.minutes.at(minuteOf(offeredAt), minuteOf(this.#clock));
		if (bucket) fn(bucket);
		if (this.#observer) {
			const delta = emptyCounts();
			fn(delta);
			this.#observer.counts({ event, part, queue: q.config.id, channel: q.config.channel, dayStart: day, start, agent, delta });
		}
	}

	/** Start of the center's day holding `ts`: today's without time-zone math, others from a small cache. */
	#dayOf(ts: number): number {
		if (ts >= this.#dayStart && ts < this.#nextDayStart) return this.#dayStart;
		const minute = minuteOf(ts);
		let d = this.#dayStarts.get(minute);
		if (d === undefined) {
			if (this.#dayStarts.size > 4096) this.#dayStarts.clear();
			d = dayStartOf(ts, this.#config.timeZone, this.#config.resetTime);
			this.#dayStarts.set(minute, d);
		}
		return d;
	}

	#reportLeg(c: ContactState, event: string, outcome: HistoryContactOutcome, left: number | null, ended: number | null, transferredTo: string | null): void {
		this.#observer?.leg({
			event,
			leg: c.leg,
			dayStart: this.#dayOf(c.queuedAt),
			contact: c.id,
			queue: c.queue,
			channel: c.channel,
			priority: c.priority,
			offered: c.queuedAt,
			left,
			answered: c.answeredAt || null,
			wrapup: c.wrapupAt || null,
			ended,
			outcome,
			agent: c.agent,
			transferredTo,
			csat: c.csat
		});
	}

	#reportAgent(a: AgentState, event: string, ts: number, cause: AgentChange['cause']): void {
		if (!this.#observer) return;
		const busySlots = a.contacts.size > 0 || a.presence === 'available' ? slotsInUse(a) : 0;
		const offeredSlots = busySlots > 0 || a.presence === 'available' ? slotsOffered(a, busySlots) : 0;
		this.#observer.agent({ event, ts, dayStart: this.#dayOf(ts), cause, agent: a, busySlots, offeredSlots });
	}

	#queue(id: string, channel: Channel): QueueState {
		let q = this.queues.get(id);
		if (!q) {
			q = new QueueState({ id, name: id, channel, sl: resolveSl(channel) }, this.#rollingSpan);
			this.queues.set(id, q);
			this.#newQueues++;
			// An agent skilled for a queue configured only now may serve a new channel.
			for (const a of this.agents.values()) if (a.skills[id] !== undefined) this.#refreshAgentChannels(a);
		}
		return q;
	}

	#agent(id: string, ts: number): AgentState {
		let a = this.agents.get(id);
		if (!a) {
			a = new AgentState(id, ts, this.#rollingSpan);
			this.agents.set(id, a);
			this.#newAgents++;
		}
		return a;
	}

	#refreshAgentChannels(a: AgentState): void {
		const set = new Set<Channel>();
		for (const qid of Object.keys(a.skills)) {
			const q = this.queues.get(qid);
			if (q) set.add(q.config.channel);
		}
		a.channels = CHANNELS.filter((c) => set.has(c));
	}

	#refreshActivity(a: AgentState, ts: number): void {
		let activity: AgentActivity;
		if (a.contacts.size > a.wrapups) activity = 'on-contact';
		else if (a.wrapups > 0) activity = 'wrap-up';
		else if (a.presence === 'available') activity = 'available';
		else activity = a.presence;
		if (activity !== a.activity) {
			a.activity = activity;
			a.since = ts;
		}
		a.version++;
		for (const qid of Object.keys(a.skills)) {
			const q = this.queues.get(qid);
			if (q) q.version++;
		}
	}

	/** Adds the agent's time since its last accrual to its ledgers, split at minute boundaries. */
	#accrue(a: AgentState, to: number): void {
		let from = a.accruedTo;
		if (to <= from) return;
		a.accruedTo = to;
		const busy = a.contacts.size > 0;
		const idle = !busy && a.presence === 'available';
		// Slots are offered while the agent is taking work: available or busy, not not-ready or offline.
		if (!busy && !idle) return;
		const busySlots = slotsInUse(a);
		const offeredSlots = slotsOffered(a, busySlots);
		const nowMinute = minuteOf(this.#clock);
		if (from < this.#dayStart) from = Math.min(this.#dayStart, to);
		while (from < to) {
			const end = Math.min(to, (minuteOf(from) + 1) * 60_000);
			const s = (end - from) / 1000;
			if (from >= this.#dayStart) addLedger(a.today, busy ? s : 0, idle ? s : 0, busySlots * s, offeredSlots * s);
			const b = a.minutes.at(minuteOf(from), nowMinute);
			if (b) addLedger(b, busy ? s : 0, idle ? s : 0, busySlots * s, offeredSlots * s);
			from = end;
		}
	}

	/** Starts the day that holds `now`, in one step however many days passed (a quiet weekend, or a bad clock). */
	#rollDay(now: number): void {
		// Close the old day's agent time exactly at its end before the ledgers reset.
		const oldEnd = this.#nextDayStart;
		for (const a of this.agents.values()) this.#accrue(a, oldEnd);
		this.#dayStart = dayStartOf(now, this.#config.timeZone, this.#config.resetTime);
		this.#nextDayStart = dayStartOf(this.#dayStart + 26 * 3600_000, this.#config.timeZone, this.#config.resetTime);
		this.#dayStarts.clear();
		for (const q of this.queues.values()) {
			q.today = emptyCounts();
			q.version++;
		}
		for (const a of this.agents.values()) {
			a.today = new Float64Array(4);
			a.accruedTo = Math.max(a.accruedTo, this.#dayStart);
			a.version++;
			// History: each agent's state carried into the new day, so every day's agent rows stand alone.
			if (this.#observer) this.#reportAgent(a, `day:${this.#dayStart}:${a.id}`, this.#dayStart, 'day');
		}
		this.#seenBefore = this.#seen;
		this.#seen = new Set();
		this.#newQueues = 0;
		this.#newAgents = 0;
		this.version++;
	}
}

/** Slots an agent has in use, all channels. */
function slotsInUse(a: AgentState): number {
	let n = 0;
	for (let i = 0; i < CHANNELS.length; i++) n += a.slots[i] ?? 0;
	return n;
}

/** Slots an agent offers while taking work: capacity on the channels it serves, at least the slots in use. */
function slotsOffered(a: AgentState, busySlots: number): number {
	let n = 0;
	for (const c of a.channels) n += a.capacity[CHANNELS.indexOf(c)] ?? 0;
	// An agent busy on a channel nobody configured still offers at least the slots in use.
	return Math.max(n, busySlots);
}

function addLedger(l: Float64Array, busy: number, idle: number, busySlots: number, offeredSlots: number): void {
	l[BUSY]! += busy;
	l[IDLE]! += idle;
	l[BUSY_SLOTS]! += busySlots;
	l[OFFERED_SLOTS]! += offeredSlots;
}
