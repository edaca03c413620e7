import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CHANNELS } from '../lib/domain/channels';
import type { FloorConfig, QueueConfig } from '../lib/domain/floor';
import { SlSettingsSchema, resolveSl } from '../lib/domain/service-level';
import { parseResetTime } from '../lib/domain/time';

/**
 * The floor's configuration as the API speaks it (`GET/PUT /api/config`): clock settings and
 * queues with their service-level settings. A PUT names only what it changes; queues are merged
 * by id, so a config listing one queue leaves the others as they were.
 */

const QueueInputSchema = Type.Object(
	{
		id: Type.String({ minLength: 1, maxLength: 128 }),
		name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
		channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
		sl: Type.Optional(SlSettingsSchema)
	},
	{ additionalProperties: false }
);

/** Body of `PUT /api/config`. */
export const ConfigInputSchema = Type.Object(
	{
		timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
		resetTime: Type.Optional(Type.String()),
		intervalMs: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 3_600_000 })),
		rollingMs: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 4 * 3_600_000 })),
		queues: Type.Optional(Type.Array(QueueInputSchema, { maxItems: 1000 }))
	},
	{ additionalProperties: false }
);

const check = TypeCompiler.Compile(ConfigInputSchema);

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** Applies a config change to `current`; returns the new config or every problem found. */
export function applyConfigInput(current: FloorConfig, input: unknown): { ok: true; config: FloorConfig } | { ok: false; errors: string[] } {
	if (!check.Check(input)) return { ok: false, errors: [...check.Errors(input)].slice(0, 20).map((e) => `${e.path || '/'}: ${e.message}`) };
	const errors: string[] = [];
	if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) errors.push(`/timeZone: unknown time zone ${JSON.stringify(input.timeZone)}`);
	if (input.resetTime !== undefined) {
		try {
			parseResetTime(input.resetTime);
		} catch (e) {
			errors.push(`/resetTime: ${(e as Error).message}`);
		}
	}
	if (input.intervalMs !== undefined && 86_400_000 % input.intervalMs !== 0) errors.push('/intervalMs: must divide a day evenly');
	const queues = new Map(current.queues.map((q) => [q.id, q]));
	(input.queues ?? []).forEach((q, i) => {
		const prev = queues.get(q.id);
		const channel = q.channel ?? prev?.channel;
		if (!channel) {
			errors.push(`/queues/${i}/channel: required for a new queue (${q.id})`);
			return;
		}
		if (prev && q.channel && q.channel !== prev.channel) errors.push(`/queues/${i}/channel: queue ${q.id} is ${prev.channel}; a queue's channel cannot change`);
		const next: QueueConfig = {
			id: q.id,
			name: q.name ?? prev?.name ?? q.id,
			channel,
			sl: q.sl ? resolveSl(channel, { ...prev?.sl, ...q.sl }) : (prev?.sl ?? resolveSl(channel))
		};
		queues.set(q.id, next);
	});
	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		config: {
			timeZone: input.timeZone ?? current.timeZone,
			resetTime: input.resetTime ?? current.resetTime,
			intervalMs: input.intervalMs ?? current.intervalMs,
			rollingMs: input.rollingMs ?? current.rollingMs,
			queues: [...queues.values()]
		}
	};
}

/** Adds `extra` queues that `base` does not have (source queues under a stored config). */
export function withQueues(base: FloorConfig, extra: readonly QueueConfig[]): FloorConfig {
	const ids = new Set(base.queues.map((q) => q.id));
	return { ...base, queues: [...base.queues, ...extra.filter((q) => !ids.has(q.id))] };
}
