/** Number formats of the planner: percentages, seconds, counts, money, clock times, and intervals of each. */
import { formatClock, parseClock } from '../domain/time';

const DAY = 86_400;

/** "HH:MM" of `seconds` after midnight, to the nearest minute; a plan's day may run past midnight, so it wraps (26 h → "02:00"). */
export function clockOfDay(seconds: number): string {
	const minute = Math.round(seconds / 60) * 60;
	return formatClock(((minute % DAY) + DAY) % DAY);
}

/**
 * Index of the interval boundary nearest the clock time `hhmm` within a plan's day starting at
 * `dayStart` seconds after midnight (a day running past midnight reads "01:00" as 25 h; "24:00" is
 * midnight at the end); null when `hhmm` is not a clock time or falls outside the day.
 */
export function boundaryAt(hhmm: string, dayStart: number, intervalSeconds: number, intervals: number): number | null {
	const at = parseClock(hhmm.trim(), { maxHours: 24 });
	if (at === null || at > DAY) return null;
	let s = at - (dayStart % DAY);
	if (s < 0) s += DAY;
	const i = Math.round(s / intervalSeconds);
	return i <= intervals ? i : null;
}

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
