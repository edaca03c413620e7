import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { FloorEvent } from '../../src/lib/domain/events';
import { parseAnonymousBank } from '../../src/lib/domain/traces/anonymous-bank';
import { parseEventsTrace } from '../../src/lib/domain/traces/events-trace';
import { formatTraceErrors, type TraceError } from '../../src/lib/domain/traces/trace-error';
import { bankDay, type RecordedDay } from './day';
import { eventsDay } from './events-day';

/**
 * Picks one day out of a trace file's text (an Anonymous Bank call log, or a Sightline JSONL
 * events trace), as a recorded day ready for `dayScenario`. Pure: the caller reads the file.
 * Every way this can go wrong comes back as one line naming what was wrong.
 */

/** Trace formats the replay reads. */
export const TRACE_FORMATS = ['sightline', 'anonymous-bank'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** Options of `loadTraceDay`. */
export interface TraceDayOptions {
	/** Format; guessed from the text when omitted (a JSON object on the first line: sightline). */
	readonly format?: TraceFormat;
	/** YYYY-MM-DD; required when the file holds several days. */
	readonly day?: string;
	/** Time zone whose midnight starts a day of a Sightline trace (default UTC). */
	readonly timeZone?: string;
}

/** The chosen day, or one line saying why there is none. */
export type TraceDay =
	| {
			readonly ok: true;
			readonly format: TraceFormat;
			readonly day: RecordedDay;
			/** Days the file holds. */
			readonly days: readonly string[];
			/** The day's events (Sightline traces), for recorded staffing; null for a call log. */
			readonly events: readonly FloorEvent[] | null;
			/** Epoch ms of the day's start (Sightline traces); null for a call log. */
			readonly dayStartMs: number | null;
	  }
	| { readonly ok: false; readonly message: string };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The first error, and how many more, on one line. */
function oneLine(errors: readonly TraceError[]): string {
	const more = errors.length > 1 ? ` (${errors.length}${errors.length >= 5 ? ' or more' : ''} bad lines in all)` : '';
	return `${formatTraceErrors(errors, 1).split('\n')[0] ?? ''}${more}`;
}

/** Guesses the format from the first meaningful line. */
export function guessFormat(text: string): TraceFormat {
	const first = text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
	return first.trim().startsWith('{') ? 'sightline' : 'anonymous-bank';
}

function pickDay(days: readonly string[], day: string | undefined): { ok: true; day: string } | { ok: false; message: string } {
	if (day !== undefined && !DATE_RE.test(day)) return { ok: false, message: `--day must be YYYY-MM-DD, got ${JSON.stringify(day.slice(0, 40))}` };
	if (days.length === 0) return { ok: false, message: 'the file holds no calls' };
	if (day === undefined) {
		if (days.length > 1) return { ok: false, message: `the file holds ${days.length} days (${days[0]} to ${days[days.length - 1]}): pick one with --day` };
		return { ok: true, day: days[0] ?? '' };
	}
	if (!days.includes(day)) return { ok: false, message: `no day ${day} in the file; its days: ${days.join(', ')}` };
	return { ok: true, day };
}

/** Loads one day of a trace's text. */
export function loadTraceDay(text: string, options: TraceDayOptions = {}): TraceDay {
	const format = options.format ?? guessFormat(text);
	if (format === 'anonymous-bank') {
		const probe = parseAnonymousBank(text, { maxErrors: 5 });
		if (probe.errors.length) return { ok: false, message: `not a valid Anonymous Bank call log: ${oneLine(probe.errors)}` };
		if (!probe.dated) {
			// An undated file is one day; --day, when given, names it.
			if (options.day !== undefined && !DATE_RE.test(options.day)) return { ok: false, message: `--day must be YYYY-MM-DD, got ${JSON.stringify(options.day.slice(0, 40))}` };
			const day = bankDay(probe.calls, null);
			if (day.contacts.length === 0) return { ok: false, message: 'the file has no traffic (no call was offered to agents)' };
			return { ok: true, format, day: { ...day, date: options.day ?? null }, days: options.day ? [options.day] : [], events: null, dayStartMs: null };
		}
		const picked = pickDay(probe.dates, options.day);
		if (!picked.ok) return picked;
		const day = bankDay(probe.calls, picked.day);
		if (day.contacts.length === 0) return { ok: false, message: `${picked.day} has no traffic (no call was offered to agents)` };
		return { ok: true, format, day, days: probe.dates, events: null, dayStartMs: null };
	}
	const tz = options.timeZone ?? 'UTC';
	const parsed = parseEventsTrace(text, { maxErrors: 5 });
	if (parsed.errors.length) return { ok: false, message: `not a valid Sightline events trace: ${oneLine(parsed.errors)}` };
	let localDate: (ts: number) => string;
	try {
		localDate = (ts) => formatInTimeZone(ts, tz, 'yyyy-MM-dd');
		localDate(0);
	} catch {
		return { ok: false, message: `unknown time zone ${JSON.stringify(tz.slice(0, 60))}` };
	}
	const days = [...new Set(parsed.events.filter((e) => e.type === 'contact.queued').map((e) => localDate(e.ts)))].sort();
	const picked = pickDay(days, options.day);
	if (!picked.ok) return picked;
	const start = fromZonedTime(`${picked.day}T00:00:00`, tz).getTime();
	const events = parsed.events.filter((e) => localDate(e.ts) === picked.day);
	const day = eventsDay(events, start, picked.day);
	if (day.contacts.length === 0) return { ok: false, message: `${picked.day} has no traffic (no contact answered or abandoned)` };
	return { ok: true, format, day, days, events, dayStartMs: start };
}
