/**
 * Deterministic `log`, `exp` and `atan`. JavaScript only requires +, −, ×, ÷ and `Math.sqrt` to
 * be correctly rounded; `Math.exp` and friends may differ in the last bit between engines and
 * even between V8 versions (Node 20 and a current Chromium disagree on `Math.exp(1.7)`). These
 * are ports of fdlibm's e_log.c and e_exp.c (and a series for atan) that use only the exact
 * operations, so a seed gives bit-identical runs in Node and every browser.
 */

const buf = new Float64Array(1);
const words = new Int32Array(buf.buffer);
// Index of the high word in the Int32 view (1 on little-endian machines).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const TWO54 = 1.8014398509481984e16;
const Lg1 = 6.666666666666735130e-1;
const Lg2 = 3.999999999940941908e-1;
const Lg3 = 2.857142874366239149e-1;
const Lg4 = 2.222219843214978396e-1;
const Lg5 = 1.818357216161805012e-1;
const Lg6 = 1.531383769920937332e-1;
const Lg7 = 1.479819860511658591e-1;

/** Natural logarithm (fdlibm __ieee754_log). */
export function log(x: number): number {
	buf[0] = x;
	let hx = words[HI]!;
	const lx = words[LO]!;
	let k = 0;
	if (hx < 0x00100000) {
		if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
		if (hx < 0) return NaN;
		k -= 54;
		x *= TWO54;
		buf[0] = x;
		hx = words[HI]!;
	}
	if (hx >= 0x7ff00000) return x + x;
	k += (hx >> 20) - 1023;
	hx &= 0x000fffff;
	const i0 = (hx + 0x95f64) & 0x100000;
	words[HI] = hx | (i0 ^ 0x3ff00000); // normalise x or x/2
	return logReduced(buf[0]!, k + (i0 >> 20), hx);
}

/** 2^-j for j = 0..33, by halving (exact). */
const POW2_NEG = new Float64Array(34);
for (let j = 0, p = 1; j < 34; j++, p /= 2) POW2_NEG[j] = p;

/**
 * `log((u + 1) / 2^32)` for an unsigned 32-bit `u`: the same bits as `log(rng.nextOpen())`, for
 * the draws that take the logarithm of a uniform (the tails of ziggurat.ts).
 * The argument is an integer times 2^-32, so its exponent and mantissa come from `Math.clz32`
 * and shifts instead of writing the double and reading its words back (a store-to-load round
 * trip): 25 ns instead of 61 ns a call (best of 15 runs over 2 M draws, same process, loaded
 * 2-core machine); the multi-skill day took about 170,000 of them per replication before the
 * ziggurat (issue #8, fourth round), now ~1 % of its exponential draws.
 */
export function logOpenU32(u: number): number {
	const v = u + 1;
	if (v >= 4294967296) return 0;
	const z = Math.clz32(v);
	// x = 1.m × 2^(31-z-32); hx is the top 20 bits of m, as in the double's high word.
	const hx = (v << z << 1) >>> 12;
	const i0 = (hx + 0x95f64) & 0x100000;
	const up = i0 >> 20;
	// x / 2^k, with k = 31 - z - 32 + up: the mantissa with exponent 0 (or -1 when up = 1), exact.
	return logReduced(v * POW2_NEG[31 - z + up]!, -1 - z + up, hx);
}

/**
 * The tail of fdlibm's log: `x` is the argument scaled by 2^-k into [sqrt(2)/2, sqrt(2)), `hx`
 * the top 20 mantissa bits of the unscaled argument.
 */
