/** Number formats of the planner: percentages, seconds, counts, money, and intervals of each. */

/** A fraction as a percentage ("83.4 %"). */
export const fmtPct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(digits)} %`);

/** A difference of fractions in percentage points ("+2.1 pt"). */
export const fmtPts = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(1)} pt`);

/** Seconds ("42 s", "3.5 min"). */
export const fmtSec = (v: number | null | undefined): string =>
	v === null || v === undefined ? '—' : Math.abs(v) >= 600 ? `${(v / 60).toFixed(1)} min` : `${v.toFixed(Math.abs(v) < 10 ? 1 : 0)} s`;

/** A signed difference with a unit formatter. */
export const fmtSigned = (v: number | null | undefined, f: (x: number) => string): string =>
	v === null || v === undefined ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${f(Math.abs(v))}`;

/**
 * Thousands separators by hand: the first `toLocaleString` with options loads ICU number data,
 * a main-thread task of hundreds of milliseconds in Chromium, right when results arrive.
 */
function grouped(v: number, digits: number): string {
	const [int, frac] = Math.abs(v).toFixed(digits).split('.');
	const g = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${v < 0 ? '−' : ''}${g}${frac ? `.${frac}` : ''}`;
}

/** A count ("1,234"). */
export const fmtCount = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : grouped(v, digits));

/** Money, no currency symbol (the planner's own unit). */
export const fmtMoney = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : grouped(v, digits));

/** A 95 % interval "[a, b]". */
export const fmtCi = (ci: readonly [number, number] | null | undefined, f: (x: number) => string): string => (ci ? `[${f(ci[0])}, ${f(ci[1])}]` : '');
