import { describe, expect, it } from 'vitest';
import { pack } from 'msgpackr';
import { computeKpis, countAnswered, countOffered, emptyCounts } from '../domain/kpi';
import { resolveSl } from '../domain/service-level';
import { agentCounts, agentRow, boardChanges, queueRow, rollupRow, trendPoint, type BoardView } from '../domain/views';
import { STRUCTURES, createCodec, decodeHello, encodeHello } from './codec';
import { parseClientFrame } from './client-frames';
import type { ServerFrame } from './frames';

const sl = resolveSl('chat');

function kpisWith(n: number) {
	const c = emptyCounts();
	for (let i = 0; i < n; i++) {
		countOffered(c);
		countAnswered(c, i * 7, sl);
	}
	return computeKpis(c, sl.formula);
}

function sampleView(reasons: Record<string, number>): BoardView {
	const agents = agentCounts({
		available: 3,
		onContact: 5,
		wrapUp: 1,
		notReady: 2,
		offline: 0,
		onContactByChannel: [1, 4, 0, 0, 0],
		notReadyByReason: reasons
	});
	const total = rollupRow({ scope: 'total', waiting: 4, oldestSince: 1_700_000_000_000, today: kpisWith(20), rolling: kpisWith(3), agents });
	return {
		board: { id: 'default', name: 'All', queues: null, channels: ['voice', 'chat'], slFormula: 'answered-only', thresholds: { default: [{ kpi: 'serviceLevel', warn: 0.8, alert: 0.7 }], queues: { sales: [{ kpi: 'asa', warn: 30, alert: 60 }] } } },
		dayStart: 1_699_990_000_000,
		intervalMs: 900_000,
		rollingMs: 1_800_000,
		lastEventAt: null,
		total,
		channels: [{ ...total, scope: 'chat' }],
		queues: [
			queueRow({ id: 'sales', name: 'Sales', channel: 'chat', sl, waiting: 4, oldestSince: 1_700_000_000_000, staffed: 6, available: 1, today: kpisWith(20), rolling: kpisWith(2) })
		],
		agents: [
			agentRow({ id: 'a1', name: 'Ada', team: 'Blue', activity: 'on-contact', reason: null, since: 1_700_000_000_500, slots: [0, 2, 0, 0, 0], capacity: [1, 3, 1, 1, 1] }),
			agentRow({ id: 'a2', name: 'Bo', team: 'Blue', activity: 'not-ready', reason: 'lunch', since: 1_700_000_000_100, slots: [0, 0, 0, 0, 0], capacity: [1, 3, 1, 1, 1] })
		],
		trend: [trendPoint({ start: 1_699_990_000_000, offered: 10, answered: 9, abandoned: 1, serviceLevel: 0.9, waitingMax: 3 })],
		groups: [{ ...total, scope: 'messaging' }]
	};
}

describe('codec', () => {
	it('round-trips hello, snapshot, delta and pong', () => {
		const server = createCodec();
		const hello = decodeHello(encodeHello('default', 123, { kind: 'replay', day: '1999-08-01', speed: 30, ended: false }));
		expect(hello.structures).toEqual(STRUCTURES);
		expect(hello.source).toEqual({ kind: 'replay', day: '1999-08-01', speed: 30, ended: false });
		const client = createCodec(hello.structures);
		const frames: ServerFrame[] = [
			{ type: 'snapshot', seq: 1, serverTime: 5, floor: sampleView({ lunch: 1, '': 1 }) },
			{ type: 'delta', seq: 2, serverTime: 6, changes: boardChanges({ agents: sampleView({}).agents, removedAgents: ['a9'] }) },
			{ type: 'pong', t: 1.5, serverTime: 7 },
			{ type: 'source', source: { kind: 'replay', day: '1999-08-01', speed: 30, ended: true } },
			{ type: 'error', code: 'bad-frame', message: 'nope' }
		];
		for (const f of frames) expect(client.decode(server.encode(f))).toEqual(f);
	});

	it('a late joiner decodes with only the hello structures, after the server met new shapes', () => {
		const server = createCodec();
		// Dynamic-keyed maps (not-ready reasons) are shapes nobody declared.
		for (let i = 0; i < 200; i++) server.encode({ type: 'snapshot', seq: i, serverTime: i, floor: sampleView({ [`reason${i}`]: i }) });
		const late = createCodec(decodeHello(encodeHello('default', 0, { kind: 'ingest' })).structures);
		const frame: ServerFrame = { type: 'snapshot', seq: 999, serverTime: 1, floor: sampleView({ training: 2, coaching: 1 }) };
		expect(late.decode(server.encode(frame))).toEqual(frame);
	});

	it('declared records make snapshots smaller than plain msgpack', () => {
		const frame: ServerFrame = { type: 'snapshot', seq: 1, serverTime: 1, floor: sampleView({}) };
		expect(createCodec().encode(frame).byteLength).toBeLessThan(pack(frame).byteLength * 0.75);
	});

	it('rejects a hello of another protocol version and a non-hello first frame', () => {
		expect(() => decodeHello(pack({ type: 'hello', proto: 99, structures: [] }))).toThrow(/protocol 99/);
		expect(() => decodeHello(pack({ type: 'delta' }))).toThrow(/hello/);
	});
});

describe('client frames', () => {
	it.each<[unknown, string]>([
		[{ type: 'resync' }, 'resync'],
		[{ type: 'resync', reason: 'gap 4→6' }, 'resync'],
		[{ type: 'ping', t: 12.5 }, 'ping']
	])('accepts %j', (v, type) => {
		expect(parseClientFrame(v)).toMatchObject({ type });
	});

	it.each<[unknown, string]>([
		[null, 'bad-frame'],
		[[1, 2], 'bad-frame'],
		[{ type: 'ping', t: 'now' }, 'bad-frame'],
		[{ type: 'resync', reason: 'x'.repeat(500) }, 'bad-frame'],
		[{ type: 'subscribe' }, 'unknown-type']
	])('refuses %j with %s', (v, code) => {
		expect(parseClientFrame(v)).toMatchObject({ code });
	});
});
