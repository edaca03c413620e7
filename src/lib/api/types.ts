import type { CenterConfig } from '../domain/sites';
import type { ValidationError } from '../domain/result';
import type { BoardConfig } from '../domain/board-config';

/**
 * Request and response bodies of the HTTP API, shared by the server's routes and the browser's
 * client (`src/lib/ui/api.ts`), so both sides agree on what travels.
 */

export type { ConfigInput } from './config-input';

/** Every 4xx/5xx body: a message, and for refused input every problem found. */
export interface ApiErrorBody {
	readonly error: string;
	readonly errors?: readonly ValidationError[];
}

/** `GET /healthz`. */
export interface HealthResponse {
	readonly status: 'ok';
	readonly uptimeSeconds: number;
	readonly source: string;
	readonly serverTime: number;
	readonly clients: number;
}

/** `202` of `POST /api/events` (and the `ack` of `/ingest`, which adds the batch's `ref`). */
export interface EventsAccepted {
	readonly accepted: number;
	readonly duplicates: number;
	/** Events the floor found impossible (counted, not applied), where known at the answer (not in a cluster, where the stream acks). */
	readonly anomalies?: number;
	/** Contact events held until their predecessor arrives (applied then, or counted as anomalies when their hold expires), where known. */
	readonly held?: number;
}

/** `GET /api/boards`. */
export interface BoardsResponse {
	readonly boards: readonly BoardConfig[];
}

/** `PUT /api/boards/:id`: the board as saved and its new version. */
export interface BoardSaved {
	readonly board: BoardConfig;
	readonly version: number;
}

/** `GET /api/config`: the center's config (its sites first the default one) with every queue its floors know. */
export type ConfigResponse = CenterConfig;

/** `PUT /api/config`: the config as now applied and its new version. */
export interface ConfigSaved {
	readonly config: CenterConfig;
	readonly version: number;
}

/**
 * `POST /api/simulations` (supervisor): play a scenario on a board of its own ("Play on the
 * wallboard"). `scenario` is in the simulator's format (`sim/scenario.ts`); the day is never stored.
 */
export interface SimulationRequestBody {
	readonly scenario: unknown;
	/** Seed of the simulator (default: the scenario's, else 1). */
	readonly seed?: number;
	/** Simulated seconds per wall second, 1..3600 (default 60). */
	readonly speed?: number;
	/** Shown on the wall's SIMULATION badge (default: the scenario's name). */
	readonly name?: string;
}

/** A simulation: `201` of `POST /api/simulations`, items of `GET /api/simulations`, `200` of DELETE (state `stopped`). */
export interface SimulationInfo {
	readonly id: string;
	/** Board id to watch: `/live?board=<board>`, the page `/wall/<board>`. */
	readonly board: string;
	readonly name: string;
	readonly seed: number;
	readonly speed: number;
	readonly state: 'running' | 'ended' | 'stopped';
	/** Wall-clock epoch ms it started. */
	readonly startedAt: number;
	/** Simulated epoch ms of the day's start, end, and now. */
	readonly simStart: number;
	readonly simEnd: number;
	readonly simNow: number;
	/** Contacts offered so far on the simulated floor. */
	readonly offered: number;
}

/** `GET /api/simulations`. */
export interface SimulationsResponse {
	readonly simulations: readonly SimulationInfo[];
}
