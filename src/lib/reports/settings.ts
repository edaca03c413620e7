import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ChannelGroup } from '../domain/channel-groups';
import { SL_FORMULAS, type SlFormula } from '../domain/service-level';

/**
 * What a manager's report judges a day against, beyond each queue's own service-level target
 * (which lives in the floor config): the rule for "met" on a day with several queues, the
 * formula of the floor-wide service level, and targets for the other headline KPIs. Stored as a
 * versioned config (kind `reports`), so a past day is judged by the version in force that day.
 */

/** How a day with several queues is judged. */
export const MET_RULES = ['every-group', 'floor-total', 'every-queue'] as const;
/** One of the rules for "met". */
export type MetRule = (typeof MET_RULES)[number];

/** The rule for "met", in words, as the page states it. */
export const MET_RULE_LABEL: Readonly<Record<MetRule, string>> = {
	'every-group': 'met when every channel group with traffic (voice; messaging = chat, social, SMS; email) reaches its own service-level target',
	'floor-total': 'met when the service level of all queues together reaches the floor target',
	'every-queue': 'met when every queue with traffic reaches its own service-level target'
};

const optionalTarget = (description: string, max?: number) =>
	Type.Union([Type.Null(), Type.Number({ minimum: 0, ...(max === undefined ? {} : { maximum: max }), description })]);

/** A channel group's own targets; each one left out falls back as `groupTargets` says. */
const GroupTargetsSchema = Type.Object(
	{
		serviceLevel: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'SL target (fraction)' })),
		asa: Type.Optional(optionalTarget('seconds, at most')),
		abandonRate: Type.Optional(optionalTarget('fraction, at most', 1)),
		aht: Type.Optional(optionalTarget('seconds, at most'))
	},
	{ additionalProperties: false }
);

/** Schema of the report settings as stored and as `PUT /api/reports/settings` takes them. */
export const ReportSettingsSchema = Type.Object(
	{
		metRule: Type.Union(MET_RULES.map((r) => Type.Literal(r))),
		slFormula: Type.Union(SL_FORMULAS.map((f) => Type.Literal(f))),
		targets: Type.Object(
			{
				serviceLevel: Type.Number({ minimum: 0, maximum: 1, description: 'floor-wide SL target (fraction)' }),
				asa: optionalTarget('seconds, at most'),
				abandonRate: optionalTarget('fraction, at most', 1),
				aht: optionalTarget('seconds, at most'),
				occupancy: optionalTarget('fraction, at most', 1),
				csat: optionalTarget('fraction, at least', 1)
			},
			{ additionalProperties: false }
		),
		/** Per channel group: a group's waits are seconds, minutes or hours, so each is judged against its own. */
		groups: Type.Optional(
			Type.Object(
				{ voice: Type.Optional(GroupTargetsSchema), messaging: Type.Optional(GroupTargetsSchema), email: Type.Optional(GroupTargetsSchema) } satisfies Record<ChannelGroup, unknown>,
				{ additionalProperties: false }
			)
		)
	},
	{ additionalProperties: false }
);

/** Report settings. */
export type ReportSettings = Static<typeof ReportSettingsSchema>;

/** Defaults: each channel group against 80%, the default formula of DESIGN.md, common industry targets. */
export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
	metRule: 'every-group',
	slFormula: 'abandons-count-against' satisfies SlFormula,
	targets: { serviceLevel: 0.8, asa: 30, abandonRate: 0.05, aht: null, occupancy: 0.85, csat: null }
};

/**
 * ASA a group is held to when its settings name none: voice's is `targets.asa` (seconds, the
 * floor-wide figure of settings saved before groups existed); a chat is answered in minutes and an
 * email in hours.
 */
export const DEFAULT_GROUP_ASA: Readonly<Record<Exclude<ChannelGroup, 'voice'>, number>> = { messaging: 120, email: 4 * 3600 };

/** Targets one channel group is judged against. */
export interface GroupTargets {
	readonly serviceLevel: number;
	readonly asa: number | null;
	readonly abandonRate: number | null;
	readonly aht: number | null;
}

/**
 * The targets of `group`: its own where `groups` sets them; otherwise the floor's service-level and
 * abandon-rate targets, and for ASA and AHT (whose scale is the channel's) voice takes the floor's
 * `targets` and the others `DEFAULT_GROUP_ASA` and no AHT target.
 */
export function groupTargets(settings: ReportSettings, group: ChannelGroup): GroupTargets {
	const own = settings.groups?.[group] ?? {};
	const t = settings.targets;
	return {
		serviceLevel: own.serviceLevel ?? t.serviceLevel,
		asa: own.asa !== undefined ? own.asa : group === 'voice' ? t.asa : DEFAULT_GROUP_ASA[group],
		abandonRate: own.abandonRate !== undefined ? own.abandonRate : t.abandonRate,
		aht: own.aht !== undefined ? own.aht : group === 'voice' ? t.aht : null
	};
}

/** Validates settings; errors name the field (`/targets/asa: ...`). */
export function parseReportSettings(input: unknown): { ok: true; settings: ReportSettings } | { ok: false; errors: string[] } {
	if (Value.Check(ReportSettingsSchema, input)) return { ok: true, settings: input };
	const errors = [...Value.Errors(ReportSettingsSchema, input)].slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
	return { ok: false, errors };
}

/** One stored version of a config, as the store lists them. */
export interface Versioned<T> {
	readonly version: number;
	/** When this version was saved (epoch ms). */
	readonly ts: number;
	readonly body: T;
}

/**
 * The version in force for a day that ends at `dayEnd`: the last one saved before the day ended
 * (a target changed at noon judges that day). Null when none was saved yet: the defaults were in
 * force then, and the page says so.
 */
export function versionInForce<T>(versions: readonly Versioned<T>[], dayEnd: number): Versioned<T> | null {
	let best: Versioned<T> | null = null;
	for (const v of versions) if (v.ts < dayEnd && (!best || v.version > best.version)) best = v;
	return best;
}
