import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CHANNELS, type Channel } from '../domain/channels';
import { ROUTING_POLICIES, type AgentGroupSpec, type Dist, type QueueSpec, type Scenario } from '../../../sim/scenario';
import { Rng, hashString } from '../../../sim/rng';
import { groupsForStaffing, intervalsOf, staffingOf } from './staffing';
import { intervalOf } from '../../../sim/scenario';

/**
 * A what-if as a planner states it: changes laid over a baseline scenario. Kept as an overlay
 * (not an edited copy) so the diff against the baseline is always exact and readable, a plan
 * stays small enough for a URL, and the same changes can be laid over another day.
 */

const Pct = Type.Number({ minimum: -100, maximum: 1000 });
const Heads = Type.Array(Type.Number({ minimum: 0, maximum: 100_000 }), { maxItems: 10_000 });
const Overflow = Type.Object(
	{ after: Type.Number({ minimum: 0 }), groups: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1 }), level: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
	{ additionalProperties: false }
);

/** Changes to one queue. */
export const QueueChangeSchema = Type.Object(
	{
		slThreshold: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
		slTarget: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
		priority: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
		aging: Type.Optional(Type.Number({ minimum: 0 })),
		overflow: Type.Optional(Type.Array(Overflow)),
		/** Volume change in percent, for the whole day or per interval. */
		volumePct: Type.Optional(Type.Union([Pct, Type.Array(Pct, { maxItems: 10_000 })])),
		/** Handle time (and after-contact work) change in percent. */
		ahtPct: Type.Optional(Pct)
	},
	{ additionalProperties: false }
);
/** Changes to one queue. */
export type QueueChange = Static<typeof QueueChangeSchema>;

/** The whole overlay. */
export const PlanChangesSchema = Type.Object(
	{
		/** Scheduled heads per interval, per group (replaces the group's count and shifts). */
		staffing: Type.Optional(Type.Record(Type.String(), Heads)),
		/** Skills (queue → level) per group, replacing the group's. */
		skills: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0, maximum: 1000 })))),
		/** Contacts at a time per channel, for every group serving it (voice stays 1). */
		concurrency: Type.Optional(Type.Partial(Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Integer({ minimum: 1, maximum: 100 })]))))),
		routing: Type.Optional(Type.Union(ROUTING_POLICIES.map((p) => Type.Literal(p)))),
		queues: Type.Optional(Type.Record(Type.String(), QueueChangeSchema)),
		/** Share of scheduled agents not available (breaks, training, absence), 0..0.9. */
		shrinkage: Type.Optional(Type.Number({ minimum: 0, maximum: 0.9 }))
	},
	{ additionalProperties: false }
);
/** The whole overlay. */
export type PlanChanges = Static<typeof PlanChangesSchema>;

/** A problem with changes, naming the field. */
export interface ChangeError {
	readonly path: string;
	readonly message: string;
}

