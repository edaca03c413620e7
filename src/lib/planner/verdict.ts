import type { KpiSummary, SummaryKpi } from '../../../sim/replicate';

/**
 * How a result reads against its target and against the baseline, in words and an icon as well
 * as colour, so nobody has to tell green from red to read the summary.
 */

/** Whether a level meets its target. */
export interface TargetVerdict {
	readonly met: boolean;
	readonly icon: '✔' | '✘';
	readonly word: 'met' | 'missed';
}

/** A level against a target (higher is better). */
export function againstTarget(value: number | null, target: number): TargetVerdict | null {
	if (value === null) return null;
	const met = value >= target;
	return { met, icon: met ? '✔' : '✘', word: met ? 'met' : 'missed' };
}

/** Whether higher values of a KPI are better (null: neither, e.g. volumes). */
export const HIGHER_IS_BETTER: Partial<Record<SummaryKpi, boolean>> = {
	serviceLevel: true,
	answered: true,
	abandonRate: false,
	asa: false,
	abandoned: false,
	longestWait: false
};

/** What a paired difference says: better, worse, or no change the interval can tell. */
export interface ChangeVerdict {
	readonly kind: 'better' | 'worse' | 'unclear' | 'changed';
	readonly icon: '▲' | '▼' | '≈' | '•';
	readonly word: string;
}

/** Reads a paired difference's 95 % interval: it excludes 0 or it does not. */
export function changeVerdict(diff: KpiSummary, k: SummaryKpi): ChangeVerdict | null {
	const ci = diff.ci95[k];
	const mean = diff[k];
	if (mean === null || !ci) return null;
	if (ci[0] <= 0 && ci[1] >= 0) return { kind: 'unclear', icon: '≈', word: 'no clear change' };
	const up = ci[0] > 0;
	const hib = HIGHER_IS_BETTER[k];
	if (hib === undefined) return { kind: 'changed', icon: '•', word: up ? 'higher' : 'lower' };
	const better = up === hib;
	return better ? { kind: 'better', icon: '▲', word: 'better' } : { kind: 'worse', icon: '▼', word: 'worse' };
}
