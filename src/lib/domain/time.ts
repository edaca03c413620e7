import { fromZonedTime } from 'date-fns-tz';

/**
 * Clock arithmetic for KPI periods: the center's day starts at a configurable reset time in its
 * own time zone (DST included, hence date-fns-tz and Intl), and intervals are fixed-length slices
 * of that day. Also the one parser and formatter of clock times ("HH:MM", "h:mm:ss") for the
 * whole code base.
 */

/** What `parseClock` accepts. */
export interface ClockFormat {
	/** Largest hour (default 23; elapsed times such as `--from` allow more). */
	readonly maxHours?: number;
	/** Digits the hour may have: exactly two ("08:30"), or 1 to this many (default 2). */
	readonly hourDigits?: 'two' | number;
	/** Whether ":ss" is required (default: not allowed). */
	readonly seconds?: boolean;
}

/** Parses a clock time "HH:MM" (or "h:mm:ss" with `seconds`) into seconds after midnight; null when malformed. */
export function parseClock(text: string, format: ClockFormat = {}): number | null {
	const m = clockPattern(format.hourDigits ?? 2, format.seconds ?? false).exec(text);
	if (!m) return null;
	const h = Number(m[1]);
	if (h > (format.maxHours ?? 23)) return null;
	return h * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

const CLOCK_PATTERNS = new Map<string, RegExp>();

/** The pattern of one clock format, built once (imports parse millions of clock times). */
function clockPattern(digits: 'two' | number, seconds: boolean): RegExp {
	const key = `${digits}/${seconds}`;
	let re = CLOCK_PATTERNS.get(key);
	if (!re) {
		const hours = digits === 'two' ? '(\\d{2})' : `(\\d{1,${digits}})`;
		re = new RegExp(`^${hours}:([0-5]\\d)${seconds ? ':([0-5]\\d)' : ''}$`);
		CLOCK_PATTERNS.set(key, re);
	}
	return re;
}

/**
 * Seconds after midnight as a clock: "08:30" (hours padded, the default), "8:30" (`padHours`
 * false), with ":ss" when `seconds`. Hours do not wrap (86,400 s is "24:00").
 */
export function formatClock(totalSeconds: number, { padHours = true, seconds = false }: { padHours?: boolean; seconds?: boolean } = {}): string {
	const s = Math.floor(totalSeconds);
	const h = Math.floor(s / 3600);
	const clock = `${padHours ? two(h) : h}:${two(Math.floor(s / 60) % 60)}`;
	return seconds ? `${clock}:${two(s % 60)}` : clock;
}

/** Parses "HH:MM" into minutes after midnight; throws naming the bad value. */
export function parseResetTime(hhmm: string): number {
	const s = parseClock(hhmm, { hourDigits: 'two' });
	if (s === null) throw new Error(`reset time must be HH:MM (00:00..23:59), got ${JSON.stringify(hhmm)}`);
	return s / 60;
}

/**
 * Epoch ms at which the center's day containing `ts` began: the latest reset time (`resetHHMM`
 * in `timeZone`, an IANA name) at or before `ts`.
 */
export function dayStart(ts: number, timeZone: string, resetHHMM = '00:00'): number {
	const reset = parseResetTime(resetHHMM) * 60;
	const today = dayKey(ts, timeZone);
	const start = clockTimeOn(today, reset, timeZone);
	if (start <= ts) return start;
	return clockTimeOn(previousDate(today), reset, timeZone);
}

/** The calendar date before `date` (YYYY-MM-DD). */
export function previousDate(date: string): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Epoch ms of the clock time `seconds` after midnight (whole minutes) on calendar date `date` (YYYY-MM-DD) in `timeZone`, DST included. */
export function clockTimeOn(date: string, seconds: number, timeZone: string): number {
	return fromZonedTime(`${date}T${formatClock(seconds - (seconds % 60), { seconds: true })}`, timeZone).getTime();
}

const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Calendar date (YYYY-MM-DD, in `timeZone`) of the instant `ms`, e.g. of the center's day that starts there. */
export function dayKey(ms: number, timeZone: string): string {
	let f = DATE_FORMATS.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
		DATE_FORMATS.set(timeZone, f);
	}
	const part = (parts: Intl.DateTimeFormatPart[], type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const parts = f.formatToParts(ms);
	return `${part(parts, 'year').padStart(4, '0')}-${part(parts, 'month')}-${part(parts, 'day')}`;
}

/** Two digits ("07"). */
function two(n: number): string {
	return String(n).padStart(2, '0');
}

/** Index of the fixed interval of `intervalMs` that holds `ts`, counting from `originMs`. */
export function intervalIndex(ts: number, originMs: number, intervalMs: number): number {
	return Math.floor((ts - originMs) / intervalMs);
}

/** Start (epoch ms) of the interval that holds `ts`. */
export function intervalStart(ts: number, originMs: number, intervalMs: number): number {
	return originMs + intervalIndex(ts, originMs, intervalMs) * intervalMs;
}
