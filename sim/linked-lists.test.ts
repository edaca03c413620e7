import { describe, expect, it } from 'vitest';
import { LinkedLists } from './linked-lists';
import { Rng } from './rng';

/** Reads list `l` front to back. */
function items(ls: LinkedLists, l: number): number[] {
	const out: number[] = [];
	for (let n = ls.head(l); n >= 0; n = ls.next(n)) out.push(n);
	return out;
}

describe('LinkedLists', () => {
	it('keeps insertion order; removes from the front, middle and back', () => {
		const ls = new LinkedLists(2, 8);
		for (const n of [3, 1, 4, 5]) ls.append(0, n);
		ls.append(1, 2);
		expect(items(ls, 0)).toEqual([3, 1, 4, 5]);
		ls.remove(0, 4);
		expect(items(ls, 0)).toEqual([3, 1, 5]);
		ls.remove(0, 3);
		ls.remove(0, 5);
		expect(items(ls, 0)).toEqual([1]);
		ls.remove(0, 1);
		expect(ls.head(0)).toBe(-1);
		// A node taken out can join another list, at its end.
		ls.append(1, 4);
		expect(items(ls, 1)).toEqual([2, 4]);
	});

	it('inserts after a node, at the front and at the back; tail and prev walk it backwards', () => {
		const ls = new LinkedLists(1, 8);
		ls.append(0, 1);
		ls.insertAfter(0, -1, 0);
		ls.insertAfter(0, 1, 3);
		ls.insertAfter(0, 1, 2);
		expect(items(ls, 0)).toEqual([0, 1, 2, 3]);
		const back: number[] = [];
		for (let n = ls.tail(0); n >= 0; n = ls.prev(n)) back.push(n);
		expect(back).toEqual([3, 2, 1, 0]);
	});

	it('matches arrays under random appends and removals, across growth', () => {
		const rng = new Rng(11);
		const L = 5;
		const ls = new LinkedLists(L, 4);
		const ref: number[][] = Array.from({ length: L }, () => []);
		const where = new Map<number, number>();
		for (let i = 0; i < 20_000; i++) {
			const node = Math.floor(rng.next() * 64);
			if (node >= ls.capacity) ls.growNodes(ls.capacity * 2);
			const list = where.get(node);
			if (list === undefined) {
				const l = Math.floor(rng.next() * L);
				ls.append(l, node);
				ref[l]!.push(node);
				where.set(node, l);
			} else {
				ls.remove(list, node);
				ref[list]!.splice(ref[list]!.indexOf(node), 1);
				where.delete(node);
			}
		}
		for (let l = 0; l < L; l++) expect(items(ls, l)).toEqual(ref[l]);
	});
});
