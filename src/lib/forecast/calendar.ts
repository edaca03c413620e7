/**
 * Calendar dates as 'YYYY-MM-DD' strings and day numbers (days since 1970-01-01), with no time
 * zone: a forecast speaks in the center's local dates and seconds from local midnight, the way
 * interval KPIs are stored.
 */

import { formatClock } from '../domain/time';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Day number of a 'YYYY-MM-DD' date, or null when it is not a real calendar date. */
export function dayNumber(date: string): number | null {
	const m = DATE_RE.exec(date);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const t = Date.UTC(y, mo - 1, d);
	const back = new Date(t);
	if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
	return Math.round(t / MS_PER_DAY);
}

/** 'YYYY-MM-DD' of a day number. */
export function dateOf(day: number): string {
	return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Weekday of a day number, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

/** Short English weekday names, index 0 = Sunday. */
export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** 'HH:MM' of seconds from midnight. */
export function clockOf(seconds: number): string {
	return formatClock(seconds);
}
