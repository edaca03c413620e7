import type { BoardChanges, BoardView } from '../domain/views';

/** Protocol version carried in `hello`; bump on an incompatible change. */
export const PROTO_VERSION = 1;

/**
 * What feeds the floor, so a wall never passes playback off as live: producers posting events
 * (`ingest`), the built-in `emulator`, a `replay` of a recorded day (`day` is its date when known,
 * else the file's name; `ended` once every event was played), or a `simulation` of a plan.
 */
export type SourceInfo =
	| { readonly kind: 'ingest' }
	| { readonly kind: 'emulator'; readonly scenario: string; readonly speed: number }
	| { readonly kind: 'replay'; readonly day: string; readonly speed: number; readonly ended: boolean }
	| { readonly kind: 'simulation'; readonly plan: string; readonly speed: number };

/** First frame on every /live socket; plain msgpack, so any client can read the structures. */
export interface HelloFrame {
	readonly type: 'hello';
	readonly proto: number;
	readonly serverTime: number;
	readonly board: string;
	/** What feeds the floor at connect time; a `source` frame follows whenever it changes. */
	readonly source: SourceInfo;
	/** The codec's record structures (arrays of keys), to build a decoder for every later frame. */
	readonly structures: string[][];
}

/** The whole board; `seq` is the sequence number of the board state it reflects. */
export interface SnapshotFrame {
	readonly type: 'snapshot';
	readonly seq: number;
	readonly serverTime: number;
	readonly floor: BoardView;
}

/** Coalesced changes; `seq` is exactly one more than the previous snapshot's or delta's. */
export interface DeltaFrame {
	readonly type: 'delta';
	readonly seq: number;
	readonly serverTime: number;
	readonly changes: BoardChanges;
}

/** Answer to a client `ping`, for the browser's estimate of the server-clock offset. */
export interface PongFrame {
	readonly type: 'pong';
	readonly t: number;
	readonly serverTime: number;
}

/** The source changed while the socket was open (e.g. a replay played its last event). */
export interface SourceFrame {
	readonly type: 'source';
	readonly source: SourceInfo;
}

/** Something the client sent was refused. No stack traces: a code and a short message. */
export interface ErrorFrame {
	readonly type: 'error';
	readonly code: 'bad-frame' | 'unknown-type' | 'too-large' | 'unknown-board' | 'unauthorized';
	readonly message: string;
}

/** Every frame the server sends to a wallboard. */
export type ServerFrame = HelloFrame | SnapshotFrame | DeltaFrame | PongFrame | SourceFrame | ErrorFrame;

/** Frames a wallboard sends: ask for a fresh snapshot (after a `seq` gap), or measure the clock. */
export type ClientFrame =
	| { readonly type: 'resync'; readonly reason?: string }
	| { readonly type: 'ping'; readonly t: number };

/**
 * Reads a decoded value as a client frame; returns an error message naming what is wrong instead
 * of throwing, so a bad frame never crashes the server.
 */
export function parseClientFrame(value: unknown): ClientFrame | { readonly error: string; readonly code: ErrorFrame['code'] } {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { error: 'frame must be a map with a "type"', code: 'bad-frame' };
	}
	const v = value as Record<string, unknown>;
	switch (v.type) {
		case 'resync':
			if (v.reason !== undefined && (typeof v.reason !== 'string' || v.reason.length > 200)) {
				return { error: 'resync.reason must be a short string', code: 'bad-frame' };
			}
			return v.reason === undefined ? { type: 'resync' } : { type: 'resync', reason: v.reason };
		case 'ping':
			if (typeof v.t !== 'number' || !Number.isFinite(v.t)) return { error: 'ping.t must be a number', code: 'bad-frame' };
			return { type: 'ping', t: v.t };
		default:
			return { error: `unknown frame type ${JSON.stringify(v.type)}`.slice(0, 200), code: 'unknown-type' };
	}
}
