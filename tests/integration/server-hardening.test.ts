import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unpackr } from 'msgpackr';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

/**
 * The reproductions of issue #9 (hardening), each over real sockets against a real server: inputs
 * that used to crash, answer 500 or fill memory, clocks that jumped, headers that were missing.
 */

const build = mkdtempSync(join(tmpdir(), 'sightline-build-'));
const BOOT = 'window.booted = 1;';
let t: TestServer;
let port: number;
beforeAll(async () => {
	mkdirSync(build, { recursive: true });
	writeFileSync(join(build, 'index.html'), `<!doctype html><title>S</title><script>${BOOT}</script>`);
	t = await startTestServer({ staticDir: build });
	port = Number(new URL(t.url).port);
});
afterAll(async () => {
	await t?.stop();
	rmSync(build, { recursive: true, force: true });
});

/** Sends raw bytes on a fresh TCP connection; resolves with what came back, whether the server closed, and when the answer began. */
function raw(text: string | Buffer, waitMs = 1500, p = port): Promise<{ response: string; closedByServer: boolean; firstByteMs: number }> {
	return new Promise((resolve) => {
		const t0 = Date.now();
		let response = '';
		let firstByteMs = -1;
		let closedByServer = false;
		const s = connect(p, '127.0.0.1', () => s.write(text));
		s.on('data', (d) => {
			if (firstByteMs < 0) firstByteMs = Date.now() - t0;
			response += d.toString();
		});
		s.on('end', () => (closedByServer = true));
		s.on('error', () => {});
		const done = () => {
			s.destroy();
			resolve({ response, closedByServer, firstByteMs });
		};
		s.on('close', done);
		setTimeout(done, waitMs);
	});
}

/** One /ingest frame and its reply. */
async function ingestFrame(frame: string | Uint8Array): Promise<Record<string, unknown>> {
	const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ingest`, { headers: { authorization: `Bearer ${t.tokens.ingest}` } });
	await new Promise((r, j) => ws.once('open', r).once('error', j));
	const reply = new Promise<Record<string, unknown>>((r) =>
		ws.once('message', (data, isBinary) => r((isBinary ? new Unpackr({ mapsAsObjects: true }).unpack(data as Buffer) : JSON.parse(String(data))) as Record<string, unknown>))
	);
	ws.send(frame);
	const out = await reply;
	ws.close();
	return out;
}

describe('one frame or body cannot take the server down', () => {
	// An array of one event whose type is a msgpack uint64 (decoded as a BigInt).
	const bigintType = Buffer.from([0x91, 0x81, 0xa4, ...Buffer.from('type'), 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
	const deepType = `[{"type":${'['.repeat(5000)}${']'.repeat(5000)},"id":"x","ts":1}]`;

	it('a BigInt or 5,000-deep type on /ingest gets a rejection, and the socket and server keep serving', async () => {
		const a = await ingestFrame(bigintType);
		expect(a).toMatchObject({ type: 'rejected' });
		expect(JSON.stringify(a)).toContain('/type');
		const b = await ingestFrame(deepType);
		expect(b).toMatchObject({ type: 'rejected' });
		expect(JSON.stringify(b).length).toBeLessThan(2000);
		const ok = await ingestFrame(JSON.stringify({ ref: 1, events: [ev.queued('alive-1', 'hard-q')] }));
		expect(ok).toMatchObject({ type: 'ack', ref: 1, accepted: 1 });
	});

	it('the same bodies on POST /api/events get a 400 naming /type, not a 500', async () => {
		const a = await postEvents(t.url, t.tokens.ingest, new Uint8Array(bigintType), 'application/msgpack');
		expect(a.status).toBe(400);
		expect(a.body.errors[0]).toMatchObject({ index: 0, path: '/type' });
		const b = await postEvents(t.url, t.tokens.ingest, deepType);
		expect(b.status).toBe(400);
		expect(b.body.errors[0]).toMatchObject({ index: 0, path: '/type' });
		expect(JSON.stringify(b.body).length).toBeLessThan(2000);
		// An attacker's string is cut and escaped in the message.
		const c = await postEvents(t.url, t.tokens.ingest, [{ type: `x"<script>${'y'.repeat(10_000)}` }]);
		expect(c.status).toBe(400);
		expect(c.body.errors[0].message.length).toBeLessThan(300);
	});

	it('strings with lone surrogates are refused naming the field', async () => {
		const body = JSON.stringify([ev.queued('sur-1', 'hard-q')]).replace('"hard-q"', '"bad\\ud800q"');
		const r = await postEvents(t.url, t.tokens.ingest, body);
		expect(r.status).toBe(400);
		expect(r.body.errors[0]).toMatchObject({ index: 0, path: '/queue' });
	});
});

