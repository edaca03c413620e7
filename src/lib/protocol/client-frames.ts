import { Type, type Static } from '@sinclair/typebox';
import { check, preview } from '../domain/result';
import type { ErrorFrame } from './frames';

/*
 * Client frames as a TypeBox schema, checked with the one `check` helper. A module of its own so the
 * browser, which only sends these frames, does not bundle the validator.
 */

/** Frames a wallboard sends: ask for a fresh snapshot (after a `seq` gap), or measure the clock. */
export const ClientFrameSchema = Type.Union([
	Type.Object({ type: Type.Literal('resync'), reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
	Type.Object({ type: Type.Literal('ping'), t: Type.Number() }, { additionalProperties: false })
]);

/** A frame a wallboard sends. */
export type ClientFrame = Static<typeof ClientFrameSchema>;

const CLIENT_TYPES = new Set(ClientFrameSchema.anyOf.map((s) => s.properties.type.const));

/**
 * Reads a decoded value as a client frame; returns an error message naming what is wrong instead
 * of throwing, so a bad frame never crashes the server.
 */
export function parseClientFrame(value: unknown): ClientFrame | { readonly error: string; readonly code: ErrorFrame['code'] } {
	const type = (value as { type?: unknown } | null)?.type;
	if (typeof value === 'object' && value !== null && !Array.isArray(value) && !CLIENT_TYPES.has(type as ClientFrame['type'])) {
		return { error: `unknown frame type ${preview(type)}`, code: 'unknown-type' };
	}
	const r = check(ClientFrameSchema, value);
	if (r.ok) return r.value;
	const first = r.errors[0];
	return { error: `bad frame: ${first ? `${first.path || '/'} ${first.message}` : 'not a frame'}`, code: 'bad-frame' };
}
