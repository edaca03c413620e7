import { Packr, pack as packPlain, unpack as unpackPlain } from 'msgpackr';
import { CHANNELS } from '../domain/channels';
import { computeKpis, emptyCounts } from '../domain/kpi';
import { resolveSl } from '../domain/service-level';
import {
	agentCounts,
	agentRow,
	boardChanges,
	queueRow,
	rollupRow,
	trendPoint,
	type BoardView
} from '../domain/views';
import { PROTO_VERSION, type ClientFrame, type HelloFrame, type ServerFrame, type SourceInfo } from './frames';

/**
 * The one msgpackr codec of the wire protocol. Record structures are declared up front, from the
 * row factories of domain/views, and `maxSharedStructures` equals their count: a shape not
 * declared then travels inline in its frame instead of being appended to a shared table, so a
 * board that joins late decodes everything with the structures from `hello` alone.
 */

const sl = resolveSl('voice');
const kpis = computeKpis(emptyCounts(), sl.formula);
const counts = agentCounts({
	available: 0,
	onContact: 0,
	wrapUp: 0,
	notReady: 0,
	offline: 0,
	onContactByChannel: [],
	notReadyByReason: {}
});
const rollup = rollupRow({ scope: 'total', waiting: 0, oldestSince: null, today: kpis, rolling: kpis, agents: counts });
const board: BoardView['board'] = {
	id: '',
	name: '',
	queues: null,
	channels: null,
	slFormula: sl.formula,
	thresholds: { default: [], queues: {} }
};
const view: BoardView = {
	board,
	dayStart: 0,
	intervalMs: 0,
	rollingMs: 0,
	lastEventAt: 0,
	total: rollup,
	channels: [],
	queues: [],
	agents: [],
	trend: [],
	groups: []
};

/** Templates whose key orders are the declared record structures. */
const TEMPLATES: readonly object[] = [
	{ type: 'snapshot', seq: 0, serverTime: 0, floor: view },
	{ type: 'delta', seq: 0, serverTime: 0, changes: boardChanges({}) },
	{ type: 'pong', t: 0, serverTime: 0 },
	{ type: 'error', code: '', message: '' },
	view,
	boardChanges({}),
	board,
	board.thresholds,
	{ kpi: '', warn: 0, alert: 0 },
	{ kpi: '', warn: 0, alert: 0, window: 'today' },
	kpis,
	sl,
	counts,
	rollup,
	queueRow({
		id: '',
		name: '',
		channel: CHANNELS[0],
		sl,
		waiting: 0,
		oldestSince: null,
		staffed: 0,
		available: 0,
		today: kpis,
		rolling: kpis
	}),
	agentRow({ id: '', name: '', team: '', activity: 'available', reason: null, since: 0, slots: [], capacity: [] }),
	trendPoint({ start: 0, offered: 0, answered: 0, abandoned: 0, serviceLevel: null, waitingMax: 0 })
];

/** The declared record structures, as sent in `hello`. */
export const STRUCTURES: readonly string[][] = TEMPLATES.map((t) => Object.keys(t));

/** Encoder/decoder for frames after `hello`. */
export interface Codec {
	encode(frame: ServerFrame | ClientFrame): Uint8Array;
	decode(bytes: Uint8Array): unknown;
}

/** A codec over the given structures (the server's own, or those a client got in `hello`). */
export function createCodec(structures: readonly string[][] = STRUCTURES): Codec {
	const packr = new Packr({
		useRecords: true,
		// A copy: msgpackr keeps its table in this array, and the declared list must never change.
		structures: structures.map((s) => [...s]),
		maxSharedStructures: structures.length,
		moreTypes: false,
		bundleStrings: false
	});
	return {
		encode: (frame) => packr.pack(frame),
		decode: (bytes) => packr.unpack(bytes)
	};
}

/** Encodes the `hello` frame as plain msgpack (no records), carrying the structures. */
export function encodeHello(board: string, serverTime: number, source: SourceInfo, structures: readonly string[][] = STRUCTURES): Uint8Array {
	const hello: HelloFrame = {
		type: 'hello',
		proto: PROTO_VERSION,
		serverTime,
		board,
		source,
		structures: structures.map((s) => [...s])
	};
	return packPlain(hello);
}

/** Decodes a `hello` frame; throws naming the problem when the bytes are not one. */
export function decodeHello(bytes: Uint8Array): HelloFrame {
	const v = unpackPlain(bytes) as Partial<HelloFrame> | null;
	if (!v || v.type !== 'hello' || !Array.isArray(v.structures)) throw new Error('expected a hello frame first');
	if (v.proto !== PROTO_VERSION) throw new Error(`protocol ${String(v.proto)} not supported (this client speaks ${PROTO_VERSION})`);
	// A server from before `source` was announced fed the floor from ingest or its emulator: say nothing rather than guess.
	return { ...v, source: v.source ?? { kind: 'ingest' } } as HelloFrame;
}
