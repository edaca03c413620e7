/**
 * Number and time formatting for the wall. Everything that can be "no data" takes null and
 * renders an em dash, so an empty denominator never shows as 0 %.
 */

/** Placeholder shown where a KPI has no value yet. */
export const NO_VALUE = '—';

/** A fraction as a whole percentage ("83%"), or the placeholder. */
export function formatPercent(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return NO_VALUE;
	return `${Math.round(x * 100)}%`;
}

// One formatter for every count: `toLocaleString` builds a new one per call, and the queue table
// formats a hundred counts per render.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators. */
export function formatCount(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return NO_VALUE;
	return COUNT.format(Math.round(x));
}

/**
 * A duration in seconds as a clock ("0:07", "4:32", "1:02:09"): the form supervisors read fastest
 * from across a room, and stable in width as it ticks.
 */
export function formatDuration(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return NO_VALUE;
	const s = Math.max(0, Math.floor(seconds));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const ss = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A duration squeezed into at most 3 characters for agent cells ("9s", "42s", "7m", "3h"). */
export function formatShortDuration(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds));
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m`;
	if (s < 86400) return `${Math.floor(s / 3600)}h`;
	return `${Math.floor(s / 86400)}d`;
}

// 24-hour clocks with two-digit hours ("09:05", never "24:00" at midnight: hourCycle h23), built
// once per time zone: the wall formats its clock every second.
const CLOCKS = new Map<string, Intl.DateTimeFormat>();
function clockFormat(seconds: boolean, timeZone: string | undefined): Intl.DateTimeFormat {
	const key = `${seconds}/${timeZone ?? ''}`;
	let f = CLOCKS.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23', timeZone });
		CLOCKS.set(key, f);
	}
	return f;
}

/** Wall-clock time of an epoch ms ("14:03:27"), in the browser's zone unless `timeZone` is given. */
export function formatTimeOfDay(ms: number, timeZone?: string): string {
	return clockFormat(true, timeZone).format(ms);
}

/** Hours and minutes of an epoch ms ("14:00"), for chart axes; the browser's zone unless `timeZone` is given. */
export function formatHourMinute(ms: number, timeZone?: string): string {
	return clockFormat(false, timeZone).format(ms);
}

