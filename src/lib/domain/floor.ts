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
import type { AgentActivity } from './views';

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
	readonly minutes: MinuteRing<KpiCounts>;
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
	readonly minutes: MinuteRing<Float64Array>;
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

	constructor(config: FloorConfig, now: number) {
		this.#config = config;
		this.#clock = now;
		this.#dayStart = dayStartOf(now, config.timeZone, config.resetTime);
		this.#nextDayStart = dayStartOf(this.#dayStart + 26 * 3600_000, config.timeZone, config.resetTime);
		for (const q of config.queues) this.queues.set(q.id, new QueueState(q, this.#rollingMinutes));
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
	get waitingTotal(): number {
		return this.#waitingTotal;
	}
	/** Number of contacts in flight (waiting, active or in wrap-up). */
	get contactsInFlight(): number {
		return this.#contacts.size;
	}

	get #rollingMinutes(): number {
		return Math.max(1, Math.ceil(this.#config.rollingMs / 60_000));
	}

	/** Applies new settings: queue names and SL settings apply at once; clock settings from the next day. */
	configure(config: FloorConfig): void {
		this.#config = config;
		for (const q of config.queues) {
			const state = this.queues.get(q.id);
			if (state) {
				state.config = q;
				state.version++;
			} else this.queues.set(q.id, new QueueState(q, this.#rollingMinutes));
		}
		for (const a of this.agents.values()) this.#refreshAgentChannels(a);
		this.version++;
	}

	/** Moves the clock to `now`: day rollover, agent time accrual, old intervals dropped. */
	advance(now: number): void {
		if (now > this.#clock) this.#moveClock(now);
		// Agent time only feeds occupancy, shown to the second; accruing 1,000 agents every 50 ms tick would be waste.
		if (this.#clock - this.#accruedAll < 1000) return;
		this.#accruedAll = this.#clock;
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
		if (now >= this.#nextDayStart) this.#rollDay(now);
	}

	/** Applies one schema-valid event. Never throws for a valid event. */
	apply(e: FloorEvent): ApplyOutcome {
		if (this.#seen.has(e.id) || this.#seenBefore.has(e.id)) {
			this.stats.duplicates++;
			return DUPLICATE;
		}
		if (e.ts > this.#clock) this.#moveClock(e.ts);
		const outcome = this.#dispatch(e);
		if (outcome.kind === 'applied') {
			this.#seen.add(e.id);
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
			answeredAt: 0
		};
		this.#contacts.set(c.id, c);
		this.#enqueue(c, this.#queue(e.queue, e.channel), e.ts);
		return APPLIED;
	}

	#answered(e: EventOf<'contact.answered'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.answered for an unknown contact');
		if (c.phase !== 'waiting') return anomaly('contact.answered for a contact already answered');
		if (c.queue !== e.queue) return anomaly('contact.answered names a queue the contact is not waiting in');
		const q = this.#dequeue(c);
		const wait = Math.max(0, e.ts - c.queuedAt) / 1000;
		this.#countAt(q, c.queuedAt, (k) => countAnswered(k, wait, q.config.sl));
		c.phase = 'active';
		c.agent = e.agent;
		c.answeredAt = e.ts;
		const a = this.#agent(e.agent, e.ts);
		this.#accrue(a, e.ts);
		if (a.presence === 'offline') a.presence = 'available';
		a.contacts.add(c.id);
		a.slots[CHANNELS.indexOf(c.channel)]!++;
		this.#refreshActivity(a, e.ts);
		return APPLIED;
	}

	#abandoned(e: EventOf<'contact.abandoned'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.abandoned for an unknown contact');
		if (c.phase !== 'waiting') return anomaly('contact.abandoned after it was answered');
		if (c.queue !== e.queue) return anomaly('contact.abandoned names a queue the contact is not waiting in');
		const q = this.#dequeue(c);
		const wait = Math.max(0, e.ts - c.queuedAt) / 1000;
		this.#countAt(q, c.queuedAt, (k) => countAbandoned(k, wait, q.config.sl));
		this.#contacts.delete(c.id);
		return APPLIED;
	}

	#transferred(e: EventOf<'contact.transferred'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.transferred for an unknown contact');
		if (c.queue !== e.fromQueue) return anomaly('contact.transferred from a queue the contact is not in');
		if (c.phase === 'waiting') {
			const q = this.#dequeue(c);
			const wait = Math.max(0, e.ts - c.queuedAt) / 1000;
			this.#countAt(q, c.queuedAt, (k) => countTransferred(k, wait));
		} else {
			// An agent transferred it: that handling is over (counted for the queue that answered it).
			this.#release(c, e.ts);
		}
		c.queue = e.toQueue;
		c.phase = 'waiting';
		c.agent = null;
		c.queuedAt = e.ts;
		this.#enqueue(c, this.#queue(e.toQueue, c.channel), e.ts);
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
		a.wrapups++;
		this.#refreshActivity(a, e.ts);
		return APPLIED;
	}

	#ended(e: EventOf<'contact.ended'>): ApplyOutcome {
		const c = this.#contacts.get(e.contact);
		if (!c) return anomaly('contact.ended for an unknown contact');
		if (c.phase === 'waiting') return anomaly('contact.ended before it was answered');
		if (c.agent !== e.agent) return anomaly('contact.ended by an agent who does not hold the contact');
		const q = this.queues.get(c.queue)!;
		const answeredAt = c.answeredAt;
		this.#release(c, e.ts);
		this.#countAt(q, c.queuedAt, (k) => {
			countHandled(k, Math.max(0, e.ts - answeredAt) / 1000);
			if (e.csat !== undefined) countCsat(k, e.csat);
		});
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
		return APPLIED;
	}

	/** Frees the agent slot a contact holds. */
	#release(c: ContactState, ts: number): void {
		if (!c.agent) return;
		const a = this.#agent(c.agent, ts);
		this.#accrue(a, ts);
		if (c.phase === 'wrapup') a.wrapups--;
		a.contacts.delete(c.id);
		a.slots[CHANNELS.indexOf(c.channel)]!--;
		this.#refreshActivity(a, ts);
	}

	#enqueue(c: ContactState, q: QueueState, ts: number): void {
		q.waiting.set(c.id, ts);
		q.version++;
		this.#waitingTotal++;
		this.#countAt(q, ts, countOffered);
		const interval = intervalStart(this.#clock, this.#dayStart, this.#config.intervalMs);
		if ((q.waitingMax.get(interval) ?? 0) < q.waiting.size) q.waitingMax.set(interval, q.waiting.size);
		if ((this.waitingMaxTotal.get(interval) ?? 0) < this.#waitingTotal) this.waitingMaxTotal.set(interval, this.#waitingTotal);
	}

	#dequeue(c: ContactState): QueueState {
		const q = this.queues.get(c.queue)!;
		q.waiting.delete(c.id);
		q.version++;
		this.#waitingTotal--;
		return q;
	}

	/**
	 * Applies a count change to the contact's offered interval, today's total and the rolling
	 * window: the forecasting convention attributes a contact to the interval it was offered in.
	 */
	#countAt(q: QueueState, offeredAt: number, fn: (k: KpiCounts) => void): void {
		if (offeredAt >= this.#dayStart) {
			const start = intervalStart(offeredAt, this.#dayStart, this.#config.intervalMs);
			let k = q.intervals.get(start);
			if (!k) q.intervals.set(start, (k = emptyCounts()));
			fn(k);
			fn(q.today);
		}
		const bucket = q.minutes.at(minuteOf(offeredAt), minuteOf(this.#clock));
		if (bucket) fn(bucket);
	}

	#queue(id: string, channel: Channel): QueueState {
		let q = this.queues.get(id);
		if (!q) {
			q = new QueueState({ id, name: id, channel, sl: resolveSl(channel) }, this.#rollingMinutes);
			this.queues.set(id, q);
			// An agent skilled for a queue configured only now may serve a new channel.
			for (const a of this.agents.values()) if (a.skills[id] !== undefined) this.#refreshAgentChannels(a);
		}
		return q;
	}

	#agent(id: string, ts: number): AgentState {
		let a = this.agents.get(id);
		if (!a) {
			a = new AgentState(id, ts, this.#rollingMinutes);
			this.agents.set(id, a);
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
		let busySlots = 0;
		let offeredSlots = 0;
		for (let i = 0; i < CHANNELS.length; i++) busySlots += a.slots[i]!;
		for (const c of a.channels) offeredSlots += a.capacity[CHANNELS.indexOf(c)]!;
		// An agent busy on a channel nobody configured still offers at least the slots in use.
		offeredSlots = Math.max(offeredSlots, busySlots);
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
		for (const q of this.queues.values()) {
			q.today = emptyCounts();
			q.version++;
		}
		for (const a of this.agents.values()) {
			a.today = new Float64Array(4);
			a.version++;
		}
		this.#seenBefore = this.#seen;
		this.#seen = new Set();
		this.version++;
	}
}

function addLedger(l: Float64Array, busy: number, idle: number, busySlots: number, offeredSlots: number): void {
	l[BUSY]! += busy;
	l[IDLE]! += idle;
	l[BUSY_SLOTS]! += busySlots;
	l[OFFERED_SLOTS]! += offeredSlots;
}
