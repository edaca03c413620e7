import { CHANNELS, type Channel } from '../domain/channels';
import type { HistoryDayResponse } from '../domain/history';
import { dayNumber } from './calendar';
import { HistoryError, type IntervalRow } from './series';

/**
 * Interval rows from Sightline's own history: day documents as `GET /api/history/days/:date`
 * returns them (what the Floor decided, per queue and interval). Only per-queue rows are read;
 * the channel and total rows are sums of them.
 */

const isChannel = (c: unknown): c is Channel => typeof c === 'string' && (CHANNELS as readonly string[]).includes(c);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Rows and recorded dates of history day documents; throws naming the first bad field. */
export function rowsFromHistoryDays(docs: readonly unknown[]): { rows: IntervalRow[]; dates: string[] } {
	const rows: IntervalRow[] = [];
	const dates: string[] = [];
	for (const [n, raw] of docs.entries()) {
		const where = `days[${n}]`;
		if (typeof raw !== 'object' || raw === null) throw new HistoryError(`${where}: must be a history day object`);
		const doc = raw as Partial<HistoryDayResponse>;
		if (typeof doc.date !== 'string' || dayNumber(doc.date) === null) throw new HistoryError(`${where}.date: must be YYYY-MM-DD`);
		if (!isCount(doc.dayStart)) throw new HistoryError(`${where}.dayStart: must be epoch milliseconds`);
		if (!Array.isArray(doc.intervals)) throw new HistoryError(`${where}.intervals: must be a list`);
		dates.push(doc.date);
		for (const [k, iv] of doc.intervals.entries()) {
			const at = `${where}.intervals[${k}]`;
			if (typeof iv !== 'object' || iv === null) throw new HistoryError(`${at}: must be an object`);
			if (iv.queue === '*') continue;
			if (typeof iv.queue !== 'string' || iv.queue.length === 0 || iv.queue.length > 128) throw new HistoryError(`${at}.queue: must be a queue id`);
			if (!isChannel(iv.channel)) throw new HistoryError(`${at}.channel: must be one of ${CHANNELS.join(', ')}`);
			if (!isCount(iv.start)) throw new HistoryError(`${at}.start: must be epoch milliseconds`);
			const c = iv.counts as Partial<Record<string, unknown>> | undefined;
			for (const f of ['offered', 'handled', 'handleSum'] as const) {
				if (!isCount(c?.[f])) throw new HistoryError(`${at}.counts.${f}: must be a number ≥ 0`);
			}
			// A day of 23 or 25 hours (daylight saving) keeps its intervals inside 0..24 h.
			const start = Math.min(86_399, Math.max(0, Math.floor((iv.start - doc.dayStart) / 1000)));
			rows.push({
				date: doc.date,
				start,
				queue: iv.queue,
				channel: iv.channel,
				offered: iv.counts.offered,
				handled: iv.counts.handled,
				handleSum: iv.counts.handleSum
			});
		}
	}
	return { rows, dates };
}
