import { Type, type Static } from '@sinclair/typebox';
import { CHANNELS } from '../domain/channels';
import { SlSettingsSchema } from '../domain/service-level';
import { MAX_SITES } from '../domain/sites';

/**
 * Body of `PUT /api/config`: a change to the floor's configuration. It names only what it changes;
 * queues are merged by id, so a config listing one queue leaves the others as they were.
 */

/** Most queues one floor config may hold (a PUT that would go past it is refused). */
export const MAX_QUEUES = 1000;

const QueueInputSchema = Type.Object(
	{
		id: Type.String({ minLength: 1, maxLength: 128 }),
		name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
		channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
		sl: Type.Optional(SlSettingsSchema)
	},
	{ additionalProperties: false }
);

/** A site added or changed: a new site needs `timeZone`; `name` defaults to the id, `resetTime` to the default site's. */
const SiteInputSchema = Type.Object(
	{
		id: Type.String({ minLength: 1, maxLength: 128 }),
		name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
		timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
		resetTime: Type.Optional(Type.String({ maxLength: 16 }))
	},
	{ additionalProperties: false }
);

/** Schema of a `PUT /api/config` body. */
export const ConfigInputSchema = Type.Object(
	{
		timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
		resetTime: Type.Optional(Type.String({ maxLength: 16 })),
		intervalMs: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 3_600_000 })),
		rollingMs: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 4 * 3_600_000 })),
		queues: Type.Optional(Type.Array(QueueInputSchema, { maxItems: MAX_QUEUES })),
		/** Sites merged by id like queues (a site cannot be removed: its floor and history stay); `main` is the default site. */
		sites: Type.Optional(Type.Array(SiteInputSchema, { maxItems: MAX_SITES }))
	},
	{ additionalProperties: false }
);

/** A `PUT /api/config` body. */
export type ConfigInput = Static<typeof ConfigInputSchema>;
