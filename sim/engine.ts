import { countAbandoned, countAnswered, countHandled, countOffered, emptyCounts, type KpiCounts } from '../src/lib/domain/kpi';
import { Calendar } from './calendar';
import { C_SERVING, C_WAITING, ContactTable } from './contact-table';
import { ArrivalProcess } from './distributions';
import { ArrivalsAhead, DrawAhead } from './draw-ahead';
import { LinkedLists } from './linked-lists';
import { NCH, type Model } from './model';
import { STREAM, streamFor, type Rng } from './rng';
import { POLICIES } from './routing';

/**
 * The discrete-event engine: one replication of a compiled scenario.
 *
 * Contacts (contacts.ts) and agents live in typed arrays indexed by small integers; the calendar
 * holds only (time, kind, two ints); contact slots are recycled, so a run of millions of contacts
 * allocates nothing after warm-up. Canceled events (an overflow after the contact was answered)
 * are not removed from the calendar but recognised as stale by the contact's wait number.
 *
 * Abandonment is lazy: a waiting contact's deadline is not an event but a column of the contact
 * table, with the calendar sequence number it would have had; whoever looks at a waiting
 * contact (an agent picking from a queue, an overflow, the close) first lets it go if its
 * deadline came before the event in hand. Nothing reads a waiting contact in between, so the
 * results are those of a calendar event per deadline, bit for bit; but ~15 % of the multi-skill
 * day's events (and 13 % of the M/M/n+M bench's, mostly contacts answered in time) never enter
 * the calendar. A traced run still schedules them, so its records come out in time order.
 *
 * Waiting contacts are in one list per queue (linked-lists.ts), in arrival order (less any
 * priority credit of a trace contact). Routing keeps,
 * per channel, agent group and load level (contacts of that channel held), a list of the agents
 * that can take one more contact of that channel, in the order they got there. Time only moves
 * forward, so appending keeps each list sorted: its head is the agent idle longest at that
 * level, found in O(1). Which group wins when several could answer is the routing policy's rank
 * (routing.ts), fixed when the engine is built.
 */

const EV_ARRIVAL = 0;
const EV_ABANDON = 1;
const EV_SERVICE_END = 2;
const EV_WRAP_END = 3;
const EV_OVERFLOW = 4;
const EV_SHIFT_START = 5;
const EV_SHIFT_END = 6;
/** A staffing step of a group (`agents[].staffing`): arg = group, tag = step index. */
const EV_STAFF = 7;

const A_OFF = 0;
const A_ON = 1;
/** Shift over, finishing the contacts in hand; takes nothing new. */
const A_LEAVING = 2;

/** Trace record codes (see trace.ts), five numbers per record: code, t, x, y, z. */
export const TR_QUEUED = 1;
export const TR_ANSWERED = 2;
export const TR_ABANDONED = 3;
export const TR_WRAPUP = 4;
export const TR_ENDED = 5;
export const TR_AVAILABLE = 6;
export const TR_OFFLINE = 7;
/** x = contact serial, y = from queue, z = to queue. */
export const TR_TRANSFERRED = 8;

/** Options of one replication. */
export interface EngineOptions {
	/** Base seed (the scenario's, or the command line's). */
	readonly seed: number;
	/** Replication index: replications of a seed use independent streams. */
	readonly rep?: number;
	/** Record what happens for `traceEvents`; off on the measured path. */
	readonly trace?: boolean;
}

/** Raw output of one replication, before KPIs are formed (see results.ts). */
export interface EngineOutput {
	/**
	 * Contact counts per interval and queue, `[i * queues + q]` (agent time is kept per group): the
	 * queues of the interval in hand lie together, where most counting happens.
	 */
	readonly counts: readonly KpiCounts[];
	/** Agent-seconds per group and interval `[g * intervals + i]`, clipped to [0, horizon). */
	readonly groupBusy: Float64Array;
	readonly groupIdle: Float64Array;
	readonly groupBusySlots: Float64Array;
	readonly groupOfferedSlots: Float64Array;
	readonly contacts: number;
	/** Events of the model: calendar events plus abandon deadlines (fired or not), as if each were one. */
	readonly events: number;
	/** Time of the last event (the end of the drain), abandon deadlines included. */
	readonly end: number;
	/** Trace records, when asked for. */
	readonly trace: readonly number[] | null;
}

