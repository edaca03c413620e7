import { fromZonedTime, toZonedTime } from 'date-fns-tz';

/**
 * Clock arithmetic for KPI periods: the center's day starts at a configurable reset time in its
 * own time zone (DST included, hence date-fns-tz), and intervals are fixed-length slices of that day.
 */

/** Parses "HH:MM" into minutes after midnight; throws naming the bad value. */
export function parseResetTime(hhmm: string): number {
	const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
	if (!m) throw new Error(`reset time must be HH:MM (00:00..23:59), got ${JSON.stringify(hhmm)}`);
	return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Epoch ms at which the center's day containing `ts` began: the latest reset time (`resetHHMM`
 * in `timeZone`, an IANA name) at or before `ts`.
 */
export function dayStart(ts: number, timeZone: string, resetHHMM = '00:00'): number {
	const resetMin = parseResetTime(resetHHMM);
	const local = toZonedTime(ts, timeZone);
	const y = local.getFullYear();
	const mo = local.getMonth();
	const d = local.getDate();
	const pad = (n: number) => String(n).padStart(2, '0');
	const at = (yy: number, mm: number, dd: number) => {
		const day = new Date(Date.UTC(yy, mm, dd));
		const iso = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}T${pad(Math.floor(resetMin / 60))}:${pad(resetMin % 60)}:00`;
		return fromZonedTime(iso, timeZone).getTime();
	};
	const today = at(y, mo, d);
	return today <= ts ? today : at(y, mo, d - 1);
}

/** Calendar date (YYYY-MM-DD, in `timeZone`) of the center's day that starts at `dayStartMs`. */
export function dayKey(dayStartMs: number, timeZone: string): string {
	const local = toZonedTime(dayStartMs, timeZone);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** Index of the fixed interval of `intervalMs` that holds `ts`, counting from `originMs`. */
export function intervalIndex(ts: number, originMs: number, intervalMs: number): number {
	return Math.floor((ts - originMs) / intervalMs);
}

/** Start (epoch ms) of the interval that holds `ts`. */
export function intervalStart(ts: number, originMs: number, intervalMs: number): number {
	return originMs + intervalIndex(ts, originMs, intervalMs) * intervalMs;
}
