import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

/**
 * The one validation result of the code base: every input (events, boards, config, client frames)
 * is checked into a `Result`, so every refusal names its problems the same way: a JSON pointer
 * `path` into the checked value, a `message`, and for batches the `index` of the item.
 */

/** One problem found in an input. */
export interface ValidationError {
	/** JSON pointer into the checked value ("" for the value itself). */
	readonly path: string;
	readonly message: string;
	/** Position of the item in a batch, for inputs that are lists of items (event batches). */
	readonly index?: number;
}

/** A checked value, or every problem found (nothing partial). */
export type Result<T, E = readonly ValidationError[]> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: E };

/** A success. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
	return { ok: true, value };
}

/** Most errors reported for one value: a huge bad input gets a bounded answer. */
const MAX_ERRORS = 20;
/** Longest preview of an attacker-chosen value in a message. */
const PREVIEW_CHARS = 40;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The compiled checker of `schema` (compiled once, on first use). */
function checker<S extends TSchema>(schema: S): TypeCheck<S> {
	let c = compiled.get(schema);
	if (!c) {
		c = TypeCompiler.Compile(schema);
		compiled.set(schema, c);
	}
	return c as TypeCheck<S>;
}

/**
 * Checks `value` against a TypeBox schema, and that every string in it is well-formed UTF-16 (a
 * lone surrogate cannot be stored or sent as UTF-8). Never throws, whatever the value: messages
 * are TypeBox's own, which do not echo the value.
 */
export function check<S extends TSchema>(schema: S, value: unknown, maxErrors = MAX_ERRORS): Result<Static<S>> {
	const c = checker(schema);
	if (c.Check(value)) {
		const bad = loneSurrogatePath(value, '', 0);
		return bad === null ? ok(value) : { ok: false, errors: [{ path: bad, message: 'string holds a lone surrogate (not valid Unicode)' }] };
	}
	const errors: ValidationError[] = [];
	try {
		for (const e of c.Errors(value)) {
			errors.push({ path: e.path, message: e.message });
			if (errors.length >= maxErrors) break;
		}
	} catch {
		// A value TypeBox cannot walk (absurd nesting): still a clear refusal.
	}
	return { ok: false, errors: errors.length ? errors : [{ path: '', message: 'value does not match the expected shape' }] };
}

// With the u flag a surrogate class matches only surrogates that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The path of the first string holding a lone surrogate, or null. Depth-capped: schema-checked values are shallow. */
function loneSurrogatePath(v: unknown, path: string, depth: number): string | null {
	if (typeof v === 'string') return LONE_SURROGATE.test(v) ? path : null;
	if (depth > 32 || v === null || typeof v !== 'object') return null;
	for (const [k, x] of Object.entries(v)) {
		if (LONE_SURROGATE.test(k)) return `${path}/${escapePointer(k)}`;
		const p = loneSurrogatePath(x, `${path}/${escapePointer(k)}`, depth + 1);
		if (p !== null) return p;
	}
	return null;
}

function escapePointer(key: string): string {
	return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A short, escaped preview of an attacker-chosen value for an error message: strings cut to a few
 * dozen characters and JSON-escaped, other values named by kind. Never serialises a whole value,
 * so a BigInt, a cycle or a 5,000-deep nest cannot make the message itself fail.
 */
export function preview(v: unknown): string {
	switch (typeof v) {
		case 'string': {
			const cut = v.length > PREVIEW_CHARS ? `${v.slice(0, PREVIEW_CHARS)}…` : v;
			// JSON.stringify escapes quotes, controls and lone surrogates.
			return JSON.stringify(cut);
		}
		case 'number':
		case 'boolean':
			return String(v);
		case 'bigint':
			return 'an integer too large for JSON';
		case 'undefined':
			return 'nothing';
		default:
			if (v === null) return 'null';
			return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
	}
}

/** One line naming the first few errors, for logs and exceptions. */
export function formatValidationErrors(errors: readonly ValidationError[], max = 3): string {
	const shown = errors.slice(0, max).map((e) => `${e.index !== undefined ? `#${e.index} ` : ''}${e.path || '/'}: ${e.message}`);
	return shown.join('; ') + (errors.length > max ? ` (and ${errors.length - max} more)` : '');
}
