import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/server/store';
import type { ServerProcess } from '../helpers/server-process';
import { TestCluster } from './helpers/cluster';
import { startNats, type TestNats } from './helpers/nats';
import { startTestServer, type TestServer } from './helpers/server';
import { sharedData } from './helpers/shared-data';
import { until } from './helpers/until';

/**
 * What an admin's request on one instance of a cluster answers when the change is not applied
 * everywhere at once, on a real nats-server (stopped with SIGSTOP, its bucket deleted), a real
 * SQLite store (its write lock held by the test) and real HTTP:
 * - a delete whose record the cluster log took but this instance cannot apply yet answers 504
 *   within the bound (not a hang, not "failed"), and the day is deleted once it can;
 * - a delete or board save NATS does not answer answers 504 saying it may still apply, and it
 *   does, on every instance, once NATS is back;
 * - a save NATS refuses (board, floor config, tokens, webhooks) answers 503 and is saved nowhere,
 *   this instance included.
 */

const APPLY_TIMEOUT_MS = 1500;
const ONE_DAY = sharedData('anonymous-bank-1999-one-day.csv');

let nats: TestNats;
let a: TestServer;
let b: ServerProcess;
const cluster = new TestCluster();

beforeAll(async () => {
	nats = await startNats();
	a = await startTestServer({ nats: { url: nats.url, applyTimeoutMs: APPLY_TIMEOUT_MS }, timeZone: 'UTC' });
	b = await cluster.instance(nats.url, '--time-zone', 'UTC');
}, 120_000);
afterAll(async () => {
	// NATS may still be stopped if a test failed half-way.
	if (nats) process.kill(nats.pid, 'SIGCONT');
	await a?.stop();
	await cluster.stop();
	await nats?.dispose();
});

async function call(s: { url: string; tokens: Readonly<Record<string, string>> }, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; ms: number }> {
	const t0 = performance.now();
	const res = await fetch(`${s.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${s.tokens.admin}`, ...(body === undefined ? {} : typeof body === 'string' ? { 'content-type': 'text/csv' } : { 'content-type': 'application/json' }) },
		...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
	});
	const text = await res.text();
	const ms = performance.now() - t0;
	try {
		return { status: res.status, body: JSON.parse(text), ms };
	} catch {
		return { status: res.status, body: text, ms };
	}
}

/** The status of a stored day; 0 when the request failed (a kept-alive socket the other side closed while this process was held). */
const dayStatus = (s: { url: string; tokens: Readonly<Record<string, string>> }, date: string) =>
	call(s, 'GET', `/api/history/days/${date}?source=import`).then(
		(r) => r.status,
		() => 0
	);
const imported = async (date: string) => {
	const r = await call(a, 'POST', `/api/history/import?date=${date}`, readFileSync(ONE_DAY, 'utf8'));
	expect(r.status).toBe(200);
	await until(`${date} on b`, async () => (await dayStatus(b, date)) === 200, 30_000, 100);
};
const webhookUrls = async (s: { url: string; tokens: Readonly<Record<string, string>> }) => ((await call(s, 'GET', '/api/webhooks')).body.webhooks as { url: string }[]).map((h) => h.url);
const webhookLines = async () => ((await call(a, 'GET', '/api/audit')).body.audit as { action: string }[]).filter((l) => l.action === 'webhooks.put').length;
const board = (name: string) => ({ name, queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} } });

