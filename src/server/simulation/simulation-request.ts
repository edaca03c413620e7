import { Type } from '@sinclair/typebox';
import type { SimulationRequestBody } from '../../lib/api/types';
import { check, type Result, type ValidationError } from '../../lib/domain/result';
import { validateScenario, type Scenario } from '../../../sim/scenario';

/**
 * The body of `POST /api/simulations` ("Play on the wallboard"): a scenario in the simulator's
 * format, with the seed and speed to play it at. Checked in two passes, both into the one
 * `Result` shape: the envelope by its TypeBox schema, then the scenario by the simulator's own
 * validator (its paths re-rooted under `/scenario`), then what a live server can afford to play.
 */

/** Simulated seconds per wall second, at most. */
export const MAX_SPEED = 3600;
/** Default speed: a simulated hour per wall minute. */
export const DEFAULT_SPEED = 60;
/** Longest simulated day: one day (the board shows one day; it ends by itself at its end). */
export const MAX_HORIZON_SECONDS = 86_400;
/** Most contacts a played day may be expected to have (the whole day is simulated at once, on the server's thread). */
export const MAX_EXPECTED_CONTACTS = 100_000;
/** Most agents a played day may staff. */
export const MAX_AGENTS = 5_000;

const SimulationRequestSchema = Type.Object(
	{
		/** A scenario (`sim/scenario.ts`); its shape is checked by `validateScenario`. */
		scenario: Type.Object({}, { additionalProperties: true }),
		/** Seed of the simulator's RNG (default: the scenario's, else 1). */
		seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
		/** Simulated seconds per wall second (default 60). */
		speed: Type.Optional(Type.Number({ minimum: 1, maximum: MAX_SPEED })),
		/** What the wall's badge calls it (default: the scenario's name). */
		name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 }))
	},
	{ additionalProperties: false }
);

/** A checked request with every default filled in. */
export interface SimulationRequest {
	readonly scenario: Scenario;
	readonly seed: number;
	readonly speed: number;
	readonly name: string;
}

/** `queues[0].arrivals.perHour` → `/scenario/queues/0/arrivals/perHour` (the Result's JSON pointers). */
function scenarioPointer(path: string): string {
	if (path === '') return '/scenario';
	const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '');
	return `/scenario/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** Contacts a scenario's arrivals are expected to bring over its horizon. */
export function expectedContacts(s: Scenario): number {
	let n = 0;
	for (const q of s.queues) {
		const a = q.arrivals;
		if ('perHour' in a) n += (a.perHour * s.horizon) / 3600;
		else if ('perInterval' in a) n += a.perInterval.reduce((x, y) => x + y, 0);
		else n += a.trace.length;
	}
	return n;
}

/** Checks a parsed body; every problem is named with its path, nothing is half-accepted. */
export function checkSimulationRequest(body: unknown): Result<SimulationRequest> {
	// Typed as the API's request body (src/lib/api/types.ts): the schema and the shared type cannot drift apart.
	const envelope: Result<SimulationRequestBody> = check(SimulationRequestSchema, body);
	if (!envelope.ok) return envelope;
	const v = validateScenario(envelope.value.scenario);
	if (!v.ok) return { ok: false, errors: v.errors.slice(0, 20).map((e) => ({ path: scenarioPointer(e.path), message: e.message })) };
	const s = v.scenario;
	const errors: ValidationError[] = [];
	if (s.horizon > MAX_HORIZON_SECONDS) errors.push({ path: '/scenario/horizon', message: `a played day is at most ${MAX_HORIZON_SECONDS} s long` });
	const contacts = expectedContacts(s);
	if (contacts > MAX_EXPECTED_CONTACTS) errors.push({ path: '/scenario/queues', message: `about ${Math.round(contacts)} contacts expected; at most ${MAX_EXPECTED_CONTACTS} can be played` });
	const agents = s.agents.reduce((n, g) => n + g.count, 0);
	if (agents > MAX_AGENTS) errors.push({ path: '/scenario/agents', message: `${agents} agents; at most ${MAX_AGENTS} can be played` });
	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		value: { scenario: s, seed: envelope.value.seed ?? s.seed ?? 1, speed: envelope.value.speed ?? DEFAULT_SPEED, name: envelope.value.name ?? s.name ?? 'scenario' }
	};
}
