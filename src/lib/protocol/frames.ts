import type { BoardChanges, BoardView } from '../domain/views';

/** Protocol version carried in `hello`; bump on an incompatible change. */
export const PROTO_VERSION = 1;

/**
 * What feeds the floor, so a wall never passes playback off as live: producers posting events
 * (`ingest`), the built-in `emulator`, a `replay` of a recorded day (`day` is its date when known,
 * else the file's name; `ended` once every event was played), or a `simulation` of a plan.
 */
export type SourceInfo =
	/** `upstream`: in a cluster (`--nats`), whether the shared event stream is reachable. */
	| { readonly kind: 'ingest'; readonly upstream?: 'connected' | 'unreachable' }
	/** `hours`: the emulated center's opening hours (following the calendar), so a wall after closing says so instead of "stale". */
	| { readonly kind: 'emulator'; readonly scenario: string; readonly speed: number; readonly hours?: OpeningHours }
	| { readonly kind: 'replay'; readonly day: string; readonly speed: number; readonly ended: boolean }
	/** `ended`: the simulated day played to its end (the board stays a while, then closes). */
	| { readonly kind: 'simulation'; readonly plan: string; readonly speed: number; readonly ended?: boolean };

/** When a center takes contacts: local times "HH:MM" (`close` after `open`, same day) in its IANA time zone. */
export interface OpeningHours {
	readonly open: string;
	readonly close: string;
	readonly timeZone: string;
}

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

/** A frame a wallboard sends (its schema and parser live in `client-frames.ts`, server side only). */
export type { ClientFrame } from './client-frames';