/** One replication in progress; `step` runs it in slices so a worker can report progress and stop. */
export class Engine {
	private readonly cal: Calendar;
	private now = 0;
	private events = 0;
	private serial = 0;

	private readonly c = new ContactTable(1024);
	/** Waiting contacts, one list per queue, in order of `order` (first come, first served without priority credit). */
	private readonly waiting: LinkedLists;
	/** Contacts waiting per channel, so an agent coming free skips its queues when none of its channels has any. */
	private readonly chWaiting = new Int32Array(NCH);

	// Agents.
	private readonly aStatus: Uint8Array;
	private readonly aLoad: Int32Array;
	private readonly aTotal: Int32Array;
	private readonly aExcl: Int32Array;
	private readonly aLast: Float64Array;
	/**
	 * Per channel, agents that can take one more contact of it: list `g * maxCap + load` holds
	 * group g's agents with `load` contacts of the channel in hand. `lLevel[a * NCH + ch]` is the
	 * list's load level the agent is in (-1: none), `lSince` when it got there.
	 */
	private readonly avail: LinkedLists[];
	private readonly lLevel: Int32Array;
	private readonly lSince: Float64Array;
	/** Routing policy's preference per queue → group entry (routing.ts). */
	private readonly entryRank: Float64Array;

	// Output.
	private readonly counts: KpiCounts[];
	/** Queues (the stride of `counts`). */
	private readonly nq: number;
	private readonly gBusy: Float64Array;
	private readonly gIdle: Float64Array;
	private readonly gBusySlots: Float64Array;
	private readonly gOfferedSlots: Float64Array;
	private readonly tr: number[] | null;

	private readonly arrivals: ArrivalProcess[];
	private readonly rArr: Rng[];
	private readonly rPatience: Rng[];
	/**
	 * Per queue, values drawn ahead (draw-ahead.ts): arrival times unless the queue replays a
	 * trace, handling and after-contact times, and patience unless a trace's contacts draw
	 * conditional patience from the same stream.
	 */
	private readonly arrAhead: (ArrivalsAhead | null)[];
	private readonly handleAhead: DrawAhead[];
	private readonly wrapAhead: (DrawAhead | null)[];
	private readonly patienceAhead: (DrawAhead | null)[];
	/** Per queue: transfer decisions and the receiving leg's durations of contacts handled there. */
	private readonly rTransfer: Rng[];
	/** Waits started so far (see ContactTable.wait). */
	private waits = 0;
	/** Latest abandon deadline set so far: the calendar would have run at least that long. */
	private lastDeadline = 0;
	/** Per group with staffing steps: agents logged in, and how many of them leave as they come free. */
	private readonly gOn: Int32Array;
	private readonly gDebt: Int32Array;
	private done = false;

