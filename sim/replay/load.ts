import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import { eventsTraces } from '../../src/lib/domain/history-trace';
import { parseAnonymousBank } from '../../src/lib/domain/traces/anonymous-bank';
import { parseEventsTrace } from '../../src/lib/domain/traces/events-trace';
import { formatTraceErrors, type TraceError } from '../../src/lib/domain/traces/trace-error';
import { bankDay, type RecordedDay } from './day';
import { historyDay } from './history-day';

/**
 * Picks one day out of a trace file's text (an Anonymous Bank call log, or a Sightline JSONL
 * events trace), as a recorded day ready for `dayScenario`. A Sightline trace is played through
 * the domain Floor and projected into the same day trace a stored day has
 * (`GET /api/history/days/:date/trace`), so it replays exactly like one: one interpretation of
 * events. Pure: the caller reads the file. Every way this can go wrong comes back as one line
 * naming what was wrong.
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
			/** The day's trace as the Floor projected it (Sightline traces); null for a call log. */
			readonly trace: HistoryTraceResponse | null;
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
			return { ok: true, format, day: { ...day, date: options.day ?? null }, days: options.day ? [options.day] : [], trace: null };
		}
		const picked = pickDay(probe.dates, options.day);
		if (!picked.ok) return picked;
		const day = bankDay(probe.calls, picked.day);
		if (day.contacts.length === 0) return { ok: false, message: `${picked.day} has no traffic (no call was offered to agents)` };
		return { ok: true, format, day, days: probe.dates, trace: null };
	}
	const tz = options.timeZone ?? 'UTC';
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: tz });
	} catch {
		return { ok: false, message: `unknown time zone ${JSON.stringify(tz.slice(0, 60))}` };
	}
	const parsed = parseEventsTrace(text, { maxErrors: 5 });
	if (parsed.errors.length) return { ok: false, message: `not a valid Sightline events trace: ${oneLine(parsed.errors)}` };
	// The Floor takes events in time order (stable: equal times keep the file's order).
	const events = parsed.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.ts - b.e.ts || a.i - b.i).map(({ e }) => e);
	const { traces } = eventsTraces(events, { ...DEFAULT_FLOOR_CONFIG, timeZone: tz }, 'import');
	const offered = traces.filter((t) => t.contacts.length > 0);
	const days = offered.map((t) => t.date);
	const picked = pickDay(days, options.day);
	if (!picked.ok) return picked;
	const found = offered.find((t) => t.date === picked.day);
	const reserve = reserveRules(text);
	if (!reserve.ok) return reserve;
	const trace = found && withReserve(found, reserve.rules);
	if (trace && 'message' in trace) return { ok: false, message: trace.message };
	const day = trace ? historyDay(trace, traceHorizon(trace), 900).day : null;
	if (!trace || !day || day.contacts.length === 0) return { ok: false, message: `${picked.day} has no traffic (no contact answered or abandoned)` };
	return { ok: true, format, day, days, trace };
}

/** Replay horizon of a day trace: its whole day, in whole 15-minute intervals (at least 24 h). */
export function traceHorizon(trace: HistoryTraceResponse, interval = 900): number {
	return Math.max(86_400, Math.ceil((trace.dayEnd - trace.dayStart) / 1000 / interval) * interval);
}

/** Comment line of a Sightline trace naming the reserve rules in force (sim/README.md). */
const RESERVE_LINE = /^#\s*reserve\s*:?\s*(.*)$/;
/** Reserve rules per agent id or team: per queue id, seconds its contacts wait before these agents take them. */
type ReserveRules = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * The reserve rules a Sightline trace carries. Agent events have no field for them, so the file
 * names them in a comment line, which every other reader of the trace (import, ingest) skips:
 * `# reserve: {"<agent id or team>": {"<queue id>": <seconds>}}`, one line or several.
 */
function reserveRules(text: string): { ok: true; rules: ReserveRules } | { ok: false; message: string } {
	const rules: Record<string, Record<string, number>> = {};
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const m = RESERVE_LINE.exec((lines[i] ?? '').trim());
		if (!m) continue;
		const bad = (why: string) => ({ ok: false as const, message: `line ${i + 1}: reserve rules must be {"<agent or team>": {"<queue>": seconds ≥ 0}}: ${why}` });
		let value: unknown;
		try {
			value = JSON.parse(m[1] ?? '');
		} catch {
			return bad('not JSON');
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not an object');
		for (const [who, perQueue] of Object.entries(value)) {
			if (typeof perQueue !== 'object' || perQueue === null || Array.isArray(perQueue)) return bad(`${JSON.stringify(who.slice(0, 60))} is not an object`);
			for (const [queue, secs] of Object.entries(perQueue as Record<string, unknown>)) {
				if (typeof secs !== 'number' || !Number.isFinite(secs) || secs < 0) return bad(`${JSON.stringify(who.slice(0, 60))}.${JSON.stringify(queue.slice(0, 60))} is not a number of seconds ≥ 0`);
				(rules[who] ??= {})[queue] = secs;
			}
		}
	}
	return { ok: true, rules };
}

/** The trace with each agent's reserve rules (its own, else its team's); a rule naming nobody of the day is refused. */
function withReserve(trace: HistoryTraceResponse, rules: ReserveRules): HistoryTraceResponse | { message: string } {
	const names = Object.keys(rules);
	if (names.length === 0) return trace;
	const known = new Set(trace.agents.flatMap((a) => [a.agent, a.team]));
	const unknown = names.find((n) => !known.has(n));
	if (unknown !== undefined) return { message: `reserve rules name ${JSON.stringify(unknown.slice(0, 60))}, neither an agent nor a team of ${trace.date}` };
	for (const [who, perQueue] of Object.entries(rules)) {
		for (const queue of Object.keys(perQueue)) {
			if (!trace.agents.some((a) => (a.agent === who || a.team === who) && (a.skills[queue] ?? 0) > 0)) {
				return { message: `reserve rules hold ${JSON.stringify(who.slice(0, 60))} back for ${JSON.stringify(queue.slice(0, 60))}, which is not one of its skills` };
			}
		}
	}
	return { ...trace, agents: trace.agents.map((a) => ((rules[a.agent] ?? rules[a.team]) ? { ...a, reserve: { ...(rules[a.agent] ?? rules[a.team]) } } : a)) };
}
