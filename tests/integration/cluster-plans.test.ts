import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../helpers/server-process';
import { TestCluster } from './helpers/cluster';
import { deleteStream, startNats, type TestNats } from './helpers/nats';
import { until } from './helpers/until';

/**
 * Plan and live-plan versions in a cluster go through the cluster log first (two server processes
 * on a real nats-server, real HTTP, a real webhook receiver):
 * - a version saved on one instance is on the other under the same number;
 * - two saves of one plan, or an apply and a roll back, on both instances at once get successive
 *   numbers in log order, the same on both (each save is the next version: the plan API has no
 *   base version to conflict with);
 * - an applied or rolled back live plan is POSTed to the webhooks once, by the instance it was
 *   saved on, which alone writes its plan.apply / plan.rollback audit line;
 * - with the log stream deleted while NATS looks connected, saving, applying and rolling back
 *   answer 503 and nothing is saved on either instance, nor sent to the webhooks.
 */

let nats: TestNats;
const cluster = new TestCluster();
let a: ServerProcess;
let b: ServerProcess;
let receiver: Server;
/** Live plan versions the webhook receiver was sent, one entry per delivery. */
const delivered: number[] = [];

beforeAll(async () => {
	nats = await startNats();
	[a, b] = await Promise.all([cluster.instance(nats.url, '--time-zone', 'UTC'), cluster.instance(nats.url, '--time-zone', 'UTC')]);
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			delivered.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { version: number } }).data.version);
			res.end('ok');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
}, 120_000);
afterAll(async () => {
	await cluster.stop();
	await nats?.dispose();
	await new Promise((r) => receiver?.close(r));
});

