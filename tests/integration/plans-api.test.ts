/**
 * Plans against the real server (real sockets, a real SQLite file): saved versions, validation,
 * tokens per person named in the audit, apply → live plan version, a signed webhook delivery
 * retried after a failure, roll back; and the emulator following an applied plan.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorSource, DEFAULT_SCENARIO } from '../../src/server/sources/emulator';
import { applyChanges } from '../../src/lib/planner/changes';
import { staffingOf } from '../../src/lib/planner/staffing';
import type { PlanDoc } from '../../src/lib/planner/plan-doc';
import type { Scenario } from '../../sim/scenario';
import { startTestServer, type TestServer } from './helpers/server';

let t: TestServer;
let hook: Server;
let hookUrl = '';
const received: { headers: IncomingHttpHeaders; body: string; status: number }[] = [];
const SECRET = 'a-shared-secret-of-the-test-0123';

beforeAll(async () => {
	t = await startTestServer({ webhookRetry: { attempts: 3, firstDelayMs: 50, timeoutMs: 2000 } });
	// The receiver refuses the first delivery, so the server must retry.
	hook = createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			const status = received.length === 0 ? 503 : 200;
			received.push({ headers: req.headers, body, status });
			res.writeHead(status).end();
		});
	});
	await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
	const a = hook.address();
	hookUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`;
});
afterAll(async () => {
	await t?.stop();
	await new Promise((r) => hook?.close(r));
});

const call = async (method: string, path: string, token: string | null, body?: unknown) => {
	const res = await fetch(`${t.url}${path}`, {
		method,
		headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		...(body !== undefined ? { body: JSON.stringify(body) } : {})
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
};

const day = JSON.parse(readFileSync(new URL('../../sim/scenarios/multichannel-day.json', import.meta.url), 'utf8')) as Scenario;
const chatHeads = staffingOf(day, day.agents.find((g) => g.group === 'chat')!).map((h, i) => (i >= 24 && i < 32 ? h + 2 : h));
const doc = (name: string, changes: PlanDoc['changes'] = { staffing: { chat: chatHeads } }): PlanDoc => ({
	version: 1,
	name,
	source: { kind: 'bundled', id: 'multichannel-day' },
	changes,
	costs: { chat: 28 },
	replications: 20,
	seed: 7,
	dayStart: 28800
});

describe('plans', () => {
	it('save new versions, load any version, and refuse bad plans with the field named', async () => {
		expect((await call('POST', '/api/plans', null, { doc: doc('A') })).status).toBe(401);
		expect((await call('POST', '/api/plans', t.tokens.viewer, { doc: doc('A') })).status).toBe(403);
		const a = await call('POST', '/api/plans', t.tokens.supervisor, { doc: doc('Afternoon chat') });
		expect(a.status).toBe(201);
		expect(a.body.version).toBe(1);
		const b = await call('PUT', `/api/plans/${a.body.id}`, t.tokens.supervisor, { doc: doc('Afternoon chat', { routing: 'longest-idle' }) });
		expect(b.body).toEqual({ id: a.body.id, version: 2 });
		const v1 = await call('GET', `/api/plans/${a.body.id}?version=1`, null);
		expect(v1.body.doc.changes.staffing.chat).toEqual(chatHeads);
		const latest = await call('GET', `/api/plans/${a.body.id}`, null);
		expect(latest.body.version).toBe(2);
		expect(latest.body.doc.changes).toEqual({ routing: 'longest-idle' });
		const list = await call('GET', '/api/plans', null);
		expect(list.body.plans.find((p: { id: string }) => p.id === a.body.id)).toMatchObject({ name: 'Afternoon chat', version: 2 });

		const unknown = await call('POST', '/api/plans', t.tokens.supervisor, { doc: doc('x', { staffing: { chatt: chatHeads } }) });
		expect(unknown.status).toBe(400);
		expect(JSON.stringify(unknown.body)).toContain('unknown group \\"chatt\\"');
		const bad = await call('POST', '/api/plans', t.tokens.supervisor, { doc: { ...doc('x'), replications: 1 } });
		expect(bad.status).toBe(400);
		expect(JSON.stringify(bad.body)).toContain('/replications');
		const file = await call('POST', '/api/plans', t.tokens.supervisor, { doc: { ...doc('x'), source: { kind: 'file', name: 'a.json' } } });
		expect(file.status).toBe(400);
		expect(file.body.error).toMatch(/needs its baseline/);
		expect((await call('GET', '/api/plans/zzz', null)).status).toBe(404);
	});

	it('tokens per person: the audit names who applied; a revoked token stops working', async () => {
		const made = await call('POST', '/api/tokens', t.tokens.admin, { name: 'Dana Planner', role: 'supervisor' });
		expect(made.status).toBe(201);
		const dana = made.body.token as string;
		expect(JSON.stringify((await call('GET', '/api/tokens', t.tokens.admin)).body)).not.toContain('sha256');
		expect((await call('POST', '/api/tokens', t.tokens.admin, { name: 'x', role: 'boss' })).status).toBe(400);
		expect((await call('POST', '/api/tokens', t.tokens.supervisor, { name: 'x', role: 'admin' })).status).toBe(403);

		expect((await call('PUT', '/api/webhooks', t.tokens.admin, { webhooks: [{ url: hookUrl, secret: 'short' }] })).status).toBe(400);
		expect((await call('PUT', '/api/webhooks', t.tokens.admin, { webhooks: [{ url: hookUrl, secret: SECRET }] })).status).toBe(200);
		expect((await call('GET', '/api/webhooks', t.tokens.admin)).body.webhooks).toEqual([{ url: hookUrl, secret: 'set' }]);

		const saved = await call('POST', '/api/plans', dana, { doc: doc('Two more chat agents') });
		expect(saved.status).toBe(201);
		expect((await call('POST', `/api/plans/${saved.body.id}/apply`, dana, { effective: '2027-13-01' })).status).toBe(400);
		expect((await call('POST', `/api/plans/${saved.body.id}/apply`, dana, { effective: '2027-01-04', weekdays: [0] })).status).toBe(400);
		const applied = await call('POST', `/api/plans/${saved.body.id}/apply`, dana, { version: 1, effective: '2027-01-04', weekdays: [1, 2, 3, 4, 5] });
		expect(applied.status).toBe(200);
		const live = await call('GET', '/api/live-plan', null);
		expect(live.body.versions[0]).toMatchObject({ version: applied.body.version, actor: 'Dana Planner' });
		expect(live.body.versions[0].plan.changes).toContainEqual({ subject: 'Staffing · chat', text: '14:00–16:00: 11 → 13 agents (+2)' });
		// What went live is the scenario's staffing: the chat group split into its base and the 2 extra.
		const expected = applyChanges(day, { staffing: { chat: chatHeads } });
		expect(live.body.versions[0].plan.agents).toEqual(JSON.parse(JSON.stringify(expected.agents)));

		const audit = (await call('GET', '/api/audit', t.tokens.admin)).body.audit as { actor: string; action: string; detail: string }[];
		expect(audit.find((a) => a.action === 'plan.apply')).toMatchObject({ actor: 'Dana Planner' });

		// The webhook: refused once (503), retried, delivered; each signed with HMAC-SHA256 of "<ts>.<body>".
		await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
		for (const r of received) {
			const ts = String(r.headers['x-sightline-timestamp']);
			const mac = createHmac('sha256', SECRET).update(`${ts}.${r.body}`).digest('hex');
			expect(r.headers['x-sightline-signature']).toBe(`sha256=${mac}`);
			expect(JSON.parse(r.body)).toMatchObject({ event: 'plan.published', data: { version: applied.body.version, effective: '2027-01-04', weekdays: [1, 2, 3, 4, 5] } });
		}
		expect(received[0]!.headers['x-sightline-delivery']).toBe(received[1]!.headers['x-sightline-delivery']);
		await expect
			.poll(async () => ((await call('GET', '/api/audit', t.tokens.admin)).body.audit as { action: string }[]).filter((a) => a.action === 'webhook.delivery').length)
			.toBe(2);

		// Roll back to the first version: a new, audited version with the old content.
		const again = await call('POST', `/api/plans/${saved.body.id}/apply`, t.tokens.supervisor, { effective: '2027-02-01' });
		expect(again.body.version).toBe(applied.body.version + 1);
		const rb = await call('POST', '/api/live-plan/rollback', dana, { version: applied.body.version });
		expect(rb.status).toBe(200);
		const after = (await call('GET', '/api/live-plan', null)).body.versions;
		expect(after[0]).toMatchObject({ version: applied.body.version + 2, actor: 'Dana Planner', plan: { effective: '2027-01-04', rollbackOf: applied.body.version } });
		expect((await call('POST', '/api/live-plan/rollback', dana, { version: 999 })).status).toBe(404);

		const id = made.body.record.id as string;
		expect((await call('DELETE', `/api/tokens/${id}`, t.tokens.admin)).status).toBe(200);
		expect((await call('POST', '/api/plans', dana, { doc: doc('after revoke') })).status).toBe(401);
		const audit2 = (await call('GET', '/api/audit', t.tokens.admin)).body.audit as { actor: string; action: string }[];
		expect(audit2.find((a) => a.action === 'token.revoke')).toMatchObject({ actor: 'admin (bootstrap token)' });
	});
});

describe('the emulator follows an applied plan at once', () => {
	it('new agents log in now and the rest of the day is played with the new staffing', () => {
		const start = Date.now();
		const em = new EmulatorSource({ scenarioPath: DEFAULT_SCENARIO, seed: 1, speed: 1, start, from: 4 * 3600 });
		const agentsOf = (events: { type: string; agent?: string }[]) => new Set(events.filter((e) => e.type === 'agent.profile').map((e) => e.agent));
		const before = agentsOf(em.pull(start) as never);
		const more = applyChanges(day, { staffing: { 'voice-support': staffingOf(day, day.agents.find((g) => g.group === 'voice-support')!).map((h) => h + 5) } });
		const now = em.now();
		em.followPlan({ routing: more.routing, agents: more.agents, queues: more.queues });
		const next = em.pull(now + 1000) as { type: string; agent?: string; ts: number }[];
		const after = agentsOf(next);
		// Nothing from before the apply is played again except agents' logins, replayed at now.
		expect(next.filter((e) => e.ts < now)).toEqual([]);
		const added = [...after].filter((a) => !before.has(a));
		expect(added.length).toBe(5);
	});
});
