import { pack } from 'msgpackr';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeltaFrame } from '../../src/lib/protocol/frames';
import { createCodec } from '../../src/lib/protocol/codec';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

/**
 * Throws thousands of random, truncated and mutated bodies and frames at /api/events, /ingest and
 * /live while a producer posts valid events and a well-behaved wallboard watches: the server must
 * answer every bad input with a 4xx, an error frame or a close, and the wallboard must keep getting
 * continuous deltas that include every valid event.
 */

let t: TestServer;
beforeAll(async () => {
	t = await startTestServer({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
	await t?.stop();
});

/** mulberry32: a seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let x = Math.imul(a ^ (a >>> 15), 1 | a);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

const SEED = Number(process.env.FUZZ_SEED ?? 20240601);

function garbage(r: () => number): Uint8Array | string {
	const valid = [ev.queued(`fz-${Math.floor(r() * 1e9)}`, 'fuzz-junk')];
	const json = JSON.stringify(valid);
	const mp = pack(valid);
	const weird: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(300), [], {}, [[[]]], { type: 'contact.queued' }, true, { __proto__: { admin: true } }];
	switch (Math.floor(r() * 13)) {
		case 0:
			return crypto.getRandomValues(new Uint8Array(Math.floor(r() * 600)));
		case 1:
			return json.slice(0, Math.floor(r() * json.length));
		case 2:
			return mp.subarray(0, Math.floor(r() * mp.length));
		case 3: {
			const e: Record<string, unknown> = { ...valid[0] };
			const keys = Object.keys(e);
			e[keys[Math.floor(r() * keys.length)]!] = weird[Math.floor(r() * weird.length)];
			return JSON.stringify([e]);
		}
		case 4:
			return '['.repeat(5000 + Math.floor(r() * 5000));
		case 5:
			return pack(weird[Math.floor(r() * weird.length)]);
		case 6:
			return new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]); // array32 claiming 4G items
		case 7:
			return JSON.stringify({ events: [{ ...valid[0], extra: 1 }] });
		case 8: {
			// A field that is a msgpack uint64 (decoded as a BigInt): this used to kill the process on /ingest.
			const key = ['type', 'ts', 'queue', 'contact'][Math.floor(r() * 4)]!;
			return new Uint8Array([0x91, 0x81, 0xa0 | key.length, ...new TextEncoder().encode(key), 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
		}
		case 9: {
			// A field nested thousands deep.
			const depth = 3000 + Math.floor(r() * 3000);
			return `[{"type":${'['.repeat(depth)}${']'.repeat(depth)},"id":"d","ts":1}]`;
		}
		case 10:
			// A lone surrogate in a string field.
			return json.replace('"fuzz-junk"', '"fuzz\\udc00junk"');
		case 11:
			// An event stamped far ahead of the server clock.
			return JSON.stringify([{ ...valid[0], ts: Date.now() + Math.floor(r() * 1e9) + 3_600_000 }]);
		default:
			return String.fromCharCode(...Array.from({ length: 40 }, () => Math.floor(r() * 0xffff)));
	}
}

describe('fuzz', () => {
	it('survives thousands of bad bodies and frames while a good client keeps receiving deltas', async () => {
		const r = rng(SEED);
		const good = await LiveClient.connect(t.url);
		await good.until(() => good.ofType('snapshot').length === 1, 3000, 'snapshot');

		// A producer of valid events throughout.
		let producing = true;
		let valid = 0;
		const producer = (async () => {
			while (producing) {
				const res = await postEvents(t.url, t.tokens.ingest, [ev.queued(`ok-${valid}`, 'fuzz-ok')]);
				expect(res.status).toBe(202);
				valid++;
				await new Promise((res) => setTimeout(res, 40));
			}
		})();

		// 1500 HTTP bodies, 16 at a time.
		const statuses = new Map<number, number>();
		let i = 0;
		await Promise.all(
			Array.from({ length: 16 }, async () => {
				while (i < 1500) {
					i++;
					const body = garbage(r);
					const type = r() < 0.5 ? 'application/json' : 'application/msgpack';
					const res = await postEvents(t.url, t.tokens.ingest, body, type);
					statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
					expect(JSON.stringify(res.body)).not.toMatch(/node_modules|\.ts:\d+/);
				}
			})
		);
		for (const s of statuses.keys()) expect([202, 400, 413]).toContain(s);

		// 1500 /ingest frames over a few sockets (reopened when the server closes one).
		const ingestUrl = `${t.url.replace('http', 'ws')}/ingest?token=${t.tokens.ingest}`;
		let replies = 0;
		for (let s = 0; s < 5; s++) {
			const ws = new WebSocket(ingestUrl);
			ws.on('message', () => replies++);
			ws.on('error', () => {});
			await new Promise((res) => ws.once('open', res));
			for (let k = 0; k < 300 && ws.readyState === WebSocket.OPEN; k++) {
				const g = garbage(r);
				ws.send(g, { binary: typeof g !== 'string' });
			}
			// One frame past maxPayloadLength: uWS closes the socket.
			ws.send(new Uint8Array(128 * 1024));
			await new Promise((res) => (ws.readyState === WebSocket.CLOSED ? res(null) : ws.once('close', res)));
		}
		expect(replies).toBeGreaterThan(500);

		// 1500 /live frames from wallboards that misbehave (each is closed after too many bad frames).
		const codec = createCodec();
		let sent = 0;
		while (sent < 1500) {
			const bad = await LiveClient.connect(t.url);
			for (let k = 0; k < 30 && bad.ws.readyState === WebSocket.OPEN; k++, sent++) {
				const pick = r();
				if (pick < 0.3) bad.ws.send(garbage(r));
				else if (pick < 0.6) bad.ws.send(codec.encode({ type: ['resync', 'ping', 'nope', 42][Math.floor(r() * 4)], t: r() < 0.5 ? 'x' : 1 } as never));
				else if (pick < 0.8) bad.ws.send(crypto.getRandomValues(new Uint8Array(Math.floor(r() * 100))));
				else bad.ws.send(codec.encode({ type: 'resync', reason: 'y'.repeat(Math.floor(r() * 400)) }).subarray(0, Math.floor(r() * 50)));
			}
			bad.close();
		}

		producing = false;
		await producer;
		await good.until(() => good.ofType('delta').some((d) => (d.changes.queues ?? []).some((q) => q.id === 'fuzz-ok' && q.waiting === valid)), 5000, 'every valid event');
		const deltas: DeltaFrame[] = good.ofType('delta');
		const first = good.ofType('snapshot')[0]!.seq;
		deltas.forEach((d, k) => expect(d.seq).toBe(first + 1 + k));
		expect(good.closeCode).toBeNull();
		expect(t.server.floor.queues.get('fuzz-ok')!.waiting.size).toBe(valid);
		expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
		good.close();
	});
});
