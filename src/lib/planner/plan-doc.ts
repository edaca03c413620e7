import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { PlanChangesSchema } from './changes';

/**
 * A plan as it is saved, shared and applied: where the baseline comes from, the changes over it
 * and the planner's settings. Small (no contacts), so it fits a URL; the server keeps versions.
 */

/** Where a baseline comes from. */
export const BaselineSourceSchema = Type.Union([
	Type.Object({ kind: Type.Literal('bundled'), id: Type.Literal('multichannel-day') }, { additionalProperties: false }),
	Type.Object({ kind: Type.Literal('day'), date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), source: Type.Optional(Type.String({ maxLength: 32 })) }, { additionalProperties: false }),
	Type.Object({ kind: Type.Literal('file'), name: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
	Type.Object({ kind: Type.Literal('forecast'), date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }, { additionalProperties: false })
]);
/** Where a baseline comes from. */
export type BaselineSource = Static<typeof BaselineSourceSchema>;

/** The plan document. */
export const PlanDocSchema = Type.Object(
	{
		version: Type.Literal(1),
		name: Type.String({ minLength: 1, maxLength: 200 }),
		source: BaselineSourceSchema,
		changes: PlanChangesSchema,
		/** Cost per scheduled agent-hour, per group. */
		costs: Type.Record(Type.String({ maxLength: 128 }), Type.Number({ minimum: 0, maximum: 100_000 })),
		replications: Type.Integer({ minimum: 2, maximum: 1000 }),
		seed: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
		/** Clock time of the day's second 0, seconds after midnight. */
		dayStart: Type.Integer({ minimum: 0, maximum: 86_399 })
	},
	{ additionalProperties: false }
);
/** The plan document. */
export type PlanDoc = Static<typeof PlanDocSchema>;

/** Checks a plan document; errors name the field. */
export function checkPlanDoc(value: unknown): { ok: true; doc: PlanDoc } | { ok: false; errors: string[] } {
	if (Value.Check(PlanDocSchema, value)) return { ok: true, doc: value };
	const errors: string[] = [];
	for (const e of Value.Errors(PlanDocSchema, value)) {
		errors.push(`${e.path || '/'}: ${e.message}`);
		if (errors.length >= 10) break;
	}
	return { ok: false, errors };
}

function toBase64Url(bytes: Uint8Array): string {
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
	const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
	return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The plan as a URL-safe string (UTF-8 JSON in base64url). */
export function encodePlan(doc: PlanDoc): string {
	return toBase64Url(new TextEncoder().encode(JSON.stringify(doc)));
}

/** The plan from `encodePlan`'s string; throws with a readable message when it is not one. */
export function decodePlan(text: string): PlanDoc {
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(text.slice(0, 500_000))));
	} catch {
		throw new Error('the shared plan in this link is damaged (not base64url JSON)');
	}
	const r = checkPlanDoc(value);
	if (!r.ok) throw new Error(`the shared plan in this link is not valid: ${r.errors.join('; ')}`);
	return r.doc;
}
