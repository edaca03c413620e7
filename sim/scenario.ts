import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { CHANNELS } from '../src/lib/domain/channels';
import { SlSettingsSchema } from '../src/lib/domain/service-level';

/**
 * The scenario format of DESIGN.md (JSON, seconds), its TypeBox schema and a validator whose
 * every error names the field at fault. Distributions and arrivals are checked by their
 * discriminating key first, because a TypeBox union only says "expected union value".
 */

const NonNegative = Type.Number({ minimum: 0 });
const Positive = Type.Number({ exclusiveMinimum: 0 });
const Id = Type.String({ minLength: 1, maxLength: 128 });
const ChannelSchema = Type.Union(CHANNELS.map((c) => Type.Literal(c)));

export const ExponentialSchema = Type.Object(
	{ dist: Type.Literal('exponential'), mean: Positive },
	{ additionalProperties: false }
);
export const LognormalSchema = Type.Object(
	{ dist: Type.Literal('lognormal'), mean: Positive, sd: Positive },
	{ additionalProperties: false }
);
export const EmpiricalSchema = Type.Object(
	{
		dist: Type.Literal('empirical'),
		/** Observed values (seconds), drawn with equal weight unless `weights` is given. */
		values: Type.Array(NonNegative, { minItems: 1 }),
		weights: Type.Optional(Type.Array(NonNegative, { minItems: 1 }))
	},
	{ additionalProperties: false }
);
export const ConstantSchema = Type.Object(
	{ dist: Type.Literal('constant'), value: NonNegative },
	{ additionalProperties: false }
);

/** A distribution of durations, seconds. */
export const DistSchema = Type.Union([ExponentialSchema, LognormalSchema, EmpiricalSchema, ConstantSchema]);
export type Dist = Static<typeof DistSchema>;

const DIST_BY_NAME: Readonly<Record<Dist['dist'], TSchema>> = {
	exponential: ExponentialSchema,
	lognormal: LognormalSchema,
	empirical: EmpiricalSchema,
	constant: ConstantSchema
};

const OrDraw = Type.Union([NonNegative, Type.Null()]);
/**
 * Per-contact columns of a trace (`queues[].arrivals`), parallel to `trace`. A `null` entry means
 * "draw from the queue's distribution" for that contact.
 */
const TraceColumns = {
	/** Each contact's own handle time (talk + hold), seconds. */
	handle: Type.Optional(Type.Array(OrDraw)),
	/** Each contact's own after-contact work, seconds. */
	wrapup: Type.Optional(Type.Array(OrDraw)),
	/** Each contact's priority level; with the queue's `priorityCredit` it moves the contact up the queue. */
	priority: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 1000 }))),
	/** Each contact's own patience (an abandoner of the recorded day), seconds. */
	patience: Type.Optional(Type.Array(OrDraw)),
	/**
	 * How long each contact is known to have waited without abandoning (a contact answered after
	 * that wait): its patience is drawn from the queue's patience conditioned on exceeding it.
	 */
	waited: Type.Optional(Type.Array(NonNegative))
};
/** Names of the per-contact columns a trace may carry. */
export const TRACE_COLUMNS = Object.keys(TraceColumns) as (keyof typeof TraceColumns)[];

export const ArrivalsSchema = Type.Union([
	/** Poisson arrivals at a constant rate over the horizon. */
	Type.Object({ perHour: NonNegative }, { additionalProperties: false }),
	/** Poisson arrivals, one expected count per interval (the intraday profile). */
	Type.Object({ perInterval: Type.Array(NonNegative, { minItems: 1 }) }, { additionalProperties: false }),
	/**
	 * Arrival times (seconds from the start) of a recorded day, optionally with what each contact
	 * brought along (see `TraceContactColumns`): one entry per arrival in each column given.
	 */
	Type.Object({ trace: Type.Array(NonNegative), ...TraceColumns }, { additionalProperties: false })
]);
export type Arrivals = Static<typeof ArrivalsSchema>;

