import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { Auth, isLoopback, loadOrCreateTokens, TOKENS_FILE } from '../../src/server/auth';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

let t: TestServer | null = null;
afterEach(async () => {
	await t?.stop();
	t = null;
});

const get = (url: string, token?: string) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const putBoard = (url: string, token?: string) =>
	fetch(`${url}/api/boards/auth-test`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: JSON.stringify({ name: 'A', queues: null, channels: null, slFormula: 'offered', thresholds: { default: [], queues: {} } })
	});

describe('tokens', () => {
	it('are created once per data dir, kept only as hashes in a 0600 file', async () => {
		t = await startTestServer();
		const file = join(t.dataDir, TOKENS_FILE);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const text = readFileSync(file, 'utf8');
		for (const token of Object.values(t.tokens)) expect(text).not.toContain(token);
		const again = loadOrCreateTokens(t.dataDir);
		expect(again.created).toBeNull();
		const auth = new Auth(again.hashes, false);
		expect(auth.roleOf(t.tokens.admin)).toBe('admin');
		expect(auth.roleOf(t.tokens.admin + 'x')).toBeNull();
	});

	it('on loopback: viewers are open; every other role needs its token', async () => {
		t = await startTestServer();
		expect((await get(`${t.url}/api/boards`)).status).toBe(200);
		expect((await get(`${t.url}/metrics`)).status).toBe(200);
		expect((await putBoard(t.url)).status).toBe(401);
		expect((await putBoard(t.url, t.tokens.viewer)).status).toBe(403);
		expect((await putBoard(t.url, t.tokens.supervisor)).status).toBe(403);
		expect((await putBoard(t.url, 'sl_admin_forged')).status).toBe(401);
		expect((await putBoard(t.url, t.tokens.admin)).status).toBe(200);
		expect((await get(`${t.url}/api/history/days/2026-01-01/trace`)).status).toBe(401);
		expect((await get(`${t.url}/api/history/days/2026-01-01/trace`, t.tokens.supervisor)).status).toBe(404);
		expect((await postEvents(t.url, null, [ev.queued('a1')])).status).toBe(401);
		expect((await postEvents(t.url, t.tokens.viewer, [ev.queued('a1')])).status).toBe(403);
		expect((await postEvents(t.url, t.tokens.admin, [ev.queued('a1')])).status).toBe(202);
		expect((await postEvents(t.url, t.tokens.ingest, [ev.queued('a2')])).status).toBe(202);
		expect(t.server.floor.queues.get('billing')?.waiting.size).toBe(2);
	});

	it('off loopback: viewers need a token too, also on /live (?token=)', async () => {
		expect(isLoopback('0.0.0.0')).toBe(false);
		expect(isLoopback('127.0.0.1')).toBe(true);
		t = await startTestServer({ openViewer: false });
		expect((await get(`${t.url}/api/boards`)).status).toBe(401);
		expect((await get(`${t.url}/api/boards`, t.tokens.viewer)).status).toBe(200);
		expect((await get(`${t.url}/healthz`)).status).toBe(200);

		const refused = await LiveClient.connect(t.url, 'board=default');
		await refused.until(() => refused.closeCode !== null, 3000, 'close');
		expect(refused.ofType('error')[0]).toMatchObject({ code: 'unauthorized' });
		expect(refused.ofType('snapshot')).toHaveLength(0);

		const ok = await LiveClient.connect(t.url, `board=default&token=${encodeURIComponent(t.tokens.viewer)}`);
		await ok.until(() => ok.ofType('snapshot').length === 1, 3000, 'snapshot');
		ok.close();
	});

	it('guard the /ingest WebSocket: refused at upgrade without an ingest token', async () => {
		t = await startTestServer();
		const status = await new Promise<number>((resolve) => {
			const ws = new WebSocket(`${t!.url.replace('http', 'ws')}/ingest?token=${t!.tokens.viewer}`);
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.on('open', () => resolve(101));
			ws.on('error', () => {});
		});
		expect(status).toBe(403);
		const open = await new Promise<number>((resolve) => {
			const ws = new WebSocket(`${t!.url.replace('http', 'ws')}/ingest`, { headers: { authorization: `Bearer ${t!.tokens.ingest}` } });
			ws.on('open', () => {
				resolve(101);
				ws.close();
			});
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.on('error', () => {});
		});
		expect(open).toBe(101);
	});
});
