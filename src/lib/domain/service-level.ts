import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_SL_THRESHOLD, type Channel } from './channels';

/**
 * The service-level formulas of DESIGN.md.
 * - `abandons-count-against` (default): answered within T / (answered + abandoned − short abandons)
 * - `answered-only`: answered within T / answered
 * - `offered`: (answered within T + abandoned within T) / offered
 */
export const SL_FORMULAS = ['abandons-count-against', 'answered-only', 'offered'] as const;

/** One of the service-level formulas. */
export type SlFormula = (typeof SL_FORMULAS)[number];

/** How each formula is named on screen, so every board says which one it shows. */
export const SL_FORMULA_LABEL: Readonly<Record<SlFormula, string>> = {
	'abandons-count-against': 'answered ≤ T / (answered + abandoned − short)',
	'answered-only': 'answered ≤ T / answered',
	offered: '(answered ≤ T + abandoned ≤ T) / offered'
};

/** Default short-abandon cut-off, seconds: abandons quicker than this are not held against the queue. */
export const DEFAULT_SHORT_ABANDON = 5;

/** Service-level settings of a queue, as written in configs and scenarios (all optional). */
export const SlSettingsSchema = Type.Object(
	{
		// A week bounds every real answer target (email is counted in hours), and keeps 1e308 out.
		threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 7 * 86_400, description: 'seconds' })),
		target: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
		shortAbandon: Type.Optional(Type.Number({ minimum: 0, maximum: 3600, description: 'seconds' })),
		formula: Type.Optional(Type.Union(SL_FORMULAS.map((f) => Type.Literal(f))))
	},
	{ additionalProperties: false }
);

/** Service-level settings as written (fields optional). */
export type SlSettingsInput = Static<typeof SlSettingsSchema>;

/** Service-level settings with every default filled in. */
export interface SlSettings {
	readonly threshold: number;
	readonly target: number;
	readonly shortAbandon: number;
	readonly formula: SlFormula;
}

/** Fills the defaults of DESIGN.md for a queue on `channel`. */
export function resolveSl(channel: Channel, input: SlSettingsInput = {}): SlSettings {
	return {
		threshold: input.threshold ?? DEFAULT_SL_THRESHOLD[channel],
		target: input.target ?? 0.8,
		shortAbandon: input.shortAbandon ?? DEFAULT_SHORT_ABANDON,
		formula: input.formula ?? 'abandons-count-against'
	};
}