/** Checks changes against their schema and against the baseline (unknown groups and queues, curve lengths). */
export function checkChanges(base: Scenario, value: unknown): { ok: true; changes: PlanChanges } | { ok: false; errors: ChangeError[] } {
	const errors: ChangeError[] = [];
	if (!Value.Check(PlanChangesSchema, value)) {
		for (const e of Value.Errors(PlanChangesSchema, value)) {
			errors.push({ path: e.path || '/', message: e.message });
			if (errors.length >= 10) break;
		}
		return { ok: false, errors };
	}
	const c = value;
	const groups = new Set(base.agents.map((a) => a.group));
	const queues = new Set(base.queues.map((q) => q.id));
	const n = intervalsOf(base);
	const name = (s: string) => JSON.stringify(s.slice(0, 60));
	for (const [g, heads] of Object.entries(c.staffing ?? {})) {
		if (!groups.has(g)) errors.push({ path: `/staffing/${g.slice(0, 60)}`, message: `unknown group ${name(g)}` });
		else if (heads.length !== n) errors.push({ path: `/staffing/${g.slice(0, 60)}`, message: `has ${heads.length} intervals; the day has ${n}` });
	}
	for (const [g, sk] of Object.entries(c.skills ?? {})) {
		if (!groups.has(g)) errors.push({ path: `/skills/${g.slice(0, 60)}`, message: `unknown group ${name(g)}` });
		for (const q of Object.keys(sk)) if (!queues.has(q)) errors.push({ path: `/skills/${g.slice(0, 60)}/${q.slice(0, 60)}`, message: `unknown queue ${name(q)}` });
	}
	for (const [q, qc] of Object.entries(c.queues ?? {})) {
		if (!queues.has(q)) errors.push({ path: `/queues/${q.slice(0, 60)}`, message: `unknown queue ${name(q)}` });
		if (Array.isArray(qc.volumePct) && qc.volumePct.length !== n) errors.push({ path: `/queues/${q.slice(0, 60)}/volumePct`, message: `has ${qc.volumePct.length} intervals; the day has ${n}` });
		for (const [i, o] of (qc.overflow ?? []).entries()) {
			for (const g of o.groups) if (!groups.has(g)) errors.push({ path: `/queues/${q.slice(0, 60)}/overflow/${i}`, message: `unknown group ${name(g)}` });
		}
	}
	return errors.length ? { ok: false, errors } : { ok: true, changes: c };
}

/** Mean of a distribution (seconds). */
export function distMean(d: Dist): number {
	switch (d.dist) {
		case 'exponential':
		case 'lognormal':
			return d.mean;
		case 'constant':
			return d.value;
		case 'empirical': {
			const w = d.weights ?? d.values.map(() => 1);
			let sw = 0;
			let s = 0;
			d.values.forEach((v, i) => {
				s += v * (w[i] ?? 0);
				sw += w[i] ?? 0;
			});
			return sw > 0 ? s / sw : 0;
		}
	}
}

/** A distribution with every duration multiplied by `f` (its shape kept). */
export function scaleDist(d: Dist, f: number): Dist {
	switch (d.dist) {
		case 'exponential':
			return { ...d, mean: d.mean * f };
		case 'lognormal':
			return { ...d, mean: d.mean * f, sd: d.sd * f };
		case 'constant':
			return { ...d, value: d.value * f };
		case 'empirical':
			return { ...d, values: d.values.map((v) => v * f) };
	}
}

/** Multiplier per interval from a percent change (one figure or one per interval). */
function factors(pct: number | readonly number[] | undefined, n: number): number[] {
	if (pct === undefined) return new Array<number>(n).fill(1);
	if (typeof pct === 'number') return new Array<number>(n).fill(1 + pct / 100);
	return Array.from({ length: n }, (_, i) => Math.max(0, 1 + (pct[i] ?? 0) / 100));
}

/**
 * Scales a recorded arrival trace per interval: fewer contacts by thinning (each kept with
 * probability f), more by adding arrivals drawn from the interval's own arrivals (a random
 * recorded arrival, shifted uniformly within the interval), so the day keeps its pattern.
 * Seeded by the queue id: the same change gives the same trace every time.
 */
export function scaleTrace(times: readonly number[], f: readonly number[], interval: number, horizon: number, key: string): number[] {
	const rng = new Rng(0x706c616e, hashString(key));
	const byInterval: number[][] = f.map(() => []);
	for (const t of times) byInterval[Math.min(f.length - 1, Math.floor(t / interval))]?.push(t);
	const out: number[] = [];
	byInterval.forEach((ts, i) => {
		const k = f[i] ?? 1;
		if (k <= 1) {
			for (const t of ts) if (rng.next() < k) out.push(t);
			return;
		}
		out.push(...ts);
		if (ts.length === 0) return;
		// Whole extra copies plus a fractional share: expected count k × recorded.
		const extra = ts.length * (k - 1);
		const whole = Math.floor(extra);
		const count = whole + (rng.next() < extra - whole ? 1 : 0);
		const start = i * interval;
		const end = Math.min(horizon, start + interval);
		for (let j = 0; j < count; j++) out.push(start + rng.next() * (end - start));
	});
	return out.sort((a, b) => a - b);
}

