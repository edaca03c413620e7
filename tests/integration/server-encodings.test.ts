import { decode } from '@msgpack/msgpack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/server';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

/**
 * Third-party clients of /live (issue #11): `encoding=msgpack` is decodable by a msgpack library
 * that is not msgpackr (@msgpack/msgpack here), `encoding=json` by JSON.parse; and a second server
 * on a port in use fails with a clear error instead of sharing the port.
 */

let t: TestServer;
beforeAll(async () => {
	t = await startTestServer();
});
afterAll(async () => {
	await t?.stop();
});

/** Opens /live with a query and collects every frame, decoded by `read`. */
async function collect(query: string, read: (data: Buffer, isBinary: boolean) => any) {
	const ws = new WebSocket(`${t.url.replace('http', 'ws')}/live?${query}`);
	const frames: any[] = [];
	ws.on('message', (data, isBinary) => frames.push(read(data as Buffer, isBinary)));
	await new Promise((r, j) => ws.once('open', r).once('error', j));
	const until = async (pred: () => boolean, what: string) => {
		const deadline = Date.now() + 5000;
		while (!pred()) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames.map((f) => f?.type))}`);
			await new Promise((r) => setTimeout(r, 20));
		}
	};
	return { ws, frames, until };
}

const queueOf = (f: any, id: string) => (f.type === 'snapshot' ? f.floor.queues : (f.changes.queues ?? [])).find((q: any) => q.id === id);

describe('/live for third-party clients', () => {
	it('encoding=msgpack: every frame decodes with @msgpack/msgpack as plain maps', async () => {
		const c = await collect('board=default&encoding=msgpack', (data, isBinary) => {
			expect(isBinary).toBe(true);
			return decode(data);
		});
		await c.until(() => c.frames.some((f) => f.type === 'snapshot'), 'snapshot');
		expect(c.frames[0]).toMatchObject({ type: 'hello', board: 'default', proto: 1 });
		const snap = c.frames.find((f) => f.type === 'snapshot');
		expect(snap.floor.board.id).toBe('default');
		expect(typeof snap.floor.total.today.offered).toBe('number');
		await postEvents(t.url, t.tokens.ingest, [ev.queued('enc-1', 'enc-q'), ev.queued('enc-2', 'enc-q')]);
		await c.until(() => c.frames.some((f) => f.type === 'delta' && queueOf(f, 'enc-q')?.waiting === 2), 'delta with enc-q waiting 2');
		const seqs = c.frames.filter((f) => f.type === 'delta').map((f) => f.seq);
		seqs.forEach((s, i) => expect(s).toBe(snap.seq + 1 + i));
		c.ws.close();
	});

	it('encoding=json: text frames that JSON.parse reads, and ping is answered in JSON', async () => {
		const c = await collect('board=default&encoding=json', (data, isBinary) => {
			expect(isBinary).toBe(false);
			return JSON.parse(data.toString('utf8'));
		});
		await c.until(() => c.frames.some((f) => f.type === 'snapshot'), 'snapshot');
		expect(c.frames[0]).toMatchObject({ type: 'hello', board: 'default' });
		expect(queueOf(c.frames.find((f) => f.type === 'snapshot'), 'enc-q')).toMatchObject({ waiting: 2 });
		c.ws.send(JSON.stringify({ type: 'ping', t: 42 }));
		await c.until(() => c.frames.some((f) => f.type === 'pong'), 'pong');
		expect(c.frames.find((f) => f.type === 'pong')).toMatchObject({ t: 42 });
		c.ws.send(JSON.stringify({ type: 'subscribe' }));
		await c.until(() => c.frames.some((f) => f.type === 'error'), 'error frame');
		expect(c.frames.find((f) => f.type === 'error')).toMatchObject({ code: 'unknown-type' });
		c.ws.close();
	});

	it('an unknown encoding is refused before the upgrade', async () => {
		const status = await new Promise<number>((resolve) => {
			const ws = new WebSocket(`${t.url.replace('http', 'ws')}/live?encoding=xml`);
			ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
			ws.once('open', () => resolve(101));
			ws.once('error', () => resolve(-1));
		});
		expect(status).toBe(400);
	});
});

describe('port in use', () => {
	it('a second server on the same port fails with a clear error, and the first keeps serving', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-second-'));
		try {
			const port = Number(new URL(t.url).port);
			await expect(startServer({ dataDir: dir, host: '127.0.0.1', port, source: { kind: 'none' }, log: () => {} })).rejects.toThrow(/in use/);
			expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
