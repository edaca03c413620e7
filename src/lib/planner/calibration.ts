import type { Summary } from '../../../sim/replicate';
import type { Actual } from '../../../sim/replay/actual';
import { ABANDON_BAND, asaBand, calibrationMetrics, MIN_INTERVAL_OFFERED, type CalibrationMetrics } from '../../../sim/replay/calibration';

/**
 * The calibration a planner sees before any what-if on a recorded day: the day replayed with its
 * own staffing against what it recorded, per interval and for the day, judged by the replay
 * module's bands (abandon rate within 3 points, ASA within max(20 %, 10 s)) and said in words.
 * Computed where the replications ran (a worker); the page only draws the small result.
 */

/** Recorded against replayed KPIs of one interval. */
export interface CalibrationRow {
	readonly index: number;
	/** Seconds from the day's start. */
	readonly start: number;
	readonly offered: number;
	readonly recorded: { readonly serviceLevel: number | null; readonly abandonRate: number | null; readonly asa: number | null };
	readonly replayed: { readonly serviceLevel: number | null; readonly abandonRate: number | null; readonly asa: number | null };
	/** Judged (enough recorded contacts) and outside a band. */
	readonly off: boolean;
	/** Enough recorded contacts to judge (≥ MIN_INTERVAL_OFFERED). */
	readonly judged: boolean;
}

/** The calibration of a day. */
export interface CalibrationView {
	readonly replications: number;
	readonly metrics: CalibrationMetrics;
	readonly serviceLevel: { readonly actual: number | null; readonly replayed: number | null };
	readonly rows: readonly CalibrationRow[];
	readonly fit: 'good' | 'poor';
	/** The verdict in sentences, the first saying "Good fit" or "Poor fit". */
	readonly words: readonly string[];
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const secs = (v: number) => `${v.toFixed(0)} s`;

/** True when an interval's replayed figures are outside the day-level bands around the recorded ones. */
function outside(rec: CalibrationRow['recorded'], rep: CalibrationRow['replayed']): boolean {
	if (rec.abandonRate !== null && rep.abandonRate !== null && Math.abs(rep.abandonRate - rec.abandonRate) > ABANDON_BAND) return true;
	if (rec.asa !== null && rep.asa !== null && Math.abs(rep.asa - rec.asa) > asaBand(rec.asa)) return true;
	return false;
}

/** Recorded against replayed, per interval and for the day, with the verdict in words. */
export function calibrationView(actual: Actual, replay: Summary): CalibrationView {
	const metrics = calibrationMetrics(actual, replay);
	const rows: CalibrationRow[] = actual.intervals.map((iv) => {
		const r = replay.intervals[iv.index]?.total;
		const recorded = { serviceLevel: iv.total.serviceLevel, abandonRate: iv.total.abandonRate, asa: iv.total.asa };
		const replayed = { serviceLevel: r?.serviceLevel ?? null, abandonRate: r?.abandonRate ?? null, asa: r?.asa ?? null };
		const judged = iv.total.offered >= MIN_INTERVAL_OFFERED;
		return { index: iv.index, start: iv.start, offered: iv.total.offered, recorded, replayed, judged, off: judged && outside(recorded, replayed) };
	});
	const judged = rows.filter((r) => r.judged);
	const off = judged.filter((r) => r.off);
	const ab = metrics.abandonRate;
	const asa = metrics.asa;
	const words: string[] = [];
	const fit = metrics.withinTarget ? 'good' : 'poor';
	if (ab.actual === null || ab.replayed === null || asa.actual === null || asa.replayed === null) {
		words.push('Poor fit: the day has too few answered or abandoned contacts to compare the replay with the record.');
	} else {
		const abGap = Math.abs(ab.replayed - ab.actual);
		const asaGap = Math.abs(asa.replayed - asa.actual);
		const band = asaBand(asa.actual);
		words.push(
			`${fit === 'good' ? 'Good fit' : 'Poor fit'}: replayed with its own staffing, the day abandons ${pct(ab.replayed)} against ${pct(ab.actual)} recorded ` +
				`(${(abGap * 100).toFixed(1)} points apart, ${abGap <= ABANDON_BAND ? 'within' : 'more than'} 3) and answers in ${secs(asa.replayed)} on average against ${secs(asa.actual)} recorded ` +
				`(${secs(asaGap)} apart, ${asaGap <= band ? 'within' : 'more than'} ${secs(band)}).`
		);
	}
	words.push(`${off.length} of ${judged.length} intervals with at least ${MIN_INTERVAL_OFFERED} contacts are outside those bands.`);
	words.push(
		fit === 'good'
			? 'What-ifs on this day start from a replay that reproduces it.'
			: 'Do not trust what-ifs on this day as forecasts of the real floor: compare scenarios with the replayed baseline, not with the recorded figures.'
	);
	return {
		replications: replay.replications,
		metrics,
		serviceLevel: { actual: actual.total.serviceLevel, replayed: replay.total.serviceLevel },
		rows,
		fit,
		words
	};
}
