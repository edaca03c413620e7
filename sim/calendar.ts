/**
 * The event calendar: a binary min-heap in typed arrays, ordered by time and then by insertion
 * sequence (as SimPy), so simultaneous events run in the order they were scheduled and a run is
 * reproducible. An event is a kind and two integer arguments; nothing is allocated per event.
 */
export class Calendar {
	private time: Float64Array;
	private seq: Float64Array;
	private kind: Int32Array;
	private arg: Int32Array;
	private tag: Int32Array;
	private n = 0;
	private counter = 0;

	/** Time of the event last popped. */
	now = 0;
	/** Kind and arguments of the event last popped. */
	popKind = 0;
	popArg = 0;
	popTag = 0;

	constructor(capacity = 1024) {
		this.time = new Float64Array(capacity);
		this.seq = new Float64Array(capacity);
		this.kind = new Int32Array(capacity);
		this.arg = new Int32Array(capacity);
		this.tag = new Int32Array(capacity);
	}

	/** Events pending. */
	get size(): number {
		return this.n;
	}

	/** Schedules an event of `kind` at time `t` with arguments `arg` and `tag`. */
	push(t: number, kind: number, arg: number, tag: number): void {
		if (this.n === this.time.length) this.grow();
		const s = this.counter++;
		const time = this.time;
		const seq = this.seq;
		let i = this.n++;
		while (i > 0) {
			const p = (i - 1) >> 1;
			const pt = time[p]!;
			if (pt < t || (pt === t && seq[p]! < s)) break;
			time[i] = pt;
			seq[i] = seq[p]!;
			this.kind[i] = this.kind[p]!;
			this.arg[i] = this.arg[p]!;
			this.tag[i] = this.tag[p]!;
			i = p;
		}
		time[i] = t;
		seq[i] = s;
		this.kind[i] = kind;
		this.arg[i] = arg;
		this.tag[i] = tag;
	}

	/** Removes the earliest event into `now`/`popKind`/`popArg`/`popTag`; false when empty. */
	pop(): boolean {
		if (this.n === 0) return false;
		const time = this.time;
		const seq = this.seq;
		const kind = this.kind;
		const arg = this.arg;
		const tag = this.tag;
		this.now = time[0]!;
		this.popKind = kind[0]!;
		this.popArg = arg[0]!;
		this.popTag = tag[0]!;
		const n = --this.n;
		if (n === 0) return true;
		const t = time[n]!;
		const s = seq[n]!;
		const k = kind[n]!;
		const a = arg[n]!;
		const g = tag[n]!;
		let i = 0;
		for (;;) {
			let c = 2 * i + 1;
			if (c >= n) break;
			const r = c + 1;
			if (r < n && (time[r]! < time[c]! || (time[r] === time[c] && seq[r]! < seq[c]!))) c = r;
			const ct = time[c]!;
			if (t < ct || (t === ct && s < seq[c]!)) break;
			time[i] = ct;
			seq[i] = seq[c]!;
			kind[i] = kind[c]!;
			arg[i] = arg[c]!;
			tag[i] = tag[c]!;
			i = c;
		}
		time[i] = t;
		seq[i] = s;
		kind[i] = k;
		arg[i] = a;
		tag[i] = g;
		return true;
	}

	/** Time of the earliest pending event (Infinity when empty). */
	peekTime(): number {
		return this.n ? this.time[0]! : Infinity;
	}

	private grow(): void {
		const cap = this.time.length * 2;
		const t = new Float64Array(cap);
		t.set(this.time);
		this.time = t;
		const s = new Float64Array(cap);
		s.set(this.seq);
		this.seq = s;
		const k = new Int32Array(cap);
		k.set(this.kind);
		this.kind = k;
		const a = new Int32Array(cap);
		a.set(this.arg);
		this.arg = a;
		const g = new Int32Array(cap);
		g.set(this.tag);
		this.tag = g;
	}
}