describe('requests are judged from their headers before any body byte', () => {
	it.each([
		['no token', `POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`, 401],
		['unknown API path', `POST /api/nothing HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 1000000\r\n\r\n`, 404],
		['method not allowed', `PUT /wall/x HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 1000000\r\n\r\n`, 405]
	])('%s: answered at once and closed, with the body never sent', async (_name, head, status) => {
		const r = await raw(head.replace('PORT', String(port)));
		expect(r.response).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
		expect(r.firstByteMs).toBeGreaterThanOrEqual(0);
		expect(r.firstByteMs).toBeLessThan(1000);
		expect(r.closedByServer).toBe(true);
	});

	it('request bodies in memory stay within the body budget: past it, 503 at once', async () => {
		const b = await startTestServer({ bodyBudgetBytes: 200_000, maxBodyBytes: 150_000 });
		try {
			const p = Number(new URL(b.url).port);
			const head = (len: number) =>
				`POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nAuthorization: Bearer ${b.tokens.ingest}\r\nContent-Type: application/json\r\nContent-Length: ${len}\r\n\r\n[`;
			// A slow upload holds 150,000 bytes of budget while it trickles in.
			const slow = connect(p, '127.0.0.1', () => slow.write(head(150_000)));
			await new Promise((r) => setTimeout(r, 300));
			const second = await raw(head(100_000), 1500, p);
			expect(second.response).toMatch(/^HTTP\/1.1 503 /);
			expect(second.closedByServer).toBe(true);
			slow.destroy();
			await new Promise((r) => setTimeout(r, 300));
			// Given back when the slow client went away.
			expect((await postEvents(b.url, b.tokens.ingest, [ev.queued('budget-1', 'q')])).status).toBe(202);
			const text = await (await fetch(`${b.url}/metrics`)).text();
			expect(Number(/^sightline_body_budget_refusals_total (\d+)/m.exec(text)?.[1])).toBe(1);
			expect(Number(/^sightline_body_bytes_held (\d+)/m.exec(text)?.[1])).toBe(0);
		} finally {
			await b.stop();
		}
	});
});

describe('the live floor does not move to a producer future', () => {
	it('refuses an event stamped two hours ahead with a 400 naming /ts; a few seconds of skew pass', async () => {
		const ahead = await postEvents(t.url, t.tokens.ingest, [ev.state('skew-a', 'available', Date.now() + 2 * 3600_000)]);
		expect(ahead.status).toBe(400);
		expect(ahead.body.errors[0]).toMatchObject({ index: 0, path: '/ts' });
		expect(ahead.body.errors[0].message).toMatch(/ahead of the server clock/);
		expect((await postEvents(t.url, t.tokens.ingest, [ev.state('skew-a', 'available', Date.now() + 30_000)])).status).toBe(202);
	});
});

describe('ids a day may create are limited', () => {
	it('past the daily limit of new queue ids a batch is refused with a 400 naming the event, nothing of it applied, and counted', async () => {
		const l = await startTestServer({ floorLimits: { newQueuesPerDay: 3 } });
		try {
			const q = (n: number, queue: string) => ({ type: 'contact.queued', id: `lim-${n}`, ts: Date.now(), contact: `lc-${n}`, queue, channel: 'voice' });
			expect((await postEvents(l.url, l.tokens.ingest, [q(1, 'q1'), q(2, 'q2'), q(3, 'q1')])).status).toBe(202);
			const over = await postEvents(l.url, l.tokens.ingest, [q(4, 'q2'), q(5, 'q3'), q(6, 'q4')]);
			expect(over.status).toBe(400);
			expect(over.body.errors).toEqual([expect.objectContaining({ index: 2, path: '/queue' })]);
			expect(over.body.errors[0].message).toMatch(/more than 3 new queue ids today/);
			// Nothing of the refused batch reached the floor: q3 is not there, and the same ids still pass alone.
			expect(l.server.floor.queues.has('q3')).toBe(false);
			expect(l.server.metrics.idLimitRefusals).toBe(1);
			expect((await postEvents(l.url, l.tokens.ingest, [q(4, 'q2'), q(5, 'q3')])).status).toBe(202);
		} finally {
			await l.stop();
		}
	});
});

