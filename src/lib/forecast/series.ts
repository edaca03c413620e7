import type { Channel } from '../domain/channels';
import { dayNumber } from './calendar';

/**
 * The history a forecast reads: offered contacts and handle times per day, interval and queue,
 * dense in typed arrays. It is built either from interval rows (the store's interval KPIs, what
 * the Floor decided) or from per-contact records (an imported trace such as the Anonymous Bank
 * files), so both paths feed the same method.
 */

/** One queue's counts in one interval of one day (a row of the store's interval KPIs). */
export interface IntervalRow {
	/** Local date, 'YYYY-MM-DD'. */
	readonly date: string;
	/** Start of the interval, seconds from local midnight. */
	readonly start: number;
	readonly queue: string;
	readonly channel: Channel;
	readonly offered: number;
	/** Contacts whose handling finished, and the sum of their handle times (seconds), for AHT. */
	readonly handled: number;
	readonly handleSum: number;
}

/** One contact of a trace: when it was offered, where, and how long it was handled. */
export interface TraceContact {
	readonly date: string;
	/** Offer time, seconds from local midnight. */
	readonly offered: number;
	readonly queue: string;
	readonly channel: Channel;
	/** Handle time in seconds if it was answered, else null. */
	readonly handle: number | null;
}

/** A queue of the history. */
export interface SeriesQueue {
	readonly id: string;
	readonly channel: Channel;
}

/**
 * Dense history: `offered[d][q * intervals + i]` for day d (firstDay + d), queue q, interval i;
 * `handled` and `handleSum` alike. `recorded[d]` is false for a day the source has no record of
 * (a gap, as opposed to a day with no contacts).
 */
export interface Series {
	readonly firstDay: number;
	readonly intervalSec: number;
	readonly intervals: number;
	readonly queues: readonly SeriesQueue[];
	readonly offered: readonly Float64Array[];
	readonly handled: readonly Float64Array[];
	readonly handleSum: readonly Float64Array[];
	readonly recorded: readonly boolean[];
}

/** A problem with the history input, naming what was wrong. */
export class HistoryError extends Error {
	override name = 'HistoryError';
}

const VALID_INTERVALS = new Set([300, 600, 900, 1800, 3600]);

function checkInterval(intervalSec: number): number {
	if (!VALID_INTERVALS.has(intervalSec)) {
		throw new HistoryError(`interval must be one of 300, 600, 900, 1800, 3600 seconds (got ${String(intervalSec).slice(0, 20)})`);
	}
	return 86_400 / intervalSec;
}

function checkDate(date: string, where: string): number {
	const d = dayNumber(date);
	if (d === null) throw new HistoryError(`${where}: date must be YYYY-MM-DD (got ${JSON.stringify(String(date).slice(0, 20))})`);
	return d;
}

interface Cell {
	day: number;
	start: number;
	queue: string;
	channel: Channel;
	offered: number;
	handled: number;
	handleSum: number;
}

function densify(cells: Iterable<Cell>, intervalSec: number, recordedDates?: readonly string[]): Series {
	const intervals = checkInterval(intervalSec);
	const queueIndex = new Map<string, number>();
	const queues: SeriesQueue[] = [];
	const list: Cell[] = [];
	let first = Infinity;
	let last = -Infinity;
	for (const c of cells) {
		list.push(c);
		if (c.day < first) first = c.day;
		if (c.day > last) last = c.day;
		if (!queueIndex.has(c.queue)) {
			queueIndex.set(c.queue, queues.length);
			queues.push({ id: c.queue, channel: c.channel });
		}
	}
	const recordedDays = recordedDates?.map((d, i) => checkDate(d, `days[${i}]`));
	for (const d of recordedDays ?? []) {
		if (d < first) first = d;
		if (d > last) last = d;
	}
	if (!Number.isFinite(first)) throw new HistoryError('history is empty: no contacts and no days');
	const n = last - first + 1;
	const width = queues.length * intervals;
	const offered = Array.from({ length: n }, () => new Float64Array(width));
	const handled = Array.from({ length: n }, () => new Float64Array(width));
	const handleSum = Array.from({ length: n }, () => new Float64Array(width));
	// Without an explicit list, every day between the first and the last is taken as recorded.
	const recorded = Array.from({ length: n }, () => recordedDays === undefined);
	for (const d of recordedDays ?? []) recorded[d - first] = true;
	for (const c of list) {
		const d = c.day - first;
		const q = queueIndex.get(c.queue) ?? 0;
		const i = Math.min(intervals - 1, Math.floor(c.start / intervalSec));
		const k = q * intervals + i;
		const o = offered[d];
		const h = handled[d];
		const s = handleSum[d];
		if (!o || !h || !s) continue;
		o[k] = (o[k] ?? 0) + c.offered;
		h[k] = (h[k] ?? 0) + c.handled;
		s[k] = (s[k] ?? 0) + c.handleSum;
		recorded[d] = true;
	}
	return { firstDay: first, intervalSec, intervals, queues, offered, handled, handleSum, recorded };
}

