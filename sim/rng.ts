/**
 * Seeded random numbers. Every draw of the simulator comes from an `Rng` passed in, never from
 * `Math.random`, and all arithmetic is 32-bit integer (`Math.imul`, `>>>`), so a seed gives the
 * same stream in Node and in any browser.
 */

/** 32-bit finaliser of MurmurHash3: a cheap bijective mixer used to spread seeds. */
function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** FNV-1a hash of a string, so a stream can be keyed by a queue id rather than its position. */
export function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator): 128 bits of state, passes
 * PractRand, and needs nothing but 32-bit adds, xors and shifts.
 */
export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	/** A generator whose state is derived from the given 32-bit keys (any number of them). */
	constructor(...keys: readonly number[]) {
		let h = 0x9e3779b9;
		const mixed = [0, 0, 0, 0];
		for (let i = 0; i < 4; i++) {
			for (const k of keys) h = fmix32((h ^ (k >>> 0)) + Math.imul(i + 1, 0x632be5ab));
			mixed[i] = h;
			h = fmix32(h + 0x9e3779b9);
		}
		this.a = mixed[0]!;
		this.b = mixed[1]!;
		this.c = mixed[2]!;
		this.d = mixed[3]! | 1;
		// The first outputs of sfc32 still carry the seed's structure; burn them.
		for (let i = 0; i < 12; i++) this.nextU32();
	}

	/** Next unsigned 32-bit integer. */
	nextU32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1), 32 bits of resolution. */
	next(): number {
		return this.nextU32() / 4294967296;
	}

	/** Uniform in (0, 1]: safe to take the logarithm of. */
	nextOpen(): number {
		return (this.nextU32() + 1) / 4294967296;
	}
}

/**
 * What a stream is for. Common random numbers need one stream per purpose (and per queue), so a
 * change that shifts one kind of draw leaves every other kind where it was.
 */
export const STREAM = { arrivals: 1, handle: 2, patience: 3, wrapup: 4, transfer: 5 } as const;

/** The stream for `purpose` on the queue with id `queueId`, in replication `rep` of `seed`. */
export function streamFor(seed: number, rep: number, purpose: number, queueId: string): Rng {
	return new Rng(seed, rep, purpose, hashString(queueId));
}