	constructor(
		private readonly m: Model,
		opts: EngineOptions
	) {
		const Q = m.queueIds.length;
		const A = m.agents;
		const G = m.groupNames.length;
		const rep = opts.rep ?? 0;
		this.waiting = new LinkedLists(Q, this.c.capacity);
		this.aStatus = new Uint8Array(A);
		this.aLoad = new Int32Array(A * NCH);
		this.aTotal = new Int32Array(A);
		this.aExcl = new Int32Array(A);
		this.aLast = new Float64Array(A);
		this.avail = Array.from({ length: NCH }, () => new LinkedLists(G * m.maxCap, A));
		this.lLevel = new Int32Array(A * NCH).fill(-1);
		this.lSince = new Float64Array(A * NCH);
		this.entryRank = POLICIES[m.policy](m);
		this.nq = Q;
		this.counts = Array.from({ length: Q * m.intervals }, emptyCounts);
		this.gBusy = new Float64Array(G * m.intervals);
		this.gIdle = new Float64Array(G * m.intervals);
		this.gBusySlots = new Float64Array(G * m.intervals);
		this.gOfferedSlots = new Float64Array(G * m.intervals);
		this.tr = opts.trace ? [] : null;

		this.arrivals = m.queueArrivals.map((a) => new ArrivalProcess(a, m.interval, m.horizon));
		// Calendar buckets one mean gap between arrivals wide, about three events per bucket
		// (width 0.72 s on the multi-skill day; 0.25 to 2 s measured alike; see calendar.ts).
		const expected = this.arrivals.reduce((sum, a) => sum + a.expected(), 0);
		this.cal = new Calendar(expected > 0 ? m.horizon / expected : m.horizon, 4096);
		const id = m.queueIds;
		this.rArr = id.map((q) => streamFor(opts.seed, rep, STREAM.arrivals, q));
		this.rPatience = id.map((q) => streamFor(opts.seed, rep, STREAM.patience, q));
		this.arrAhead = this.arrivals.map((a, q) => (a.drawn ? new ArrivalsAhead(a, this.rArr[q]!) : null));
		this.handleAhead = m.handle.map((d, q) => new DrawAhead(d, streamFor(opts.seed, rep, STREAM.handle, id[q]!)));
		this.wrapAhead = m.wrapup.map((d, q) => (d ? new DrawAhead(d, streamFor(opts.seed, rep, STREAM.wrapup, id[q]!)) : null));
		this.patienceAhead = m.patience.map((d, q) => (d && !m.traceContacts[q] ? new DrawAhead(d, this.rPatience[q]!) : null));
		this.rTransfer = id.map((q) => streamFor(opts.seed, rep, STREAM.transfer, q));
		this.gOn = new Int32Array(G);
		this.gDebt = new Int32Array(G);

		// Shift events first, so agents are in place for arrivals at the same instant.
		for (let g = 0; g < G; g++) {
			for (const sh of m.groupShifts[g]!) {
				this.cal.push(sh.start, EV_SHIFT_START, g, 0);
				// Shifts that reach the horizon are closing shifts: they stay to drain the queues.
				if (sh.end < m.horizon) this.cal.push(sh.end, EV_SHIFT_END, g, 0);
			}
			m.groupStaffing[g]!.forEach((st, k) => this.cal.push(st.at, EV_STAFF, g, k));
		}
		for (let q = 0; q < Q; q++) {
			this.scheduleArrival(q, 0);
		}
	}

	/** Runs to the end. */
	run(): EngineOutput {
		while (!this.step(1 << 30));
		return this.output();
	}

	/** Simulated time reached so far. */
	get time(): number {
		return this.now;
	}

	/** Processes up to `maxEvents` events; true once the run is over (queues drained). */
	step(maxEvents: number): boolean {
		if (this.done) return true;
		const cal = this.cal;
		let n = 0;
		while (n < maxEvents && cal.pop()) {
			n++;
			this.now = cal.now;
			const arg = cal.popArg;
			switch (cal.popKind) {
				case EV_ARRIVAL:
					this.arrival(arg);
					break;
				case EV_ABANDON:
					// Traced runs only (see `offer`).
					if (this.c.wait[arg] === cal.popTag && this.c.state[arg] === C_WAITING) this.abandon(arg, this.now);
					break;
				case EV_SERVICE_END:
					this.serviceEnd(arg);
					break;
				case EV_WRAP_END:
					this.release(arg);
					break;
				case EV_OVERFLOW:
					if (this.c.wait[arg] === cal.popTag && this.c.state[arg] === C_WAITING) {
						if (this.expired(arg)) this.abandon(arg, this.c.abandonAt[arg]!);
						else this.widen(arg);
					}
					break;
				case EV_SHIFT_START:
					this.shiftStart(arg);
					break;
				case EV_SHIFT_END:
					this.shiftEnd(arg);
					break;
				case EV_STAFF:
					this.staff(arg, cal.popTag);
					break;
			}
		}
		this.events += n;
		if (cal.size > 0) return false;
		this.finish();
		return true;
	}

	/** What the run produced; call after `step` returned true. */
	output(): EngineOutput {
		return {
			counts: this.counts,
			groupBusy: this.gBusy,
			groupIdle: this.gIdle,
			groupBusySlots: this.gBusySlots,
			groupOfferedSlots: this.gOfferedSlots,
			contacts: this.serial,
			events: this.events,
			end: this.now,
			trace: this.tr
		};
	}

