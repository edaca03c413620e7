/**
 * The engine's contacts: one column (typed array) per attribute, indexed by a slot number that
 * is recycled when a contact leaves, so a run of millions of contacts allocates nothing after
 * warm-up and the hot loop reads plain numbers.
 *
 * To give contacts a new attribute, add a column here and one line in `grow` (every column
 * grows together, so a slot is valid in all of them).
 */

import { grown } from './typed-arrays';

/** Slot states. */
export const C_FREE = 0;
export const C_WAITING = 1;
export const C_SERVING = 2;

export class ContactTable {
	/** Slots allocated so far (the length of every column). */
	capacity = 0;
	/** Queue the contact is in (or was answered from). */
	queue = new Int32Array(0);
	state = new Uint8Array(0);
	/** Agent holding it while serving. */
	agent = new Int32Array(0);
	/** Serial number (1, 2, …): the contact's identity in traces, kept through transfers. */
	serial = new Int32Array(0);
	/**
	 * Number of its current wait (a run-wide counter, new each time it joins a queue): its abandon
	 * and overflow events carry it, so events of an earlier wait (before a transfer) or of an
	 * earlier contact in the same slot are recognised as stale.
	 */
	wait = new Int32Array(0);
	/** Interval its counts go to: the one it was offered (queued) in. */
	interval = new Int32Array(0);
	/** When it joined its current queue (arrival, or the moment it was transferred). */
	queuedAt = new Float64Array(0);
	/** Handling time with its current queue (talk and hold; after-contact work is `wrap`). */
	handle = new Float64Array(0);
	wrap = new Float64Array(0);
	/** How long it waits in its current queue before abandoning (Infinity: never). */
	patience = new Float64Array(0);
	/**
	 * While waiting: when it abandons (queuedAt + patience; Infinity: never) and the calendar
	 * sequence number reserved for that moment, which orders it against events at the same time.
	 */
	abandonAt = new Float64Array(0);
	abandonSeq = new Float64Array(0);
	/** Priority level of the contact itself (a trace's `priority` column; 0 otherwise). */
	priority = new Float64Array(0);
	/** Place in its queue: when it was queued less the queue's priority credit × its priority. */
	order = new Float64Array(0);

	// Free slots as a stack: the most recently freed slot is reused first (warm in cache).
	private free = new Int32Array(0);
	private freeCount = 0;

	constructor(initial = 1024) {
		this.grow(initial);
	}

	/** A free slot (marked waiting by the caller), growing the columns when none is left. */
	alloc(): number {
		if (this.freeCount === 0) this.grow(this.capacity * 2);
		return this.free[--this.freeCount] ?? -1;
	}

	/** Gives slot `c` back. */
	release(c: number): void {
		this.state[c] = C_FREE;
		this.serial[c] = 0;
		this.free[this.freeCount++] = c;
	}

	private grow(capacity: number): void {
		const old = this.capacity;
		this.queue = grown(this.queue, capacity);
		this.agent = grown(this.agent, capacity);
		this.serial = grown(this.serial, capacity);
		this.wait = grown(this.wait, capacity);
		this.interval = grown(this.interval, capacity);
		this.state = grown(this.state, capacity);
		this.queuedAt = grown(this.queuedAt, capacity);
		this.handle = grown(this.handle, capacity);
		this.wrap = grown(this.wrap, capacity);
		this.patience = grown(this.patience, capacity);
		this.abandonAt = grown(this.abandonAt, capacity);
		this.abandonSeq = grown(this.abandonSeq, capacity);
		this.priority = grown(this.priority, capacity);
		this.order = grown(this.order, capacity);
		// New slots go on the stack so that the lowest index is handed out first.
		const free = new Int32Array(capacity);
		free.set(this.free.subarray(0, this.freeCount));
		for (let c = capacity - 1; c >= old; c--) free[this.freeCount++] = c;
		this.free = free;
		this.capacity = capacity;
	}
}
