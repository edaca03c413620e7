import { parse } from 'csv-parse/browser/esm/sync';
import { parseClock } from '../time';
import type { TraceError } from './trace-error';

/**
 * Parser of the "Anonymous Bank" call logs (Technion SEE lab, 1999; see shared/data/README.md):
 * the one-day file (no `date`, no `priority` column) and the monthly files (with both). Pure: runs
 * in Node and in the browser (the planner opens files there), hence csv-parse's browser build.
 *
 * One record per call, PHANTOM rows skipped. Clock times become seconds after the midnight of the
 * call's date; a time that falls more than 12 hours before the one it follows ran past midnight
 * and gets 24 hours added (calls entering the IVR at 23:59 and answered at 0:01).
 */

/** Service types of the file, as queue ids (`type`) with their names. */
export const BANK_QUEUE_NAMES: Readonly<Record<string, string>> = {
	PS: 'Regular',
	PE: 'Regular (English)',
	IN: 'Internet consulting',
	NE: 'Stock exchange',
	NW: 'Prospective customers',
	TT: 'Call-backs'
};

/** Agent name the file uses when nobody served (a few AGENT rows carry it too). */
export const BANK_NO_SERVER = 'NO_SERVER';

/** One call of the log. Times are seconds after the midnight of `date` (may exceed 86,400). */
export interface BankCall {
	/** Line of the file (1 = header), for messages that point back at the source. */
	readonly line: number;
	/** `vru+line` and `call_id` joined: unique within a file. */
	readonly id: string;
	/** `YYYY-MM-DD` from the `date` column, else the `date` option, else null. */
	readonly date: string | null;
	/** The service `type` (PS, PE, IN, NE, NW, TT), used as queue id. */
	readonly queue: string;
	/** 0 unidentified, 1 regular, 2 high priority; 0 when the file has no `priority` column. */
	readonly priority: number;
	readonly vruEntry: number;
	readonly vruExit: number;
	/** Null when the call never entered the agent queue. */
	readonly qStart: number | null;
	readonly qExit: number | null;
	/** AGENT (served) or HANG (hung up; abandoned when it had queued). */
	readonly outcome: 'AGENT' | 'HANG';
	/** Null when no service was recorded (HANG, and a few AGENT rows whose talk time is unknown). */
	readonly serStart: number | null;
	readonly serExit: number | null;
	/** The agent who served; null for NO_SERVER. */
	readonly server: string | null;
	/** Offered to agents: queued, or answered straight from the IVR (a HANG that never queued was not). */
	readonly offered: boolean;
	/** When it was offered: `qStart`, or `serStart` for a call answered without queueing; null when not offered. */
	readonly offeredAt: number | null;
	/** Seconds waited in queue (`q_exit − q_start`, 0 when answered without queueing); null when not offered. */
	readonly wait: number | null;
	/** Hung up in queue before service. */
	readonly abandoned: boolean;
}

/** What `parseAnonymousBank` returns: every good call, and every bad row by line and field. */
export interface BankParse {
	readonly calls: BankCall[];
	readonly errors: TraceError[];
	/** Whether the file has a `date` column (a multi-day file). */
	readonly dated: boolean;
	/** Dates present in the file (or the `date` option), sorted. */
	readonly dates: string[];
}

/** Options of `parseAnonymousBank`. */
export interface BankParseOptions {
	/**
	 * For a file without a `date` column: the date to give its calls. For a file with one: keep only
	 * that day's calls.
	 */
	readonly date?: string;
	/** Stop collecting errors after this many (default 100): a wrong file must not flood the caller. */
	readonly maxErrors?: number;
}

const REQUIRED = ['vru+line', 'call_id', 'type', 'vru_entry', 'vru_exit', 'q_start', 'q_exit', 'outcome', 'ser_start', 'ser_exit', 'server'] as const;
const NO_TIME = '0:00:00';
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Caps and escapes a value from the file for an error message. */
export function quoteValue(v: string): string {
	return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** A clock time `t` that follows `ref`: after midnight when it is more than 12 h earlier. */
function following(t: number, ref: number): number {
	return t < ref - 12 * 3600 ? t + 86_400 : t;
}

class RowError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(message);
	}
}

function clock(row: Record<string, string>, field: string): number {
	const v = row[field] ?? '';
	const s = parseClock(v, { seconds: true, maxHours: 99 });
	if (s === null) throw new RowError(field, `${field} must be h:mm:ss, got ${quoteValue(v)}`);
	if (s >= 24 * 3600) throw new RowError(field, `${field} hour must be 0–23, got ${quoteValue(v)}`);
	return s;
}

