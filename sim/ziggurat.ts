import { exp, log, logOpenU32 } from './detmath';
import type { Rng } from './rng';

/**
 * Unit exponential and standard normal draws by the ziggurat method (Marsaglia & Tsang, 2000;
 * 256 layers for the exponential, 128 for the normal): one 32-bit draw, a table lookup, a compare
 * and a multiply for ~99 % of draws; the rest fall back to a rejection test (detmath's exp) or,
 * in the base strip, the tail. Exact, not an approximation: the layers have equal area, so a
 * point uniform in the ziggurat lies under the density as often as the density says.
 *
 * The tables are built from detmath's log and exp, `Math.sqrt` and the four exact operations, so
 * they are the same bits in Node and every browser; so is every draw. The low bits of the draw
 * pick the layer (and the normal's sign) and the upper 24 the position in it: disjoint bits, so
 * layer and position are independent (Doornik, 2005, on the original's shared bits).
 *
 * Why: an fdlibm log costs ~25 ns a call (a ziggurat exponential ~10 ns, nextU32 included; best
 * of 5 runs over 2 M draws, same process), and the multi-skill day of sim.bench.ts takes ~140,000
 * exponential draws per replication (arrivals, patience, half the handle times) and ~30,000
 * lognormal ones (the polar method took a log, a division and 2.5 uniforms each).
 */

/** 2^24: the position's resolution in a layer. */
const M = 16777216;

/**
 * The tables of a ziggurat of `n` layers for the decreasing density `f` (up to its constant),
 * whose base strip's rectangle ends at `r` and whose layers each have area `v`; `fInv` inverts
 * `f`. K: per layer, the largest 24-bit position inside the layer below (accepted at once);
 * W: the x of one position step (x = position × W); F: the density at the layer's right edge.
 */
function layers(n: number, r: number, v: number, f: (x: number) => number, fInv: (y: number) => number) {
	const K = new Uint32Array(n);
	const W = new Float64Array(n);
	const F = new Float64Array(n);
	let x = r;
	let prev = r;
	const q = v / f(x);
	K[0] = Math.floor((x / q) * M);
	K[1] = 0;
	W[0] = q / M;
	W[n - 1] = x / M;
	F[0] = 1;
	F[n - 1] = f(x);
	for (let i = n - 2; i >= 1; i--) {
		x = fInv(v / x + f(x));
		K[i + 1] = Math.floor((x / prev) * M);
		prev = x;
		F[i] = f(x);
		W[i] = x / M;
	}
	return { K, W, F };
}

/** Right edge of the exponential's base strip's rectangle, and the common area of its 256 layers. */
const R = 7.697117470131050077;
const { K, W, F } = layers(256, R, 3.9496598225815571993e-3, (x) => exp(-x), (y) => -log(y));

/** One draw from the exponential distribution of mean 1. */
export function unitExponential(rng: Rng): number {
	const u = rng.nextU32();
	const i = u & 255;
	const j = u >>> 8;
	// K, W have 256 entries and i < 256.
	if (j < K[i]!) return j * W[i]!;
	return slow(rng, i, j);
}

/** The 1.1 % of draws outside the layers' inner rectangles. */
function slow(rng: Rng, i: number, j: number): number {
	for (;;) {
		// The base strip: the tail beyond R by inversion (memoryless).
		if (i === 0) return R - logOpenU32(rng.nextU32());
		const x = j * W[i]!;
		if (F[i]! + rng.next() * (F[i - 1]! - F[i]!) < exp(-x)) return x;
		const u = rng.nextU32();
		i = u & 255;
		j = u >>> 8;
		if (j < K[i]!) return j * W[i]!;
	}
}

/** The normal's (density exp(-x²/2), without its constant), 128 layers. */
const NR = 3.442619855899;
const { K: NK, W: NW, F: NF } = layers(
	128,
	NR,
	9.91256303526217e-3,
	(x) => exp(-0.5 * x * x),
	(y) => Math.sqrt(-2 * log(y))
);

/** One draw from the standard normal distribution. */
export function standardNormal(rng: Rng): number {
	const u = rng.nextU32();
	const i = u & 127;
	const j = u >>> 8;
	// Bit 7 is the sign; NK, NW have 128 entries and i < 128.
	if (j < NK[i]!) return u & 128 ? -j * NW[i]! : j * NW[i]!;
	return normalSlow(rng, u);
}

/** The ~1 % of normal draws outside the layers' inner rectangles. */
function normalSlow(rng: Rng, u: number): number {
	for (;;) {
		const i = u & 127;
		const j = u >>> 8;
		const neg = (u & 128) !== 0;
		let x: number;
		if (i === 0) {
			// The tail beyond NR (Marsaglia, 1964).
			let y: number;
			do {
				x = -logOpenU32(rng.nextU32()) / NR;
				y = -logOpenU32(rng.nextU32());
			} while (y + y < x * x);
			return neg ? -NR - x : NR + x;
		}
		x = j * NW[i]!;
		if (NF[i]! + rng.next() * (NF[i - 1]! - NF[i]!) < exp(-0.5 * x * x)) return neg ? -x : x;
		u = rng.nextU32();
		const k = u & 127;
		const l = u >>> 8;
		if (l < NK[k]!) return u & 128 ? -l * NW[k]! : l * NW[k]!;
	}
}
