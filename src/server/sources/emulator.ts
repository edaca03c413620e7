import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { resolveSl } from '../../lib/domain/service-level';
import type { FloorEvent } from '../../lib/domain/events';
import type { QueueConfig } from '../../lib/domain/floor';
import type { SourceInfo } from '../../lib/protocol/frames';
import { formatErrors, parseScenario, validateScenario, type Scenario } from '../../../sim/scenario';
import { traceEvents } from '../../../sim/trace';
import { dayKey, dayStart, formatClock } from '../../lib/domain/time';
import { emulatedDay, emulatedHours } from './emulated-day';
import { EventCursor, ScaledClock, type Source } from './source';

/**
 * The embedded default source: the simulator's bundled multi-channel day played at wall-clock
 * pace (or `speed` × faster). When a day's trace runs out, the next day starts where it ended,
 * with the next seed, so the floor never goes quiet. The simulator prefixes event and contact ids
 * with the day's start time, so consecutive days never collide in the floor's duplicate check.
 */

/** The scenario `npm start` plays when nothing else is configured. */
export const DEFAULT_SCENARIO = 'sim/scenarios/multichannel-day.json';

/** Options of the emulator. */
export interface EmulatorOptions {
	readonly scenarioPath: string;
	readonly seed: number;
	readonly speed: number;
	/** Epoch ms at which the emulator starts. */
	readonly start: number;
	/**
	 * Seconds into the first emulated day at `start` (default 0): that day began `from` earlier, and
	 * its events up to `start` are handed out at once, so boards open with the day's history.
	 */
	readonly from?: number;
	/**
	 * Follow the calendar (the default `npm start`): play the emulated center's day of each date
	 * in its time zone (a weekly pattern, opening at 08:00; see emulated-day.ts). The same date
	 * always gives the same events and ids, so a restart hands today's events so far out again at
	 * once and the store drops them as already seen: today continues, nothing is counted twice.
	 * Without it (a speed or --from given) a demo day starts when the process does.
	 */
	readonly calendar?: { readonly timeZone: string; readonly resetTime: string };
}

/** Reads and validates a scenario file; throws naming the file and the first problems. */
export function loadScenario(path: string): Scenario {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (e) {
		throw new Error(`cannot read scenario ${path}: ${(e as Error).message}`);
	}
	const v = parseScenario(text);
	if (!v.ok) throw new Error(`scenario ${path} is invalid: ${formatErrors(v.errors)}`);
	return v.scenario;
}

/** Queues of a scenario as floor queues (the id doubles as the name). */
export function scenarioQueues(s: Scenario): QueueConfig[] {
	return s.queues.map((q) => ({ id: q.id, name: q.id, channel: q.channel, sl: resolveSl(q.channel, q.sl) }));
}

/** The emulator source. */
export class EmulatorSource implements Source {
	readonly description: string;
	readonly info: SourceInfo;
	readonly queues: readonly QueueConfig[];
	#scenario: Scenario;
	readonly #clock: ScaledClock;
	#seed: number;
	#dayStart: number;
	#cursor: EventCursor;
	/** Days played so far (the first is 1). */
	days = 1;
	readonly #calendar: EmulatorOptions['calendar'];
	/** In calendar mode, the date (center's time zone) being played. */
	#date = '';