	/** Puts queue `q`'s next arrival after `t` (the one in hand, or 0) on the calendar; returns the trace entry of the one in hand (-1 when drawn). */
	private scheduleArrival(q: number, t: number): number {
		const ahead = this.arrAhead[q]!;
		if (ahead !== null) {
			if (ahead.more()) this.cal.push(ahead.times[ahead.pos++]!, EV_ARRIVAL, q, 0);
			return -1;
		}
		// The trace entry of this arrival, read before `next` moves on.
		const k = this.arrivals[q]!.lastIndex();
		const next = this.arrivals[q]!.next(t, this.rArr[q]!);
		if (next < Infinity) this.cal.push(next, EV_ARRIVAL, q, 0);
		return k;
	}

	private arrival(q: number): void {
		const m = this.m;
		const k = this.scheduleArrival(q, this.now);

		const C = this.c;
		const c = C.alloc();
		if (c >= this.waiting.capacity) this.waiting.growNodes(C.capacity);
		const s = ++this.serial;
		C.serial[c] = s;
		// Every contact draws all its durations now, from per-purpose streams, so the n-th contact
		// of a queue gets the same numbers in two scenarios (common random numbers).
		this.handleAhead[q]!.into(C.handle, c);
		const w = this.wrapAhead[q]!;
		if (w !== null) w.into(C.wrap, c);
		else C.wrap[c] = 0;
		const pa = this.patienceAhead[q]!;
		if (pa !== null) pa.into(C.patience, c);
		else {
			const p = m.patience[q];
			C.patience[c] = p ? p.draw(this.rPatience[q]!) : Infinity;
		}
		C.priority[c] = 0;
		const tc = m.traceContacts[q];
		if (tc && k >= 0) {
			// A recorded contact keeps its own durations and patience; only missing ones are drawn.
			C.handle[c] = tc.handle(k, C.handle[c]!);
			C.wrap[c] = tc.wrapup(k, C.wrap[c]!);
			C.patience[c] = tc.patience(k, C.patience[c]!, this.rPatience[q]!);
			C.priority[c] = tc.priority(k);
		}
		this.offer(c, q, -1);
	}

	/**
	 * Contact `c`, its durations drawn, enters queue `q` now (transferred from queue `from`, or -1
	 * for an arrival): answered at once, or it waits.
	 */
	private offer(c: number, q: number, from: number): void {
		const m = this.m;
		const C = this.c;
		const t = this.now;
		const s = C.serial[c]!;
		const wait = ++this.waits;
		C.wait[c] = wait;
		C.queue[c] = q;
		C.queuedAt[c] = t;
		C.order[c] = t - m.queueCredit[q]! * C.priority[c]!;
		let iv = Math.floor(t / m.interval);
		if (iv >= m.intervals) iv = m.intervals - 1;
		C.interval[c] = iv;
		countOffered(this.counts[iv * this.nq + q]!);
		if (this.tr !== null) {
			if (from < 0) this.tr.push(TR_QUEUED, t, s, q, 0);
			else this.tr.push(TR_TRANSFERRED, t, s, from, q);
		}

		const a = this.findAgent(q, t);
		if (a >= 0) {
			this.answer(c, a);
			return;
		}
		C.state[c] = C_WAITING;
		// Contacts past their deadline leave from the front first, so a queue nobody serves does
		// not hold the whole day's abandoned contacts until the close.
		this.liveHead(q);
		// Queues are kept in order of `order`: the tail without priority credit, else a short walk back.
		const order = C.order;
		let after = this.waiting.tail(q);
		while (after >= 0 && order[after]! > order[c]!) after = this.waiting.prev(after);
		this.waiting.insertAfter(q, after, c);
		this.chWaiting[m.queueChannel[q]!]!++;
		const pat = C.patience[c]!;
		if (pat < Infinity) {
			const at = t + pat;
			C.abandonAt[c] = at;
			if (this.tr !== null) C.abandonSeq[c] = this.cal.push(at, EV_ABANDON, c, wait);
			else {
				C.abandonSeq[c] = this.cal.reserve();
				this.events++;
			}
			if (at > this.lastDeadline) this.lastDeadline = at;
		} else C.abandonAt[c] = Infinity;
		const ow = m.overflowWaits[q]!;
		for (let i = 0; i < ow.length; i++) {
			const after = ow[i]!;
			if (after < pat) this.cal.push(t + after, EV_OVERFLOW, c, wait);
		}
	}

