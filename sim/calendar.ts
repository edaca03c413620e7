/**
 * The event calendar, ordered by time and then by insertion sequence (as SimPy), so
 * simultaneous events run in the order they were scheduled and a run is reproducible. An event
 * is a kind and two integer arguments; nothing is allocated per event.
 *
 * Every event passes through it twice, so it is a calendar queue (Brown, 1988): a ring of
 * buckets of `width` seconds covering the next `BUCKETS × width` seconds from the earliest
 * pending event, each bucket a short list sorted by (time, sequence) in typed arrays. A push is
 * a bucket index and an append at the bucket's tail (or a walk past the few events of that bucket
 * that are later); a pop takes the head of the first non-empty bucket. Events outside the ring's window (far ahead, or behind the ring's
 * cursor) go to a 4-ary min-heap, and `pop` takes the earlier of the two heads, so the order of
 * pops is (time, sequence) whatever the width. The engine picks the width from the expected
 * contact rate. Issue #8, third round: the recorded push/pop sequence of a multi-skill-day
 * replication (303,000 operations) took 16.1–16.6 ms cpu best with the 4-ary heap alone (its
 * sift-down, mispredicted child choices, was the engine's hottest spot: 22 % of a profile) and
 * 6.2 ms with the ring (widths 0.25 to 0.72 s alike, 7.2 ms at 2 s; 5.9–6.0 ms with the tail append), same process, loaded
 * 2-core machine; see sim.bench.ts for the whole engine. A FIFO lane per fixed delay (wrap-up,
 * overflow) in front of the heap was tried first: 16.1 → 14.6–15.9 ms, dropped for the ring.
 */

import { grown } from './typed-arrays';

/** Bits of the packed word that hold the kind: kinds are 0..7, arguments below 2^28. */
const KIND_BITS = 3;
const KIND_MASK = (1 << KIND_BITS) - 1;
/** Buckets in the ring (a power of two). */
const BUCKETS = 4096;
const MASK = BUCKETS - 1;

export class Calendar {
	private readonly invWidth: number;
	/** Per bucket (absolute bucket number & MASK), its first node or -1, and its last (valid while not empty). */
	private readonly bucketHead = new Int32Array(BUCKETS).fill(-1);
	private readonly bucketTail = new Int32Array(BUCKETS);
	/** Absolute number of the first bucket that may hold an event (ring events lie in cursor..cursor+BUCKETS-1). */
	private cursor = 0;
	private inRing = 0;
	// Ring nodes: event fields and the next node in the bucket (or in the free list).
	private nTime: Float64Array;
	private nSeq: Float64Array;
	private nWord: Int32Array;
	private nTag: Int32Array;
	private nNext: Int32Array;
	private freeNode = -1;

	// The heap, for events outside the ring's window.
	private time: Float64Array;
	private seq: Float64Array;
	/** `arg << 3 | kind`. */
	private word: Int32Array;
	private tag: Int32Array;
	private n = 0;

	private counter = 0;

	/** Time of the event last popped. */
	now = 0;
	/** Kind and arguments of the event last popped. */
	popKind = 0;
	popArg = 0;
	popTag = 0;
	/** Sequence number of the event last popped: its place among events at the same time. */
	popSeq = 0;

	/**
	 * `width`: seconds per bucket, best about the mean gap between events times a few (any
	 * positive width gives the same order); `capacity`: events to make room for at first.
	 */
	constructor(width = 1, capacity = 1024) {
		this.invWidth = width > 0 && width < Infinity ? 1 / width : 1;
		this.nTime = new Float64Array(0);
		this.nSeq = new Float64Array(0);
		this.nWord = new Int32Array(0);
		this.nTag = new Int32Array(0);
		this.nNext = new Int32Array(0);
		this.growNodes(capacity);
		this.time = new Float64Array(capacity);
		this.seq = new Float64Array(capacity);
		this.word = new Int32Array(capacity);
		this.tag = new Int32Array(capacity);
	}

	/** Events pending. */
	get size(): number {
		return this.n + this.inRing;
	}

	/**
	 * A sequence number for an event the caller keeps outside the calendar (a deadline checked
	 * when it matters): it orders against the calendar's events as a `push` at this moment would.
	 */
	reserve(): number {
		return this.counter++;
	}

