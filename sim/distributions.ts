import { exp, expInPlace, log } from './detmath';
import type { Rng } from './rng';
import type { Arrivals, Dist } from './scenario';
import { standardNormal, unitExponential } from './ziggurat';

/**
 * Samplers for the scenario's distributions. One class with a numeric kind instead of one class
 * per distribution keeps the call site monomorphic on the hot path. Each purpose has its own
 * stream, so the n-th draw of a stream is the same in two scenarios (common random numbers)
 * even though a draw takes a varying number of uniforms (ziggurat.ts: exponential and normal
 * draws by the ziggurat). Logarithms and exponentials come from detmath.ts, so draws are
 * bit-identical in Node and browsers.
 */

const EXPONENTIAL = 0;
const LOGNORMAL = 1;
const EMPIRICAL = 2;
const CONSTANT = 3;

/** Draws durations (seconds) from one distribution. */
export class Sampler {
	private constructor(
		private readonly kind: number,
		private readonly a: number,
		private readonly b: number,
		private readonly values: Float64Array,
		/** Cumulative weights, normalised to end at 1; empty for equal weights. */
		private readonly cdf: Float64Array
	) {}

	/** A sampler for `d`, which must be valid (see `validateScenario`). */
	static of(d: Dist): Sampler {
		const none = new Float64Array(0);
		switch (d.dist) {
			case 'exponential':
				return new Sampler(EXPONENTIAL, d.mean, 0, none, none);
			case 'lognormal': {
				// Parameters of the underlying normal that give the requested mean and sd.
				const s2 = log(1 + (d.sd * d.sd) / (d.mean * d.mean));
				return new Sampler(LOGNORMAL, log(d.mean) - s2 / 2, Math.sqrt(s2), none, none);
			}
			case 'empirical': {
				const values = Float64Array.from(d.values);
				if (!d.weights) return new Sampler(EMPIRICAL, 0, 0, values, none);
				const cdf = new Float64Array(values.length);
				const total = d.weights.reduce((x, y) => x + y, 0);
				let acc = 0;
				for (let i = 0; i < values.length; i++) cdf[i] = acc += d.weights[i]! / total;
				cdf[values.length - 1] = 1;
				return new Sampler(EMPIRICAL, 0, 0, values, cdf);
			}
			case 'constant':
				return new Sampler(CONSTANT, d.value, 0, none, none);
		}
	}

	/** The mean of the distribution (for sizing and reports). */
	mean(): number {
		switch (this.kind) {
			case EXPONENTIAL:
			case CONSTANT:
				return this.a;
			case LOGNORMAL:
				return exp(this.a + (this.b * this.b) / 2);
			default: {
				let m = 0;
				const n = this.values.length;
				for (let i = 0; i < n; i++) m += this.values[i]! * (this.cdf.length ? this.cdf[i]! - (i ? this.cdf[i - 1]! : 0) : 1 / n);
				return m;
			}
		}
	}

	/** One draw. */
	draw(rng: Rng): number {
		switch (this.kind) {
			case EXPONENTIAL:
				return this.a * unitExponential(rng);
			case LOGNORMAL:
				return exp(this.a + this.b * standardNormal(rng));
			case EMPIRICAL: {
				const u = rng.next();
				const v = this.values;
				if (this.cdf.length === 0) return v[Math.floor(u * v.length)]!;
				let lo = 0;
				let hi = v.length - 1;
				while (lo < hi) {
					const mid = (lo + hi) >>> 1;
					if (this.cdf[mid]! > u) hi = mid;
					else lo = mid + 1;
				}
				return v[lo]!;
			}
			default:
				rng.next();
				return this.a;
		}
	}

	/**
	 * Fills `out` with the next `out.length` draws, the same numbers as that many `draw` calls.
	 * One call per batch instead of one per draw: a draw's number is never returned across a
	 * call the engine does not inline, where V8 allocates it as a heap number (see draw-ahead.ts).
	 */
	fill(rng: Rng, out: Float64Array): void {
		const n = out.length;
		const a = this.a;
		switch (this.kind) {
			case EXPONENTIAL:
				for (let i = 0; i < n; i++) out[i] = a * unitExponential(rng);
				return;
			case LOGNORMAL: {
				const b = this.b;
				for (let i = 0; i < n; i++) out[i] = a + b * standardNormal(rng);
				expInPlace(out);
				return;
			}
			case CONSTANT:
				for (let i = 0; i < n; i++) {
					rng.next();
					out[i] = a;
				}
				return;
			default:
				for (let i = 0; i < n; i++) out[i] = this.draw(rng);
		}
	}
}

/**
 * Sampling conditioned on exceeding a value (`Sampler.drawAbove`): the patience of a contact known
 * to have waited `x` without abandoning. Kept beside `Sampler` but apart from its hot `draw`.
 */
export class ConditionalSampler {
	private readonly sorted: Float64Array;
	/** Cumulative probability up to and including each sorted value. */
	private readonly cum: Float64Array;

