import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHANNELS } from './channels';
import { check, ok, preview, type Result, type ValidationError } from './result';

/**
 * The event schema every source speaks (DESIGN.md, "Events"). The TypeBox schemas are both the
 * runtime validator and the JSON Schema published to producers (`EVENT_JSON_SCHEMA`).
 */

const Id = Type.String({ minLength: 1, maxLength: 128 });
/** The latest instant a JavaScript Date can hold is far past any real event; cap at the end of year 9999. */
const MAX_TS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const Ts = Type.Integer({ minimum: 0, maximum: MAX_TS, description: 'epoch milliseconds at the source' });
const ChannelSchema = Type.Union(CHANNELS.map((c) => Type.Literal(c)));

function event<T extends string, P extends Record<string, TSchema>>(type: T, props: P) {
	return Type.Object(
		// `site` absent: the default site (sites.ts), so a single-site center never names it.
		{ type: Type.Literal(type), id: Id, ts: Ts, site: Type.Optional(Id), ...props },
		{ additionalProperties: false, $id: type }
	);
}

/** Agent presence states that are sent; "on contact" and "wrap-up" are derived from contact events. */
export const AGENT_PRESENCE = ['available', 'not-ready', 'offline'] as const;
/** An agent's presence as sent in `agent.state`. */
export type AgentPresence = (typeof AGENT_PRESENCE)[number];

export const ContactQueuedSchema = event('contact.queued', {
	contact: Id,
	queue: Id,
	channel: ChannelSchema,
	/** Higher is served first; 0 when omitted. */
	priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 }))
});
export const ContactAnsweredSchema = event('contact.answered', { contact: Id, queue: Id, agent: Id });
export const ContactAbandonedSchema = event('contact.abandoned', { contact: Id, queue: Id });
export const ContactTransferredSchema = event('contact.transferred', {
	contact: Id,
	fromQueue: Id,
	toQueue: Id
});
export const ContactWrapupSchema = event('contact.wrapup', { contact: Id, agent: Id });
export const ContactEndedSchema = event('contact.ended', {
	contact: Id,
	agent: Id,
	resolved: Type.Optional(Type.Boolean()),
	csat: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 }))
});
export const AgentStateSchema = event('agent.state', {
	agent: Id,
	state: Type.Union(AGENT_PRESENCE.map((s) => Type.Literal(s))),
	reason: Type.Optional(Type.String({ maxLength: 64 }))
});
export const AgentProfileSchema = event('agent.profile', {
	agent: Id,
	name: Type.String({ maxLength: 128 }),
	team: Type.String({ maxLength: 128 }),
	/** Skill level per queue id; higher is more skilled. */
	skills: Type.Record(Id, Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
	/** Simultaneous contacts per channel; channels left out default to 1. */
	capacity: Type.Partial(
		Type.Object(
			Object.fromEntries(CHANNELS.map((c) => [c, Type.Integer({ minimum: 1, maximum: 100 })])),
			{ additionalProperties: false }
		)
	)
});

/** Every event, as one union (discriminated by `type`). */
export const FloorEventSchema = Type.Union([
	ContactQueuedSchema,
	ContactAnsweredSchema,
	ContactAbandonedSchema,
	ContactTransferredSchema,
	ContactWrapupSchema,
	ContactEndedSchema,
	AgentStateSchema,
	AgentProfileSchema
]);

/** A contact-center event, any type. */
export type FloorEvent = Static<typeof FloorEventSchema>;
/** The `type` of an event. */
export type FloorEventType = FloorEvent['type'];
/** The event of one `type`. */
export type EventOf<T extends FloorEventType> = Extract<FloorEvent, { type: T }>;

/** All event types, in schema order. */
export const EVENT_TYPES: readonly FloorEventType[] = [
	'contact.queued',
	'contact.answered',
	'contact.abandoned',
	'contact.transferred',
	'contact.wrapup',
	'contact.ended',
	'agent.state',
	'agent.profile'
];

/** JSON Schema of one event, for producers. */
export const EVENT_JSON_SCHEMA: unknown = JSON.parse(JSON.stringify(FloorEventSchema));

const byType = new Map<string, TSchema>(FloorEventSchema.anyOf.map((s) => [s.properties.type.const as string, s]));

/** One problem found in one event of a batch: `index` in the batch, `path` a JSON pointer into the event. */
export interface EventError extends ValidationError {
	readonly index: number;
}

/** Caps the number of errors reported for one batch, so a huge bad batch gets a bounded answer. */
const MAX_BATCH_ERRORS = 100;

/** Validates one event; returns its errors (empty when valid). Never throws, whatever the value. */
export function eventErrors(value: unknown, index = 0): EventError[] {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return [{ index, path: '', message: `event must be an object, got ${preview(value)}` }];
	}
	const type = (value as { type?: unknown }).type;
	const schema = typeof type === 'string' ? byType.get(type) : undefined;
	if (!schema) {
		// The type is attacker-chosen (a BigInt, a 5,000-deep nest): previewed, never serialised.
		return [{ index, path: '/type', message: `unknown event type ${preview(type)}; expected one of ${EVENT_TYPES.join(', ')}` }];
	}
	const r = check(schema, value, 10);
	return r.ok ? [] : r.errors.map((e) => ({ ...e, index }));
}

/**
 * Validates a whole batch. One bad event rejects the batch: the result then lists every bad
 * index and field (up to a cap), and no event of it should be applied.
 */
export function validateBatch(batch: unknown): Result<FloorEvent[], readonly EventError[]> {
	if (!Array.isArray(batch)) return { ok: false, errors: [{ index: -1, path: '', message: 'batch must be an array of events' }] };
	const errors: EventError[] = [];
	for (let i = 0; i < batch.length && errors.length < MAX_BATCH_ERRORS; i++) {
		for (const e of eventErrors(batch[i], i)) errors.push(e);
	}
	return errors.length ? { ok: false, errors: errors.slice(0, MAX_BATCH_ERRORS) } : ok(batch as FloorEvent[]);
}
