import { fromZonedTime } from 'date-fns-tz';
import { DEFAULT_BOARD, type BoardConfig } from '../../lib/domain/board-config';
import { validateBatch } from '../../lib/domain/events';
import { Floor, type FloorConfig } from '../../lib/domain/floor';
import { formatValidationErrors } from '../../lib/domain/result';
import { dayKey, dayStart } from '../../lib/domain/time';
import type { SimulationInfo } from '../../lib/api/types';
import type { SourceInfo } from '../../lib/protocol/frames';
import { traceEvents } from '../../../sim/trace';
import type { LiveHub } from '../live-hub';
import { scenarioQueues } from '../sources/emulator';
import { EMULATED_OPENING } from '../sources/emulated-day';
import { EventCursor, ScaledClock } from '../sources/source';
import type { SimulationRequest } from './simulation-request';

/**
 * "Play on the wallboard": simulated days played on boards of their own, beside the live floor.
 * Each simulation has its own `Floor` (the one interpretation of events, as for the live floor)
 * fed by the simulator's trace of the day, paced at its speed, and a board `sim-<n>` that the hub
 * serves on `/live?board=sim-<n>` with a `simulation` source, so every wall marks it. Nothing of
 * it reaches the store: its floor has no history observer, and its events never pass the intake.
 * A simulation ends by itself at the end of its simulated day (the wall is told `ended`) and its
 * board stays for `lingerMs` so the room sees how the day closed; DELETE stops it at once.
 * Who started or stopped which day, and when it ended by itself, is written to the audit log like
 * every other supervisor action (the only trace a simulation leaves in the store).
 */

/** Simulations playing at once, at most (each holds a floor and a day of events). */
export const MAX_SIMULATIONS = 2;
/** How long an ended simulation's board stays on the wall, wall ms. */
export const LINGER_MS = 10 * 60_000;

/** One played day. */
class Simulation {
	readonly #clock: ScaledClock;
	readonly #cursor: EventCursor;
	readonly #endTs: number;
	#source: Extract<SourceInfo, { kind: 'simulation' }>;
	#endedAt: number | null = null;

	constructor(
		readonly id: string,
		readonly request: SimulationRequest,
		readonly floor: Floor,
		readonly board: BoardConfig,
		readonly startTs: number,
		readonly startedAt: number
	) {
		this.#clock = new ScaledClock(startTs, request.speed);
		this.#cursor = new EventCursor(traceEvents(request.scenario, { seed: request.seed, startTs, idPrefix: `${id}-`, contactPrefix: `${id}-c` }));
		this.#endTs = startTs + request.scenario.horizon * 1000;
		this.#source = { kind: 'simulation', plan: request.name, speed: request.speed, ended: false };
	}

	get source(): SourceInfo {
		return this.#source;
	}

	get ended(): boolean {
		return this.#endedAt !== null;
	}

	get endedAt(): number | null {
		return this.#endedAt;
	}

	/**
	 * Plays what is due by now; true when it just ended: past the end of the day with every event
	 * played (contacts still in handling at the end finish after it). The floor then stands still.
	 */
	tick(wallNow: number, log: (line: string) => void): boolean {
		if (this.ended) return false;
		const now = this.#clock.now();
		const due = this.#cursor.pull(now);
		if (due.length) {
			// Checked like every event that reaches a floor, though the simulator wrote them.
			const v = validateBatch(due);
			if (v.ok) for (const e of v.value) this.floor.apply(e);
			else log(`simulation ${this.id} produced invalid events, skipped: ${formatValidationErrors(v.errors)}`);
		}
		this.floor.advance(now);
		if (now < this.#endTs || !this.#cursor.done) return false;
		this.#endedAt = wallNow;
		this.#source = { ...this.#source, ended: true };
		return true;
	}

	info(): SimulationInfo {
		return {
			id: this.id,
			board: this.board.id,
			name: this.request.name,
			seed: this.request.seed,
			speed: this.request.speed,
			state: this.ended ? 'ended' : 'running',
			startedAt: this.startedAt,
			simStart: this.startTs,
			simEnd: this.#endTs,
			simNow: this.floor.clock,
			offered: [...this.floor.queues.values()].reduce((n, q) => n + q.today.offered, 0)
		};
	}
}

/** Writes one audit line (the store's `audit`). */
export type SimulationAudit = (actor: string, action: 'simulation.start' | 'simulation.stop' | 'simulation.end', target: string, detail: unknown, ts: number) => void;

/** Actor of the audit lines the server writes itself (a day that ended, a board that lingered out). */
const SERVER_ACTOR = 'server';

/** Why a simulation could not start (the route answers 409). */
export class SimulationLimitError extends Error {}

/** The simulations of this server. */
export class Simulations {
	readonly #running = new Map<string, Simulation>();
	#next = 1;

