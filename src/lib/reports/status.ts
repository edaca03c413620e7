import type { HistoryDayStatus } from '../domain/history';
import { formatHourMinute } from '../ui/format';
import type { MetVerdict } from './day';

/**
 * How a day's verdict reads given whether the day is over. The history says so per day
 * (`status` in `GET /api/history/days`): 'open' while the day runs, 'closing' after it ended while
 * contacts offered in it are still open (late outcomes may still change it), 'final' after. A
 * verdict on a day that is not final must not look like one on a finished day. Pure.
 */

/** Key of a day's status: the report of a date comes from one source, and the status is that source's day's. */
export function statusKey(date: string, source: string): string {
	return `${date} ${source}`;
}

/** A calendar cell's mark: an icon and a word (never colour alone), and the CSS class of its look. */
export interface DayMark {
	readonly icon: string;
	readonly word: string;
	readonly cls: 'none' | 'quiet' | 'met' | 'missed' | 'open' | 'provisional';
	/** Longer words for the cell's label: the verdict so far on a day that is not final. */
	readonly detail: string;
}

/**
 * The mark of one calendar day: `verdict` null when the store has no report for it, `status`
 * undefined when the history did not say (read as final: that is how days read before).
 */
export function dayMark(verdict: Pick<MetVerdict, 'met'> | null, traffic: boolean, status: HistoryDayStatus | undefined): DayMark {
	if (!verdict) return { icon: '', word: 'no data', cls: 'none', detail: 'no data' };
	const sofar = !traffic || verdict.met === null ? 'no traffic' : verdict.met ? 'met' : 'missed';
	// Short words: a calendar cell is about seven characters wide at 1920x1080.
	if (status === 'open') return { icon: '◔', word: 'so far', cls: 'open', detail: `in progress, so far ${sofar}` };
	if (status === 'closing') return { icon: '…', word: 'pending', cls: 'provisional', detail: `provisional (ended; late outcomes may still arrive), so far ${sofar}` };
	if (sofar === 'no traffic') return { icon: '○', word: 'no traffic', cls: 'quiet', detail: sofar };
	return sofar === 'met' ? { icon: '✓', word: 'met', cls: 'met', detail: sofar } : { icon: '✗', word: 'missed', cls: 'missed', detail: sofar };
}

/**
 * The words before a day's headline verdict: "So far today (until 10:15)" while the day runs
 * (`until`: end of the last interval with any count, in the day's time zone), "Provisional" while
 * late outcomes may still arrive, nothing on a final day.
 */
export function verdictPrefix(status: HistoryDayStatus | undefined, until: number | null, timeZone: string): string {
	if (status === 'open') return until === null ? 'So far today' : `So far today (until ${formatHourMinute(until, timeZone)})`;
	if (status === 'closing') return 'Provisional (late outcomes may still arrive)';
	return '';
}

/** End of the last interval with any contact offered or closed, or null when none. */
export function lastCountedEnd(intervals: readonly { readonly start: number; readonly counts: { readonly offered: number; readonly answered: number; readonly abandoned: number } }[], intervalMs: number): number | null {
	let end: number | null = null;
	for (const r of intervals) if (r.counts.offered + r.counts.answered + r.counts.abandoned > 0) end = Math.max(end ?? 0, r.start + intervalMs);
	return end;
}
