import { Type } from '@sinclair/typebox';
import { AGENT_ACTIVITIES, type AgentActivity } from './agent-activity';
import { CHANNELS, type Channel } from './channels';
import { check, preview, type ValidationError } from './result';
import { SL_FORMULAS, type SlFormula } from './service-level';
import { MAX_SITES } from './sites';
import { DEFAULT_THRESHOLDS, THRESHOLD_KPIS, WINDOWED_KPIS, type ThresholdRule } from './thresholds';

/**
 * A board's configuration: what it shows, how it colours it, how it is laid out. The schema is
 * both the validator of `PUT /api/boards/:id` and the names the admin page uses.
 */

/** How far away the wall is read from: the type is sized for it. */
export const DENSITIES = ['kiosk', 'room', 'desk'] as const;
/** A viewing distance: `kiosk` across a room (largest type), `room` a few metres, `desk` at arm's length. */
export type Density = (typeof DENSITIES)[number];

/** How a board is shown and when it warns about itself; every key has a default (DEFAULT_DISPLAY). */
export interface BoardDisplay {
	readonly density?: Density;
	/** A live wall with no event for this long (in real seconds) turns stale: its producers went quiet. */
	readonly staleAfterSeconds?: number;
	/** An agent in one activity longer than this many minutes is flagged on the grid; absent or 0: never. */
	readonly longState?: Readonly<Partial<Record<AgentActivity, number>>>;
}

/** A board: which queues and channels it shows, and how it colours them. */
export interface BoardConfig {
	readonly id: string;
	readonly name: string;
	/** Queue ids shown; null shows every queue. */
	readonly queues: readonly string[] | null;
	/** Channels shown; null shows every channel. */
	readonly channels: readonly Channel[] | null;
	/** Formula of the board-level (total and channel) service level. */
	readonly slFormula: SlFormula;
	/** Rules for every queue and the totals, then per-queue overrides by queue id. */
	readonly thresholds: { readonly default: readonly ThresholdRule[]; readonly queues: Readonly<Record<string, readonly ThresholdRule[]>> };
	/** Layout and self-warnings; absent keys take DEFAULT_DISPLAY. */
	readonly display?: BoardDisplay;
	/**
	 * Sites shown (DESIGN.md, "Sites"): absent shows the default site only, so a board saved before
	 * sites existed shows what it showed; null shows every configured site; a list shows those.
	 * A board of several sites sums their counts, and names its queues and agents `site/id`.
	 */
	readonly sites?: readonly string[] | null;
}

/** What a board without `display` settings gets. */
export const DEFAULT_DISPLAY: Required<BoardDisplay> = {
	density: 'room',
	staleAfterSeconds: 120,
	longState: { 'not-ready': 30, 'on-contact': 60, 'wrap-up': 10 }
};

/** A board's display settings with every default filled in. */
export function displayOf(board: BoardConfig): Required<BoardDisplay> {
	const d = board.display ?? {};
	return {
		density: d.density ?? DEFAULT_DISPLAY.density,
		staleAfterSeconds: d.staleAfterSeconds ?? DEFAULT_DISPLAY.staleAfterSeconds,
		longState: d.longState ?? DEFAULT_DISPLAY.longState
	};
}

/** The board that shows the whole floor. */
export const DEFAULT_BOARD: BoardConfig = {
	id: 'default',
	name: 'Whole floor',
	queues: null,
	channels: null,
	slFormula: 'abandons-count-against',
	thresholds: { default: DEFAULT_THRESHOLDS, queues: {} }
};

const RuleSchema = Type.Object(
	{
		kpi: Type.Union(THRESHOLD_KPIS.map((k) => Type.Literal(k))),
		warn: Type.Number(),
		alert: Type.Number(),
		window: Type.Optional(Type.Union([Type.Literal('today'), Type.Literal('rolling')]))
	},
	{ additionalProperties: false }
);

