import type { Channel } from '../../src/lib/domain/channels';
import type { BankCall } from '../../src/lib/domain/traces/anonymous-bank';

/**
 * A recorded day in the one form the replay works from, whatever the source (an Anonymous Bank
 * file, a stored day's trace, a JSONL events trace): one record per offered contact.
 */

/** One offered contact as recorded. Times are seconds from the day's start (midnight). */
export interface RecordedContact {
	readonly queue: string;
	readonly channel: Channel;
	/** When it was offered to agents. */
	readonly at: number;
	/** Priority level (0 when the source has none). */
	readonly priority: number;
	readonly outcome: 'answered' | 'abandoned';
	/** Seconds waited: until answered, or until it hung up. */
	readonly wait: number;
	/** Talk (+ hold) seconds of an answered contact; null when not recorded. */
	readonly handle: number | null;
	/** After-contact work seconds; null when not recorded. */
	readonly wrapup: number | null;
	/** Who answered; null when not recorded or abandoned. */
	readonly agent: string | null;
	/**
	 * Reached an agent without ever queueing (the record has no queue time): such calls took an
	 * agent ahead of the queue even when it was long, so the replay serves them first.
	 */
	readonly direct?: boolean;
	/**
	 * Answered here, then passed on to this queue (its stay there is another record, with
	 * `transferredFrom`). Counts as answered, not handled, here, as on the floor.
	 */
	readonly transferredTo?: string;
	/**
	 * Offered here by a transfer from this queue: replayed by the simulator's transfer model (a
	 * share of the first queue's handled contacts), not as an arrival of its own.
	 */
	readonly transferredFrom?: string;
}

/** A recorded day. */
export interface RecordedDay {
	/** YYYY-MM-DD as the source names it (null when the source has no date). */
	readonly date: string | null;
	/** Queue ids with their channels, in a stable order. */
	readonly queues: readonly { readonly id: string; readonly channel: Channel }[];
	readonly contacts: readonly RecordedContact[];
}

/** Bank call types in the order the replay lists them. */
const BANK_ORDER = ['PS', 'PE', 'IN', 'NE', 'NW', 'TT'];

/** The offered calls of one day of an Anonymous Bank file (all voice). */
export function bankDay(calls: readonly BankCall[], date: string | null): RecordedDay {
	const contacts: RecordedContact[] = [];
	for (const c of calls) {
		if (!c.offered || c.offeredAt === null || c.wait === null || c.date !== date) continue;
		const answered = c.outcome === 'AGENT';
		const handle = answered && c.serStart !== null && c.serExit !== null ? Math.max(0, c.serExit - c.serStart) : null;
		contacts.push({
			queue: c.queue,
			channel: 'voice',
			at: c.offeredAt,
			priority: c.priority,
			outcome: answered ? 'answered' : 'abandoned',
			wait: c.wait,
			handle,
			wrapup: null,
			agent: answered ? c.server : null,
			direct: answered && c.qStart === null
		});
	}
	contacts.sort((a, b) => a.at - b.at);
	const used = new Set(contacts.map((c) => c.queue));
	const queues = BANK_ORDER.filter((q) => used.has(q)).map((id) => ({ id, channel: 'voice' as const }));
	return { date, queues, contacts };
}