describe('cluster: requests answer within a bound, and what they say is true', () => {
	it('a delete the cluster log took but this instance cannot apply yet (its store locked) answers 504 within the bound; the day goes once it can', async () => {
		await imported('2010-08-20');
		// Another writer holds the store's write lock: this instance's apply waits (busy, retried) as on a stalled disk.
		const lock = new Database(join(a.dataDir, DB_FILE));
		lock.pragma('busy_timeout = 0');
		lock.exec('BEGIN IMMEDIATE');
		let r: Awaited<ReturnType<typeof call>>;
		try {
			r = await call(a, 'DELETE', '/api/history/days/2010-08-20?source=import');
			expect(r.status).toBe(504);
			expect(r.body.error).toMatch(/^the cluster log took the delete \(message \d+\) but this instance has not applied it within 1\.5 s \(NATS unreachable, or behind\): it will when it catches up, as every instance does$/);
			// Not applied here: the store still holds the day (read through the test's own connection).
			expect((lock.prepare("SELECT count(*) AS n FROM h_days WHERE date = '2010-08-20' AND source = 'import'").get() as { n: number }).n).toBe(1);
		} finally {
			lock.exec('ROLLBACK');
			lock.close();
		}
		// Taken by the log: the other instance deletes it, and this one once its store is free.
		for (const s of [b, a]) await until('the day gone', async () => (await dayStatus(s, '2010-08-20')) === 404, 30_000, 100);
		const audit = (await call(a, 'GET', '/api/audit')).body.audit as { action: string; target: string }[];
		expect(audit.filter((l) => l.action === 'history.delete' && l.target === '2010-08-20')).toHaveLength(1);
		// The next delete is answered normally: the one given up on left nothing behind to confuse it.
		await imported('2010-08-21');
		const next = await call(a, 'DELETE', '/api/history/days/2010-08-21?source=import');
		expect(next.status).toBe(200);
		expect(next.body.deleted).toBeGreaterThan(0);
	}, 120_000);

	it('NATS stops answering (SIGSTOP) during a delete and a board save: 504 saying they may still apply; once NATS resumes both reach every instance', async () => {
		await imported('2010-08-22');
		process.kill(nats.pid, 'SIGSTOP');
		let del: Awaited<ReturnType<typeof call>>;
		let save: Awaited<ReturnType<typeof call>>;
		try {
			[del, save] = await Promise.all([call(a, 'DELETE', '/api/history/days/2010-08-22?source=import'), call(a, 'PUT', '/api/boards/stalled', board('Saved while NATS was stopped'))]);
		} finally {
			process.kill(nats.pid, 'SIGCONT');
		}
		expect(del.status).toBe(504);
		expect(del.body.error).toMatch(/^NATS did not confirm in time that the cluster log took the delete: if it did, every instance applies it, this one included/);
		expect(save.status).toBe(504);
		expect(save.body.error).toMatch(/^NATS did not confirm the save in time \(.*\): it is not saved here; if NATS took it, every instance applies it, this one too, as it arrives$/);
		// Bounded by the publish timeout (5 s), not a hang.
		expect(Math.max(del.ms, save.ms)).toBeLessThan(15_000);
		// NATS had both requests in its socket: it stores them now, and every instance applies them, the asking one too.
		for (const s of [a, b]) {
			await until('the day gone', async () => (await dayStatus(s, '2010-08-22')) === 404, 30_000, 100);
			await until('the board saved', async () => (await call(s, 'GET', '/api/boards/stalled')).status === 200, 30_000, 100);
			expect((await call(s, 'GET', '/api/boards/stalled')).body.name).toBe('Saved while NATS was stopped');
		}
	}, 120_000);

	it('NATS refuses the save (its config bucket deleted) while it looks connected: board, config, token and webhook saves 503 and nothing saved here either', async () => {
		const ok = await call(a, 'PUT', '/api/boards/before', board('Before'));
		expect(ok.status).toBe(200);
		await until('the board on b', async () => (await call(b, 'GET', '/api/boards/before')).status === 200, 15_000, 100);
		expect((await call(a, 'PUT', '/api/webhooks', { webhooks: [{ url: 'http://127.0.0.1:9/before', secret: 'a-secret-of-16-chars' }] })).status).toBe(200);
		await until('the webhooks on b', async () => (await webhookUrls(b)).join() === 'http://127.0.0.1:9/before', 15_000, 100);
		const webhookLinesBefore = await webhookLines();
		expect(webhookLinesBefore).toBe(1);
		const configBefore = (await call(a, 'GET', '/api/config')).body;
		const tokensBefore = (await call(a, 'GET', '/api/tokens')).body;
		const nc = await connect({ servers: nats.url });
		try {
			await (await jetstreamManager(nc)).streams.delete('KV_sightline-config');
		} finally {
			await nc.close();
		}
		const refused = /^the save could not be shared with the other instances \(NATS: .+\): nothing was saved; retry when NATS is back$/;
		const saves = [
			await call(a, 'PUT', '/api/boards/before', board('After')),
			await call(a, 'PUT', '/api/boards/new', board('New')),
			await call(a, 'PUT', '/api/config', { sites: [{ id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '06:00' }] }),
			await call(a, 'POST', '/api/tokens', { name: 'Refused', role: 'viewer' }),
			await call(a, 'PUT', '/api/webhooks', { webhooks: [{ url: 'http://127.0.0.1:9/after', secret: 'another-secret-16-chars' }] })
		];
		for (const r of saves) {
			expect(r.status).toBe(503);
			expect(r.body.error).toMatch(refused);
		}
		expect((await call(a, 'GET', '/api/boards/before')).body.name).toBe('Before');
		expect((await call(a, 'GET', '/api/boards/new')).status).toBe(404);
		expect((await call(a, 'GET', '/api/config')).body).toEqual(configBefore);
		expect((await call(a, 'GET', '/api/tokens')).body).toEqual(tokensBefore);
		expect((await call(b, 'GET', '/api/boards/before')).body.name).toBe('Before');
		expect((await call(b, 'GET', '/api/boards/new')).status).toBe(404);
		// A refused webhook save consumes no version and writes no audit line.
		expect(await webhookUrls(a)).toEqual(['http://127.0.0.1:9/before']);
		expect(await webhookUrls(b)).toEqual(['http://127.0.0.1:9/before']);
		expect(await webhookLines()).toBe(webhookLinesBefore);
	}, 60_000);
});