export const OverflowSchema = Type.Object(
	{
		/** Seconds a contact waits before these groups may also answer it. */
		after: NonNegative,
		groups: Type.Array(Id, { minItems: 1 }),
		/** Skill level the overflow groups count with under most-skilled routing (default 1). */
		level: Type.Optional(Positive)
	},
	{ additionalProperties: false }
);

/**
 * A share of a queue's handled contacts that the agent passes on to another queue (same
 * channel) at the end of handling, where the contact waits again and is handled with its own
 * handle time.
 */
export const TransferSchema = Type.Object(
	{
		/** Receiving queue id. */
		to: Id,
		/** Fraction of this queue's handled contacts transferred there (all shares of a queue ≤ 1). */
		share: Type.Number({ minimum: 0, maximum: 1 }),
		/** Handle time with the receiving queue; that queue's own `handle` when omitted. */
		handle: Type.Optional(Type.Unknown())
	},
	{ additionalProperties: false }
);

export const QueueSchema = Type.Object(
	{
		id: Id,
		channel: ChannelSchema,
		sl: Type.Optional(SlSettingsSchema),
		arrivals: Type.Unknown(),
		handle: Type.Unknown(),
		/** After-contact work; part of AHT. None when omitted. */
		wrapup: Type.Optional(Type.Unknown()),
		/** Time a customer is willing to wait; nobody abandons when omitted. */
		patience: Type.Optional(Type.Unknown()),
		/** Higher is served first (0 by default). */
		priority: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
		/** Priority points gained per second of waiting, so a low priority is not starved. */
		aging: Type.Optional(NonNegative),
		/**
		 * Seconds of queue credit per priority level of a contact (trace `priority` column): a
		 * contact of priority p is queued as if it had arrived p × priorityCredit seconds earlier.
		 */
		priorityCredit: Type.Optional(NonNegative),
		overflow: Type.Optional(Type.Array(OverflowSchema)),
		transfers: Type.Optional(Type.Array(TransferSchema))
	},
	{ additionalProperties: false }
);

export const ShiftSchema = Type.Object({ start: NonNegative, end: Positive }, { additionalProperties: false });
/** From `at` on, `count` of the group's agents are logged in (a staffing step). */
const StaffingStepSchema = Type.Object({ at: NonNegative, count: Type.Integer({ minimum: 0, maximum: 100_000 }) }, { additionalProperties: false });

export const AgentGroupSchema = Type.Object(
	{
		group: Id,
		count: Type.Integer({ minimum: 0, maximum: 100_000 }),
		/** Skill level per queue id; higher is more skilled. */
		skills: Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
		/** Simultaneous contacts per channel (default 1 each); voice is always alone. */
		capacity: Type.Optional(
			Type.Partial(
				Type.Object(
					Object.fromEntries(CHANNELS.map((c) => [c, Type.Integer({ minimum: 1, maximum: 100 })])),
					{ additionalProperties: false }
				)
			)
		),
		/** Logged-in periods, seconds from the start; the whole horizon when omitted. */
		shifts: Type.Optional(Type.Array(ShiftSchema, { minItems: 1 })),
		/**
		 * Instead of shifts: how many of the group's `count` agents are logged in, step by step
		 * (ascending `at`; none before the first step). When the number drops, idle agents log off
		 * at once and the rest as they come free (the first to finish leaves), not agent by agent.
		 */
		staffing: Type.Optional(Type.Array(StaffingStepSchema, { minItems: 1 })),
		/**
		 * Reserve: per queue id (one of `skills`), seconds its contacts must have waited before
		 * this group takes them; until then the group is held back for that queue.
		 */
		reserve: Type.Optional(Type.Record(Type.String(), NonNegative))
	},
	{ additionalProperties: false }
);

