import { describe, expect, it } from 'vitest';
import { Calendar } from './calendar';
import { Rng } from './rng';

describe('Calendar', () => {
	it('pops in time order, ties in insertion order', () => {
		const c = new Calendar(1, 2);
		const pushes: [number, number][] = [
			[5, 0],
			[1, 1],
			[5, 2],
			[3, 3],
			[1, 4],
			[5, 5]
		];
		for (const [t, k] of pushes) c.push(t, k, k * 10, 100 + k);
		const got: number[][] = [];
		while (c.pop()) got.push([c.now, c.popKind, c.popArg, c.popTag]);
		expect(got).toEqual([
			[1, 1, 10, 101],
			[1, 4, 40, 104],
			[3, 3, 30, 103],
			[5, 0, 0, 100],
			[5, 2, 20, 102],
			[5, 5, 50, 105]
		]);
	});

	it.each([0.001, 0.3, 1, 7, 1000])('matches a sort on random interleaved pushes and pops (bucket width %s)', (width) => {
		const rng = new Rng(3);
		const c = new Calendar(width, 4);
		const ref: { t: number; s: number }[] = [];
		let s = 0;
		for (let i = 0; i < 10_000; i++) {
			if (rng.next() < 0.6 || ref.length === 0) {
				const t = Math.floor(rng.next() * 100);
				c.push(t, 0, s, 0);
				ref.push({ t, s: s++ });
			} else {
				ref.sort((a, b) => a.t - b.t || a.s - b.s);
				const want = ref.shift()!;
				expect(c.pop()).toBe(true);
				expect([c.now, c.popArg]).toEqual([want.t, want.s]);
			}
		}
		expect(c.size).toBe(ref.length);
	});

	it('keeps (time, sequence) order across ring and heap: far-ahead events, pushes behind the cursor, ties, reserved numbers', () => {
		// Width 1: the ring covers 4,096 s from its cursor; later events and events pushed behind
		// the cursor (earlier than the ring's earliest when the heap held an earlier one) go to the heap.
		const rng = new Rng(17);
		const c = new Calendar(1, 2);
		const ref: { t: number; s: number }[] = [];
		let now = 0;
		const push = (t: number) => {
			const s = c.push(t, 3, ref.length, 0);
			ref.push({ t, s });
		};
		for (let i = 0; i < 20_000; i++) {
			const r = rng.next();
			if (r < 0.5 || ref.length === 0) {
				const pick = rng.next();
				// Near, far beyond the window, the same instant as now, or a constant delay (ties).
				const t = pick < 0.5 ? now + rng.next() * 30 : pick < 0.6 ? now + 5000 + rng.next() * 20_000 : pick < 0.8 ? now : now + 15;
				push(t);
			} else if (r < 0.52) {
				const s = c.reserve();
				ref.push({ t: Infinity, s });
			} else {
				ref.sort((a, b) => a.t - b.t || a.s - b.s);
				if (ref[0]!.t === Infinity) continue;
				const want = ref.shift()!;
				expect(c.pop()).toBe(true);
				expect([c.now, c.popSeq, c.popKind]).toEqual([want.t, want.s, 3]);
				now = c.now;
			}
			expect(c.size).toBe(ref.filter((e) => e.t < Infinity).length);
		}
		const rest = ref.filter((e) => e.t < Infinity).sort((a, b) => a.t - b.t || a.s - b.s);
		for (const want of rest) {
			expect(c.pop()).toBe(true);
			expect([c.now, c.popSeq]).toEqual([want.t, want.s]);
		}
		expect(c.pop()).toBe(false);
	});

	it('an event pushed behind the ring\'s cursor still comes out in time order', () => {
		// Width 1: the ring covers 4,096 s. 4192 is beyond the window when pushed (heap); after
		// 100 is popped, 4195 fits the ring; popping scans the cursor to 4195 but takes 4192 from
		// the heap; 4193 is then behind the cursor and must come out before 4195.
		const c = new Calendar(1, 4);
		c.push(100, 0, 1, 0);
		c.push(4192, 0, 2, 0);
		const order: number[] = [];
		const pop = () => {
			expect(c.pop()).toBe(true);
			order.push(c.now);
		};
		pop();
		c.push(4195, 0, 3, 0);
		pop();
		c.push(4193, 0, 4, 0);
		c.push(4192, 0, 5, 0);
		pop();
		pop();
		pop();
		expect(order).toEqual([100, 4192, 4192, 4193, 4195]);
		expect(c.pop()).toBe(false);
	});

	it('many events at one instant come out in push order, with earlier ones of the same bucket slipped in', () => {
		// Width 10: all of 50..59.9 share a bucket; the tail takes the ties, the walk the earlier ones.
		const c = new Calendar(10, 4);
		const want: [number, number][] = [];
		for (let i = 0; i < 5000; i++) {
			const s = c.push(55, 1, i, 0);
			want.push([55, s]);
			if (i % 100 === 0) want.push([50 + (i % 500) / 100, c.push(50 + (i % 500) / 100, 1, i, 0)]);
		}
		want.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		const got: [number, number][] = [];
		while (c.pop()) got.push([c.now, c.popSeq]);
		expect(got).toEqual(want);
	});
});