	constructor(
		private readonly d: Dist,
		private readonly base: Sampler
	) {
		if (d.dist !== 'empirical') {
			this.sorted = new Float64Array(0);
			this.cum = new Float64Array(0);
			return;
		}
		const n = d.values.length;
		const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => (d.values[i] ?? 0) - (d.values[j] ?? 0));
		const total = d.weights ? d.weights.reduce((x, y) => x + y, 0) : n;
		this.sorted = Float64Array.from(idx, (i) => d.values[i] ?? 0);
		this.cum = new Float64Array(n);
		let acc = 0;
		idx.forEach((i, k) => (this.cum[k] = acc += (d.weights ? (d.weights[i] ?? 0) : 1) / total));
		if (n) this.cum[n - 1] = 1;
	}

	/**
	 * One draw conditioned on exceeding `x`; Infinity when the distribution has no mass above `x`
	 * (that contact then never abandons). Exponential: `x` plus a draw (memoryless). Lognormal: by
	 * rejection, at most 64 tries. Empirical: inverse transform on the mass above `x`.
	 */
	drawAbove(rng: Rng, x: number): number {
		const d = this.d;
		switch (d.dist) {
			case 'exponential':
				return x + this.base.draw(rng);
			case 'constant':
				rng.next();
				return d.value > x ? d.value : Infinity;
			case 'lognormal':
				for (let i = 0; i < 64; i++) {
					const v = this.base.draw(rng);
					if (v > x) return v;
				}
				return Infinity;
			case 'empirical': {
				const v = this.sorted;
				const n = v.length;
				let lo = 0;
				let hi = n;
				while (lo < hi) {
					const mid = (lo + hi) >>> 1;
					if (v[mid]! > x) hi = mid;
					else lo = mid + 1;
				}
				const below = lo > 0 ? this.cum[lo - 1]! : 0;
				const u = below + rng.next() * (1 - below);
				if (lo >= n || below >= 1) return Infinity;
				hi = n - 1;
				while (lo < hi) {
					const mid = (lo + hi) >>> 1;
					if (this.cum[mid]! > u) hi = mid;
					else lo = mid + 1;
				}
				return v[lo]!;
			}
		}
	}
}

/**
 * Arrival times of one queue: a non-homogeneous Poisson process with a piecewise-constant rate,
 * drawn by inverting the cumulative rate (one unit exponential per arrival, whatever the
 * profile), or the times of a trace.
 */
export class ArrivalProcess {
	private readonly rates: Float64Array;
	private readonly times: Float64Array;
	/** Trace entry (index into the scenario's `trace`) of each sorted time, for per-contact columns. */
	private readonly order: Int32Array;
	private idx = 0;
	/** `next`'s one-time buffer. */
	private readonly one = new Float64Array(1);

	/** `interval` and `horizon` in seconds; `a` must be valid for them. */
	constructor(
		a: Arrivals,
		private readonly interval: number,
		private readonly horizon: number
	) {
		if ('perHour' in a) {
			this.rates = new Float64Array([a.perHour / 3600]);
			this.interval = Infinity;
			this.times = new Float64Array(0);
			this.order = new Int32Array(0);
		} else if ('perInterval' in a) {
			this.rates = Float64Array.from(a.perInterval, (n) => n / interval);
			this.times = new Float64Array(0);
			this.order = new Int32Array(0);
		} else {
			this.rates = new Float64Array(0);
			const t = a.trace;
			// Stable by time, so equal times keep the trace's order.
			this.order = Int32Array.from(t.keys()).sort((i, j) => t[i]! - t[j]! || i - j);
			this.times = Float64Array.from(this.order, (i) => t[i]!);
		}
	}

	/** Whether arrivals are drawn (Poisson) rather than a trace's. */
	get drawn(): boolean {
		return this.rates.length > 0;
	}

	/** Trace entry of the arrival `next` returned last (-1 for Poisson arrivals). */
	lastIndex(): number {
		return this.rates.length === 0 && this.idx > 0 ? this.order[this.idx - 1]! : -1;
	}

	/** Expected number of arrivals over the horizon. */
	expected(): number {
		if (this.times.length || this.rates.length === 0) return this.times.length;
		if (this.interval === Infinity) return this.rates[0]! * this.horizon;
		let n = 0;
		for (let i = 0; i < this.rates.length; i++) {
			n += this.rates[i]! * (Math.min(this.horizon, (i + 1) * this.interval) - i * this.interval);
		}
		return n;
	}

	/**
	 * Fills `out` with the arrival times that follow `t`, as successive `next` calls would give
	 * them; returns how many there are (fewer than `out.length` once the horizon is reached).
	 * The loop is here, not a `next` per time, so no time is returned across a call (see
	 * draw-ahead.ts).
	 */
	fill(t: number, rng: Rng, out: Float64Array): number {
		const n = out.length;
		if (this.rates.length === 0) {
			let k = 0;
			while (k < n && this.idx < this.times.length) out[k++] = this.times[this.idx++]!;
			return k;
		}
		const rates = this.rates;
		const I = this.interval;
		const H = this.horizon;
		let k = 0;
		next: while (k < n) {
			let e = unitExponential(rng);
			if (I === Infinity) {
				const r = rates[0]!;
				const x = r > 0 ? t + e / r : Infinity;
				if (!(x < H)) return k;
				out[k++] = t = x;
				continue;
			}
			// Inversion of the cumulative rate: spend the unit exponential `e` interval by interval.
			let i = Math.floor(t / I);
			while (i < rates.length) {
				const end = Math.min((i + 1) * I, H);
				const r = rates[i]!;
				const need = e / r;
				if (r > 0 && t + need < end) {
					out[k++] = t = t + need;
					continue next;
				}
				if (r > 0) e -= (end - t) * r;
				t = end;
				i++;
			}
			return k;
		}
		return k;
	}

	/** The first arrival after `t`, or Infinity when none falls before the horizon. */
	next(t: number, rng: Rng): number {
		return this.fill(t, rng, this.one) === 1 ? this.one[0]! : Infinity;
	}
}
