import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCodec, encodeHello } from '../protocol/codec';
import type { ServerFrame } from '../protocol/frames';
import { boardChanges } from '../domain/views';
import { LiveConnection, type SocketLike } from './connection.svelte';
import { agent, view } from './test/fixtures';

/** A socket double: records what the client sends and lets the test play the server. */
class FakeSocket implements SocketLike {
	binaryType = 'blob';
	readyState = 1;
	onopen: ((ev: unknown) => void) | null = null;
	onmessage: ((ev: { data: unknown }) => void) | null = null;
	onclose: ((ev: unknown) => void) | null = null;
	onerror: ((ev: unknown) => void) | null = null;
	sent: unknown[] = [];
	closed = false;
	readonly codec = createCodec();
	constructor(readonly url: string) {}
	send(data: Uint8Array): void {
		this.sent.push(this.codec.decode(data));
	}
	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.readyState = 3;
		this.onclose?.({});
	}
	hello(serverTime = Date.now()): void {
		this.onmessage?.({ data: encodeHello('main', serverTime, { kind: 'emulator', scenario: 'test', speed: 1 }) });
	}
	frame(f: ServerFrame): void {
		this.onmessage?.({ data: this.codec.encode(f) });
	}
}

describe('LiveConnection', () => {
	let sockets: FakeSocket[];
	let conn: LiveConnection;
	beforeEach(() => {
		vi.useFakeTimers();
		sockets = [];
		conn = new LiveConnection({
			board: 'main',
			url: 'ws://test/live?board=main',
			createSocket: (u) => {
				const s = new FakeSocket(u);
				sockets.push(s);
				return s;
			},
			staleAfterMs: 5_000,
			deadAfterMs: 12_000,
			pingEveryMs: 3_000,
			backoff: { baseMs: 100, maxMs: 1_000 }
		});
		conn.start();
	});
	afterEach(() => {
		conn.dispose();
		vi.useRealTimers();
	});

	const snapshot = (seq: number, floor = view()): ServerFrame => ({ type: 'snapshot', seq, serverTime: Date.now(), floor });
	const delta = (seq: number, waiting: number): ServerFrame => ({
		type: 'delta',
		seq,
		serverTime: Date.now(),
		changes: boardChanges({ total: { ...view().total, waiting } })
	});

	it('decodes hello, pings, applies snapshot and deltas, publishes once per frame', () => {
		const s = sockets[0]!;
		s.hello();
		expect(s.sent).toEqual([{ type: 'ping', t: expect.any(Number) }]);
		s.frame(snapshot(10));
		for (let i = 11; i <= 20; i++) s.frame(delta(i, i));
		expect(conn.status).toBe('live');
		// Nothing is published before the (fake) frame boundary, then once for all eleven frames.
		expect(conn.floor.view).toBeNull();
		expect(conn.floor.working!.total.waiting).toBe(20);
		vi.advanceTimersByTime(300);
		expect(conn.floor.view!.total.waiting).toBe(20);
		expect(conn.stats.publishes).toBe(1);
		expect(conn.lastFrameAt).not.toBeNull();
	});

	it('asks for a resync on a seq gap and ignores deltas until the snapshot', () => {
		const s = sockets[0]!;
		s.hello();
		s.frame(snapshot(1));
		s.frame(delta(2, 2));
		s.frame(delta(4, 4));
		expect(s.sent.at(-1)).toMatchObject({ type: 'resync' });
		s.frame(delta(5, 5));
		expect(conn.floor.working!.total.waiting).toBe(2);
		s.frame(snapshot(9, view({ agents: [agent('x')] })));
		s.frame(delta(10, 10));
		expect(conn.floor.working!.total.waiting).toBe(10);
		expect(conn.stats.resyncs).toBe(1);
	});

	it('estimates the server clock offset from pong', () => {
		const s = sockets[0]!;
		s.hello();
		const t = (s.sent[0] as { t: number }).t;
		s.frame({ type: 'pong', t, serverTime: t + 60_000 });
		vi.advanceTimersByTime(300);
		expect(Math.abs(conn.serverOffset - 60_000)).toBeLessThan(5);
	});

	it('goes stale without frames, reconnects with backoff after a close, and is live again after a snapshot', () => {
		const s = sockets[0]!;
		s.hello();
		s.frame(snapshot(1));
		expect(conn.status).toBe('live');
		// Pings go out but nobody answers.
		vi.advanceTimersByTime(6_000);
		expect(conn.status).toBe('stale');
		s.close();
		expect(conn.status).toBe('reconnecting');
		vi.advanceTimersByTime(1_000);
		expect(sockets).toHaveLength(2);
		sockets[1]!.close();
		vi.advanceTimersByTime(2_000);
		expect(sockets).toHaveLength(3);
		const s3 = sockets[2]!;
		s3.hello();
		s3.frame(snapshot(50));
		expect(conn.status).toBe('live');
		expect(conn.attempt).toBe(0);
		s3.frame(delta(51, 3));
		expect(conn.floor.working!.total.waiting).toBe(3);
	});

	it('drops a half-open socket that sends nothing', () => {
		sockets[0]!.hello();
		vi.advanceTimersByTime(13_000);
		expect(sockets[0]!.closed).toBe(true);
		vi.advanceTimersByTime(1_000);
		expect(sockets.length).toBeGreaterThanOrEqual(2);
	});

	it('does not drop a quiet socket on a watch tick that came late (a throttled background tab), but pings', () => {
		const s = sockets[0]!;
		s.hello();
		s.frame(snapshot(1));
		// The tab's timers slept for a minute: no frame came meanwhile (a quiet floor).
		vi.setSystemTime(Date.now() + 60_000);
		const pings = s.sent.length;
		vi.advanceTimersByTime(1_000);
		expect(s.closed).toBe(false);
		expect(s.sent.length).toBe(pings + 1);
		const t = (s.sent.at(-1) as { t: number }).t;
		s.frame({ type: 'pong', t, serverTime: t });
		vi.advanceTimersByTime(1_000);
		expect([s.closed, conn.status]).toEqual([false, 'live']);
		// The same silence judged on time still drops the socket.
		vi.advanceTimersByTime(13_000);
		expect(s.closed).toBe(true);
	});

	it('leaves no timers behind when disposed', () => {
		sockets[0]!.hello();
		sockets[0]!.frame(snapshot(1));
		conn.dispose();
		expect(vi.getTimerCount()).toBe(0);
		expect(conn.status).toBe('closed');
	});
});
