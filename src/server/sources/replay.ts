import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { FloorEvent } from '../../lib/domain/events';
import type { QueueConfig } from '../../lib/domain/floor';
import { dayStart } from '../../lib/domain/time';
import type { Store } from '../store';
import { bankQueues, importBankCsv } from './bank-csv';
import type { SourceInfo } from '../../lib/protocol/frames';
import { EventCursor, ScaledClock, shiftEvents, sortByTime, type Source } from './source';
import { readTraceFile } from './trace-file';

/**
 * Replays recorded traffic as if it happened today: a JSONL events trace, the Anonymous Bank CSV
 * (by its .csv extension), or a day from the store. Events keep their time of day and are moved
 * to today's date, then played from the first event at `speed` × wall time.
 */

/** What to replay. */
export interface ReplayOptions {
	readonly trace?: string;
	/** YYYY-MM-DD: a day of the store, in the center's time zone. */
	readonly day?: string;
	readonly speed: number;
	readonly timeZone: string;
	readonly resetTime: string;
	/** Wall-clock now (epoch ms): "today" is the center's day holding it. */
	readonly now: number;
}

/** The replay source. */
export class ReplaySource implements Source {
	readonly description: string;
	readonly queues: readonly QueueConfig[];
	readonly #clock: ScaledClock;
	readonly #cursor: EventCursor;
	readonly count: number;
	info: SourceInfo;
	#announced = false;

	constructor(options: ReplayOptions, store: Store, private readonly log: (line: string) => void) {
		const today = dayStart(options.now, options.timeZone, options.resetTime);
		let events: FloorEvent[];
		let queues: QueueConfig[] = [];
		let what: string;
		let day: string;
		if (options.trace && /\.csv$/i.test(options.trace)) {
			let text: string;
			try {
				text = readFileSync(options.trace, 'utf8');
			} catch (e) {
				throw new Error(`cannot read ${options.trace}: ${(e as Error).message}`);
			}
			// The file's clock times count from local midnight of its (undated) day.
			events = importBankCsv(text, dayStart(options.now, options.timeZone, '00:00'));
			queues = bankQueues();
			what = `call log ${options.trace}`;
			// The call log carries no date; a file named for its day (as the sample is) says it.
			day = /\d{4}-\d{2}-\d{2}/.exec(basename(options.trace))?.[0] ?? basename(options.trace);
		} else if (options.trace) {
			const raw = sortByTime(readTraceFile(options.trace));
			events = raw.length ? shiftEvents(raw, today - dayStart(raw[0]!.ts, options.timeZone, options.resetTime)) : [];
			what = `trace ${options.trace}`;
			day = raw.length ? formatInTimeZone(raw[0]!.ts, options.timeZone, 'yyyy-MM-dd') : basename(options.trace);
		} else if (options.day) {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(options.day)) throw new Error(`--day must be YYYY-MM-DD, got ${JSON.stringify(options.day)}`);
			const from = fromZonedTime(`${options.day}T${options.resetTime}:00`, options.timeZone).getTime();
			if (Number.isNaN(from)) throw new Error(`--day ${options.day} is not a date`);
			const to = dayStart(from + 26 * 3600_000, options.timeZone, options.resetTime);
			events = shiftEvents(store.eventsBetween(from, to), today - from);
			if (!events.length) throw new Error(`the store holds no events for ${options.day} (${options.timeZone})`);
			what = `stored day ${options.day}`;
			day = options.day;
		} else {
			throw new Error('replay needs --trace FILE or --day YYYY-MM-DD');
		}
		if (!events.length) throw new Error(`${what} holds no events`);
		this.queues = queues;
		this.count = events.length;
		this.#cursor = new EventCursor(events);
		this.#clock = new ScaledClock(events[0]!.ts - 1000, options.speed);
		this.info = { kind: 'replay', day, speed: options.speed, ended: false };
		this.description = `replay of ${what} (${events.length} events, ${options.speed}× speed)`;
	}

	now(): number {
		return this.#clock.now();
	}

	pull(now: number): FloorEvent[] {
		const out = this.#cursor.pull(now);
		if (this.#cursor.done && !this.#announced) {
			this.#announced = true;
			this.info = { ...this.info, ended: true } as SourceInfo;
			this.log('replay finished: every event was played; the floor stays as it ended');
		}
		return out;
	}
}