describe('origins, hosts and headers', () => {
	const wsUrl = () => `${t.url.replace('http', 'ws')}/live?board=default`;
	const upgrade = (origin: string) =>
		new Promise<number>((resolve) => {
			const ws = new WebSocket(wsUrl(), { headers: { origin } });
			ws.once('open', () => {
				ws.close();
				resolve(101);
			});
			ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.once('error', () => resolve(-1));
		});

	it('a page on another origin cannot open /live; the server own origin can', async () => {
		expect(await upgrade('http://evil.example')).toBe(403);
		expect(await upgrade(`http://127.0.0.1:${port}`)).toBe(101);
		expect(await upgrade(`http://localhost:${port}`)).toBe(403); // the socket was opened to 127.0.0.1, not localhost
	});

	it('on loopback a request for another Host (DNS rebinding) is refused', async () => {
		const evil = await raw(`GET /api/config HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`);
		expect(evil.response).toMatch(/^HTTP\/1.1 421 /);
		const own = await raw(`GET /api/config HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
		expect(own.response).toMatch(/^HTTP\/1.1 200 /);
	});

	it('every response has nosniff and a CSP with frame-ancestors none, pages allow only their own inline script, and no server banner', async () => {
		for (const path of ['/api/config', '/api/nothing', '/wall/default']) {
			const r = await fetch(`${t.url}${path}`);
			expect(r.headers.get('x-content-type-options')).toBe('nosniff');
			expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(r.headers.get('uwebsockets')).toBeNull();
			expect(r.headers.get('server')).toBeNull();
		}
		const page = (await fetch(`${t.url}/wall/default`)).headers.get('content-security-policy')!;
		const hash = createHash('sha256').update(BOOT).digest('base64');
		expect(page).toContain(`'sha256-${hash}'`);
		expect(page).not.toContain('unsafe-inline\'; script');
		expect(page).toMatch(/script-src 'self' 'sha256-/);
	});

	it('HEAD answers like GET without a body', async () => {
		const get = await fetch(`${t.url}/api/events/schema`);
		const body = await get.arrayBuffer();
		const head = await raw(`HEAD /api/events/schema HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
		expect(head.response).toMatch(/^HTTP\/1.1 200 /);
		expect(head.response).toMatch(new RegExp(`Content-Length: ${body.byteLength}\\r\\n`, 'i'));
		expect(head.response.endsWith('\r\n\r\n')).toBe(true);
	});

	it('HTTP/1.0 gets no answer from this uWS build (its parser drops it before any handler), and the server keeps serving HTTP/1.1 meanwhile', async () => {
		// Issue #9 asks for an answer to HTTP/1.0. uWebSockets.js 20.30 never hands such a request to
		// JavaScript (a bare uWS app's catch-all handler is not called either; uWS closes the socket at
		// its idle timeout), so no route here can answer it. This pins that down: if a uWS update
		// starts answering, this fails and should then assert the answer.
		const held = connect(port, '127.0.0.1', () => held.write(`GET /healthz HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
		let got = '';
		held.on('data', (d) => (got += d.toString()));
		held.on('error', () => {});
		const other = await raw(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
		expect(other.response).toMatch(/^HTTP\/1.1 200 /);
		await new Promise((r) => setTimeout(r, 1000));
		expect(got).toBe('');
		held.destroy();
	});

	it('tokens go in the Authorization header on HTTP; ?token= is not read there', async () => {
		expect((await fetch(`${t.url}/api/audit?token=${t.tokens.admin}`)).status).toBe(401);
		expect((await fetch(`${t.url}/api/audit`, { headers: { authorization: `Bearer ${t.tokens.admin}` } })).status).toBe(200);
	});

	it('the data directory is 0700 and the database and token files 0600', () => {
		expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
		expect(statSync(join(t.dataDir, 'sightline.db')).mode & 0o777).toBe(0o600);
		expect(statSync(join(t.dataDir, 'sightline.db-wal')).mode & 0o777).toBe(0o600);
		expect(statSync(join(t.dataDir, 'tokens.json')).mode & 0o777).toBe(0o600);
	});
});

describe('config limits and live changes', () => {
	const put = (body: unknown) =>
		fetch(`${t.url}/api/config`, { method: 'PUT', headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
			async (r) => ({ status: r.status, body: (await r.json()) as any })
		);

	it('refuses an absurd SL threshold, naming the field', async () => {
		const r = await put({ queues: [{ id: 'huge', channel: 'voice', sl: { threshold: 1e308 } }] });
		expect(r.status).toBe(400);
		expect(r.body.errors[0].path).toBe('/queues/0/sl/threshold');
	});

	it('repeated PUTs cannot grow the queue list past the cap', async () => {
		const batch = (from: number) => ({ queues: Array.from({ length: 600 }, (_, i) => ({ id: `many-${from + i}`, channel: 'chat' })) });
		expect((await put(batch(0))).status).toBe(200);
		const second = await put(batch(600));
		expect(second.status).toBe(400);
		expect(second.body.errors).toContainEqual(expect.objectContaining({ path: '/queues' }));
		const cfg = (await (await fetch(`${t.url}/api/config`)).json()) as { queues: { id: string }[] };
		expect(cfg.queues.some((q) => q.id === 'many-600')).toBe(false);
	});

	it('a new rollingMs reaches queues that already exist', async () => {
		const now = Date.now();
		expect((await postEvents(t.url, t.tokens.ingest, [ev.queued('roll-1', 'roll-q', now)])).status).toBe(202);
		expect((await put({ rollingMs: 3_600_000 })).status).toBe(200);
		// 40 minutes ago: outside the old 30-minute window, inside the new hour.
		expect((await postEvents(t.url, t.tokens.ingest, [ev.queued('roll-2', 'roll-q', now - 40 * 60_000)])).status).toBe(202);
		const c = await LiveClient.connect(t.url);
		await c.until(() => c.ofType('snapshot').length === 1, 3000, 'snapshot');
		const row = c.ofType('snapshot')[0]!.floor.queues.find((q) => q.id === 'roll-q')!;
		expect(row.today.offered).toBe(2);
		expect(row.rolling.offered).toBe(2);
		c.close();
		expect((await put({ rollingMs: 1_800_000 })).status).toBe(200);
	});
});

describe('out-of-order delivery', () => {
	let id = 0;
	const e = (type: string, contact: string, extra: Record<string, unknown>, ts: number) => ({ type, id: `ooo-${process.pid}-${++id}`, ts, contact, ...extra });

	it('answered, ended, then queued: held until the predecessor comes, no contact left waiting', async () => {
		const t0 = Date.now() - 60_000;
		const answered = e('contact.answered', 'ooo-1', { queue: 'ooo-q', agent: 'ooo-agent' }, t0 + 10_000);
		const ended = e('contact.ended', 'ooo-1', { agent: 'ooo-agent' }, t0 + 20_000);
		const queued = e('contact.queued', 'ooo-1', { queue: 'ooo-q', channel: 'voice' }, t0);
		expect((await postEvents(t.url, t.tokens.ingest, [answered])).body).toMatchObject({ accepted: 1, held: 1 });
		expect((await postEvents(t.url, t.tokens.ingest, [ended])).body).toMatchObject({ accepted: 1, held: 1 });
		expect((await postEvents(t.url, t.tokens.ingest, [queued])).body).toMatchObject({ accepted: 1, held: 0, anomalies: 0 });
		const c = await LiveClient.connect(t.url);
		await c.until(() => c.ofType('snapshot').length === 1, 3000, 'snapshot');
		const row = c.ofType('snapshot')[0]!.floor.queues.find((q) => q.id === 'ooo-q')!;
		c.close();
		expect(row.waiting).toBe(0);
		expect(row.today.offered).toBe(1);
		expect(row.today.answered).toBe(1);
		const text = await (await fetch(`${t.url}/metrics`)).text();
		expect(Number(/^sightline_reorder_released_total (\d+)/m.exec(text)?.[1])).toBe(2);
		expect(Number(/^sightline_reorder_held (\d+)/m.exec(text)?.[1])).toBe(0);
	});

	it('an event whose predecessor never comes is handed on after the hold and counted as an anomaly', async () => {
		const s = await startTestServer({ reorderHoldMs: 300 });
		try {
			const orphan = e('contact.answered', 'ooo-never', { queue: 'ooo-q', agent: 'ooo-agent' }, Date.now());
			expect((await postEvents(s.url, s.tokens.ingest, [orphan])).body).toMatchObject({ held: 1 });
			await new Promise((r) => setTimeout(r, 800));
			const text = await (await fetch(`${s.url}/metrics`)).text();
			expect(Number(/^sightline_reorder_expired_total (\d+)/m.exec(text)?.[1])).toBe(1);
			expect(Number(/^sightline_anomalies_total (\d+)/m.exec(text)?.[1])).toBe(1);
			expect(Number(/^sightline_reorder_held (\d+)/m.exec(text)?.[1])).toBe(0);
		} finally {
			await s.stop();
		}
	});
});

describe('connections per client address', () => {
	/** Opens a WebSocket from `localAddress`; resolves with it open, or with the refusal status and body. */
	const open = (url: string, localAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
		new Promise<{ status: number; body: string; ws: WebSocket | null }>((resolve) => {
			const ws = new WebSocket(url, { localAddress, headers });
			ws.once('open', () => resolve({ status: 101, body: '', ws }));
			ws.once('unexpected-response', (_req, res) => {
				let body = '';
				res.on('data', (d: Buffer) => (body += d.toString()));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ws: null }));
			});
			ws.once('error', () => resolve({ status: -1, body: '', ws: null }));
		});
	const closed = (ws: WebSocket) => new Promise<void>((r) => (ws.readyState === WebSocket.CLOSED ? r() : void ws.once('close', () => r())));

	it('past the cap an upgrade to /live or /ingest gets 429 and is counted; another address and a freed slot still get in', async () => {
		const s = await startTestServer({ maxConnectionsPerAddress: 3 });
		try {
			const live = `${s.url.replace('http', 'ws')}/live?board=default`;
			const ingest = `${s.url.replace('http', 'ws')}/ingest`;
			const auth = { authorization: `Bearer ${s.tokens.ingest}` };
			const held = [await open(live), await open(live), await open(ingest, '127.0.0.1', auth)];
			expect(held.map((h) => h.status)).toEqual([101, 101, 101]);
			const overLive = await open(live);
			expect(overLive.status).toBe(429);
			expect(overLive.body).toMatch(/too many connections from this address \(at most 3\)/);
			expect((await open(ingest, '127.0.0.1', auth)).status).toBe(429);
			// The cap is per address: 127.0.0.2 is another client (Linux routes all of 127/8 to loopback).
			const other = await open(live, '127.0.0.2');
			expect(other.status).toBe(101);
			other.ws!.close();
			// Plain HTTP is not counted against the cap.
			expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
			// A closed connection gives its slot back.
			held[0]!.ws!.close();
			await closed(held[0]!.ws!);
			await new Promise((r) => setTimeout(r, 100));
			const again = await open(live);
			expect(again.status).toBe(101);
			const text = await (await fetch(`${s.url}/metrics`)).text();
			expect(Number(/^sightline_connection_cap_refusals_total (\d+)/m.exec(text)?.[1])).toBe(2);
			for (const h of [...held.slice(1), again]) h.ws!.close();
		} finally {
			await s.stop();
		}
	});

	it('the default cap admits 1,000 viewers from one address, as npm run bench:server opens', async () => {
		const s = await startTestServer();
		try {
			const live = `${s.url.replace('http', 'ws')}/live?board=default`;
			const sockets: WebSocket[] = [];
			for (let i = 0; i < 1000; i += 100) {
				const batch = await Promise.all(Array.from({ length: 100 }, () => open(live)));
				expect(batch.every((b) => b.status === 101)).toBe(true);
				sockets.push(...batch.map((b) => b.ws!));
			}
			expect(sockets.length).toBe(1000);
			for (const ws of sockets) ws.terminate();
		} finally {
			await s.stop();
		}
	});
});
