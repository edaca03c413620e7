import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { boardOf, LiveClient } from './helpers/live-client';
import { startNats, type TestNats } from './helpers/nats';
import { until } from './helpers/until';

/**
 * Two server instances sharing one JetStream event stream on a real nats-server (`--nats URL`):
 * what is ingested on one is on the other's wallboard, in order; a killed instance catches up;
 * NATS going away loses nothing acknowledged and applies nothing twice; config is shared.
 */

let nats: TestNats;
const dirs: string[] = [];
const servers: ServerProcess[] = [];

beforeAll(async () => {
	nats = await startNats();
});
afterAll(async () => {
	for (const s of servers) await s.kill('SIGKILL');
	await nats?.dispose();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** One instance on its own data dir, on a fixed port so a restart keeps its address. */
async function instance(port = 0): Promise<ServerProcess> {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-cluster-'));
	dirs.push(dir);
	const s = await spawnServer(['ingest', '--nats', nats.url, '--data', dir, '--port', String(port), '--time-zone', 'UTC']);
	servers.push(s);
	return s;
}

let n = 0;
/** One contact's whole life, in order: offered, answered, wrap-up, ended. Out of order it would be anomalies. */
function contact(ts: number, prefix: string): FloorEvent[] {
	const c = `${prefix}-${++n}`;
	return [
		{ type: 'contact.queued', id: `${c}-q`, ts, contact: c, queue: 'billing', channel: 'voice' },
		{ type: 'contact.answered', id: `${c}-a`, ts: ts + 1, contact: c, queue: 'billing', agent: 'a1' },
		{ type: 'contact.wrapup', id: `${c}-w`, ts: ts + 2, contact: c, agent: 'a1' },
		{ type: 'contact.ended', id: `${c}-e`, ts: ts + 3, contact: c, agent: 'a1' }
	];
}

async function post(s: ServerProcess, events: FloorEvent[]): Promise<Response> {
	return fetch(`${s.url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.ingest}` },
		body: JSON.stringify(events)
	});
}

/** A counter from /metrics. */
async function metric(s: ServerProcess, name: string): Promise<number> {
	const text = await (await fetch(`${s.url}/metrics`)).text();
	const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
	return m ? Number(m[1]) : NaN;
}

