import type { HistoryDayStatus } from '../domain/history';
import { formatHourMinute } from '../ui/format';
import type { MetVerdict } from './day';
import { isToCome } from './dates';

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
	readonly cls: 'none' | 'future' | 'quiet' | 'met' | 'missed' | 'open' | 'provisional';
	/** Longer words for the cell's label: the verdict so far on a day that is not final. */
	readonly detail: string;
	/** The verdict (so far, on a day that is not final): met, missed, no traffic, no data, or to come. */
	readonly verdict: 'met' | 'missed' | 'no traffic' | 'no data' | 'to come';
}

/** The mark of a day after today without history: it has not happened, so it is neither judged nor "no data". */
export const TO_COME_MARK: DayMark = { icon: '', word: 'to come', cls: 'future', detail: 'to come (after today)', verdict: 'to come' };

/** What the day view shows for a date with no report: its words, and whether the day is to come. */
export interface NoReportText {
	readonly text: string;
	/** True when the date is after today: shown in the calendar's neutral "to come" look (`TO_COME_MARK.cls`). */
	readonly toCome: boolean;
}

/**
 * The day view's words for `date` when the history has no report of it. A date after `today` (the
 * center's, `todayIn` of its time zone; `isToCome`) has not happened, so nothing is missing: it says
 * so and names today. A past date (or any date while today is unknown, '') keeps "No history".
 */
export function noReportText(date: string, today: string): NoReportText {
	if (isToCome(date, today)) return { text: `${date} is to come: it has not happened yet (today is ${today} in the center's time zone).`, toCome: true };
	return { text: `No history for ${date}. Pick a marked day in the calendar.`, toCome: false };
}

/**
 * The mark of one calendar day: `verdict` null when the store has no report for it, `status`
 * undefined when the history did not say (read as final: that is how days read before);
 * `toCome` when the day is after today (`isToCome`), which only matters when it has no report.
 */
export function dayMark(verdict: Pick<MetVerdict, 'met'> | null, traffic: boolean, status: HistoryDayStatus | undefined, toCome = false): DayMark {
	if (!verdict) return toCome ? TO_COME_MARK : { icon: '', word: 'no data', cls: 'none', detail: 'no data', verdict: 'no data' };
	const sofar = !traffic || verdict.met === null ? 'no traffic' : verdict.met ? 'met' : 'missed';
	// Short words: a calendar cell is about seven characters wide at 1920x1080.
	if (status === 'open') return { icon: '◔', word: 'so far', cls: 'open', detail: `in progress, so far ${sofar}`, verdict: sofar };
	if (status === 'closing') return { icon: '…', word: 'pending', cls: 'provisional', detail: `provisional (ended; late outcomes may still arrive), so far ${sofar}`, verdict: sofar };
	if (sofar === 'no traffic') return { icon: '○', word: 'no traffic', cls: 'quiet', detail: sofar, verdict: sofar };
	return sofar === 'met' ? { icon: '✓', word: 'met', cls: 'met', detail: sofar, verdict: sofar } : { icon: '✗', word: 'missed', cls: 'missed', detail: sofar, verdict: sofar };
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

/** A range day as the finality of a week or month needs it. */
type RangeDayOf = { readonly date: string; readonly source: string; readonly traffic: boolean; readonly met: Pick<MetVerdict, 'met'> };

/** How final a week or month is: each day's mark, the final days' verdicts, and the days not final yet. */
export interface RangeFinality {
	/** Each day's mark, by date (the calendar's). */
	readonly marks: ReadonlyMap<string, DayMark>;
	/** Final days (or days the history said nothing about) judged met, missed, or without traffic. */
	readonly metDays: number;
	readonly missedDays: number;
	readonly quietDays: number;
	/** Days still running ('open': today) and ended days whose late outcomes may still arrive ('closing'). */
	readonly openDays: readonly string[];
	readonly pendingDays: readonly string[];
	/** Days after today with no history (`rangeGaps`): not happened yet, so the range is not final either. */
	readonly toComeDays: readonly string[];
	/** The headline's words when some day is not final ('' when every day is): what it includes and that its figures may change. */
	readonly note: string;
}

/**
 * The finality of a week or month from its days and the history's status of each (by
 * `statusKey(date, source)`): a day not final is neither met nor missed in the counts, carries
 * its calendar mark, and the range says it includes it. `toCome`: its dates after today with no
 * history (`rangeGaps`); they are marked to come and make the range not final. Pure.
 */
export function rangeFinality(days: readonly RangeDayOf[], statuses: ReadonlyMap<string, HistoryDayStatus>, toCome: readonly string[] = []): RangeFinality {
	const marks = new Map<string, DayMark>();
	const openDays: string[] = [];
	const pendingDays: string[] = [];
	let metDays = 0;
	let missedDays = 0;
	let quietDays = 0;
	for (const d of days) {
		const m = dayMark(d.met, d.traffic, statuses.get(statusKey(d.date, d.source)));
		marks.set(d.date, m);
		if (m.cls === 'open') openDays.push(d.date);
		else if (m.cls === 'provisional') pendingDays.push(d.date);
		else if (m.cls === 'met') metDays++;
		else if (m.cls === 'missed') missedDays++;
		else quietDays++;
	}
	for (const date of toCome) marks.set(date, TO_COME_MARK);
	const parts = [
		...(openDays.length === 1 ? ['today so far (still running)'] : openDays.length > 1 ? [`${openDays.length} days still running`] : []),
		...(pendingDays.length ? [`${pendingDays.length} pending ${pendingDays.length === 1 ? 'day' : 'days'} (ended; late outcomes may still arrive)`] : []),
		...(toCome.length ? [`${toCome.length} ${toCome.length === 1 ? 'day' : 'days'} to come`] : [])
	];
	const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
	const note = listed ? `Not final: includes ${listed}. Its totals and verdicts may still change.` : '';
	return { marks, metDays, missedDays, quietDays, openDays, pendingDays, toComeDays: [...toCome], note };
}

/**
 * The range summary's count of days from its finality and its days without data (past days with
 * no history, `rangeGaps`): "3 days met, 1 missed, 1 without traffic, 1 so far, 2 without data,
 * 28 to come". Days to come are never counted as without data.
 */
export function rangeDaysText(fin: RangeFinality, withoutData: number): string {
	return [
		`${fin.metDays} ${fin.metDays === 1 ? 'day' : 'days'} met, ${fin.missedDays} missed, ${fin.quietDays} without traffic`,
		...(fin.openDays.length ? [`${fin.openDays.length} so far`] : []),
		...(fin.pendingDays.length ? [`${fin.pendingDays.length} pending`] : []),
		...(withoutData ? [`${withoutData} without data`] : []),
		...(fin.toComeDays.length ? [`${fin.toComeDays.length} to come`] : [])
	].join(', ');
}

/**
 * A range day's verdict in its table row: as before on a final day ('met', 'missed', 'no
 * traffic'), else its mark and the verdict so far ('◔ so far: missed', '… pending: met').
 */
export function rangeVerdictText(m: DayMark): string {
	return m.cls === 'open' || m.cls === 'provisional' ? `${m.icon} ${m.word}: ${m.verdict}` : m.word;
}