/** Parses one row (already known to have every column); throws RowError on the first bad field. */
function parseRow(row: Record<string, string>, line: number, dated: boolean, date: string | null): BankCall | null {
	const outcome = row.outcome ?? '';
	if (outcome === 'PHANTOM') return null;
	if (outcome !== 'AGENT' && outcome !== 'HANG') {
		throw new RowError('outcome', `outcome must be AGENT, HANG or PHANTOM, got ${quoteValue(outcome)}`);
	}
	const queue = row.type ?? '';
	if (!(queue in BANK_QUEUE_NAMES)) {
		throw new RowError('type', `type must be one of ${Object.keys(BANK_QUEUE_NAMES).join(', ')}, got ${quoteValue(queue)}`);
	}
	let callDate = date;
	if (dated) {
		const d = row.date ?? '';
		if (!DATE_RE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
			throw new RowError('date', `date must be YYYY-MM-DD, got ${quoteValue(d)}`);
		}
		callDate = d;
	}
	let priority = 0;
	if (row.priority !== undefined) {
		if (!/^\d{1,4}$/.test(row.priority)) throw new RowError('priority', `priority must be a whole number, got ${quoteValue(row.priority)}`);
		priority = Number(row.priority);
	}
	const vruEntry = clock(row, 'vru_entry');
	const vruExit = following(clock(row, 'vru_exit'), vruEntry);
	const queued = row.q_start !== NO_TIME;
	const qStart = queued ? following(clock(row, 'q_start'), vruExit) : null;
	const qExit = qStart !== null ? following(clock(row, 'q_exit'), qStart) : null;
	const served = row.ser_start !== NO_TIME;
	const serRef = qStart ?? vruExit;
	const serStart = served ? following(clock(row, 'ser_start'), serRef) : null;
	const serExit = serStart !== null ? following(clock(row, 'ser_exit'), serStart) : null;
	const server = row.server === BANK_NO_SERVER || row.server === '' ? null : (row.server ?? null);
	const offered = queued || outcome === 'AGENT';
	// A few AGENT rows (about 1 in 600) record no service times: answered, talk time unknown.
	const offeredAt = qStart ?? (outcome === 'AGENT' ? (serStart ?? vruExit) : null);
	const wait = qStart !== null && qExit !== null ? Math.max(0, qExit - qStart) : offered ? 0 : null;
	return {
		line,
		id: `${row['vru+line']}-${row.call_id}`,
		date: callDate,
		queue,
		priority,
		vruEntry,
		vruExit,
		qStart,
		qExit,
		outcome,
		serStart,
		serExit,
		server,
		offered,
		offeredAt,
		wait,
		abandoned: queued && outcome === 'HANG'
	};
}

/**
 * Parses an Anonymous Bank call log. Bad rows are left out and listed in `errors` (line, field,
 * message); a caller that must not half-apply a file refuses it when `errors` is not empty. A file
 * that is not a call log at all (missing columns) gives one error at line 1 and no calls.
 */
export function parseAnonymousBank(text: string, options: BankParseOptions = {}): BankParse {
	const maxErrors = options.maxErrors ?? 100;
	const errors: TraceError[] = [];
	if (options.date !== undefined && !DATE_RE.test(options.date)) {
		return { calls: [], errors: [{ line: 0, field: 'date', message: `date option must be YYYY-MM-DD, got ${quoteValue(options.date)}` }], dated: false, dates: [] };
	}
	let records: { record: string[]; info: { lines: number } }[];
	try {
		// `info` gives each record's own line, so messages stay right past blank or multi-line rows.
		records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true, info: true }) as unknown as typeof records; // the typings ignore `info`
	} catch (e) {
		const err = e as { lines?: number; message?: string };
		return { calls: [], errors: [{ line: err.lines ?? 0, field: '', message: `not CSV: ${String(err.message ?? e).slice(0, 200)}` }], dated: false, dates: [] };
	}
	const header = records[0]?.record ?? [];
	const missing = REQUIRED.filter((c) => !header.includes(c));
	if (missing.length) {
		return {
			calls: [],
			errors: [{ line: 1, field: missing[0] ?? '', message: `missing column(s) ${missing.join(', ')}: not an Anonymous Bank call log` }],
			dated: false,
			dates: []
		};
	}
	const dated = header.includes('date');
	const calls: BankCall[] = [];
	const dates = new Set<string>();
	const fixedDate = dated ? null : (options.date ?? null);
	for (let i = 1; i < records.length; i++) {
		const rec = records[i]?.record ?? [];
		const line = records[i]?.info.lines ?? i + 1;
		if (rec.length !== header.length) {
			if (errors.length < maxErrors) errors.push({ line, field: '', message: `expected ${header.length} fields, got ${rec.length}` });
			continue;
		}
		const row: Record<string, string> = {};
		header.forEach((h, j) => (row[h] = rec[j] ?? ''));
		try {
			const call = parseRow(row, line, dated, fixedDate);
			if (!call) continue;
			if (call.date !== null) dates.add(call.date);
			if (dated && options.date !== undefined && call.date !== options.date) continue;
			calls.push(call);
		} catch (e) {
			if (!(e instanceof RowError)) throw e;
			if (errors.length < maxErrors) errors.push({ line, field: e.field, message: e.message });
		}
	}
	if (fixedDate !== null) dates.add(fixedDate);
	return { calls, errors, dated, dates: [...dates].sort() };
}
