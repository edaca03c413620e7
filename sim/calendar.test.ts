import { describe, expect, it } from 'vitest';
import { Calendar } from './calendar';
import { Rng } from './rng';

describe('Calendar', () => {
	it('pops in time order, ties in insertion order', () => {
		const c = new Calendar(2);
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

	it('matches a sort on random interleaved pushes and pops', () => {
		const rng = new Rng(3);
		const c = new Calendar(4);
		const ref: { t: number; s: number }[] = [];
		let s = 0;
		for (let i = 0; i < 20_000; i++) {
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
});