	/** A waiting contact reached an overflow wait: more groups may take it now. */
	private widen(c: number): void {
		const a = this.findAgent(this.c.queue[c]!, this.c.queuedAt[c]!);
		if (a >= 0) {
			this.unqueue(this.c.queue[c]!, c);
			this.answer(c, a);
		}
	}

	/** Whether waiting contact `c`'s deadline came before the event in hand (by time, then calendar order). */
	private expired(c: number): boolean {
		const at = this.c.abandonAt[c]!;
		return at < this.now || (at === this.now && this.c.abandonSeq[c]! < this.cal.popSeq);
	}

	/** Waiting contact `c` leaves its queue unanswered at time `at`. */
	private abandon(c: number, at: number): void {
		const m = this.m;
		const C = this.c;
		const q = C.queue[c]!;
		this.unqueue(q, c);
		countAbandoned(this.counts[C.interval[c]! * this.nq + q]!, at - C.queuedAt[c]!, m.queueSl[q]!);
		if (this.tr !== null) this.tr.push(TR_ABANDONED, at, C.serial[c]!, q, 0);
		C.release(c);
	}

	/** Takes waiting contact `c` out of queue `q`. */
	private unqueue(q: number, c: number): void {
		this.waiting.remove(q, c);
		this.chWaiting[this.m.queueChannel[q]!]!--;
	}

	/** First contact of queue `q` still waiting (those past their deadline leave first), or -1. */
	private liveHead(q: number): number {
		for (;;) {
			const c = this.waiting.head(q);
			if (c < 0 || !this.expired(c)) return c;
			this.abandon(c, this.c.abandonAt[c]!);
		}
	}

	private answer(c: number, a: number): void {
		const m = this.m;
		const C = this.c;
		const q = C.queue[c]!;
		const t = this.now;
		countAnswered(this.counts[C.interval[c]! * this.nq + q]!, t - C.queuedAt[c]!, m.queueSl[q]!);
		this.accrue(a);
		C.state[c] = C_SERVING;
		C.agent[c] = a;
		this.addLoad(a, m.queueChannel[q]!, 1);
		this.refresh(a);
		if (this.tr !== null || m.transferCum[q]!.length > 0) this.cal.push(t + C.handle[c]!, EV_SERVICE_END, c, 0);
		else {
			// Nothing happens when handling ends but the start of after-contact work (no transfer to
			// decide, no trace record): one event at the end of both, at the same time ((t + handle)
			// + wrap, as `serviceEnd` adds it). Counted as the two it stands for. The multi-skill day
			// of sim.bench.ts pops ~24,000 events fewer per replication (its voice wrap-ups).
			const w = C.wrap[c]!;
			this.cal.push(t + C.handle[c]! + w, EV_WRAP_END, c, 0);
			if (w > 0) this.events++;
		}
		if (this.tr !== null) this.tr.push(TR_ANSWERED, t, C.serial[c]!, q, a);
	}

	private serviceEnd(c: number): void {
		const C = this.c;
		const cum = this.m.transferCum[C.queue[c]!]!;
		if (cum.length > 0 && this.transferOut(c, cum)) return;
		if (this.tr !== null) this.tr.push(TR_WRAPUP, this.now, C.serial[c]!, C.agent[c]!, 0);
		const w = C.wrap[c]!;
		if (w > 0) this.cal.push(this.now + w, EV_WRAP_END, c, 0);
		else this.release(c);
	}