/**
 * Series from interval rows. Rows finer than `intervalSec` are summed into it; a row coarser
 * than it cannot be split and is refused.
 */
export function seriesFromRows(rows: readonly IntervalRow[], intervalSec: number, recordedDates?: readonly string[]): Series {
	checkInterval(intervalSec);
	const cells = rows.map((r, idx): Cell => {
		const where = `rows[${idx}]`;
		const day = checkDate(r.date, where);
		for (const f of ['start', 'offered', 'handled', 'handleSum'] as const) {
			if (!(Number.isFinite(r[f]) && r[f] >= 0)) throw new HistoryError(`${where}.${f}: must be a number ≥ 0`);
		}
		if (r.start >= 86_400) throw new HistoryError(`${where}.start: must be below 86400 seconds`);
		return { day, start: r.start, queue: r.queue, channel: r.channel, offered: r.offered, handled: r.handled, handleSum: r.handleSum };
	});
	return densify(cells, intervalSec, recordedDates);
}

/** Series from per-contact records of a trace; each contact counts in the interval it was offered. */
export function seriesFromContacts(contacts: readonly TraceContact[], intervalSec: number): Series {
	checkInterval(intervalSec);
	const cells = contacts.map((c, idx): Cell => {
		const where = `contacts[${idx}]`;
		const day = checkDate(c.date, where);
		if (!(c.offered >= 0 && c.offered < 86_400)) throw new HistoryError(`${where}.offered: must be seconds in [0, 86400)`);
		const answered = c.handle !== null && Number.isFinite(c.handle) && c.handle >= 0;
		return {
			day,
			start: c.offered,
			queue: c.queue,
			channel: c.channel,
			offered: 1,
			handled: answered ? 1 : 0,
			handleSum: answered ? (c.handle ?? 0) : 0
		};
	});
	return densify(cells, intervalSec);
}

/** The series cut to the days before `day` (what a forecast made on that morning could know). */
export function seriesBefore(s: Series, day: number): Series {
	const n = Math.max(0, Math.min(s.offered.length, day - s.firstDay));
	return {
		...s,
		offered: s.offered.slice(0, n),
		handled: s.handled.slice(0, n),
		handleSum: s.handleSum.slice(0, n),
		recorded: s.recorded.slice(0, n)
	};
}

/** Last day of the series (a day number). */
export function lastDay(s: Series): number {
	return s.firstDay + s.offered.length - 1;
}

/** Total offered of day index d (all queues, all intervals). */
export function dayTotal(s: Series, d: number): number {
	const o = s.offered[d];
	if (!o) return 0;
	let t = 0;
	for (let k = 0; k < o.length; k++) t += o[k] ?? 0;
	return t;
}

/** Offered per interval of day index d, summed over queues. */
export function dayProfile(s: Series, d: number): Float64Array {
	const out = new Float64Array(s.intervals);
	const o = s.offered[d];
	if (!o) return out;
	for (let q = 0; q < s.queues.length; q++) {
		for (let i = 0; i < s.intervals; i++) out[i] = (out[i] ?? 0) + (o[q * s.intervals + i] ?? 0);
	}
	return out;
}

/** The series summed into coarser intervals (`intervalSec` a multiple of the series' own). */
export function coarsen(s: Series, intervalSec: number): Series {
	if (intervalSec === s.intervalSec) return s;
	const ratio = intervalSec / s.intervalSec;
	if (!Number.isInteger(ratio) || ratio < 1) {
		throw new HistoryError(`cannot make ${intervalSec}-second intervals from ${s.intervalSec}-second ones`);
	}
	const intervals = checkInterval(intervalSec);
	const sum = (days: readonly Float64Array[]) =>
		days.map((src) => {
			const out = new Float64Array(s.queues.length * intervals);
			for (let q = 0; q < s.queues.length; q++) {
				for (let i = 0; i < s.intervals; i++) {
					const k = q * intervals + Math.floor(i / ratio);
					out[k] = (out[k] ?? 0) + (src[q * s.intervals + i] ?? 0);
				}
			}
			return out;
		});
	return { ...s, intervalSec, intervals, offered: sum(s.offered), handled: sum(s.handled), handleSum: sum(s.handleSum) };
}
