import { describe, expect, it } from 'vitest';
import { hashString, Rng, streamFor, STREAM } from './rng';

describe('Rng', () => {
	it('same keys, same stream; different keys, different stream', () => {
		const draw = (r: Rng) => Array.from({ length: 5 }, () => r.nextU32());
		expect(draw(new Rng(1, 2))).toEqual(draw(new Rng(1, 2)));
		expect(draw(new Rng(1, 2))).not.toEqual(draw(new Rng(2, 1)));
		expect(draw(streamFor(1, 0, STREAM.handle, 'a'))).not.toEqual(draw(streamFor(1, 0, STREAM.patience, 'a')));
		expect(draw(streamFor(1, 0, STREAM.handle, 'a'))).not.toEqual(draw(streamFor(1, 1, STREAM.handle, 'a')));
	});

	it('uniforms look uniform (mean, variance, range)', () => {
		const r = new Rng(42);
		const n = 200_000;
		let s = 0;
		let s2 = 0;
		let min = 1;
		let max = 0;
		for (let i = 0; i < n; i++) {
			const u = r.next();
			s += u;
			s2 += u * u;
			min = Math.min(min, u);
			max = Math.max(max, u);
		}
		expect(s / n).toBeCloseTo(0.5, 2);
		expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
		expect(min).toBeGreaterThanOrEqual(0);
		expect(max).toBeLessThan(1);
	});

	it('nextOpen never returns 0, so its logarithm is finite', () => {
		const r = new Rng(7);
		for (let i = 0; i < 10_000; i++) expect(r.nextOpen()).toBeGreaterThan(0);
	});

	it('hashString is FNV-1a', () => {
		// FNV-1a 32-bit of "" and "a" (published test vectors).
		expect(hashString('')).toBe(0x811c9dc5);
		expect(hashString('a')).toBe(0xe40c292c);
	});
});
