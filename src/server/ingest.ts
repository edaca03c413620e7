import { Unpackr } from 'msgpackr';
import { validateBatch, type EventError, type FloorEvent } from '../lib/domain/events';
import type { EventsAccepted } from '../lib/api/types';
import { preview } from '../lib/domain/result';
import type { Metrics } from './metrics';

/**
 * Decoding and validation of ingested batches, shared by `POST /api/events` and the `/ingest`
 * WebSocket. A batch is a JSON or msgpack array of events (or `{ "events": [...] }`); it is
 * validated whole: one bad event rejects it with every bad index and field, and nothing is applied.
 * Nothing here throws, whatever the bytes: every input path gets a `DecodedBatch`.
 */

/** Most events one batch may carry. */
const MAX_BATCH_EVENTS = 10_000;

// Plain msgpack only: producers are not expected to speak the wallboard codec's records.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

/** The wire encodings a batch may come in. */
export type BatchEncoding = 'json' | 'msgpack';

/** Picks the encoding from a Content-Type header; null when unsupported. */
export function encodingOf(contentType: string): BatchEncoding | null {
	const t = (contentType.split(';')[0] ?? '').trim().toLowerCase();
	if (t === 'application/json' || t === '' || t === 'text/json') return 'json';
	if (t === 'application/msgpack' || t === 'application/x-msgpack' || t === 'application/vnd.msgpack') return 'msgpack';
	return null;
}

/** A batch that is valid, or why not (a message, and per-event errors when the events themselves are wrong). */
export type DecodedBatch =
	| { readonly ok: true; readonly events: FloorEvent[] }
	| { readonly ok: false; readonly message: string; readonly errors: readonly EventError[] };

/** What validation compares event times with. */
export interface BatchClock {
	/** The server's time, epoch ms. */
	readonly now: number;
	/** How far ahead of `now` an event's ts may be (producer clock skew), ms. */
	readonly maxAheadMs: number;
	/** The floor's daily limits on new queue and agent ids: the first event past them, or null. */
	readonly checkIds?: (events: readonly FloorEvent[]) => EventError | null;
}

/** Decodes bytes (JSON or msgpack) into a value, or a message naming why not. Never throws. */
export function decodeValue(bytes: Uint8Array, encoding: BatchEncoding): { value: unknown } | { error: string } {
	try {
		const value = encoding === 'json' ? JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) : unpackr.unpack(bytes);
		return { value };
	} catch (e) {
		return { error: `malformed ${encoding === 'json' ? 'JSON' : 'msgpack'}: ${String((e as Error)?.message ?? e).slice(0, 200)}` };
	}
}

/** Decodes bytes in `encoding` and validates them as one batch. Never throws. */
export function decodeBatch(bytes: Uint8Array, encoding: BatchEncoding, clock: BatchClock): DecodedBatch {
	if (bytes.byteLength === 0) return { ok: false, message: 'empty body; expected an array of events', errors: [] };
	const d = decodeValue(bytes, encoding);
	return 'error' in d ? { ok: false, message: d.error, errors: [] } : validateDecoded(d.value, clock);
}

/** Validates an already-decoded batch (an array, or an object with an `events` array) against the schema and the clock. */
export function validateDecoded(value: unknown, clock: BatchClock): DecodedBatch {
	const batch =
		value !== null && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { events?: unknown }).events)
			? (value as { events: unknown[] }).events
			: value;
	if (!Array.isArray(batch)) return { ok: false, message: `a batch must be an array of events (or { "events": [...] }), got ${preview(batch)}`, errors: [] };
	if (batch.length === 0) return { ok: false, message: 'empty batch', errors: [] };
	if (batch.length > MAX_BATCH_EVENTS) return { ok: false, message: `batch of ${batch.length} events; at most ${MAX_BATCH_EVENTS} per batch`, errors: [] };
	const v = validateBatch(batch);
	const errors: EventError[] = v.ok ? [] : [...v.errors];
	const latest = clock.now + clock.maxAheadMs;
	batch.forEach((e: unknown, index) => {
		const ts = (e as { ts?: unknown } | null)?.ts;
		// A live floor must not move to a producer's future: local time sent as UTC would roll the day.
		if (typeof ts === 'number' && ts > latest) {
			errors.push({ index, path: '/ts', message: `${Math.round((ts - clock.now) / 1000)} s ahead of the server clock; at most ${clock.maxAheadMs / 1000} s (is the producer sending local time as UTC?)` });
		}
	});
	if (v.ok && !errors.length) {
		// Ids only once the batch is valid: a refused batch creates nothing, so it counts against nothing.
		const overLimit = clock.checkIds?.(v.value);
		if (!overLimit) return { ok: true, events: v.value };
		errors.push(overLimit);
	}
	errors.sort((a, b) => a.index - b.index);
	const bad = new Set(errors.map((e) => e.index)).size;
	return { ok: false, message: `${bad} of ${batch.length} events are invalid; nothing was applied`, errors: errors.slice(0, 100) };
}

/** Counts a refused batch the same way for HTTP and WebSocket ingest: the batch, and each distinct bad event. */
export function countRejected(metrics: Metrics, batch: Extract<DecodedBatch, { ok: false }> | null): void {
	metrics.batchesRejected++;
	if (batch) metrics.eventsRejected += new Set(batch.errors.map((e) => e.index)).size;
}

/** Frames the server sends on /ingest (same encoding as the batch it answers: text JSON or binary msgpack). */
export type IngestReply =
	| ({ readonly type: 'ack'; readonly ref: unknown } & EventsAccepted)
	| { readonly type: 'rejected'; readonly ref: unknown; readonly error: string; readonly errors: readonly EventError[] }
	| { readonly type: 'error'; readonly code: 'bad-frame' | 'too-large' | 'unavailable' | 'unauthorized'; readonly message: string };

/** Reads the `ref` a producer attached to a batch (`{ ref, events }`), echoed in the reply; only short scalars are echoed. */
export function refOf(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
	const ref = (value as { ref?: unknown }).ref;
	if (typeof ref === 'number' && Number.isFinite(ref)) return ref;
	if (typeof ref === 'string' && ref.length <= 128 && !/[\uD800-\uDFFF]/u.test(ref)) return ref;
	return null;
}
