import { log } from '../detmath';
import type { Dist } from '../scenario';

/**
 * Patience from a recorded day. An abandoned contact shows its patience (an event at its wait); an
 * answered one only shows that its patience exceeded its wait (right-censored). Kaplan–Meier
 * estimates the survival of patience from both without the bias of using abandoners alone (which
 * makes customers look impatient) or treating waits as patience.
 */

/** One observation: `time` waited; `event` true when it ended by abandoning, false when censored. */
export interface PatienceSample {
	readonly time: number;
	readonly event: boolean;
}

/** Kaplan–Meier survival: S(t) just after each distinct event time. */
export interface KaplanMeier {
	/** Distinct event times, ascending. */
	readonly times: readonly number[];
	/** Survival just after each time. */
	readonly survival: readonly number[];
	readonly events: number;
	readonly censored: number;
}

/** The Kaplan–Meier estimator (censored observations tied with an event count as still at risk). */
export function kaplanMeier(samples: readonly PatienceSample[]): KaplanMeier {
	const sorted = [...samples].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event));
	const times: number[] = [];
	const survival: number[] = [];
	let atRisk = sorted.length;
	let s = 1;
	let events = 0;
	for (let i = 0; i < sorted.length; ) {
		const t = sorted[i]?.time ?? 0;
		let d = 0;
		let n = 0;
		while (i < sorted.length && sorted[i]?.time === t) {
			if (sorted[i]?.event) d++;
			n++;
			i++;
		}
		if (d > 0) {
			s *= 1 - d / atRisk;
			times.push(t);
			survival.push(s);
			events += d;
		}
		atRisk -= n;
	}
	return { times, survival, events, censored: samples.length - events };
}

/** Survival S(t) of a Kaplan–Meier estimate (a step function, right-continuous). */
export function survivalAt(km: KaplanMeier, t: number): number {
	let lo = 0;
	let hi = km.times.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if ((km.times[mid] ?? 0) <= t) lo = mid + 1;
		else hi = mid;
	}
	return lo === 0 ? 1 : (km.survival[lo - 1] ?? 1);
}

/** Options of `patienceDistribution`. */
export interface PatienceOptions {
	/** Points that discretise the exponential tail past the last event (default 24). */
	readonly tailPoints?: number;
}

/** Patience as a scenario distribution, and how it was made. */
export interface PatienceFit {
	/** Empirical: the Kaplan–Meier jumps, then the tail mass spread over an exponential tail. Null when nobody abandoned. */
	readonly dist: Dist | null;
	readonly events: number;
	readonly censored: number;
	/** Survival left past the last abandon, carried by the tail. */
	readonly tailMass: number;
	/** Mean of the exponential tail past the last abandon (seconds). */
	readonly tailMean: number;
}

/**
 * Fits patience: Kaplan–Meier jumps as an empirical distribution, and the survival left past the
 * last abandon (the many long-waiting answered contacts say patience goes on) as an exponential
 * tail beyond it. The tail's mean is the exponential maximum-likelihood estimate on what was seen
 * past the median abandon: time at risk there divided by the abandons there, so the tail follows
 * how the patient customers behaved rather than the quick hang-ups.
 */
export function patienceDistribution(samples: readonly PatienceSample[], options: PatienceOptions = {}): PatienceFit {
	const km = kaplanMeier(samples);
	if (km.events === 0) return { dist: null, events: 0, censored: km.censored, tailMass: 1, tailMean: Infinity };
	const values: number[] = [];
	const weights: number[] = [];
	let prev = 1;
	km.times.forEach((t, i) => {
		const s = km.survival[i] ?? 0;
		values.push(t);
		weights.push(prev - s);
		prev = s;
	});
	const last = km.times[km.times.length - 1] ?? 0;
	const tailMass = prev;
	// Exponential MLE past the median event: exposure beyond it over the events beyond it.
	const eventTimes = samples.filter((x) => x.event).map((x) => x.time).sort((a, b) => a - b);
	const from = eventTimes[Math.floor(eventTimes.length / 2)] ?? 0;
	let exposure = 0;
	let beyond = 0;
	for (const x of samples) {
		if (x.time <= from) continue;
		exposure += x.time - from;
		if (x.event) beyond++;
	}
	const tailMean = beyond > 0 ? exposure / beyond : Math.max(exposure, last, 1);
	if (tailMass > 1e-9) {
		const K = options.tailPoints ?? 24;
		for (let k = 0; k < K; k++) {
			values.push(last + tailMean * -log(1 - (k + 0.5) / K));
			weights.push(tailMass / K);
		}
	}
	return { dist: { dist: 'empirical', values, weights }, events: km.events, censored: km.censored, tailMass, tailMean };
}
