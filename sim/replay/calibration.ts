import type { Summary } from '../replicate';
import type { Actual } from './actual';

/**
 * How well a replay reproduced its recorded day: total abandon rate and ASA against the record,
 * and the per-interval fit. The target (issue #12): the mean of the replications within 3 points
 * of the recorded abandon rate and within max(20 %, 10 s) of the recorded ASA.
 */

/** Abandon-rate band, in rate units (3 points). */
export const ABANDON_BAND = 0.03;
/** ASA band: the larger of 20 % of the recorded ASA and 10 s. */
export function asaBand(actualAsa: number): number {
	return Math.max(0.2 * actualAsa, 10);
}
/** Intervals with fewer offered contacts than this are left out of the per-interval fit (too noisy). */
export const MIN_INTERVAL_OFFERED = 10;

/** One replay against its day. */
export interface CalibrationMetrics {
	readonly abandonRate: { readonly actual: number | null; readonly replayed: number | null; readonly ci95: readonly [number, number] | null };
	readonly asa: { readonly actual: number | null; readonly replayed: number | null; readonly ci95: readonly [number, number] | null };
	/** Mean absolute error over intervals with ≥ MIN_INTERVAL_OFFERED offered: abandon rate (rate units) and ASA (s). */
	readonly intervalMae: { readonly abandonRate: number | null; readonly asa: number | null; readonly intervals: number };
	readonly withinTarget: boolean;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Compares a replay's summary with the recorded day's own KPIs. */
export function calibrationMetrics(actual: Actual, replay: Summary): CalibrationMetrics {
	const aAb = actual.total.abandonRate;
	const rAb = replay.total.abandonRate;
	const aAsa = actual.total.asa;
	const rAsa = replay.total.asa;
	const abErr: number[] = [];
	const asaErr: number[] = [];
	let used = 0;
	for (const iv of actual.intervals) {
		if (iv.total.offered < MIN_INTERVAL_OFFERED) continue;
		const r = replay.intervals[iv.index]?.total;
		if (!r) continue;
		used++;
		if (iv.total.abandonRate !== null && r.abandonRate !== null) abErr.push(Math.abs(iv.total.abandonRate - r.abandonRate));
		if (iv.total.asa !== null && r.asa !== null) asaErr.push(Math.abs(iv.total.asa - r.asa));
	}
	const withinTarget =
		aAb !== null && rAb !== null && aAsa !== null && rAsa !== null && Math.abs(rAb - aAb) <= ABANDON_BAND && Math.abs(rAsa - aAsa) <= asaBand(aAsa);
	return {
		abandonRate: { actual: aAb, replayed: rAb, ci95: replay.total.ci95.abandonRate },
		asa: { actual: aAsa, replayed: rAsa, ci95: replay.total.ci95.asa },
		intervalMae: { abandonRate: mean(abErr), asa: mean(asaErr), intervals: used },
		withinTarget
	};
}
