import { Unpackr } from 'msgpackr';
import { validateBatch, type EventError, type FloorEvent } from '../lib/domain/events';
import { HttpError } from './http-router';

/**
 * Decoding and validation of ingested batches, shared by `POST /api/events` and the `/ingest`
 * WebSocket. A batch is a JSON or msgpack array of events (or `{ "events": [...] }`); it is
 * validated whole: one bad event rejects it with every bad index and field, and nothing is applied.
 */

/** Most events one batch may carry. */
export const MAX_BATCH_EVENTS = 10_000;

/**
 * How far ahead of the server's clock an event's ts may be. The schema allows any non-negative
 * integer, but the floor's clock follows event times forward, so one event stamped in the year
 * 10^300 would make it roll over days for ever; a day covers producer clock skew many times over.
 */
export const MAX_FUTURE_MS = 86_400_000;

// Plain msgpack only: producers are not expected to speak the wallboard codec's records.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

/** The wire encodings a batch may come in. */
export type BatchEncoding = 'json' | 'msgpack';

/** Picks the encoding from a Content-Type header; null when unsupported. */
export function encodingOf(contentType: string): BatchEncoding | null {
	const t = contentType.split(';')[0]!.trim().toLowerCase();
	if (t === 'application/json' || t === '' || t === 'text/json') return 'json';
	if (t === 'application/msgpack' || t === 'application/x-msgpack' || t === 'application/vnd.msgpack') return 'msgpack';
	return null;
}

/** A batch that is valid, or why not (a message, and per-event errors when the events themselves are wrong). */
export type DecodedBatch =
	| { readonly ok: true; readonly events: FloorEvent[] }
	| { readonly ok: false; readonly message: string; readonly errors: readonly EventError[] };

/** Decodes bytes in `encoding` and validates them as one batch. Never throws. */
export function decodeBatch(bytes: Uint8Array, encoding: BatchEncoding, now = Date.now()): DecodedBatch {
	if (bytes.byteLength === 0) return { ok: false, message: 'empty body; expected an array of events', errors: [] };
	let value: unknown;
	try {
		value = encoding === 'json' ? JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) : unpackr.unpack(bytes);
	} catch (e) {
		return { ok: false, message: `malformed ${encoding === 'json' ? 'JSON' : 'msgpack'}: ${String((e as Error)?.message ?? e).slice(0, 200)}`, errors: [] };
	}
	return validateDecoded(value, now);
}

/** Validates an already-decoded batch (an array, or an object with an `events` array) against the schema and `now`. */
export function validateDecoded(value: unknown, now = Date.now()): DecodedBatch {
	const batch =
		value !== null && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { events?: unknown }).events)
			? (value as { events: unknown[] }).events
			: value;
	if (!Array.isArray(batch)) return { ok: false, message: 'a batch must be an array of events (or { "events": [...] })', errors: [] };
	if (batch.length === 0) return { ok: false, message: 'empty batch', errors: [] };
	if (batch.length > MAX_BATCH_EVENTS) return { ok: false, message: `batch of ${batch.length} events; at most ${MAX_BATCH_EVENTS} per batch`, errors: [] };
	const v = validateBatch(batch);
	const errors: EventError[] = v.ok ? [] : [...v.errors];
	batch.forEach((e: unknown, index) => {
		const ts = (e as { ts?: unknown } | null)?.ts;
		if (typeof ts === 'number' && ts > now + MAX_FUTURE_MS) {
			errors.push({ index, path: '/ts', message: `more than ${MAX_FUTURE_MS / 3_600_000} h ahead of the server clock` });
		}
	});
	if (v.ok && !errors.length) return { ok: true, events: v.events };
	errors.sort((a, b) => a.index - b.index);
	const bad = new Set(errors.map((e) => e.index)).size;
	return { ok: false, message: `${bad} of ${batch.length} events are invalid; nothing was applied`, errors: errors.slice(0, 100) };
}

/** Decodes and validates a request body, throwing the 4xx HttpError that names the problem. */
export function batchFromBody(body: Buffer, contentType: string, now = Date.now()): FloorEvent[] {
	const encoding = encodingOf(contentType);
	if (!encoding) throw new HttpError(415, `unsupported Content-Type ${JSON.stringify(contentType)}; send application/json or application/msgpack`);
	const d = decodeBatch(body, encoding, now);
	if (!d.ok) throw new HttpError(400, d.message, d.errors.length ? { errors: d.errors } : undefined);
	return d.events;
}

/** Frames the server sends on /ingest (same encoding as the batch it answers: text JSON or binary msgpack). */
export type IngestReply =
	| { readonly type: 'ack'; readonly ref: unknown; readonly accepted: number; readonly duplicates: number }
	| { readonly type: 'rejected'; readonly ref: unknown; readonly error: string; readonly errors: readonly EventError[] }
	| { readonly type: 'error'; readonly code: 'bad-frame' | 'too-large' | 'unavailable' | 'unauthorized'; readonly message: string };

/** Reads the `ref` a producer attached to a batch (`{ ref, events }`), echoed in the reply; only short scalars are echoed. */
export function refOf(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
	const ref = (value as { ref?: unknown }).ref;
	if (typeof ref === 'number' && Number.isFinite(ref)) return ref;
	if (typeof ref === 'string' && ref.length <= 128) return ref;
	return null;
}

/** Decodes an /ingest frame: binary is msgpack, text is JSON. Never throws. */
export function decodeIngestFrame(bytes: ArrayBuffer, isBinary: boolean): { value: unknown } | { error: string } {
	try {
		const u8 = new Uint8Array(bytes);
		return { value: isBinary ? unpackr.unpack(u8) : JSON.parse(Buffer.from(u8).toString('utf8')) };
	} catch (e) {
		return { error: `malformed ${isBinary ? 'msgpack' : 'JSON'}: ${String((e as Error)?.message ?? e).slice(0, 200)}` };
	}
}