async function call(s: ServerProcess, method: string, path: string, body?: unknown, role = 'supervisor'): Promise<{ status: number; body: any }> {
	const res = await fetch(`${s.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${s.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		...(body === undefined ? {} : { body: JSON.stringify(body) })
	});
	return { status: res.status, body: await res.json() };
}

const doc = (name: string) => ({ version: 1, name, source: { kind: 'bundled', id: 'multichannel-day' }, changes: {}, costs: {}, replications: 20, seed: 1, dayStart: 28800 });
/** Every version of a plan on an instance, oldest first (GET /api/plans/:id?version=N until 404). */
async function versions(s: ServerProcess, id: string): Promise<unknown[]> {
	const out: unknown[] = [];
	for (let v = 1; ; v++) {
		const r = await call(s, 'GET', `/api/plans/${id}?version=${v}`);
		if (r.status === 404) return out;
		expect(r.status).toBe(200);
		out.push(r.body);
	}
}
const live = async (s: ServerProcess) => (await call(s, 'GET', '/api/live-plan')).body.versions as { version: number; actor: string; plan: { planVersion: number; rollbackOf?: number } }[];
const auditCount = async (s: ServerProcess, action: string) => ((await call(s, 'GET', '/api/audit', undefined, 'admin')).body.audit as { action: string }[]).filter((l) => l.action === action).length;

let planId = '';

describe('cluster: plan and live-plan versions are shared first, through the cluster log', () => {
	it('a plan saved on one instance is on the other under the same number', async () => {
		const saved = await call(a, 'POST', '/api/plans', { doc: doc('Saved on a') });
		expect(saved.status).toBe(201);
		expect(saved.body.version).toBe(1);
		planId = saved.body.id;
		await until('the plan on b', async () => (await call(b, 'GET', `/api/plans/${planId}?version=1`)).status === 200, 10_000);
		expect((await call(b, 'GET', `/api/plans/${planId}?version=1`)).body).toEqual((await call(a, 'GET', `/api/plans/${planId}?version=1`)).body);
		// The answer comes once the version is saved on the instance asked: it reads it back at once.
		const next = await call(b, 'PUT', `/api/plans/${planId}`, { doc: doc('Saved on b') });
		expect(next.status).toBe(200);
		expect(next.body).toEqual({ id: planId, version: 2 });
		expect((await call(b, 'GET', `/api/plans/${planId}`)).body.doc.name).toBe('Saved on b');
		await until('version 2 on a', async () => (await call(a, 'GET', `/api/plans/${planId}?version=2`)).status === 200, 10_000);
		expect((await call(a, 'GET', `/api/plans/${planId}?version=2`)).body).toEqual((await call(b, 'GET', `/api/plans/${planId}?version=2`)).body);
		expect((await call(a, 'GET', '/api/plans')).body).toEqual((await call(b, 'GET', '/api/plans')).body);
	}, 60_000);

	it('saves of one plan on both instances at once get successive numbers, the same on both', async () => {
		const answered: { version: number; name: string }[] = [];
		for (let round = 0; round < 6; round++) {
			const before = (await versions(a, planId)).length;
			const names = [`round ${round} on a`, `round ${round} on b`];
			const [onA, onB] = await Promise.all([call(a, 'PUT', `/api/plans/${planId}`, { doc: doc(names[0]!) }), call(b, 'PUT', `/api/plans/${planId}`, { doc: doc(names[1]!) })]);
			expect([onA.status, onB.status]).toEqual([200, 200]);
			// Neither number is taken twice: the later in the log order is the next version.
			expect([onA.body.version, onB.body.version].sort((x, y) => x - y)).toEqual([before + 1, before + 2]);
			answered.push({ version: onA.body.version, name: names[0]! }, { version: onB.body.version, name: names[1]! });
			// Each is answered once saved where it was asked, so the next round starts from both.
			await until(`round ${round} on both`, async () => (await versions(a, planId)).length === before + 2 && (await versions(b, planId)).length === before + 2, 10_000);
		}
		const [all, onB] = [await versions(a, planId), await versions(b, planId)];
		expect(all).toHaveLength(14);
		expect(onB).toEqual(all);
		// Each version holds what the request that was answered its number sent, on both instances.
		for (const { version, name } of answered) expect((all[version - 1] as { doc: { name: string } }).doc.name, `version ${version}`).toBe(name);
	}, 120_000);

	it('apply and roll back on either instance: the same live plan versions on both, each sent to the webhooks once, by the instance it was saved on', async () => {
		expect((await call(a, 'PUT', '/api/webhooks', { webhooks: [{ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: 'a-secret-of-16-chars' }] }, 'admin')).status).toBe(200);
		// On b too: if b sent what a saved, the receiver would get it twice.
		await until('the webhook on b', async () => (await call(b, 'GET', '/api/webhooks', undefined, 'admin')).body.webhooks.length === 1, 10_000);

		const applied = await call(a, 'POST', `/api/plans/${planId}/apply`, { version: 2, effective: '2027-01-04' });
		expect(applied.status).toBe(200);
		expect(applied.body.version).toBe(1);
		expect((await live(a))[0]?.version).toBe(1);
		await until('live v1 on b', async () => (await live(b)).length === 1, 10_000);
		expect(await live(b)).toEqual(await live(a));
		expect((await live(b))[0]?.plan.planVersion).toBe(2);

		const rolled = await call(b, 'POST', '/api/live-plan/rollback', { version: 1 });
		expect(rolled.status).toBe(200);
		expect(rolled.body.version).toBe(2);
		await until('live v2 on a', async () => (await live(a)).length === 2, 10_000);
		expect(await live(a)).toEqual(await live(b));
		expect((await live(a))[0]?.plan.rollbackOf).toBe(1);

		// At once on both: successive numbers, the same on both.
		const [apply2, rollback2] = await Promise.all([call(a, 'POST', `/api/plans/${planId}/apply`, { version: 3, effective: '2027-01-05' }), call(b, 'POST', '/api/live-plan/rollback', { version: 2 })]);
		expect([apply2.status, rollback2.status]).toEqual([200, 200]);
		expect([apply2.body.version, rollback2.body.version].sort((x, y) => x - y)).toEqual([3, 4]);
		await until('four live versions on both', async () => (await live(a)).length === 4 && (await live(b)).length === 4, 10_000);
		const onA = await live(a);
		expect(await live(b)).toEqual(onA);
		expect(onA.find((v) => v.version === apply2.body.version)?.plan.planVersion).toBe(3);
		expect(onA.find((v) => v.version === rollback2.body.version)?.plan.rollbackOf).toBe(2);

		// Each version was POSTed once, not once per instance; the audit line is the saving instance's.
		await until('four deliveries', () => delivered.length >= 4, 15_000);
		await new Promise((r) => setTimeout(r, 1500));
		expect([...delivered].sort((x, y) => x - y)).toEqual([1, 2, 3, 4]);
		expect([await auditCount(a, 'plan.apply'), await auditCount(a, 'plan.rollback')]).toEqual([2, 0]);
		expect([await auditCount(b, 'plan.apply'), await auditCount(b, 'plan.rollback')]).toEqual([0, 2]);
	}, 120_000);

	it('the log stream deleted while NATS looks connected: saving, applying and rolling back answer 503 and nothing is saved on either instance', async () => {
		const plansBefore = (await call(a, 'GET', '/api/plans')).body;
		const versionsBefore = await versions(a, planId);
		const liveBefore = await live(a);
		const deliveredBefore = delivered.length;
		await deleteStream(nats.url, 'SIGHTLINE_EVENTS_LOG');
		const refused = /^the save could not be shared with the other instances \(NATS: .+\): nothing was saved; retry when NATS is back$/;
		const answers = [
			await call(a, 'POST', '/api/plans', { doc: doc('Refused new plan') }),
			await call(b, 'PUT', `/api/plans/${planId}`, { doc: doc('Refused version') }),
			await call(a, 'POST', `/api/plans/${planId}/apply`, { version: 1, effective: '2027-02-01' }),
			await call(b, 'POST', '/api/live-plan/rollback', { version: 1 })
		];
		for (const r of answers) {
			expect(r.status).toBe(503);
			expect(r.body.error).toMatch(refused);
		}
		// Had either instance kept one, it would show by now (a version reaches the other within moments).
		await new Promise((r) => setTimeout(r, 1500));
		for (const s of [a, b]) {
			expect((await call(s, 'GET', '/api/plans')).body).toEqual(plansBefore);
			expect(await versions(s, planId)).toEqual(versionsBefore);
			expect(await live(s)).toEqual(liveBefore);
		}
		expect(delivered.length).toBe(deliveredBefore);
	}, 60_000);
});
