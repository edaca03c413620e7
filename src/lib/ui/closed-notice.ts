import type { OpeningHours } from '../protocol/frames';
import { clockTimeOn, dayKey, parseClock, previousDate } from '../domain/time';
import { isOpen } from './freshness';

/** What a closed wall says about itself, and whether it claims the figures on screen are the day's. */
export interface ClosedNotice {
	/** "Closed since 20:00 · showing today's figures as the day ended · opens 08:00 tomorrow". */
	readonly text: string;
	/** True when the figures on screen are the last opening's, as it ended (false: a new day, nothing yet). */
	readonly figures: boolean;
}

/**
 * The closed wall's banner, on the center's own clock (not the browser's): since when it is
 * closed, when it opens, and whether the figures on screen are the day that ended. The floor's
 * day (`dayStart`, epoch ms) may already have rolled since closing (the midnight reset): then the
 * board is empty and the banner claims no figures. Null while the center is open.
 *
 * `hasFigures`: the floor's day took any contact (a center that had no traffic claims none either).
 */
export function closedNotice(hours: OpeningHours, now: number, dayStart: number, hasFigures: boolean): ClosedNotice | null {
	if (isOpen(hours, now)) return null;
	const tz = hours.timeZone;
	const today = dayKey(now, tz);
	const closeSeconds = parseClock(hours.close) ?? 0;
	const closedToday = clockTimeOn(today, closeSeconds, tz);
	// Closed and past today's closing time: it closed today and opens tomorrow; otherwise (before
	// opening) it closed on the previous date and opens today.
	const afterClose = closedToday <= now;
	const lastClose = afterClose ? closedToday : clockTimeOn(previousDate(today), closeSeconds, tz);
	const since = `Closed since ${hours.close}${afterClose ? '' : ' yesterday'}`;
	const opens = `opens ${hours.open}${afterClose ? ' tomorrow' : ''}`;
	// The floor's day began before the center closed: it holds the opening hours that ended then.
	const figures = hasFigures && dayStart < lastClose;
	if (!figures) return { text: `${since} · ${opens}`, figures };
	return { text: `${since} · showing ${afterClose ? 'today' : 'yesterday'}'s figures as the day ended · ${opens}`, figures };
}
