import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeltaFrame, SnapshotFrame } from '../../src/lib/protocol/frames';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

let t: TestServer;
beforeAll(async () => {
	t = await startTestServer({ flushMs: 50 });
});
afterAll(async () => {
	await t?.stop();
});

const queueRow = (f: SnapshotFrame | DeltaFrame, id: string) =>
	(f.type === 'snapshot' ? f.floor.queues : (f.changes.queues ?? [])).find((q) => q.id === id);

describe('/live', () => {
	it('sends hello, then a snapshot, then coalesced deltas with continuous seq', async () => {
		const c = await LiveClient.connect(t.url);
		expect(c.hello).toMatchObject({ type: 'hello', board: 'default', proto: 1 });
		await c.until(() => c.ofType('snapshot').length === 1, 3000, 'snapshot');
		const snap = c.ofType('snapshot')[0]!;
		expect(snap.floor.board.id).toBe('default');

		// A burst within one window: several events, few frames.
		const sentAt = Date.now();
		await postEvents(t.url, t.tokens.ingest, [ev.queued('l1', 'live-q'), ev.queued('l2', 'live-q')]);
		await postEvents(t.url, t.tokens.ingest, [ev.queued('l3', 'live-q')]);
		await c.until(() => c.ofType('delta').some((d) => queueRow(d, 'live-q')?.waiting === 3), 3000, 'delta with 3 waiting');
		const arrived = c.frames.find((f) => f.frame.type === 'delta' && queueRow(f.frame, 'live-q')?.waiting === 3)!.at;
		expect(arrived - sentAt).toBeLessThan(1000);
		const deltas = c.ofType('delta');
		expect(deltas.length).toBeLessThanOrEqual(3);
		deltas.forEach((d, i) => expect(d.seq).toBe(snap.seq + 1 + i));

		// Nothing changes: nothing is sent.
		const count = c.frames.length;
		await new Promise((r) => setTimeout(r, 300));
		expect(c.frames.length).toBe(count);
		c.close();
	});

	it('answers resync with a snapshot carrying the current seq, and deltas continue from it', async () => {
		const c = await LiveClient.connect(t.url);
		await c.until(() => c.ofType('snapshot').length === 1, 3000, 'snapshot');
		await postEvents(t.url, t.tokens.ingest, [ev.queued('r1', 'resync-q')]);
		await c.until(() => c.ofType('delta').length >= 1, 3000, 'delta');
		const lastSeq = c.ofType('delta').at(-1)!.seq;
		c.send({ type: 'resync', reason: 'gap' });
		await c.until(() => c.ofType('snapshot').length === 2, 3000, 'second snapshot');
		const snap = c.ofType('snapshot')[1]!;
		expect(snap.seq).toBe(t.server.hub.seqOf('default'));
		expect(snap.seq).toBeGreaterThanOrEqual(lastSeq);
		expect(queueRow(snap, 'resync-q')?.waiting).toBe(1);
		await postEvents(t.url, t.tokens.ingest, [ev.queued('r2', 'resync-q')]);
		await c.until(() => c.frames.at(-1)?.frame.type === 'delta', 3000, 'delta after snapshot');
		expect((c.last as DeltaFrame).seq).toBe(snap.seq + 1);
		c.close();
	});

	it('pongs a ping, refuses unknown frames with an error frame, and closes on an oversized frame', async () => {
		const c = await LiveClient.connect(t.url);
		c.send({ type: 'ping', t: 42 });
		await c.until(() => c.ofType('pong').length === 1, 3000, 'pong');
		expect(c.ofType('pong')[0]).toMatchObject({ t: 42 });
		c.send({ type: 'subscribe', board: 'x' });
		c.ws.send(new Uint8Array([0xc1, 0xc1]));
		c.ws.send('text frame');
		await c.until(() => c.ofType('error').length === 3, 3000, 'three errors');
		expect(c.ofType('error').map((e) => e.code)).toEqual(['unknown-type', 'bad-frame', 'bad-frame']);
		c.ws.send(new Uint8Array(64 * 1024));
		await c.until(() => c.closeCode !== null, 3000, 'close');
		expect(c.closeCode).not.toBe(1000);
	});

	it('refuses an unknown board with an error frame and a close', async () => {
		const c = await LiveClient.connect(t.url, 'board=nope');
		await c.until(() => c.closeCode !== null, 3000, 'close');
		expect(c.ofType('error')[0]).toMatchObject({ code: 'unknown-board' });
	});

	it('applies a board config change live: its clients get a snapshot of the new config', async () => {
		const put = await fetch(`${t.url}/api/boards/chat-only`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Chat', queues: null, channels: ['chat'], slFormula: 'answered-only', thresholds: { default: [], queues: {} } })
		});
		expect(put.status).toBe(200);
		const c = await LiveClient.connect(t.url, 'board=chat-only');
		await c.until(() => c.ofType('snapshot').length === 1, 3000, 'snapshot');
		expect(c.ofType('snapshot')[0]!.floor.board.channels).toEqual(['chat']);
		await fetch(`${t.url}/api/boards/chat-only`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Chat and voice', queues: null, channels: ['chat', 'voice'], slFormula: 'answered-only', thresholds: { default: [], queues: {} } })
		});
		await c.until(() => c.ofType('snapshot').length === 2, 3000, 'snapshot after change');
		expect(c.ofType('snapshot')[1]!.floor.board.name).toBe('Chat and voice');
		const list = (await (await fetch(`${t.url}/api/boards`)).json()) as { boards: { id: string }[] };
		expect(list.boards.map((b) => b.id).sort()).toEqual(['chat-only', 'default']);
		const bad = await fetch(`${t.url}/api/boards/chat-only`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'x', queues: null, channels: ['fax'], slFormula: 'answered-only', thresholds: { default: [], queues: {} } })
		});
		expect(bad.status).toBe(400);
		expect(JSON.stringify(await bad.json())).toContain('/channels');
		c.close();
	});

	it('applies queue SL settings live through PUT /api/config', async () => {
		await postEvents(t.url, t.tokens.ingest, [ev.queued('cfg1', 'cfg-q')]);
		const c = await LiveClient.connect(t.url);
		await c.until(() => c.ofType('snapshot').length === 1, 3000, 'snapshot');
		expect(queueRow(c.ofType('snapshot')[0]!, 'cfg-q')?.sl.threshold).toBe(20);
		const put = await fetch(`${t.url}/api/config`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ queues: [{ id: 'cfg-q', name: 'Configured', sl: { threshold: 30 } }] })
		});
		expect(put.status).toBe(200);
		await c.until(() => c.ofType('delta').some((d) => queueRow(d, 'cfg-q')?.sl.threshold === 30), 3000, 'delta with new threshold');
		const bad = await fetch(`${t.url}/api/config`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ timeZone: 'Mars/Olympus', queues: [{ id: 'cfg-q', sl: { threshold: -1 } }] })
		});
		expect(bad.status).toBe(400);
		const cfg = (await (await fetch(`${t.url}/api/config`)).json()) as { queues: { id: string; name: string }[] };
		expect(cfg.queues.find((q) => q.id === 'cfg-q')?.name).toBe('Configured');
		c.close();
	});
});