function logReduced(x: number, k: number, hx: number): number {
	const f = x - 1.0;
	const dk = k;
	if ((0x000fffff & (2 + hx)) < 3) {
		if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
		const R = f * f * (0.5 - 0.33333333333333333 * f);
		return k === 0 ? f - R : dk * LN2_HI - (R - dk * LN2_LO - f);
	}
	const s = f / (2.0 + f);
	const z = s * s;
	let i = hx - 0x6147a;
	const w = z * z;
	const j = 0x6b851 - hx;
	const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
	const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
	i |= j;
	const R = t2 + t1;
	if (i > 0) {
		const hfsq = 0.5 * f * f;
		return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
	}
	return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

const INV_LN2 = 1.44269504088896338700e0;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const TWOM1000 = 9.33263618503218878990e-302;

/** The double whose high word is `hi` and low word 0 (for fdlibm's high-word thresholds). */
function fromHigh(hi: number): number {
	words[HI] = hi;
	words[LO] = 0;
	return buf[0]!;
}
// fdlibm compares the high word of |x|; with the low word 0 these are the same tests on |x|.
const EXP_BIG = fromHigh(0x40862e42); // hx >= 0x40862e42
const EXP_REDUCE = fromHigh(0x3fd62e43); // hx > 0x3fd62e42
const EXP_ONE_LN2 = fromHigh(0x3ff0a2b2); // hx < 0x3ff0a2b2
const EXP_TINY = fromHigh(0x3e300000); // hx < 0x3e300000
/** 2^k for k = -1021..1023, by doubling and halving (exact). */
const POW2 = new Float64Array(2045);
for (let k = 0, p = 1; k <= 1023; k++, p *= 2) POW2[k + 1021] = p;
for (let k = -1, p = 0.5; k >= -1021; k--, p /= 2) POW2[k + 1021] = p;

/**
 * `xs[i]` becomes e to the `xs[i]` (fdlibm __ieee754_exp), the same bits. The thresholds are compared on |x| and the
 * result is scaled by a product with 2^k instead of writing x's words into a buffer and adding
 * k to the exponent field (a store-to-load round trip each way); a product by a power of two is
 * exact while the result is normal, which is the only case where fdlibm adds to the exponent.
 * Issue #8, third round: 2.6 M calls on lognormal-sized arguments took 754–837 ms against
 * 823–1,161 ms (three alternating rounds, same process, loaded 2-core machine); the same bits on
 * 6 M arguments (every threshold's neighbours, both signs, subnormal results, ±Infinity, NaN).
 */
function expAt(xs: Float64Array, i: number): void {
	let x = xs[i]!;
	if (x !== x) {
		xs[i] = x + x;
		return;
	}
	const ax = x < 0 ? -x : x;
	const neg = x < 0;
	if (ax >= EXP_BIG) {
		if (ax === Infinity) {
			xs[i] = neg ? 0 : x;
			return;
		}
		if (x > O_THRESHOLD) {
			xs[i] = Infinity;
			return;
		}
		if (x < U_THRESHOLD) {
			xs[i] = 0;
			return;
		}
	}
	let hi = 0;
	let lo = 0;
	let k = 0;
	if (ax >= EXP_REDUCE) {
		if (ax < EXP_ONE_LN2) {
			hi = x - (neg ? -LN2_HI : LN2_HI);
			lo = neg ? -LN2_LO : LN2_LO;
			k = neg ? -1 : 1;
		} else {
			k = Math.trunc(INV_LN2 * x + (neg ? -0.5 : 0.5));
			hi = x - k * LN2_HI;
			lo = k * LN2_LO;
		}
		x = hi - lo;
	} else if (ax < EXP_TINY) {
		xs[i] = 1 + x;
		return;
	}
	const t = x * x;
	const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
	if (k === 0) {
		xs[i] = 1 - ((x * c) / (c - 2.0) - x);
		return;
	}
	const y = 1 - (lo - (x * c) / (2.0 - c) - hi);
	if (k >= -1021) {
		xs[i] = k === 1024 ? y * 2 * POW2[1023 + 1021]! : y * POW2[k + 1021]!;
		return;
	}
	xs[i] = y * POW2[k + 1000 + 1021]! * TWOM1000;
}

const expScratch = new Float64Array(1);

/**
 * e to the x; see `expAt`. Through a one-slot buffer so that no caller gets its result boxed:
 * V8 never inlines `expAt` (too large), and a number returned from a call it does not inline is
 * allocated on the heap (draw-ahead.ts).
 */
export function exp(x: number): number {
	expScratch[0] = x;
	expAt(expScratch, 0);
	return expScratch[0]!;
}

/** `xs[i] = exp(xs[i])` for every i (the simulator's draws ahead, draw-ahead.ts). */
export function expInPlace(xs: Float64Array): void {
	for (let i = 0; i < xs.length; i++) expAt(xs, i);
}


/** Arctangent, by halving the angle twice and a short series (|error| < 1e-16). */
export function atan(x: number): number {
	if (x !== x) return NaN;
	if (x < 0) return -atan(-x);
	if (x > 1) return Math.PI / 2 - atan(1 / x);
	// atan(x) = 2·atan(x / (1 + √(1 + x²))), twice: |x| ≤ tan(π/16) ≈ 0.199.
	let y = x / (1 + Math.sqrt(1 + x * x));
	y = y / (1 + Math.sqrt(1 + y * y));
	const y2 = y * y;
	let term = y;
	let sum = y;
	for (let n = 3; n < 60; n += 2) {
		term *= -y2;
		const add = term / n;
		sum += add;
		if (add < 1e-20 && add > -1e-20) break;
	}
	return 4 * sum;
}
