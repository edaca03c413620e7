import type { Channel } from '../lib/domain/channels';
import type { FloorEvent } from '../lib/domain/events';
import {
	countAbandoned,
	countAnswered,
	countCsat,
	countHandled,
	countOffered,
	countTransferred,
	emptyCounts,
	type KpiCounts
} from '../lib/domain/kpi';
import type { SlSettings } from '../lib/domain/service-level';
import type { AgentStateRecord, ContactRecord } from './store';

/**
 * Turns the event stream into the store's history rows: one row per contact per queue when it
 * leaves that queue's hands (handled, abandoned or transferred), its KPI counts for the interval
 * it was offered in (counted with the domain's KPI functions), and agents' presence changes.
 * It only follows contacts; the floor reducer remains the authority on what the board shows.
 */

/** What one event produced for the store. */
export interface HistoryRows {
	readonly contacts: ContactRecord[];
	readonly intervals: { start: number; queue: string; counts: KpiCounts }[];
	readonly agentStates: AgentStateRecord[];
}

interface OpenContact {
	queue: string;
	channel: Channel;
	offered: number;
	answered: number | null;
	agent: string | null;
}

/** Contacts kept open at most; the oldest are forgotten beyond this, so a producer that never ends contacts cannot grow memory. */
const MAX_OPEN = 200_000;

/** Follows contacts across events. */
export class ContactLog {
	readonly #open = new Map<string, OpenContact>();

	constructor(
		private readonly slOf: (queue: string, channel: Channel) => SlSettings,
		private readonly intervalOf: (ts: number) => number
	) {}

	/** Number of contacts being followed. */
	get openCount(): number {
		return this.#open.size;
	}

	/** Rows produced by one applied event. */
	observe(e: FloorEvent, out: HistoryRows): void {
		switch (e.type) {
			case 'contact.queued': {
				const prev = this.#open.get(e.contact);
				// A queued after a transfer to the same queue is the same offer, already opened by the transfer.
				if (prev && prev.queue === e.queue && prev.answered === null) return;
				if (prev) this.#finish(e.contact, prev, e.ts, 'transferred', undefined, out);
				this.#openContact(e.contact, { queue: e.queue, channel: e.channel, offered: e.ts, answered: null, agent: null });
				return;
			}
			case 'contact.answered': {
				const c = this.#open.get(e.contact);
				if (c && c.answered === null) {
					c.answered = e.ts;
					c.agent = e.agent;
				}
				return;
			}
			case 'contact.abandoned': {
				const c = this.#open.get(e.contact);
				if (c && c.answered === null) this.#finish(e.contact, c, e.ts, 'abandoned', undefined, out);
				return;
			}
			case 'contact.transferred': {
				const c = this.#open.get(e.contact);
				if (!c) return;
				this.#finish(e.contact, c, e.ts, 'transferred', undefined, out);
				this.#openContact(e.contact, { queue: e.toQueue, channel: c.channel, offered: e.ts, answered: null, agent: null });
				return;
			}
			case 'contact.ended': {
				const c = this.#open.get(e.contact);
				if (c && c.answered !== null) this.#finish(e.contact, c, e.ts, 'handled', e.csat, out);
				return;
			}
			case 'agent.state':
				out.agentStates.push({ agent: e.agent, ts: e.ts, state: e.state, reason: e.reason ?? null });
				return;
			default:
				return;
		}
	}

	#openContact(id: string, c: OpenContact): void {
		if (this.#open.size >= MAX_OPEN) {
			const oldest = this.#open.keys().next().value;
			if (oldest !== undefined) this.#open.delete(oldest);
		}
		this.#open.set(id, c);
	}

	#finish(id: string, c: OpenContact, ts: number, outcome: ContactRecord['outcome'], csat: number | undefined, out: HistoryRows): void {
		this.#open.delete(id);
		const sl = this.slOf(c.queue, c.channel);
		const wait = Math.max(0, ((c.answered ?? ts) - c.offered) / 1000);
		const handle = c.answered !== null ? Math.max(0, (ts - c.answered) / 1000) : null;
		out.contacts.push({
			contact: id,
			queue: c.queue,
			channel: c.channel,
			offered: c.offered,
			answered: c.answered,
			abandoned: outcome === 'abandoned' ? ts : null,
			ended: outcome === 'handled' ? ts : null,
			wait,
			handle,
			agent: c.agent,
			outcome
		});
		const counts = emptyCounts();
		countOffered(counts);
		if (c.answered !== null) countAnswered(counts, wait, sl);
		else if (outcome === 'abandoned') countAbandoned(counts, wait, sl);
		else countTransferred(counts, wait);
		if (outcome === 'handled' && handle !== null) countHandled(counts, handle);
		if (csat !== undefined) countCsat(counts, csat);
		out.intervals.push({ start: this.intervalOf(c.offered), queue: c.queue, counts });
	}
}

/** Fresh empty output. */
export function emptyHistory(): HistoryRows {
	return { contacts: [], intervals: [], agentStates: [] };
}
