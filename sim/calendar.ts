/**
 * The event calendar: a min-heap in typed arrays, ordered by time and then by insertion
 * sequence (as SimPy), so simultaneous events run in the order they were scheduled and a run is
 * reproducible. An event is a kind and two integer arguments; nothing is allocated per event.
 *
 * Tuned because every event passes through it twice (a third of the engine's time on the
 * multi-skill day before): the heap is 4-ary (half the levels of a binary heap, and a node's
 * children share a cache line), and the kind rides in the low bits of the first argument, so a
 * move copies four arrays instead of five. The order of pops is fixed by (time, sequence) alone,
 * whatever the heap's shape.
 */

/** Bits of the packed word that hold the kind: kinds are 0..7, arguments below 2^28. */
const KIND_BITS = 3;
const KIND_MASK = (1 << KIND_BITS) - 1;

export class Calendar {
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

	constructor(capacity = 1024) {
		this.time = new Float64Array(capacity);
		this.seq = new Float64Array(capacity);
		this.word = new Int32Array(capacity);
		this.tag = new Int32Array(capacity);
	}

	/** Events pending. */
	get size(): number {
		return this.n;
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
		if (this.n === this.time.length) this.grow();
		const s = this.counter++;
		const time = this.time;
		const seq = this.seq;
		const word = this.word;
		const tags = this.tag;
		let i = this.n++;
		while (i > 0) {
			const p = (i - 1) >> 2;
			const pt = time[p]!;
			if (pt < t || (pt === t && seq[p]! < s)) break;
			time[i] = pt;
			seq[i] = seq[p]!;
			word[i] = word[p]!;
			tags[i] = tags[p]!;
			i = p;
		}
		time[i] = t;
		seq[i] = s;
		word[i] = (arg << KIND_BITS) | kind;
		tags[i] = tag;
		return s;
	}

	/** Removes the earliest event into `now`/`popKind`/`popArg`/`popTag`; false when empty. */
	pop(): boolean {
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

	/** Time of the earliest pending event (Infinity when empty). */
	peekTime(): number {
		return this.n ? (this.time[0] ?? Infinity) : Infinity;
	}

	private grow(): void {
		const cap = this.time.length * 2;
		const t = new Float64Array(cap);
		t.set(this.time);
		this.time = t;
		const s = new Float64Array(cap);
		s.set(this.seq);
		this.seq = s;
		const w = new Int32Array(cap);
		w.set(this.word);
		this.word = w;
		const g = new Int32Array(cap);
		g.set(this.tag);
		this.tag = g;
	}
}