	constructor(options: EmulatorOptions) {
		this.#scenario = loadScenario(options.scenarioPath);
		this.queues = scenarioQueues(this.#scenario);
		const from = options.from ?? 0;
		if (!(from >= 0 && from < this.#scenario.horizon))
			throw new Error(
				`--from: ${formatElapsed(from)} into the emulated day is past its end (the day is ${formatElapsed(this.#scenario.horizon)} long, ${options.scenarioPath})`
			);
		this.#clock = new ScaledClock(options.start, options.speed);
		this.#seed = options.seed;
		this.#dayStart = options.start - from * 1000;
		this.#calendar = options.calendar;
		if (this.#calendar) this.#date = this.#dateOf(options.start);
		this.#cursor = new EventCursor(this.#day());
		// On the calendar the center closes for the night, and a wall says so; a demo day (speed or
		// --from) runs one day after the other without a break.
		const hours = this.#calendar ? emulatedHours(this.#scenario, this.#calendar.timeZone) : null;
		this.info = { kind: 'emulator', scenario: this.#scenario.name ?? basename(options.scenarioPath), speed: options.speed, ...(hours ? { hours } : {}) };
		this.description = `emulator (${this.#scenario.name ?? options.scenarioPath}, seed ${options.seed}, ${
			this.#calendar ? `following the calendar in ${this.#calendar.timeZone}, today ${this.#date}` : `${options.speed}× speed${from ? `, starting ${formatElapsed(from)} into the emulated day` : ''}`
		})`;
	}

	/** The scenario being played (the center a backfill simulates the past days of). */
	get scenario(): Scenario {
		return this.#scenario;
	}

	now(): number {
		return this.#clock.now();
	}

	pull(now: number): FloorEvent[] {
		const out = this.#cursor.pull(now);
		if (this.#calendar) {
			// The next date's day starts once this one has played out and the date has changed.
			const date = this.#dateOf(now);
			if (this.#cursor.done && date !== this.#date) {
				this.#date = date;
				this.days += 1;
				this.#cursor = new EventCursor(this.#day());
			}
			return out;
		}
		if (this.#cursor.done && now >= this.#dayStart + this.#scenario.horizon * 1000) {
			this.#dayStart += this.#scenario.horizon * 1000;
			this.#seed += 1;
			this.days += 1;
			this.#cursor = new EventCursor(this.#day());
		}
		return out;
	}

	/**
	 * Follows a published live plan at once (the planner's apply): the rest of the day is played
	 * with its routing and staffing. Agents' profile and state events up to now are replayed at
	 * now, so a newly staffed agent logs in; contact events before now are not played again.
	 */
	followPlan(plan: { routing: Scenario['routing']; agents: Scenario['agents']; queues: readonly { id: string; priority?: number; aging?: number; overflow?: Scenario['queues'][number]['overflow'] }[] }): void {
		const byId = new Map(plan.queues.map((q) => [q.id, q]));
		const queues = this.#scenario.queues.map((q) => {
			const p = byId.get(q.id);
			if (!p) return q;
			const { priority: _p, aging: _a, overflow: _o, ...rest } = q;
			return { ...rest, ...(p.priority !== undefined ? { priority: p.priority } : {}), ...(p.aging !== undefined ? { aging: p.aging } : {}), ...(p.overflow ? { overflow: p.overflow } : {}) };
		});
		const v = validateScenario({ ...this.#scenario, routing: plan.routing, agents: plan.agents, queues });
		if (!v.ok) throw new Error(`the live plan does not fit the emulated center: ${formatErrors(v.errors)}`);
		this.#scenario = v.scenario;
		const now = this.#clock.now();
		const agentEvent = (e: FloorEvent) => e.type === 'agent.profile' || e.type === 'agent.state';
		this.#cursor = new EventCursor(this.#day().flatMap((e) => (e.ts >= now ? [e] : agentEvent(e) ? [{ ...e, ts: now }] : [])));
	}

	#day(): FloorEvent[] {
		if (this.#calendar) {
			const d = emulatedDay(this.#scenario, this.#date, this.#seed, this.#calendar.timeZone);
			return traceEvents(d.scenario, { seed: d.seed, startTs: d.startTs });
		}
		return traceEvents(this.#scenario, { seed: this.#seed, startTs: this.#dayStart });
	}

	/** The center's date (YYYY-MM-DD) of the day holding `ts`. */
	#dateOf(ts: number): string {
		const c = this.#calendar!;
		return dayKey(dayStart(ts, c.timeZone, c.resetTime), c.timeZone);
	}
}

/** Seconds as H:MM. */
function formatElapsed(seconds: number): string {
	return formatClock(seconds, { padHours: false });
}
