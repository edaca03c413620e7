import { describe, expect, it } from 'vitest';
import { atan, exp, log, logOpenU32 } from './detmath';
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
		[-1000, 0],
		[-0, 1],
		[NaN, NaN],
		// k = 1024 (the largest finite results) and the edge of the subnormal results.
		[709.782712893384, 1.7976931348622732e308],
		[-745.1332191019411, 5e-324],
		[-745.1332191019412, 0]
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

	it('logOpenU32(u) is log((u + 1) / 2^32) to the bit, at every exponent and both sides of each reduction boundary', () => {
		const us: number[] = [0, 1, 2, 3, 0xfffffffe, 0xffffffff, 0x7fffffff, 0x80000000, 0xb504f333, 0x6a09e667];
		for (let p = 0; p < 32; p++) {
			const top = 2 ** p;
			// Powers of two, their neighbours, and the √2 split (fdlibm's 0x95f64 in the mantissa) at this exponent.
			for (const v of [top - 1, top, top + 1, Math.floor(top * Math.SQRT2) - 1, Math.floor(top * Math.SQRT2), Math.ceil(top * Math.SQRT2)]) {
				if (v >= 1 && v <= 2 ** 32) us.push(v - 1);
			}
			// fdlibm halves x when its top 20 mantissa bits reach 0x6a09c: both sides of that.
			if (p >= 18) for (const hx of [0x6a09b, 0x6a09c]) us.push(top + hx * 2 ** (p - 20) - 1, top + hx * 2 ** (p - 20));
		}
		const r = new Rng(11);
		for (let i = 0; i < 200_000; i++) us.push(r.nextU32() >>> (r.nextU32() & 31));
		const bad = us.filter((u) => !Object.is(logOpenU32(u), log((u + 1) / 4294967296)));
		expect(bad).toEqual([]);
		expect(logOpenU32(0xffffffff)).toBe(0);
		expect(logOpenU32(0)).toBe(log(2 ** -32));
	});
});