	/**
	 * Handling in a queue with transfers ended: one uniform per handled contact decides whether
	 * the agent passes it on, and to which queue (cumulative shares `cum`). A transferred contact
	 * joins the receiving queue at once with durations of its own for that leg; the agent's slot
	 * is free (no after-contact work on the transferring leg, whose handling is not counted as
	 * handled, as the floor does with `contact.transferred`). False when it stays.
	 */
	private transferOut(c: number, cum: Float64Array): boolean {
		const m = this.m;
		const C = this.c;
		const from = C.queue[c]!;
		const rng = this.rTransfer[from]!;
		const u = rng.next();
		let j = 0;
		while (j < cum.length && u >= cum[j]!) j++;
		if (j === cum.length) return false;
		const to = m.transferTo[from]![j]!;
		const a = C.agent[c]!;
		// The new leg's durations come from the sending queue's transfer stream, so the handled
		// contacts of the other queues keep their random numbers (common random numbers).
		C.handle[c] = m.transferHandle[from]![j]!.draw(rng);
		const w = m.wrapup[to];
		C.wrap[c] = w ? w.draw(rng) : 0;
		const p = m.patience[to];
		C.patience[c] = p ? p.draw(rng) : Infinity;
		// Re-queued while the agent still holds its slot, so it cannot take the contact straight back.
		this.offer(c, to, from);
		this.freeSlot(a, m.queueChannel[from]!);
		return true;
	}

	/** Handling and after-contact work are over: the slot is free again. */
	private release(c: number): void {
		const m = this.m;
		const C = this.c;
		const q = C.queue[c]!;
		const a = C.agent[c]!;
		countHandled(this.counts[C.interval[c]! * this.nq + q]!, C.handle[c]! + C.wrap[c]!);
		if (this.tr !== null) this.tr.push(TR_ENDED, this.now, C.serial[c]!, a, 0);
		C.release(c);
		this.freeSlot(a, m.queueChannel[q]!);
	}

	/** Agent `a` holds one contact of channel `ch` fewer: it takes the next, or leaves if its shift is over. */
	private freeSlot(a: number, ch: number): void {
		this.accrue(a);
		this.addLoad(a, ch, -1);
		if (this.aStatus[a] === A_LEAVING) {
			if (this.aTotal[a] === 0) this.logOff(a);
			return;
		}
		const g = this.m.agentGroup[a]!;
		if (this.gDebt[g]! > 0 && this.aTotal[a] === 0) {
			this.gDebt[g]!--;
			this.gOn[g]!--;
			this.logOff(a);
			return;
		}
		this.refresh(a);
		this.pickFor(a);
	}

	private shiftStart(g: number): void {
		const m = this.m;
		const first = m.groupFirst[g]!;
		const end = first + m.groupCount[g]!;
		for (let a = first; a < end; a++) {
			this.accrue(a);
			this.aStatus[a] = A_ON;
			if (this.tr !== null) this.tr.push(TR_AVAILABLE, this.now, a, 0, 0);
			this.refresh(a);
			this.pickFor(a);
		}
	}

	private shiftEnd(g: number): void {
		const m = this.m;
		const first = m.groupFirst[g]!;
		const end = first + m.groupCount[g]!;
		for (let a = first; a < end; a++) {
			if (this.aStatus[a] !== A_ON) continue;
			this.accrue(a);
			if (this.aTotal[a] === 0) this.logOff(a);
			else {
				this.aStatus[a] = A_LEAVING;
				this.refresh(a);
			}
		}
	}

	/**
	 * Staffing step `k` of group `g`: logs agents on or off to its count. Fewer: idle agents log
	 * off now, the rest as they come free (the first to finish leaves, as on a floor where whoever
	 * finishes goes on break); more: pending departures are called off first.
	 */
	private staff(g: number, k: number): void {
		const m = this.m;
		const target = m.groupStaffing[g]![k]!.count;
		const first = m.groupFirst[g]!;
		const end = first + m.groupCount[g]!;
		let keep = this.gOn[g]! - this.gDebt[g]!;
		if (target >= keep) {
			const cancel = Math.min(this.gDebt[g]!, target - keep);
			this.gDebt[g]! -= cancel;
			keep += cancel;
			for (let a = first; a < end && keep < target; a++) {
				if (this.aStatus[a] !== A_OFF) continue;
				this.accrue(a);
				this.aStatus[a] = A_ON;
				this.gOn[g]!++;
				keep++;
				if (this.tr !== null) this.tr.push(TR_AVAILABLE, this.now, a, 0, 0);
				this.refresh(a);
				this.pickFor(a);
			}
			return;
		}
		let need = keep - target;
		for (let a = end - 1; a >= first && need > 0; a--) {
			if (this.aStatus[a] !== A_ON || this.aTotal[a] !== 0) continue;
			this.gOn[g]!--;
			need--;
			this.logOff(a);
		}
		this.gDebt[g]! += need;
	}