	/** Schedules an event of `kind` (0..7) at time `t` with arguments `arg` (0 ≤ arg < 2^28) and `tag`; returns its sequence number. */
	push(t: number, kind: number, arg: number, tag: number): number {
		const s = this.counter++;
		const w = (arg << KIND_BITS) | kind;
		// Monotone in t (a product by a positive constant, then floor), so buckets keep time order.
		const b = Math.floor(t * this.invWidth);
		if (b >= this.cursor && b - this.cursor < BUCKETS) {
			if (this.freeNode < 0) this.growNodes(this.nNext.length * 2);
			const node = this.freeNode;
			const next = this.nNext;
			const time = this.nTime;
			this.freeNode = next[node]!;
			time[node] = t;
			this.nSeq[node] = s;
			this.nWord[node] = w;
			this.nTag[node] = tag;
			// After every event of the bucket at or before t: on a tie the new event goes last, its
			// sequence number being the largest so far. At the tail when it is not earlier than the
			// tail (ties and pushes in time order), so many events at one instant stay O(1) each.
			const k = b & MASK;
			const head = this.bucketHead[k]!;
			this.inRing++;
			if (head < 0) {
				next[node] = -1;
				this.bucketHead[k] = node;
				this.bucketTail[k] = node;
				return s;
			}
			const tail = this.bucketTail[k]!;
			if (time[tail]! <= t) {
				next[node] = -1;
				next[tail] = node;
				this.bucketTail[k] = node;
				return s;
			}
			let prev = -1;
			let cur = head;
			while (time[cur]! <= t) {
				prev = cur;
				cur = next[cur]!;
			}
			// cur ≥ 0: the tail is later than t, so the walk stops before the end.
			next[node] = cur;
			if (prev < 0) this.bucketHead[k] = node;
			else next[prev] = node;
			return s;
		}
		this.heapPush(t, s, w, tag);
		return s;
	}

	/** Removes the earliest event into `now`/`popKind`/`popArg`/`popTag`; false when empty. */
	pop(): boolean {
		if (this.inRing > 0) {
			const heads = this.bucketHead;
			let k = this.cursor & MASK;
			let node = heads[k]!;
			// Ring events all lie within BUCKETS of the cursor, so this ends.
			while (node < 0) {
				this.cursor++;
				k = this.cursor & MASK;
				node = heads[k]!;
			}
			const t = this.nTime[node]!;
			const s = this.nSeq[node]!;
			if (this.n === 0 || t < this.time[0]! || (t === this.time[0]! && s < this.seq[0]!)) {
				heads[k] = this.nNext[node]!;
				this.nNext[node] = this.freeNode;
				this.freeNode = node;
				this.inRing--;
				this.now = t;
				this.popSeq = s;
				const w0 = this.nWord[node]!;
				this.popKind = w0 & KIND_MASK;
				this.popArg = w0 >> KIND_BITS;
				this.popTag = this.nTag[node]!;
				return true;
			}
		}
		return this.heapPop();
	}

	private heapPush(t: number, s: number, w: number, g: number): void {
		if (this.n === this.time.length) this.growHeap();
		const time = this.time;
		const seq = this.seq;
		const word = this.word;
		const tags = this.tag;
		let i = this.n++;
		while (i > 0) {
			const p = (i - 1) >> 2;
			const pt = time[p]!;
			// On a tie the new event goes after: its sequence number is the largest so far.
			if (pt <= t) break;
			time[i] = pt;
			seq[i] = seq[p]!;
			word[i] = word[p]!;
			tags[i] = tags[p]!;
			i = p;
		}
		time[i] = t;
		seq[i] = s;
		word[i] = w;
		tags[i] = g;
	}

	private heapPop(): boolean {
		if (this.n === 0) return false;
		const time = this.time;
		const seq = this.seq;
		const word = this.word;
		const tags = this.tag;
		this.now = time[0]!;
		const w0 = word[0]!;
		this.popKind = w0 & KIND_MASK;
		this.popArg = w0 >> KIND_BITS;
		this.popTag = tags[0]!;
		this.popSeq = seq[0]!;
		const n = --this.n;
		if (n === 0) return true;
		// Sift the last event down from the root.
		const t = time[n]!;
		const s = seq[n]!;
		const w = word[n]!;
		const g = tags[n]!;
		let i = 0;
		for (;;) {
			const first = 4 * i + 1;
			if (first >= n) break;
			// The earliest of up to four children.
			let c = first;
			let ct = time[first]!;
			const last = first + 3 < n ? first + 3 : n - 1;
			for (let k = first + 1; k <= last; k++) {
				const kt = time[k]!;
				if (kt < ct || (kt === ct && seq[k]! < seq[c]!)) {
					c = k;
					ct = kt;
				}
			}
			if (t < ct || (t === ct && s < seq[c]!)) break;
			time[i] = ct;
			seq[i] = seq[c]!;
			word[i] = word[c]!;
			tags[i] = tags[c]!;
			i = c;
		}
		time[i] = t;
		seq[i] = s;
		word[i] = w;
		tags[i] = g;
		return true;
	}

	private growNodes(cap: number): void {
		const old = this.nNext.length;
		this.nTime = grown(this.nTime, cap);
		this.nSeq = grown(this.nSeq, cap);
		this.nWord = grown(this.nWord, cap);
		this.nTag = grown(this.nTag, cap);
		this.nNext = grown(this.nNext, cap);
		// The new nodes onto the free list, lowest first.
		for (let i = cap - 1; i >= old; i--) {
			this.nNext[i] = this.freeNode;
			this.freeNode = i;
		}
	}

	private growHeap(): void {
		const cap = this.time.length * 2;
		this.time = grown(this.time, cap);
		this.seq = grown(this.seq, cap);
		this.word = grown(this.word, cap);
		this.tag = grown(this.tag, cap);
	}
}
