import { MAX_QUEUES, ConfigInputSchema, type ConfigInput } from '../lib/api/config-input';
import type { FloorConfig, QueueConfig } from '../lib/domain/floor';
import { check, preview, type Result, type ValidationError } from '../lib/domain/result';
import { resolveSl } from '../lib/domain/service-level';
import { DEFAULT_SITE, MAX_SITES, type CenterConfig, type SiteConfig } from '../lib/domain/sites';
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

/** The problem with a reset time, or null. */
function resetTimeError(hhmm: string): string | null {
	try {
		parseResetTime(hhmm);
		return null;
	} catch (e) {
		return String((e as Error).message).slice(0, 200);
	}
}

/**
 * A center config's sites checked as a whole (a stored config at start, or one shared by another
 * instance): the default site first, ids unique, each time zone and reset time known here.
 * Returns every problem found, with paths into `sites`.
 */
export function siteErrors(sites: readonly SiteConfig[]): ValidationError[] {
	const errors: ValidationError[] = [];
	if (sites[0]?.id !== DEFAULT_SITE) errors.push({ path: '/sites/0/id', message: `the default site ${DEFAULT_SITE} must come first` });
	if (sites.length > MAX_SITES) errors.push({ path: '/sites', message: `${sites.length} sites; at most ${MAX_SITES}` });
	const seen = new Set<string>();
	sites.forEach((s, i) => {
		if (seen.has(s.id)) errors.push({ path: `/sites/${i}/id`, message: `duplicate site ${preview(s.id)}` });
		seen.add(s.id);
		if (!isTimeZone(s.timeZone)) errors.push({ path: `/sites/${i}/timeZone`, message: `unknown time zone ${preview(s.timeZone)}` });
		const bad = resetTimeError(s.resetTime);
		if (bad) errors.push({ path: `/sites/${i}/resetTime`, message: bad });
	});
	return errors;
}

/** Sites of `current` with the input's merged in by id (a duplicate id in one input is refused, naming it). */
function mergeSites(current: CenterConfig, input: NonNullable<ConfigInput['sites']>, main: { timeZone: string; resetTime: string }, errors: ValidationError[]): SiteConfig[] {
	const sites = new Map(current.sites.map((s) => [s.id, s]));
	sites.set(DEFAULT_SITE, { ...sites.get(DEFAULT_SITE)!, ...main });
	const named = new Set<string>();
	input.forEach((s, i) => {
		if (named.has(s.id)) {
			errors.push({ path: `/sites/${i}/id`, message: `duplicate site ${preview(s.id)} in this change` });
			return;
		}
		named.add(s.id);
		const prev = sites.get(s.id);
		const timeZone = s.timeZone ?? prev?.timeZone;
		if (!timeZone) {
			errors.push({ path: `/sites/${i}/timeZone`, message: `required for a new site (${preview(s.id)})` });
			return;
		}
		if (!isTimeZone(timeZone)) errors.push({ path: `/sites/${i}/timeZone`, message: `unknown time zone ${preview(timeZone)}` });
		const resetTime = s.resetTime ?? prev?.resetTime ?? main.resetTime;
		const bad = resetTimeError(resetTime);
		if (bad) errors.push({ path: `/sites/${i}/resetTime`, message: bad });
		sites.set(s.id, { id: s.id, name: s.name ?? prev?.name ?? s.id, timeZone, resetTime });
	});
	// Repeated PUTs each within the per-request cap must not grow the floors without bound.
	if (sites.size > MAX_SITES) errors.push({ path: '/sites', message: `the center would have ${sites.size} sites; at most ${MAX_SITES}` });
	return [...sites.values()];
}

/**
 * Applies a config change to `current`; returns the new config or every problem found. The
 * top-level `timeZone`/`resetTime` and the `main` entry of `sites` are the same setting: giving
 * both with different values is refused.
 */
export function applyConfigInput(current: CenterConfig, body: unknown): Result<CenterConfig> {
	const r = check(ConfigInputSchema, body);
	if (!r.ok) return r;
	const input = r.value;
	const errors: ValidationError[] = [];
	if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) errors.push({ path: '/timeZone', message: `unknown time zone ${preview(input.timeZone)}` });
	if (input.resetTime !== undefined) {
		const bad = resetTimeError(input.resetTime);
		if (bad) errors.push({ path: '/resetTime', message: bad });
	}
	const mainInput = input.sites?.find((s) => s.id === DEFAULT_SITE);
	for (const key of ['timeZone', 'resetTime'] as const) {
		if (input[key] !== undefined && mainInput?.[key] !== undefined && input[key] !== mainInput[key])
			errors.push({ path: `/sites/${input.sites!.indexOf(mainInput)}/${key}`, message: `the default site's ${key} is also the top-level ${key}, given as ${preview(input[key])}` });
	}
	const main = {
		timeZone: input.timeZone ?? mainInput?.timeZone ?? current.timeZone,
		resetTime: input.resetTime ?? mainInput?.resetTime ?? current.resetTime
	};
	const sites = mergeSites(current, input.sites ?? [], main, errors);
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
			timeZone: main.timeZone,
			resetTime: main.resetTime,
			intervalMs: input.intervalMs ?? current.intervalMs,
			rollingMs: input.rollingMs ?? current.rollingMs,
			queues: [...queues.values()],
			sites
		}
	};
}

/** Adds `extra` queues that `base` does not have (source queues under a stored config). */
export function withQueues<C extends FloorConfig>(base: C, extra: readonly QueueConfig[]): C {
	const ids = new Set(base.queues.map((q) => q.id));
	return { ...base, queues: [...base.queues, ...extra.filter((q) => !ids.has(q.id))] };
}
