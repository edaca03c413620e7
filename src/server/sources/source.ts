import type { FloorEvent } from '../../lib/domain/events';
import type { QueueConfig } from '../../lib/domain/floor';
import type { SourceInfo } from '../../lib/protocol/frames';

/**
 * A source of playback events (emulator, replay): it owns a clock that runs at `speed` × wall
 * time and hands out the events that are due at each flush tick. Ingest is not a Source: producers
 * push, and their events carry their own time.
 */
export interface Source {
	/** Shown in the start-up log, e.g. "emulator (multichannel-day, 1×)". */
	readonly description: string;
	/** What the wall names in its header; a new object only when it changes (a replay ended). */
	readonly info: SourceInfo;
	/** Queues known before any event (their names and service-level settings). */
	readonly queues: readonly QueueConfig[];
	/** The source's time, epoch ms: the floor's clock while this source runs. */
	now(): number;
	/** Events with ts ≤ now not yet handed out, in order. */
	pull(now: number): FloorEvent[];
}

/** A clock running at `speed` × the wall clock from `start` (epoch ms) onwards. */
export class ScaledClock {
	readonly #wall0 = Date.now();
	constructor(
		readonly start: number,
		readonly speed: number
	) {}

	now(): number {
		return Math.floor(this.start + (Date.now() - this.#wall0) * this.speed);
	}
}

/** Hands out a time-sorted event list as a clock passes each event's ts. */
export class EventCursor {
	#next = 0;
	constructor(private readonly events: readonly FloorEvent[]) {}

	/** True when every event was handed out. */
	get done(): boolean {
		return this.#next >= this.events.length;
	}

	/** Events with ts ≤ `now` not handed out yet, at most `max` (a jump of the clock must not stall a tick). */
	pull(now: number, max = 5000): FloorEvent[] {
		const out: FloorEvent[] = [];
		while (this.#next < this.events.length && this.events[this.#next]!.ts <= now && out.length < max) out.push(this.events[this.#next++]!);
		return out;
	}
}

/** Sorts events by ts, keeping the given order among equal times (a contact's answered before its wrapup). */
export function sortByTime(events: FloorEvent[]): FloorEvent[] {
	return events
		.map((e, i) => ({ e, i }))
		.sort((a, b) => a.e.ts - b.e.ts || a.i - b.i)
		.map((x) => x.e);
}

/** Moves every event by `deltaMs` (to play a recorded day as today). */
export function shiftEvents(events: readonly FloorEvent[], deltaMs: number): FloorEvent[] {
	return events.map((e) => ({ ...e, ts: e.ts + deltaMs }));
}
