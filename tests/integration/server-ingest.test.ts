import { pack } from 'msgpackr';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/server/store';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

let t: TestServer;
beforeAll(async () => {
	t = await startTestServer();
});
afterAll(async () => {
	await t?.stop();
});

const waitingIn = (queue: string) => t.server.floor.queues.get(queue)?.waiting.size ?? 0;
const storedEvents = () => {
	const db = new Database(join(t.dataDir, DB_FILE), { readonly: true });
	try {
		return (db.prepare('SELECT count(*) n FROM events').get() as { n: number }).n;
	} finally {
		db.close();
	}
};

describe('POST /api/events', () => {
	it('accepts a valid JSON batch with 202 after storing it, and applies it to the floor', async () => {
		const before = storedEvents();
		const r = await postEvents(t.url, t.tokens.ingest, [ev.queued('c1', 'ingest-a'), ev.queued('c2', 'ingest-a')]);
		expect(r.status).toBe(202);
		expect(r.body).toEqual({ accepted: 2, duplicates: 0, anomalies: 0, held: 0 });
		expect(storedEvents()).toBe(before + 2);
		expect(waitingIn('ingest-a')).toBe(2);
	});

	it('accepts msgpack by content type', async () => {
		const r = await postEvents(t.url, t.tokens.ingest, pack([ev.queued('m1', 'ingest-m')]), 'application/msgpack');
		expect(r.status).toBe(202);
		expect(waitingIn('ingest-m')).toBe(1);
	});

	it('rejects a whole batch with one bad event, naming each bad index and field, and applies nothing', async () => {
		const before = storedEvents();
		const accepted = t.server.metrics.eventsAccepted;
		const good = ev.queued('b1', 'ingest-b');
		const bad1 = { ...ev.queued('b2', 'ingest-b'), channel: 'pigeon' };
		const bad2 = { ...ev.queued('b3', 'ingest-b'), ts: -5 };
		// Valid by the schema, but it would drag the floor's clock centuries ahead.
		const bad3 = { ...ev.queued('b4', 'ingest-b'), ts: 1e308 };
		const r = await postEvents(t.url, t.tokens.ingest, [good, bad1, bad2, bad3]);
		expect(r.status).toBe(400);
		const indexes = new Set((r.body.errors as { index: number; path: string }[]).map((e) => e.index));
		expect([...indexes].sort()).toEqual([1, 2, 3]);
		expect(r.body.errors.some((e: { index: number; path: string }) => e.index === 1 && e.path === '/channel')).toBe(true);
		expect(r.body.errors.some((e: { index: number; path: string }) => e.index === 2 && e.path === '/ts')).toBe(true);
		expect(r.body.errors.some((e: { index: number; path: string }) => e.index === 3 && e.path === '/ts')).toBe(true);
		expect(storedEvents()).toBe(before);
		expect(waitingIn('ingest-b')).toBe(0);
		expect(t.server.metrics.eventsAccepted).toBe(accepted);
		expect(t.server.metrics.eventsRejected).toBeGreaterThanOrEqual(2);
	});

	it('counts a retried batch once: duplicates are dropped by id, durably', async () => {
		const batch = [ev.queued('d1', 'ingest-d'), ev.queued('d2', 'ingest-d')];
		const dupBefore = t.server.metrics.eventsDuplicate;
		expect((await postEvents(t.url, t.tokens.ingest, batch)).body).toEqual({ accepted: 2, duplicates: 0, anomalies: 0, held: 0 });
		const again = await postEvents(t.url, t.tokens.ingest, [...batch, batch[0]]);
		expect(again.status).toBe(202);
		expect(again.body).toEqual({ accepted: 0, duplicates: 3, anomalies: 0, held: 0 });
		expect(waitingIn('ingest-d')).toBe(2);
		expect(t.server.floor.queues.get('ingest-d')!.today.offered).toBe(2);
		expect(t.server.metrics.eventsDuplicate - dupBefore).toBe(3);
	});

	it('answers malformed bodies, wrong content types and oversized bodies with 4xx and no stack trace', async () => {
		const cases: [unknown, string, number][] = [
			['{"type": "contact.queued"', 'application/json', 400],
			[new Uint8Array([0xc1, 0xff, 0x00]), 'application/msgpack', 400],
			['{}', 'application/json', 400],
			['[]', 'application/json', 400],
			['hello', 'text/plain', 415]
		];
		for (const [body, type, status] of cases) {
			const r = await postEvents(t.url, t.tokens.ingest, body, type);
			expect(r.status, `${type} ${String(body)}`).toBe(status);
			expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.ts:\d+/);
			expect(typeof r.body.error).toBe('string');
		}
		const big = JSON.stringify([{ ...ev.queued('big', 'ingest-big'), pad: 'x'.repeat(2 * 1024 * 1024) }]);
		const r = await postEvents(t.url, t.tokens.ingest, big);
		expect(r.status).toBe(413);
		expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
	});

	it('writes history rows per contact stay and its interval counts', async () => {
		const now = Date.now();
		await postEvents(t.url, t.tokens.ingest, [
			ev.profile('h-agent'),
			ev.state('h-agent', 'available', now),
			ev.queued('h1', 'ingest-h', now),
			ev.answered('h1', 'h-agent', 'ingest-h', now + 3000),
			{ type: 'contact.wrapup', id: `w-${now}`, ts: now + 60_000, contact: 'h1', agent: 'h-agent' },
			{ type: 'contact.ended', id: `e-${now}`, ts: now + 70_000, contact: 'h1', agent: 'h-agent' },
			ev.queued('h2', 'ingest-h', now),
			{ type: 'contact.abandoned', id: `x-${now}`, ts: now + 2000, contact: 'h2', queue: 'ingest-h' }
		]);
		// The server's zone is the machine's unless told; the day is the one the events fell in there.
		const day = ((await (await fetch(`${t.url}/api/history/days`)).json()) as { days: { date: string; dayStart: number; dayEnd: number }[] }).days.find(
			(d) => d.dayStart <= now && now < d.dayEnd
		)!;
		const r = await fetch(`${t.url}/api/history/days/${day.date}/trace?source=ingest`, { headers: { authorization: `Bearer ${t.tokens.supervisor}` } });
		const rows = ((await r.json()) as { contacts: { contact: string; outcome: string; wait: number; talk: number | null; afterContactWork: number | null; agent: string | null }[] }).contacts.filter(
			(c) => c.contact.startsWith('h')
		);
		expect(rows.map((c) => [c.contact, c.outcome, c.wait, c.talk, c.afterContactWork, c.agent])).toEqual([
			['h1', 'handled', 3, 57, 10, 'h-agent'],
			['h2', 'abandoned', 2, null, null, null]
		]);
		const iv = await fetch(`${t.url}/api/history/days/${day.date}?source=ingest`);
		const counts = ((await iv.json()) as { intervals: { queue: string; counts: { offered: number; answered: number; abandoned: number } }[] }).intervals
			.filter((i) => i.queue === 'ingest-h')
			.map((i) => i.counts);
		expect(counts.reduce((s, i) => s + i.abandoned, 0)).toBe(1);
	});
});

