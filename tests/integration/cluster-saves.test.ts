import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { startNats, type TestNats } from './helpers/nats';
import { until } from './helpers/until';

/**
 * What an admin changes on one instance of a cluster either reaches every instance or is done
 * nowhere (two server processes on a real nats-server stopped and started by the test):
 * - board, floor config and token saves while NATS is down are refused with 503 and change
 *   nothing; once it is back they go through and reach the other instance (a token made or
 *   revoked on one works, or stops working, on the other).
 */

let nats: TestNats;
const dirs: string[] = [];
const servers: ServerProcess[] = [];
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
	nats = await startNats();
	a = await instance();
	b = await instance();
}, 120_000);
afterAll(async () => {
	for (const s of servers) await s.kill('SIGKILL');
	await nats?.dispose();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function instance(): Promise<ServerProcess> {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-cluster-saves-'));
	dirs.push(dir);
	const s = await spawnServer(['ingest', '--nats', nats.url, '--data', dir, '--port', '0', '--time-zone', 'UTC']);
	servers.push(s);
	return s;
}

/** A request with a token (the instance's bootstrap admin's unless given); the body parsed when it is JSON. */
async function call(s: ServerProcess, method: string, path: string, body?: unknown, token = s.tokens.admin): Promise<{ status: number; body: any }> {
	const res = await fetch(`${s.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : typeof body === 'string' ? { 'content-type': 'text/csv' } : { 'content-type': 'application/json' }) },
		...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
	});
	const text = await res.text();
	try {
		return { status: res.status, body: JSON.parse(text) };
	} catch {
		return { status: res.status, body: text };
	}
}

const board = (name: string) => ({ name, queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} } });
const ny = { id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '06:00' };
const sitesOf = async (s: ServerProcess) => ((await call(s, 'GET', '/api/config')).body.sites as { id: string }[]).map((x) => x.id);
const tokenNames = async (s: ServerProcess) => ((await call(s, 'GET', '/api/tokens')).body.tokens as { name: string; revoked?: number }[]).map((t) => `${t.name}${t.revoked ? ' (revoked)' : ''}`);
const UNREACHABLE = /^the other instances cannot be reached \(NATS is unreachable\): nothing was saved; retry when it is back$/;

describe('cluster: saves are shared or refused', () => {
	it('NATS stopped: board, floor config and token saves answer 503 and change nothing; when NATS is back they go through and reach the other instance', async () => {
		const boardsBefore = (await call(a, 'GET', '/api/boards')).body;
		const configBefore = (await call(a, 'GET', '/api/config')).body;
		const tokensBefore = await tokenNames(a);
		await nats.stop();
		// The instance notices the lost connection within moments; until then a save still goes out (and is shared on reconnect).
		let refused: { status: number; body: any } | null = null;
		let listed: unknown = null;
		await until(
			'a refuses a board save',
			async () => {
				listed = (await call(a, 'GET', '/api/boards')).body;
				const r = await call(a, 'PUT', '/api/boards/while-down', board('While NATS is down'));
				if (r.status === 200) return false;
				refused = r;
				return true;
			},
			10_000
		);
		expect(refused!.status).toBe(503);
		expect(refused!.body.error).toMatch(UNREACHABLE);
		expect((await call(a, 'GET', '/api/boards')).body).toEqual(listed);
		// An invalid board is still told what is wrong with it.
		const bad = await call(a, 'PUT', '/api/boards/while-down', { ...board('x'), slFormula: 'nonsense' });
		expect(bad.status).toBe(400);

		const config = await call(a, 'PUT', '/api/config', { sites: [ny] });
		expect(config.status).toBe(503);
		expect(config.body.error).toMatch(UNREACHABLE);
		expect((await call(a, 'GET', '/api/config')).body).toEqual(configBefore);

		const token = await call(a, 'POST', '/api/tokens', { name: 'Down Dana', role: 'admin' });
		expect(token.status).toBe(503);
		expect(token.body.error).toMatch(UNREACHABLE);
		expect(await tokenNames(a)).toEqual(tokensBefore);
		const audit = (await call(a, 'GET', '/api/audit')).body.audit as { action: string }[];
		expect(audit.filter((l) => l.action === 'token.create')).toHaveLength(0);

		await nats.start();
		await until('a saves boards again', async () => (await call(a, 'PUT', '/api/boards/after', board('After NATS returned'))).status === 200, 20_000);
		await until('the board on b', async () => (await call(b, 'GET', '/api/boards/after')).status === 200, 10_000);
		expect((await call(b, 'GET', '/api/boards/after')).body.name).toBe('After NATS returned');
		// The refused board is nowhere, unless a save slipped out before a noticed (then it is on both).
		expect((await call(b, 'GET', '/api/boards/while-down')).status).toBe((await call(a, 'GET', '/api/boards/while-down')).status);
		expect(boardsBefore.boards.some((x: { id: string }) => x.id === 'after')).toBe(false);

		expect((await call(a, 'PUT', '/api/config', { sites: [ny] })).status).toBe(200);
		await until('site ny on b', async () => (await sitesOf(b)).includes('ny'), 10_000);

		const made = await call(a, 'POST', '/api/tokens', { name: 'Back Bo', role: 'admin' });
		expect(made.status).toBe(201);
		await until('the token on b', async () => (await tokenNames(b)).includes('Back Bo'), 10_000);
		// It works on b, where it was not made; revoked on a, it stops working there too.
		expect((await call(b, 'GET', '/api/tokens', undefined, made.body.token)).status).toBe(200);
		expect((await call(a, 'DELETE', `/api/tokens/${made.body.record.id}`)).status).toBe(200);
		await until('the revocation on b', async () => (await call(b, 'GET', '/api/tokens', undefined, made.body.token)).status === 401, 10_000);
		expect(await tokenNames(b)).toContain('Back Bo (revoked)');
	}, 90_000);
});
