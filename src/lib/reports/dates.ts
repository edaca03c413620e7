import { clockTimeOn, parseResetTime } from '../domain/time';

/**
 * Calendar dates (YYYY-MM-DD) of the center's days, and where they begin and end in time. Pure.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isDate(s: string): boolean {
	const m = DATE.exec(s);
	if (!m) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The date `n` days after `date` (negative: before). */
export function addDays(date: string, n: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Epoch ms of the start of the center's day `date` (its reset time in `timeZone`) and of the next day's start. */
export function dayBounds(date: string, timeZone: string, resetHHMM: string): { start: number; end: number } {
	const reset = parseResetTime(resetHHMM) * 60;
	return { start: clockTimeOn(date, reset, timeZone), end: clockTimeOn(addDays(date, 1), reset, timeZone) };
}

/** Today's date in `timeZone` (the calendar day, ignoring the reset time). */
export function todayIn(timeZone: string, now = Date.now()): string {
	const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
	return parts;
}

/**
 * True when `date` comes after `today` (the center's today, `todayIn`): a day that has not begun,
 * so having no history says nothing yet. False whenever `today` is unknown ('').
 */
export function isToCome(date: string, today: string): boolean {
	return today !== '' && date > today;
}

/** What a day can be compared with: the previous day, the same weekday a week before, or a date. */
export type CompareWith = 'previous' | 'last-week' | string;

/** The date `day` is compared with, or null when `with` is neither a keyword nor a date. */
export function compareDate(day: string, withWhat: CompareWith): string | null {
	if (withWhat === 'previous') return addDays(day, -1);
	if (withWhat === 'last-week') return addDays(day, -7);
	return isDate(withWhat) ? withWhat : null;
}