/** JSON Schema of a board config (also the validator of `PUT /api/boards/:id`). */
export const BoardConfigSchema = Type.Object(
	{
		id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
		name: Type.String({ minLength: 1, maxLength: 128 }),
		queues: Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 1000 }), Type.Null()]),
		channels: Type.Union([Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), { maxItems: 5 }), Type.Null()]),
		slFormula: Type.Union(SL_FORMULAS.map((f) => Type.Literal(f))),
		thresholds: Type.Object(
			{
				default: Type.Array(RuleSchema, { maxItems: 50 }),
				queues: Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Array(RuleSchema, { maxItems: 50 }))
			},
			{ additionalProperties: false }
		),
		sites: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: MAX_SITES, uniqueItems: true }), Type.Null()])),
		display: Type.Optional(
			Type.Object(
				{
					density: Type.Optional(Type.Union(DENSITIES.map((d) => Type.Literal(d)))),
					staleAfterSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400 })),
					longState: Type.Optional(
						Type.Object(
							Object.fromEntries(AGENT_ACTIVITIES.map((a) => [a, Type.Optional(Type.Number({ minimum: 0, maximum: 24 * 60 }))])),
							{ additionalProperties: false }
						)
					)
				},
				{ additionalProperties: false }
			)
		)
	},
	{ additionalProperties: false }
);

/** Fields whose value is one of a fixed list of names, by path: the error names the list. */
const NAMED_FIELDS: readonly (readonly [RegExp, { readonly what: string; readonly valid: readonly string[] }])[] = [
	[/\/kpi$/, { what: 'KPI', valid: THRESHOLD_KPIS }],
	[/\/window$/, { what: 'window', valid: ['today', 'rolling'] }],
	[/^\/slFormula$/, { what: 'service-level formula', valid: SL_FORMULAS }],
	[/^\/channels\/\d+$/, { what: 'channel', valid: CHANNELS }],
	[/^\/display\/density$/, { what: 'density', valid: DENSITIES }]
];

/** The value at a JSON pointer, or undefined. */
function at(x: unknown, pointer: string): unknown {
	let v = x;
	for (const raw of pointer.split('/').slice(1)) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<string, unknown>)[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
	}
	return v;
}

/**
 * Validates a board config (the schema, then what it cannot say); errors in the one `Result`
 * shape, one per field. A name outside a fixed list (a KPI, a channel, ...) says which names there
 * are, where the schema alone says "Expected union value".
 */
export function parseBoardConfig(x: unknown): { ok: true; board: BoardConfig } | { ok: false; errors: readonly ValidationError[] } {
	const r = check(BoardConfigSchema, x);
	if (!r.ok) {
		const byPath = new Map<string, ValidationError>();
		for (const e of r.errors) {
			if (byPath.has(e.path)) continue;
			const named = NAMED_FIELDS.find(([re]) => re.test(e.path))?.[1];
			byPath.set(e.path, named ? { path: e.path, message: `unknown ${named.what} ${preview(at(x, e.path))}; valid: ${named.valid.join(', ')}` } : e);
		}
		return { ok: false, errors: [...byPath.values()] };
	}
	const board = r.value;
	// What the schema cannot say: a period only for KPIs that have two.
	const errors: ValidationError[] = [];
	const checkRules = (rules: readonly ThresholdRule[], path: string) =>
		rules.forEach((rule, i) => {
			if (rule.window !== undefined && !WINDOWED_KPIS.has(rule.kpi))
				errors.push({ path: `${path}/${i}/window`, message: `${rule.kpi} is judged on its current value; a window applies to ${[...WINDOWED_KPIS].join(', ')}` });
		});
	checkRules(board.thresholds.default, '/thresholds/default');
	for (const [q, rules] of Object.entries(board.thresholds.queues)) checkRules(rules, `/thresholds/queues/${q}`);
	return errors.length ? { ok: false, errors } : { ok: true, board };
}