describe('cluster on NATS JetStream', () => {
	let a: ServerProcess;
	let b: ServerProcess;

	it('refuses to start when NATS is unreachable, naming the URL', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-cluster-'));
		dirs.push(dir);
		await expect(spawnServer(['ingest', '--nats', 'nats://127.0.0.1:1', '--data', dir, '--port', '0'])).rejects.toThrow(
			/NATS unreachable at nats:\/\/127\.0\.0\.1:1/
		);
	});

	it('shows on a wallboard of one instance, in order, what producers sent to the other', async () => {
		a = await instance();
		b = await instance();
		const wall = await LiveClient.connect(b.url);
		const now = Date.now();
		for (let i = 0; i < 20; i++) {
			const r = await post(a, contact(now + i * 10, 'x'));
			expect(r.status).toBe(202);
		}
		await until('80 events applied on b', async () => (await metric(b, 'sightline_events_accepted_total')) === 80);
		expect(await metric(b, 'sightline_anomalies_total')).toBe(0);
		// The publishing instance applies what it published by following the stream too, at its own pace.
		await until('80 events applied on a', async () => (await metric(a, 'sightline_events_accepted_total')) === 80);
		await until('the wall of b shows 20 handled', () => boardOf(wall)?.total.today.offered === 20);
		const view = boardOf(wall)!;
		expect(view.total.today.answered).toBe(20);
		wall.ws.close();
	});

	it('drops a producer retry of the same batch (JetStream dedupe, then the store)', async () => {
		const batch = contact(Date.now(), 'r');
		expect((await post(a, batch)).status).toBe(202);
		const retry = await post(a, batch);
		expect(retry.status).toBe(202);
		expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 4 });
		await until('84 events on b', async () => (await metric(b, 'sightline_events_accepted_total')) === 84);
		await new Promise((r) => setTimeout(r, 300));
		expect(await metric(b, 'sightline_events_accepted_total')).toBe(84);
	});

	it('an instance killed mid-stream catches up to the same floor on restart', async () => {
		const start = Date.now();
		const sending = (async () => {
			for (let i = 0; i < 30; i++) {
				expect((await post(a, contact(start + i * 10, 'k'))).status).toBe(202);
				await new Promise((r) => setTimeout(r, 10));
			}
		})();
		await new Promise((r) => setTimeout(r, 100));
		await b.kill('SIGKILL');
		await sending;
		await b.restart();
		// 20 + 1 + 30 contacts so far.
		// Both converge: b from the stream after its restart, a by following the stream it publishes to.
		await until('b caught up', async () => (await wallTotal(b)) === 51);
		await until('a shows the same floor', async () => (await wallTotal(a)) === 51);
		expect(await metric(b, 'sightline_anomalies_total')).toBe(0);
	});

	it('NATS stopped mid-stream: ingest answers 503 with Retry-After, walls say the stream is unreachable; when it returns nothing acknowledged is lost or applied twice', async () => {
		const wall = await LiveClient.connect(b.url);
		await nats.stop();
		await until('the wall of b hears the stream is unreachable', () => wall.frames.some((f) => f.frame.type === 'source' && JSON.stringify(f.frame).includes('unreachable')));
		const refused = await post(a, contact(Date.now(), 'down'));
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBe('1');
		await nats.start();
		await until('a reconnects and accepts again', async () => (await post(a, contact(Date.now(), 'up'))).status === 202, 20_000);
		for (let i = 0; i < 5; i++) expect((await post(a, contact(Date.now() + i, 'up'))).status).toBe(202);
		// 51 before, the refused one not, the first accepted after the return and five more.
		let seen: number[] = [];
		await until('both walls show 57 offered', async () => {
			seen = [await wallTotal(a), await wallTotal(b)];
			return seen[0] === 57 && seen[1] === 57;
		}, 20_000).catch((e: Error) => {
			throw new Error(`${e.message}; walls show ${seen.join(' and ')}\n${a.output().slice(-3000)}\n${b.output().slice(-3000)}`);
		});
		expect(await metric(a, 'sightline_anomalies_total')).toBe(0);
		expect(await metric(b, 'sightline_anomalies_total')).toBe(0);
		wall.ws.close();
	});

	it('a board saved by an admin on one instance shows on the other within a second', async () => {
		const board = { id: 'ops', name: 'Operations floor', queues: ['billing'], channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} } };
		const put = await fetch(`${a.url}/api/boards/ops`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${a.tokens.admin}` },
			body: JSON.stringify(board)
		});
		expect(put.status).toBe(200);
		const t0 = Date.now();
		await until('board ops on b', async () => (await fetch(`${b.url}/api/boards/ops`)).status === 200, 5000);
		expect(Date.now() - t0).toBeLessThan(1500);
		const onB = (await (await fetch(`${b.url}/api/boards/ops`)).json()) as { name: string };
		expect(onB.name).toBe('Operations floor');
	});

	it('every plan version, past the bucket\'s 64 revisions per key, reaches an instance that joins later under the same number, with its audit', async () => {
		const call = async (s: ServerProcess, method: string, path: string, body?: unknown) => {
			const res = await fetch(`${s.url}${path}`, {
				method,
				headers: { authorization: `Bearer ${s.tokens.supervisor}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
				...(body !== undefined ? { body: JSON.stringify(body) } : {})
			});
			return { status: res.status, body: (await res.json()) as { id: string; version: number } & Record<string, unknown> };
		};
		const doc = (n: number) => ({ version: 1, name: `Plan rev ${n}`, source: { kind: 'bundled', id: 'multichannel-day' }, changes: {}, costs: {}, replications: 20, seed: n, dayStart: 28800 });
		const first = await call(a, 'POST', '/api/plans', { doc: doc(1) });
		expect(first.status).toBe(201);
		const id = first.body.id;
		for (let n = 2; n <= 70; n++) expect((await call(a, 'PUT', `/api/plans/${id}`, { doc: doc(n) })).status).toBe(200);
		const applied = await call(a, 'POST', `/api/plans/${id}/apply`, { version: 3, effective: '2027-01-04' });
		expect(applied.status).toBe(200);

		const c = await instance();
		await until('plan version 70 on the new instance', async () => (await call(c, 'GET', `/api/plans/${id}?version=70`)).status === 200, 10_000);
		for (const v of [1, 3, 64, 70]) {
			const onA = await call(a, 'GET', `/api/plans/${id}?version=${v}`);
			const onC = await call(c, 'GET', `/api/plans/${id}?version=${v}`);
			expect(onC.body).toEqual(onA.body);
			expect((onC.body as unknown as { doc: { name: string } }).doc.name).toBe(`Plan rev ${v}`);
		}
		const live = (s: ServerProcess) => call(s, 'GET', '/api/live-plan').then((r) => r.body as unknown as { versions: { version: number; actor: string; plan: { planVersion: number } }[] });
		await until('the live plan on the new instance', async () => (await live(c)).versions.length === (await live(a)).versions.length, 10_000);
		expect((await live(c)).versions[0]).toEqual((await live(a)).versions[0]);
		expect((await live(c)).versions[0]?.plan.planVersion).toBe(3);
		// Rolling back on the late instance is possible: it holds the version rolled back to.
		const rb = await call(c, 'POST', '/api/live-plan/rollback', { version: (await live(c)).versions[0]?.version });
		expect(rb.status).toBe(200);
		await until('the rollback on the first instance', async () => (await live(a)).versions.length === (await live(c)).versions.length, 10_000);
		const audit = (await (await fetch(`${c.url}/api/audit`, { headers: { authorization: `Bearer ${c.tokens.admin}` } })).json()) as { audit: { action: string; target: string; detail: string | null }[] };
		expect(audit.audit.filter((l) => l.action === 'plan.put' && l.target === id)).toHaveLength(70);
	});

	it('a day deleted by an admin on one instance is deleted on every instance, and audited there', async () => {
		const today = new Date().toISOString().slice(0, 10);
		const day = (s: ServerProcess) => fetch(`${s.url}/api/history/days/${today}?source=ingest`).then((r) => r.status);
		await until("today's history on b", async () => (await day(b)) === 200);
		const del = await fetch(`${a.url}/api/history/days/${today}?source=ingest`, { method: 'DELETE', headers: { authorization: `Bearer ${a.tokens.admin}` } });
		expect(del.status).toBe(200);
		expect(await day(a)).toBe(404);
		await until("today's history gone on b", async () => (await day(b)) === 404, 5000);
		const audit = (await (await fetch(`${b.url}/api/audit`, { headers: { authorization: `Bearer ${b.tokens.admin}` } })).json()) as { audit: { action: string; target: string; detail: string | null }[] };
		const line = audit.audit.find((l) => l.action === 'history.delete' && l.target === today);
		expect(line?.detail).toMatch(/"source":"ingest"/);
	});
});

/** Contacts offered today on the default board of an instance, from a fresh wallboard snapshot. */
async function wallTotal(s: ServerProcess): Promise<number> {
	const c = await LiveClient.connect(s.url);
	try {
		await c.until(() => c.frames.some((f) => f.frame.type === 'snapshot'), 5000, 'snapshot');
		return boardOf(c)?.total.today.offered ?? -1;
	} finally {
		c.ws.close();
	}
}