	private logOff(a: number): void {
		this.accrue(a);
		this.aStatus[a] = A_OFF;
		this.refresh(a);
		if (this.tr !== null) this.tr.push(TR_OFFLINE, this.now, a, 0, 0);
	}

	/**
	 * The calendar ran dry: contacts still waiting leave at their deadline, or at the close when
	 * they have none (nobody can serve them); closing shifts log off. The run ends at the last
	 * event or deadline (as if every deadline had been an event), or the horizon if later.
	 */
	private finish(): void {
		this.done = true;
		const m = this.m;
		const close = Math.max(this.now, this.lastDeadline, m.horizon);
		for (let q = 0; q < m.queueIds.length; q++) {
			for (let c = this.waiting.head(q); c >= 0; c = this.waiting.head(q)) {
				const at = this.c.abandonAt[c]!;
				this.abandon(c, at < Infinity ? at : close);
			}
		}
		this.now = close;
		for (let a = 0; a < m.agents; a++) {
			this.accrue(a);
			if (this.aStatus[a] !== A_OFF) this.logOff(a);
		}
	}

	/**
	 * Best agent for a contact of queue `q` that arrived at `arrived`, or -1. Groups whose entry
	 * wait (overflow) has not passed are skipped. The policy's rank first, then the fewest
	 * contacts of the channel in hand, then the longest at that load.
	 */
	private findAgent(q: number, arrived: number): number {
		const m = this.m;
		const ch = m.queueChannel[q]!;
		const avail = this.avail[ch]!;
		const rank = this.entryRank;
		const now = this.now;
		const L = m.maxCap;
		let best = -1;
		let bestRank = 0;
		let bestLoad = 0;
		let bestSince = 0;
		for (let e = m.qgStart[q]!, end = m.qgStart[q + 1]!; e < end; e++) {
			if (now < arrived + m.qgWait[e]!) continue;
			const g = m.qgGroup[e]!;
			const cap = m.groupCap[g * NCH + ch]!;
			for (let load = 0; load < cap; load++) {
				const a = avail.head(g * L + load);
				if (a < 0) continue;
				const since = this.lSince[a * NCH + ch]!;
				const r = rank[e]!;
				let better: boolean;
				if (best < 0) better = true;
				else if (r !== bestRank) better = r > bestRank;
				else if (load !== bestLoad) better = load < bestLoad;
				else better = since < bestSince;
				if (better) {
					best = a;
					bestRank = r;
					bestLoad = load;
					bestSince = since;
				}
				break;
			}
		}
		return best;
	}

	/**
	 * Agent `a` can take more: give it waiting contacts, highest priority first (priority plus
	 * aging × wait), then the longest waiting, until it is full or nothing it may take waits.
	 */
	private pickFor(a: number): void {
		const m = this.m;
		const C = this.c;
		const g = m.agentGroup[a]!;
		const now = this.now;
		for (;;) {
			// Channels it can take one more of, checked once rather than per queue and before the
			// queue's head is looked at. Not measurable alone (interleaved A/B on bench (b): 62.9 →
			// 61.8 ms cpu median, within the noise); kept as the cheaper order of the same checks.
			const ok = this.takeable(a, g);
			if (ok === 0) return;
			let best = -1;
			let bestScore = 0;
			let bestOrder = 0;
			for (let e = m.gqStart[g]!, end = m.gqStart[g + 1]!; e < end; e++) {
				const q = m.gqQueue[e]!;
				if (((ok >> m.queueChannel[q]!) & 1) === 0) continue;
				const c = this.liveHead(q);
				if (c < 0) continue;
				const arr = C.queuedAt[c]!;
				if (now < arr + m.gqWait[e]!) continue;
				const score = m.queuePriority[q]! + m.queueAging[q]! * (now - arr);
				const order = C.order[c]!;
				if (best < 0 || score > bestScore || (score === bestScore && order < bestOrder)) {
					best = c;
					bestScore = score;
					bestOrder = order;
				}
			}
			if (best < 0) return;
			this.unqueue(C.queue[best]!, best);
			this.answer(best, a);
		}
	}