describe('WebSocket /ingest', () => {
	it('acks a batch after commit, echoes ref, and rejects bad batches with per-index errors', async () => {
		const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ingest?token=${t.tokens.ingest}`);
		const replies: any[] = [];
		ws.on('message', (d: Buffer, isBinary: boolean) => replies.push(isBinary ? d : JSON.parse(d.toString())));
		await new Promise((r) => ws.once('open', r));
		ws.send(JSON.stringify({ ref: 7, events: [ev.queued('w1', 'ingest-ws')] }));
		ws.send(JSON.stringify({ ref: 8, events: [ev.queued('w2', 'ingest-ws'), { type: 'contact.queued' }] }));
		ws.send('{not json');
		await vi_waitFor(() => replies.length >= 3);
		expect(replies.find((r) => r.ref === 7)).toMatchObject({ type: 'ack', ref: 7, accepted: 1, duplicates: 0 });
		expect(replies.find((r) => r.ref === 8)).toMatchObject({ type: 'rejected', ref: 8 });
		expect(replies.find((r) => r.ref === 8).errors.every((e: { index: number }) => e.index === 1)).toBe(true);
		expect(replies.find((r) => r.type === 'error')).toMatchObject({ code: 'bad-frame' });
		expect(waitingIn('ingest-ws')).toBe(1);
		ws.close();
	});
});

async function vi_waitFor(p: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!p()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 10));
	}
}
