import type { FloorEvent } from '../lib/domain/events';
import { SERVER_DEFAULTS } from './defaults';

/**
 * Holds a contact event that arrived before its predecessor (an `answered` before its `queued`,
 * an `ended` before its `answered`) and hands it on when the predecessor has been applied, so
 * delivery order does not matter as long as the whole story arrives within a short time. In-order
 * traffic is never delayed: an event whose predecessor is in place passes straight through.
 *
 * The Floor stays the only judge of what an event means: this buffer only asks it where a contact
 * is (`phaseOf`) and delays; an event whose predecessor never comes is handed on when its hold
 * expires (time, or count per contact, or in total), and the Floor then counts it as an anomaly.
 */

/** Where a contact in flight is, as the Floor reports it. */
export type ContactPhase = 'waiting' | 'active' | 'wrapup' | null;

/** Bounds of the hold. */
export interface ReorderLimits {
	/** Longest an event waits for its predecessor, ms (wall clock). */
	readonly maxHoldMs: number;
	/** Most events held for one contact; past it the oldest is handed on. */
	readonly maxPerContact: number;
	/** Most events held in all; past it the oldest is handed on. */
	readonly maxTotal: number;
}

/** Defaults: a few seconds covers producers that retry or fan out over several connections. */
export const REORDER_DEFAULTS: ReorderLimits = { maxHoldMs: SERVER_DEFAULTS.reorderHoldMs, maxPerContact: 8, maxTotal: 10_000 };

/** Counters of what the buffer did (exported as metrics). */
export interface ReorderStats {
	/** Events that waited and were applied once their predecessor came. */
	released: number;
	/** Events handed on without their predecessor (hold expired or limits reached). */
	expired: number;
}

interface Held {
	readonly event: Extract<FloorEvent, { contact: string }>;
	readonly heldAt: number;
}

/** Whether a contact event's predecessor is in place, from the contact's phase. */
function predecessorArrived(e: FloorEvent, phase: ContactPhase): boolean {
	switch (e.type) {
		case 'contact.answered':
		case 'contact.abandoned':
		case 'contact.transferred':
			return phase !== null;
		case 'contact.wrapup':
		case 'contact.ended':
			return phase === 'active' || phase === 'wrapup';
		default:
			return true;
	}
}

/** The hold buffer in front of the Floor. */
export class ReorderBuffer {
	readonly #byContact = new Map<string, Held[]>();
	/** Contacts in the order their oldest held event arrived (Map keeps insertion order). */
	#total = 0;
	readonly stats: ReorderStats = { released: 0, expired: 0 };

	constructor(
		private readonly phaseOf: (contact: string) => ContactPhase,
		private readonly limits: ReorderLimits = REORDER_DEFAULTS
	) {}

	/** Events held now. */
	get held(): number {
		return this.#total;
	}

	/**
	 * Offers an event: applies it at once when its predecessor is in place (then whatever it
	 * releases), else holds it. Returns whether it was held.
	 */
	offer(e: FloorEvent, apply: (e: FloorEvent) => void, now = Date.now()): boolean {
		if (!('contact' in e)) {
			apply(e);
			return false;
		}
		const waiting = this.#byContact.get(e.contact);
		if (!predecessorArrived(e, this.phaseOf(e.contact))) {
			if (waiting?.some((h) => h.event.id === e.id)) return true; // a retry of an event already held
			const list = waiting ?? [];
			list.push({ event: e, heldAt: now });
			this.#total++;
			if (!waiting) this.#byContact.set(e.contact, list);
			if (list.length > this.limits.maxPerContact) this.#handOnOldest(e.contact, list, apply);
			if (this.#total > this.limits.maxTotal) this.#handOnOldestOverall(apply);
			return true;
		}
		apply(e);
		if (waiting) this.#release(e.contact, waiting, apply);
		return false;
	}

	/** Hands on every event held longer than the limit (the Floor judges them without their predecessor). */
	expire(apply: (e: FloorEvent) => void, now = Date.now()): void {
		for (const [contact, list] of this.#byContact) {
			if (list[0] && now - list[0].heldAt >= this.limits.maxHoldMs) this.#handOnExpired(contact, list, apply, now);
		}
	}

	/** Hands on everything held (end of a rebuild: nothing more will come). */
	flush(apply: (e: FloorEvent) => void): void {
		this.expire(apply, Infinity);
	}

	/** Applies held events of a contact that became ready, earliest event time first, until none is. */
	#release(contact: string, list: Held[], apply: (e: FloorEvent) => void): void {
		for (;;) {
			const phase = this.phaseOf(contact);
			let pick = -1;
			list.forEach((h, i) => {
				const best = list[pick];
				if (predecessorArrived(h.event, phase) && (!best || h.event.ts < best.event.ts)) pick = i;
			});
			const h = list[pick];
			if (!h) break;
			list.splice(pick, 1);
			this.#total--;
			this.stats.released++;
			apply(h.event);
		}
		if (!list.length) this.#byContact.delete(contact);
	}

	#handOnExpired(contact: string, list: Held[], apply: (e: FloorEvent) => void, now: number): void {
		// Earliest event time first: if one of them is the missing predecessor of another, order still helps.
		const due = list.filter((h) => now - h.heldAt >= this.limits.maxHoldMs).sort((a, b) => a.event.ts - b.event.ts);
		for (const h of due) {
			const i = list.indexOf(h);
			if (i < 0) continue; // released meanwhile by an earlier one
			list.splice(i, 1);
			this.#total--;
			this.stats.expired++;
			apply(h.event);
			this.#release(contact, list, apply);
		}
		if (!list.length) this.#byContact.delete(contact);
	}

	#handOnOldest(contact: string, list: Held[], apply: (e: FloorEvent) => void): void {
		const h = list.shift();
		if (!h) return;
		this.#total--;
		this.stats.expired++;
		apply(h.event);
		this.#release(contact, list, apply);
	}

	#handOnOldestOverall(apply: (e: FloorEvent) => void): void {
		const first = this.#byContact.entries().next();
		if (first.done) return;
		const [contact, list] = first.value;
		this.#handOnOldest(contact, list, apply);
		if (!list.length) this.#byContact.delete(contact);
	}
}
