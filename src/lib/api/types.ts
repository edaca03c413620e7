import type { FloorConfig } from '../domain/floor';
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

/** `GET /api/config`: the floor's config with every queue it knows. */
export type ConfigResponse = FloorConfig;

/** `PUT /api/config`: the config as now applied and its new version. */
export interface ConfigSaved {
	readonly config: FloorConfig;
	readonly version: number;
}