	constructor(
		private readonly hub: LiveHub,
		/** The live floor's config: a played day uses its time zone, reset, interval and rolling window. */
		private readonly floorConfig: () => FloorConfig,
		private readonly log: (line: string) => void,
		private readonly audit: SimulationAudit,
		private readonly max = MAX_SIMULATIONS,
		private readonly lingerMs = LINGER_MS
	) {}

	/** Starts a simulation on a new board for `actor`; throws SimulationLimitError when `max` are running. */
	start(request: SimulationRequest, actor: string, wallNow = Date.now()): SimulationInfo {
		if (this.#count() >= this.max) {
			// An ended board makes room; running ones are only stopped by someone.
			const oldestEnded = [...this.#running.values()].filter((s) => s.ended).sort((a, b) => a.endedAt! - b.endedAt!)[0];
			if (!oldestEnded) throw new SimulationLimitError(`${this.max} simulations are running; stop one first (DELETE /api/simulations/:id)`);
			this.stop(oldestEnded.id, actor, wallNow);
		}
		let id = `sim-${this.#next++}`;
		while (this.hub.hasBoard(id)) id = `sim-${this.#next++}`;
		const base = this.floorConfig();
		const config: FloorConfig = { ...base, queues: scenarioQueues(request.scenario) };
		const startTs = dayOpening(wallNow, base, request.scenario.horizon);
		// Days roll on the floor's own clock only (never on event times), like the live floor.
		const floor = new Floor(config, startTs, { rollDayOnEventTime: false });
		const board: BoardConfig = { ...DEFAULT_BOARD, id, name: `Simulation · ${request.name}` };
		const sim = new Simulation(id, request, floor, board, startTs, wallNow);
		this.#running.set(id, sim);
		this.hub.addFloorBoard(board, floor, sim.source);
		this.log(`simulation ${id} started: ${request.name}, seed ${request.seed}, ${request.speed}× speed`);
		const info = sim.info();
		this.audit(actor, 'simulation.start', id, { name: request.name, seed: request.seed, speed: request.speed, simStart: info.simStart, simEnd: info.simEnd }, wallNow);
		return info;
	}

	/**
	 * Stops a simulation and removes its board (its walls are closed); null when there is none.
	 * Audited with `actor` (null: server shutdown, when the store is closing and nothing was decided).
	 */
	stop(id: string, actor: string | null, wallNow = Date.now()): SimulationInfo | null {
		const sim = this.#running.get(id);
		if (!sim) return null;
		this.#running.delete(id);
		this.hub.removeBoard(id);
		this.log(`simulation ${id} stopped`);
		const info: SimulationInfo = { ...sim.info(), state: 'stopped' };
		if (actor !== null) this.audit(actor, 'simulation.stop', id, { name: info.name, wasEnded: sim.ended, simNow: info.simNow, offered: info.offered }, wallNow);
		return info;
	}

	/** Every simulation, running or ended (still on its board). */
	list(): SimulationInfo[] {
		return [...this.#running.values()].map((s) => s.info());
	}

	get(id: string): SimulationInfo | null {
		return this.#running.get(id)?.info() ?? null;
	}

	/** The server's tick, before the hub flushes: plays what is due, marks ended days, drops old boards. */
	tick(wallNow = Date.now()): void {
		for (const sim of [...this.#running.values()]) {
			if (sim.tick(wallNow, this.log)) {
				this.hub.setBoardSource(sim.id, sim.source);
				this.log(`simulation ${sim.id} ended: its simulated day is over`);
				const info = sim.info();
				this.audit(SERVER_ACTOR, 'simulation.end', sim.id, { name: info.name, offered: info.offered }, wallNow);
			}
			if (sim.endedAt !== null && wallNow - sim.endedAt >= this.lingerMs) this.stop(sim.id, SERVER_ACTOR, wallNow);
		}
	}

	/** Stops every simulation (server shutdown). */
	close(): void {
		for (const id of [...this.#running.keys()]) this.stop(id, null);
	}

	#count(): number {
		return this.#running.size;
	}
}

/**
 * Simulated time 0 of a day played now: today's opening (08:00, as the emulated center) in the
 * center's time zone, or the day's reset when a long day would otherwise cross into the next one
 * (the board would reset mid-day).
 */
function dayOpening(wallNow: number, config: FloorConfig, horizonSeconds: number): number {
	const reset = dayStart(wallNow, config.timeZone, config.resetTime);
	const opening = fromZonedTime(`${dayKey(reset, config.timeZone)}T${EMULATED_OPENING}:00`, config.timeZone).getTime();
	const nextReset = dayStart(reset + 26 * 3600_000, config.timeZone, config.resetTime);
	return opening >= reset && opening + horizonSeconds * 1000 <= nextReset ? opening : reset;
}