function changedQueue(s: Scenario, q: QueueSpec, c: QueueChange | undefined): QueueSpec {
	if (!c) return q;
	const n = intervalsOf(s);
	const iv = intervalOf(s);
	const out: QueueSpec = { ...q };
	if (c.slThreshold !== undefined || c.slTarget !== undefined) {
		out.sl = { ...q.sl, ...(c.slThreshold !== undefined ? { threshold: c.slThreshold } : {}), ...(c.slTarget !== undefined ? { target: c.slTarget } : {}) };
	}
	if (c.priority !== undefined) out.priority = c.priority;
	if (c.aging !== undefined) out.aging = c.aging;
	if (c.overflow !== undefined) out.overflow = c.overflow.map((o) => ({ ...o, groups: [...o.groups] }));
	if (c.volumePct !== undefined) {
		const f = factors(c.volumePct, n);
		const a = q.arrivals;
		if ('perHour' in a) out.arrivals = typeof c.volumePct === 'number' ? { perHour: a.perHour * (f[0] ?? 1) } : { perInterval: f.map((k) => (a.perHour * iv * k) / 3600) };
		else if ('perInterval' in a) out.arrivals = { perInterval: a.perInterval.map((x, i) => x * (f[i] ?? 1)) };
		else out.arrivals = { trace: scaleTrace(a.trace, f, iv, s.horizon, q.id) };
	}
	if (c.ahtPct !== undefined) {
		const f = Math.max(0.01, 1 + c.ahtPct / 100);
		out.handle = scaleDist(q.handle, f);
		if (q.wrapup) out.wrapup = scaleDist(q.wrapup, f);
	}
	return out;
}

/** The channels a group serves, from its skills. */
export function channelsOf(s: Scenario, g: AgentGroupSpec): Set<Channel> {
	const byId = new Map(s.queues.map((q) => [q.id, q.channel]));
	return new Set(Object.keys(g.skills).flatMap((q) => (byId.has(q) ? [byId.get(q)!] : [])));
}

/** The baseline with the changes laid over it: an ordinary scenario for the simulator. */
export function applyChanges(base: Scenario, c: PlanChanges, name = `${base.name ?? 'scenario'} (what-if)`): Scenario {
	const s: Scenario = structuredClone(base);
	s.name = name;
	s.queues = s.queues.map((q) => changedQueue(s, q, c.queues?.[q.id]));
	if (c.routing) s.routing = { ...s.routing, policy: c.routing };
	const shrink = c.shrinkage ?? 0;
	const renamed = new Map<string, string[]>();
	s.agents = s.agents.flatMap((g0) => {
		let g: AgentGroupSpec = g0;
		const skills = c.skills?.[g.group];
		if (skills) g = { ...g, skills: { ...skills } };
		if (c.concurrency) {
			const serves = channelsOf(s, g);
			const cap = { ...g.capacity };
			for (const [ch, n] of Object.entries(c.concurrency) as [Channel, number][]) if (ch !== 'voice' && serves.has(ch)) cap[ch] = n;
			g = { ...g, capacity: cap };
		}
		const heads = c.staffing?.[g.group];
		if (!heads && shrink === 0) return [g];
		const scheduled = heads ?? staffingOf(s, g0);
		const groups = groupsForStaffing(s, g, scheduled.map((h) => h * (1 - shrink)));
		renamed.set(g.group, groups.map((x) => x.group));
		return groups;
	});
	// Overflow rules that name a group now split into layers name every layer.
	if (renamed.size) {
		s.queues = s.queues.map((q) =>
			q.overflow ? { ...q, overflow: q.overflow.map((o) => ({ ...o, groups: o.groups.flatMap((g) => renamed.get(g) ?? [g]) })) } : q
		);
	}
	return s;
}

