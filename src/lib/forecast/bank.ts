import { dateOf, dayNumber } from './calendar';
import type { TraceContact } from './series';

/**
 * Contacts of the Anonymous Bank call log for the forecast, from the calls the trace parser
 * (`src/lib/domain/traces/`) read: every offered call (queued, or answered straight from the
 * IVR) counts in the interval it was offered; its handle time is the recorded service time.
 */

/** The fields of a parsed bank call that the forecast reads. */
export interface BankCallFields {
	readonly date: string | null;
	readonly queue: string;
	readonly offered: boolean;
	readonly offeredAt: number | null;
	readonly serStart: number | null;
	readonly serExit: number | null;
	readonly outcome: 'AGENT' | 'HANG';
}

/** Offered calls as trace contacts; calls with no date (a one-day file without one) get `fallbackDate`. */
export function bankContacts(calls: readonly BankCallFields[], fallbackDate?: string): TraceContact[] {
	const out: TraceContact[] = [];
	for (const c of calls) {
		if (!c.offered || c.offeredAt === null) continue;
		const day = dayNumber(c.date ?? fallbackDate ?? '');
		if (day === null) continue;
		// Times past midnight belong to the next date.
		const shift = Math.floor(c.offeredAt / 86_400);
		const handle = c.outcome === 'AGENT' && c.serStart !== null && c.serExit !== null ? Math.max(0, c.serExit - c.serStart) : null;
		out.push({ date: dateOf(day + shift), offered: c.offeredAt - shift * 86_400, queue: c.queue, channel: 'voice', handle });
	}
	return out;
}