	/** Channels (bit `ch`) of which agent `a` of group `g` can take one more contact now, and some contact waits. */
	private takeable(a: number, g: number): number {
		const chans = this.m.groupChannels[g]!;
		let ok = 0;
		for (let k = 0; k < chans.length; k++) {
			const ch = chans[k]!;
			if (this.chWaiting[ch]! > 0 && this.canTake(a, g, ch)) ok |= 1 << ch;
		}
		return ok;
	}

	/** One more (`d` = 1) or one fewer (-1) contact of channel `ch` in agent `a`'s hands. */
	private addLoad(a: number, ch: number, d: number): void {
		// Indexes are in range by construction: a < agents, ch < NCH (arrays sized in the constructor).
		const i = a * NCH + ch;
		this.aLoad[i] = this.aLoad[i]! + d;
		this.aTotal[a] = this.aTotal[a]! + d;
		if (this.m.exclusive[ch] === 1) this.aExcl[a] = this.aExcl[a]! + d;
	}

	private canTake(a: number, g: number, ch: number): boolean {
		if (this.aStatus[a] !== A_ON || this.aExcl[a] !== 0) return false;
		const i = a * NCH + ch;
		if (this.aLoad[i]! >= this.m.groupCap[g * NCH + ch]!) return false;
		return this.m.exclusive[ch] === 0 || this.aTotal[a] === 0;
	}

	/** Puts agent `a` in the availability list matching its state, for every channel it serves. */
	private refresh(a: number): void {
		const m = this.m;
		const g = m.agentGroup[a]!;
		const chans = m.groupChannels[g]!;
		const base = g * m.maxCap;
		for (let k = 0; k < chans.length; k++) {
			const ch = chans[k]!;
			const i = a * NCH + ch;
			const want = this.canTake(a, g, ch) ? this.aLoad[i]! : -1;
			const have = this.lLevel[i]!;
			if (want === have) continue;
			const avail = this.avail[ch]!;
			if (have >= 0) avail.remove(base + have, a);
			this.lLevel[i] = want;
			if (want >= 0) {
				avail.append(base + want, a);
				this.lSince[i] = this.now;
			}
		}
	}

	/** Adds agent `a`'s time since its last change to its group's interval totals. */
	private accrue(a: number): void {
		const last = this.aLast[a]!;
		const m = this.m;
		let t1 = this.now;
		this.aLast[a] = t1;
		if (t1 > m.horizon) t1 = m.horizon;
		if (last >= t1 || this.aStatus[a] === A_OFF) return;
		const g = m.agentGroup[a]!;
		const total = this.aTotal[a]!;
		const slots = m.groupSlots[g]!;
		const I = m.interval;
		let t0 = last;
		let i = Math.floor(t0 / I);
		if (i >= m.intervals) i = m.intervals - 1;
		const base = g * m.intervals;
		for (;;) {
			const boundary = (i + 1) * I;
			const t = boundary < t1 && i < m.intervals - 1 ? boundary : t1;
			const dt = t - t0;
			const k = base + i;
			// k < groups × intervals: i is clamped to the last interval above.
			if (total > 0) {
				this.gBusy[k] = this.gBusy[k]! + dt;
				this.gBusySlots[k] = this.gBusySlots[k]! + total * dt;
			} else this.gIdle[k] = this.gIdle[k]! + dt;
			this.gOfferedSlots[k] = this.gOfferedSlots[k]! + slots * dt;
			if (t >= t1) return;
			t0 = t;
			i++;
		}
	}
}

/** Runs one replication of `m` to the end. */
export function runEngine(m: Model, opts: EngineOptions): EngineOutput {
	return new Engine(m, opts).run();
}
