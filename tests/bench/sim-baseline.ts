import { Rng } from '../../sim/rng';

/**
 * The benchmark's baseline: the smallest single-queue M/M/n+M event loop that does the same
 * work as the engine on that scenario (arrivals, abandonment events, service completions,
 * FIFO queue, the same counts), with a typed-array heap and no generality at all.
 */
export interface BaselineResult {
	readonly offered: number;
	readonly answered: number;
	readonly abandoned: number;
	readonly withinT: number;
	readonly waitSum: number;
	readonly events: number;
}

export function baselineMMnM(opts: {
	lambda: number;
	aht: number;
	patience: number;
	agents: number;
	threshold: number;
	horizon: number;
	seed: number;
}): BaselineResult {
	const { lambda, aht, patience, agents, threshold, horizon } = opts;
	const rArr = new Rng(opts.seed, 1);
	const rSvc = new Rng(opts.seed, 2);
	const rPat = new Rng(opts.seed, 3);
	// Heap of (time, seq, kind, id). Kinds: 0 arrival, 1 departure, 2 abandon.
	let cap = 1 << 12;
	let ht = new Float64Array(cap);
	let hs = new Float64Array(cap);
	let hk = new Int32Array(cap);
	let hi = new Int32Array(cap);
	let n = 0;
	let seq = 0;
	const push = (t: number, k: number, id: number) => {
		if (n === cap) {
			cap *= 2;
			const a = new Float64Array(cap);
			a.set(ht);
			ht = a;
			const b = new Float64Array(cap);
			b.set(hs);
			hs = b;
			const c = new Int32Array(cap);
			c.set(hk);
			hk = c;
			const d = new Int32Array(cap);
			d.set(hi);
			hi = d;
		}
		const s = seq++;
		let i = n++;
		while (i > 0) {
			const p = (i - 1) >> 1;
			if (ht[p]! < t || (ht[p] === t && hs[p]! < s)) break;
			ht[i] = ht[p]!;
			hs[i] = hs[p]!;
			hk[i] = hk[p]!;
			hi[i] = hi[p]!;
			i = p;
		}
		ht[i] = t;
		hs[i] = s;
		hk[i] = k;
		hi[i] = id;
	};
	// Waiting customers: a ring buffer of ids; per-id state in rings too (ids wrap; far more than ever wait).
	const RING = 1 << 20;
	const arrival = new Float64Array(RING);
	const state = new Uint8Array(RING); // 1 waiting, 2 gone
	const queue = new Int32Array(RING);
	const svcOf = new Float64Array(RING);
	let qh = 0;
	let qt = 0;
	let free = agents;
	let next = 0;
	let offered = 0;
	let answered = 0;
	let abandoned = 0;
	let withinT = 0;
	let waitSum = 0;
	let events = 0;
	push(-Math.log(rArr.nextOpen()) / lambda, 0, 0);
	while (n > 0) {
		// Pop.
		const now = ht[0]!;
		const kind = hk[0]!;
		const id = hi[0]!;
		const last = --n;
		if (last > 0) {
			const t = ht[last]!;
			const s = hs[last]!;
			const k = hk[last]!;
			const d = hi[last]!;
			let i = 0;
			for (;;) {
				let c = 2 * i + 1;
				if (c >= last) break;
				if (c + 1 < last && (ht[c + 1]! < ht[c]! || (ht[c + 1] === ht[c] && hs[c + 1]! < hs[c]!))) c++;
				if (t < ht[c]! || (t === ht[c] && s < hs[c]!)) break;
				ht[i] = ht[c]!;
				hs[i] = hs[c]!;
				hk[i] = hk[c]!;
				hi[i] = hi[c]!;
				i = c;
			}
			ht[i] = t;
			hs[i] = s;
			hk[i] = k;
			hi[i] = d;
		}
		events++;
		if (kind === 0) {
			const t = now - Math.log(rArr.nextOpen()) / lambda;
			if (t < horizon) push(t, 0, 0);
			const c = next++ & (RING - 1);
			offered++;
			const svc = -aht * Math.log(rSvc.nextOpen());
			const pat = -patience * Math.log(rPat.nextOpen());
			if (free > 0) {
				free--;
				answered++;
				withinT++;
				push(now + svc, 1, 0);
			} else {
				arrival[c] = now;
				state[c] = 1;
				queue[qt++ & (RING - 1)] = c;
				push(now + pat, 2, c);
				svcOf[c] = svc;
			}
		} else if (kind === 1) {
			free++;
			while (qh !== qt) {
				const c = queue[qh++ & (RING - 1)]!;
				if (state[c] !== 1) continue;
				state[c] = 2;
				const w = now - arrival[c]!;
				answered++;
				waitSum += w;
				if (w <= threshold) withinT++;
				free--;
				push(now + svcOf[c]!, 1, 0);
				break;
			}
		} else if (state[id] === 1) {
			state[id] = 2;
			abandoned++;
		}
	}
	return { offered, answered, abandoned, withinT, waitSum, events };
}
