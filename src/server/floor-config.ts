import { MAX_QUEUES, ConfigInputSchema } from '../lib/api/config-input';
import type { FloorConfig, QueueConfig } from '../lib/domain/floor';
import { check, preview, type Result, type ValidationError } from '../lib/domain/result';
import { resolveSl } from '../lib/domain/service-level';
import { parseResetTime } from '../lib/domain/time';

/**
 * The floor's configuration as the API speaks it (`GET/PUT /api/config`): clock settings and
 * queues with their service-level settings. A PUT names only what it changes; queues are merged
 * by id, so a config listing one queue leaves the others as they were.
 */

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
export function applyConfigInput(current: FloorConfig, body: unknown): Result<FloorConfig> {
	const r = check(ConfigInputSchema, body);
	if (!r.ok) return r;
	const input = r.value;
	const errors: ValidationError[] = [];
	if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) errors.push({ path: '/timeZone', message: `unknown time zone ${preview(input.timeZone)}` });
	if (input.resetTime !== undefined) {
		try {
			parseResetTime(input.resetTime);
		} catch (e) {
			errors.push({ path: '/resetTime', message: String((e as Error).message).slice(0, 200) });
		}
	}
	if (input.intervalMs !== undefined && 86_400_000 % input.intervalMs !== 0) errors.push({ path: '/intervalMs', message: 'must divide a day evenly' });
	const queues = new Map(current.queues.map((q) => [q.id, q]));
	(input.queues ?? []).forEach((q, i) => {
		const prev = queues.get(q.id);
		const channel = q.channel ?? prev?.channel;
		if (!channel) {
			errors.push({ path: `/queues/${i}/channel`, message: `required for a new queue (${preview(q.id)})` });
			return;
		}
		if (prev && q.channel && q.channel !== prev.channel) errors.push({ path: `/queues/${i}/channel`, message: `queue ${preview(q.id)} is ${prev.channel}; a queue's channel cannot change` });
		const next: QueueConfig = {
			id: q.id,
			name: q.name ?? prev?.name ?? q.id,
			channel,
			sl: q.sl ? resolveSl(channel, { ...prev?.sl, ...q.sl }) : (prev?.sl ?? resolveSl(channel))
		};
		queues.set(q.id, next);
	});
	// Repeated PUTs each within the per-request cap must not grow the floor without bound.
	if (queues.size > MAX_QUEUES) errors.push({ path: '/queues', message: `the floor would have ${queues.size} queues; at most ${MAX_QUEUES}` });
	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		value: {
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
