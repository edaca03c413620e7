import { describe, expect, it } from 'vitest';
import { atan, exp, log } from './detmath';
import { Rng } from './rng';

describe('deterministic math', () => {
	it.each([
		[1, 0],
		[Math.E, 1],
		[0, -Infinity],
		[-1, NaN],
		[Infinity, Infinity],
		[2, Math.LN2],
		[10, Math.LN10]
	])('log(%f) = %f', (x, want) => expect(log(x)).toBe(want));

	it.each([
		[0, 1],
		[-Infinity, 0],
		[Infinity, Infinity],
		[1000, Infinity],
		[-1000, 0]
	])('exp(%f) = %f', (x, want) => expect(exp(x)).toBe(want));

	it('agree with Math within an ulp or two over wide ranges, subnormals included', () => {
		const r = new Rng(5);
		const bad: string[] = [];
		for (let i = 0; i < 50_000; i++) {
			const x = r.nextOpen() * 10 ** (r.next() * 40 - 20);
			if (Math.abs(log(x) - Math.log(x)) > 2 * Number.EPSILON * Math.max(1, Math.abs(Math.log(x)))) bad.push(`log ${x}`);
			const y = (r.next() - 0.5) * 1400;
			if (Math.abs(exp(y) / Math.exp(y) - 1) > 2 * Number.EPSILON) bad.push(`exp ${y}`);
			const z = (r.next() - 0.5) * 100;
			if (Math.abs(atan(z) - Math.atan(z)) > 4 * Number.EPSILON) bad.push(`atan ${z}`);
		}
		expect(bad).toEqual([]);
		expect(exp(1) / Math.E - 1).toBeLessThanOrEqual(Number.EPSILON);
		expect(Math.abs(log(5e-324) / Math.log(5e-324) - 1)).toBeLessThan(1e-15);
		expect(exp(-744)).toBe(Math.exp(-744));
	});
});