export const ROUTING_POLICIES = ['longest-idle', 'most-skilled'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/** A scenario as written, with distributions and arrivals left loose for the second pass. */
const ScenarioShapeSchema = Type.Object(
	{
		name: Type.Optional(Type.String({ maxLength: 200 })),
		description: Type.Optional(Type.String()),
		seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
		horizon: Type.Number({ exclusiveMinimum: 0, maximum: 366 * 86400 }),
		interval: Type.Optional(Type.Number({ minimum: 1, maximum: 86400 })),
		queues: Type.Array(QueueSchema, { minItems: 1 }),
		agents: Type.Array(AgentGroupSchema),
		routing: Type.Optional(
			Type.Object(
				{ policy: Type.Optional(Type.Union(ROUTING_POLICIES.map((p) => Type.Literal(p)))) },
				{ additionalProperties: false }
			)
		)
	},
	{ additionalProperties: false }
);

type Shape = Static<typeof ScenarioShapeSchema>;
type QueueShape = Static<typeof QueueSchema>;

/** A transfer of a valid scenario. */
export interface TransferSpec extends Omit<Static<typeof TransferSchema>, 'handle'> {
	handle?: Dist;
}

/** A queue of a valid scenario. */
export interface QueueSpec extends Omit<QueueShape, 'arrivals' | 'handle' | 'wrapup' | 'patience' | 'transfers'> {
	arrivals: Arrivals;
	handle: Dist;
	wrapup?: Dist;
	patience?: Dist;
	transfers?: TransferSpec[];
}

/** A valid scenario (the input of the engine). */
export interface Scenario extends Omit<Shape, 'queues'> {
	queues: QueueSpec[];
}

export type AgentGroupSpec = Static<typeof AgentGroupSchema>;

/** One problem in a scenario: `path` names the field, e.g. `queues[0].arrivals.perHour`. */
export interface ScenarioError {
	readonly path: string;
	readonly message: string;
}

/** A valid scenario, or every problem found (up to a cap). */
export type ScenarioValidation =
	| { readonly ok: true; readonly scenario: Scenario }
	| { readonly ok: false; readonly errors: readonly ScenarioError[] };

const MAX_ERRORS = 50;
/** What validation needs of a schema check. */
type Checker = Pick<TypeCheck<TSchema>, 'Check' | 'Errors'>;

/**
 * Compiled where code generation is allowed (Node: fast); interpreted where the page's
 * Content-Security-Policy forbids eval (the planner in the browser and its workers).
 */
function checker(schema: TSchema): Checker {
	try {
		return TypeCompiler.Compile(schema);
	} catch {
		return { Check: (v: unknown): v is unknown => Value.Check(schema, v), Errors: (v: unknown) => Value.Errors(schema, v) };
	}
}

const shapeCheck = checker(ScenarioShapeSchema);
const distChecks = new Map<string, Checker>(Object.entries(DIST_BY_NAME).map(([k, s]) => [k, checker(s)]));
const arrivalChecks = new Map<string, Checker>(ArrivalsSchema.anyOf.map((s) => [Object.keys(s.properties)[0]!, checker(s)]));

/** `/queues/0/arrivals/perHour` → `queues[0].arrivals.perHour`. */
export function pointerToPath(pointer: string): string {
	let out = '';
	for (const raw of pointer.split('/').slice(1)) {
		const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (/^\d+$/.test(part)) out += `[${part}]`;
		else out += out ? `.${part}` : part;
	}
	return out;
}

function collect(check: Checker, value: unknown, prefix: string, out: ScenarioError[]): void {
	for (const e of check.Errors(value)) {
		if (out.length >= MAX_ERRORS) return;
		const path = pointerToPath(prefix + e.path);
		// A union error on a parent repeats what its members already said.
		if (out.some((o) => o.path === path)) continue;
		out.push({ path, message: e.message });
	}
}

function checkDist(value: unknown, pointer: string, out: ScenarioError[]): void {
	const name = (value as { dist?: unknown } | null)?.dist;
	const check = typeof value === 'object' && value !== null && typeof name === 'string' ? distChecks.get(name) : undefined;
	if (!check) {
		const path = pointerToPath(pointer + (typeof value === 'object' && value !== null ? '/dist' : ''));
		out.push({ path, message: `expected a distribution with dist one of ${Object.keys(DIST_BY_NAME).join(', ')}` });
		return;
	}
	collect(check, value, pointer, out);
	if (name === 'empirical') {
		const d = value as { values: number[]; weights?: number[] };
		if (d.weights && Array.isArray(d.values) && d.weights.length !== d.values.length) {
			out.push({ path: pointerToPath(`${pointer}/weights`), message: 'must have one weight per value' });
		} else if (d.weights && d.weights.every((w) => w === 0)) {
			out.push({ path: pointerToPath(`${pointer}/weights`), message: 'must not all be zero' });
		}
	}
}

function checkArrivals(value: unknown, pointer: string, intervals: number, horizon: number, out: ScenarioError[]): void {
	const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
	// A trace may carry per-contact columns beside `trace`; the other kinds are one key alone.
	const kind = keys.includes('trace') ? 'trace' : keys.length === 1 ? keys[0] : undefined;
	const check = kind === undefined ? undefined : arrivalChecks.get(kind);
	if (!check) {
		out.push({
			path: pointerToPath(pointer),
			message: 'expected exactly one of perHour, perInterval, trace (a trace may add per-contact columns)'
		});
		return;
	}
	const before = out.length;
	collect(check, value, pointer, out);
	if (out.length > before) return;
	const a = value as Arrivals;
	if ('perInterval' in a && a.perInterval.length !== intervals) {
		out.push({
			path: pointerToPath(`${pointer}/perInterval`),
			message: `has ${a.perInterval.length} entries; horizon / interval needs ${intervals}`
		});
	}
	if ('trace' in a) {
		const bad = a.trace.findIndex((t) => t >= horizon);
		if (bad >= 0) out.push({ path: pointerToPath(`${pointer}/trace/${bad}`), message: 'must be before the horizon' });
		for (const col of TRACE_COLUMNS) {
			const v = a[col];
			if (v !== undefined && v.length !== a.trace.length) {
				out.push({ path: pointerToPath(`${pointer}/${col}`), message: `has ${v.length} entries; trace has ${a.trace.length}` });
			}
		}
	}
}

/** Number of KPI intervals of a scenario (the last one may be shorter). */
export function intervalCount(horizon: number, interval: number): number {
	return Math.max(1, Math.ceil(horizon / interval - 1e-9));
}

/** The KPI interval of a scenario, seconds (900 when omitted). */
export function intervalOf(s: Pick<Scenario, 'interval'>): number {
	return s.interval ?? 900;
}

/**
 * Validates parsed JSON as a scenario. Never throws: anything wrong comes back as errors naming
 * the field (`queues[2].handle.mean`, `agents[0].skills.billing`, ...).
 */
export function validateScenario(value: unknown): ScenarioValidation {
	const errors: ScenarioError[] = [];
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { ok: false, errors: [{ path: '', message: 'scenario must be a JSON object' }] };
	}
	collect(shapeCheck, value, '', errors);
	if (errors.length) return { ok: false, errors };
	const s = value as Shape;

	const interval = s.interval ?? 900;
	const intervals = intervalCount(s.horizon, interval);
	const queueIds = new Map<string, number>();
	s.queues.forEach((q, i) => {
		const at = `/queues/${i}`;
		if (queueIds.has(q.id)) errors.push({ path: pointerToPath(`${at}/id`), message: `duplicate queue id ${JSON.stringify(q.id)}` });
		queueIds.set(q.id, i);
		checkArrivals(q.arrivals, `${at}/arrivals`, intervals, s.horizon, errors);
		checkDist(q.handle, `${at}/handle`, errors);
		if (q.wrapup !== undefined) checkDist(q.wrapup, `${at}/wrapup`, errors);
		if (q.patience !== undefined) checkDist(q.patience, `${at}/patience`, errors);
	});

	const groups = new Set<string>();
	s.agents.forEach((g, i) => {
		const at = `/agents/${i}`;
		if (groups.has(g.group)) errors.push({ path: pointerToPath(`${at}/group`), message: `duplicate group ${JSON.stringify(g.group)}` });
		groups.add(g.group);
		for (const qid of Object.keys(g.skills)) {
			if (!queueIds.has(qid)) {
				errors.push({ path: pointerToPath(`${at}/skills/${qid}`), message: `unknown queue ${JSON.stringify(qid)}` });
			}
		}
		for (const qid of Object.keys(g.reserve ?? {})) {
			if (!(qid in g.skills)) {
				errors.push({ path: pointerToPath(`${at}/reserve/${qid}`), message: `not one of the group's skills (${JSON.stringify(qid)})` });
			}
		}
		let lastEnd = -Infinity;
		(g.shifts ?? []).forEach((sh, j) => {
			const p = `${at}/shifts/${j}`;
			if (sh.end <= sh.start) errors.push({ path: pointerToPath(`${p}/end`), message: 'must be after start' });
			else if (sh.start < lastEnd) errors.push({ path: pointerToPath(`${p}/start`), message: 'shifts must be in order and not overlap' });
			else if (sh.start >= s.horizon) errors.push({ path: pointerToPath(`${p}/start`), message: 'must be before the horizon' });
			lastEnd = Math.max(lastEnd, sh.end);
		});
		if (g.staffing && g.shifts) errors.push({ path: pointerToPath(`${at}/staffing`), message: 'give shifts or staffing, not both' });
		let lastAt = -Infinity;
		(g.staffing ?? []).forEach((st, j) => {
			const p = `${at}/staffing/${j}`;
			if (st.at <= lastAt) errors.push({ path: pointerToPath(`${p}/at`), message: 'steps must be in ascending order of at' });
			else if (st.at >= s.horizon) errors.push({ path: pointerToPath(`${p}/at`), message: 'must be before the horizon' });
			if (st.count > g.count) errors.push({ path: pointerToPath(`${p}/count`), message: `more than the group's count (${g.count})` });
			lastAt = Math.max(lastAt, st.at);
		});
	});

	s.queues.forEach((q, i) => {
		let shares = 0;
		(q.transfers ?? []).forEach((t, j) => {
			const at = `/queues/${i}/transfers/${j}`;
			const to = queueIds.get(t.to);
			if (to === undefined) errors.push({ path: pointerToPath(`${at}/to`), message: `unknown queue ${JSON.stringify(t.to)}` });
			else if (to === i) errors.push({ path: pointerToPath(`${at}/to`), message: 'a queue cannot transfer to itself' });
			else if (s.queues[to]?.channel !== q.channel) {
				errors.push({ path: pointerToPath(`${at}/to`), message: `queue ${JSON.stringify(t.to)} is ${s.queues[to]?.channel}, not ${q.channel}` });
			}
			if (t.handle !== undefined) checkDist(t.handle, `${at}/handle`, errors);
			shares += t.share;
		});
		if (shares > 1 + 1e-9) errors.push({ path: pointerToPath(`/queues/${i}/transfers`), message: `shares add up to ${+shares.toFixed(6)}, more than 1` });
		(q.overflow ?? []).forEach((o, j) => {
			o.groups.forEach((g, k) => {
				if (!groups.has(g)) {
					errors.push({ path: pointerToPath(`/queues/${i}/overflow/${j}/groups/${k}`), message: `unknown agent group ${JSON.stringify(g)}` });
				}
			});
		});
	});

	if (errors.length) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
	return { ok: true, scenario: s as unknown as Scenario };
}

/** One line naming the first few problems (and how many more), for a CLI or a toast. */
export function formatErrors(errors: readonly ScenarioError[]): string {
	if (errors.length === 0) return 'invalid scenario';
	const shown = errors.slice(0, 3).map((e) => `${e.path || '(scenario)'}: ${e.message}`);
	const more = errors.length > shown.length ? ` (and ${errors.length - shown.length} more)` : '';
	return `${shown.join('; ')}${more}`;
}

/** Parses JSON text and validates it; bad JSON is reported as an error, not thrown. */
export function parseScenario(text: string): ScenarioValidation {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		return { ok: false, errors: [{ path: '', message: `not valid JSON: ${(e as Error).message}` }] };
	}
	return validateScenario(value);
}
