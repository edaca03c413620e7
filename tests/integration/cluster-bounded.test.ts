import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/server/store';
import type { ServerProcess } from '../helpers/server-process';
import { TestCluster } from './helpers/cluster';
import { deleteStream, startNats, type TestNats } from './helpers/nats';
import { startTestServer, type TestServer } from './helpers/server';
import { sharedData } from './helpers/shared-data';
import { until } from './helpers/until';

/**
 * What an admin's request on one instance of a cluster answers when the change is not applied
 * everywhere at once, on a real nats-server (stopped with SIGSTOP, its bucket deleted), a real
 * SQLite store (its write lock held by the test) and real HTTP:
 * - a delete, plan version or live plan whose record the cluster log took but this instance cannot
 *   apply yet answers 504 within the bound (not a hang, not "failed"), and is applied once it can;
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
	nats?.resume();
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

	it('a plan version and a live plan the cluster log took but this instance cannot store yet (its store locked) answer 504 within the bound; both are saved on every instance under the same numbers once it can', async () => {
		const doc = (name: string) => ({ version: 1, name, source: { kind: 'bundled', id: 'multichannel-day' }, changes: {}, costs: {}, replications: 20, seed: 1, dayStart: 28800 });
		const first = await call(a, 'POST', '/api/plans', { doc: doc('Before the lock') });
		expect(first.status).toBe(201);
		const id = first.body.id as string;
		const liveVersions = async (s: { url: string; tokens: Readonly<Record<string, string>> }) => (await call(s, 'GET', '/api/live-plan')).body.versions as { version: number; plan: { planVersion: number } }[];
		const applyLines = async () => ((await call(a, 'GET', '/api/audit')).body.audit as { action: string; detail: string }[]).filter((l) => l.action === 'plan.apply');
		const liveBefore = (await liveVersions(a)).length;
		const lock = new Database(join(a.dataDir, DB_FILE));
		lock.pragma('busy_timeout = 0');
		lock.exec('BEGIN IMMEDIATE');
		try {
			const saved = await call(a, 'PUT', `/api/plans/${id}`, { doc: doc('Saved while the store was locked') });
			expect(saved.status).toBe(504);
			expect(saved.body.error).toMatch(/^the cluster log took the plan version \(message \d+\) but this instance has not applied it within 1\.5 s \(NATS unreachable, or behind\): it will when it catches up, as every instance does$/);
			expect(saved.ms).toBeLessThan(10_000);
			const applied = await call(a, 'POST', `/api/plans/${id}/apply`, { version: 1, effective: '2027-03-01' });
			expect(applied.status).toBe(504);
			expect(applied.body.error).toMatch(/^the cluster log took the live-plan version \(message \d+\)/);
			// Not saved here yet; the other instance, whose store is free, has both already.
			expect((await call(a, 'GET', `/api/plans/${id}?version=2`)).status).toBe(404);
			await until('version 2 on b', async () => (await call(b, 'GET', `/api/plans/${id}?version=2`)).status === 200, 15_000, 100);
			await until('the live plan on b', async () => (await liveVersions(b)).length === liveBefore + 1, 15_000, 100);
			expect(await applyLines()).toHaveLength(0);
		} finally {
			lock.exec('ROLLBACK');
			lock.close();
		}
		// Once this instance can, it saves both under the numbers the other gave them, and writes the apply's audit line (its webhooks go then too).
		await until('version 2 here', async () => (await call(a, 'GET', `/api/plans/${id}?version=2`)).status === 200, 30_000, 100);
		expect((await call(a, 'GET', `/api/plans/${id}?version=2`)).body).toEqual((await call(b, 'GET', `/api/plans/${id}?version=2`)).body);
		await until('the live plan here', async () => (await liveVersions(a)).length === liveBefore + 1, 30_000, 100);
		expect(await liveVersions(a)).toEqual(await liveVersions(b));
		await until('the audit line of the apply', async () => (await applyLines()).length === 1, 10_000, 100);
		expect(JSON.parse((await applyLines())[0]!.detail)).toMatchObject({ version: liveBefore + 1, plan: id, planVersion: 1 });
		// The next save is answered normally, under the next number.
		const next = await call(a, 'PUT', `/api/plans/${id}`, { doc: doc('After the lock') });
		expect(next.status).toBe(200);
		expect(next.body.version).toBe(3);
	}, 120_000);

	it('NATS stops answering (SIGSTOP) during a delete, a board save and a plan save: 504 saying they may still apply; once NATS resumes all reach every instance', async () => {
		await imported('2010-08-22');
		const planDoc = { version: 1, name: 'Saved while NATS was stopped', source: { kind: 'bundled', id: 'multichannel-day' }, changes: {}, costs: {}, replications: 20, seed: 1, dayStart: 28800 };
		const plan = await call(a, 'POST', '/api/plans', { doc: { ...planDoc, name: 'Before NATS stopped' } });
		expect(plan.status).toBe(201);
		// Stopped before the requests go out (a bare SIGSTOP may not have taken effect yet under load).
		await nats.pause();
		let del: Awaited<ReturnType<typeof call>>;
		let save: Awaited<ReturnType<typeof call>>;
		let planSave: Awaited<ReturnType<typeof call>>;
		try {
			[del, save, planSave] = await Promise.all([
				call(a, 'DELETE', '/api/history/days/2010-08-22?source=import'),
				call(a, 'PUT', '/api/boards/stalled', board('Saved while NATS was stopped')),
				call(a, 'PUT', `/api/plans/${plan.body.id}`, { doc: planDoc })
			]);
		} finally {
			nats.resume();
		}
		expect(del.status).toBe(504);
		expect(del.body.error).toMatch(/^NATS did not confirm in time that the cluster log took the delete: if it did, every instance applies it, this one included/);
		expect(save.status).toBe(504);
		expect(save.body.error).toMatch(/^NATS did not confirm the save in time \(.*\): it is not saved here; if NATS took it, every instance applies it, this one too, as it arrives$/);
		expect(planSave.status).toBe(504);
		expect(planSave.body.error).toBe('NATS did not confirm in time that the cluster log took the plan version: if it did, every instance applies it, this one included, as it gets to it; saving it again adds one more version');
		// Bounded by the publish timeout (5 s), not a hang.
		expect(Math.max(del.ms, save.ms, planSave.ms)).toBeLessThan(15_000);
		// NATS had both requests in its socket: it stores them now, and every instance applies them, the asking one too.
		for (const s of [a, b]) {
			await until('the day gone', async () => (await dayStatus(s, '2010-08-22')) === 404, 30_000, 100);
			await until('the board saved', async () => (await call(s, 'GET', '/api/boards/stalled')).status === 200, 30_000, 100);
			expect((await call(s, 'GET', '/api/boards/stalled')).body.name).toBe('Saved while NATS was stopped');
			await until('the plan version saved', async () => (await call(s, 'GET', `/api/plans/${plan.body.id}?version=2`)).status === 200, 30_000, 100);
			expect((await call(s, 'GET', `/api/plans/${plan.body.id}?version=2`)).body.doc.name).toBe('Saved while NATS was stopped');
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
		await deleteStream(nats.url, 'KV_sightline-config');
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
