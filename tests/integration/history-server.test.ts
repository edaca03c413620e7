import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import type { HistoryDayResponse, HistoryDaysResponse, HistoryTraceResponse } from '../../src/lib/domain/history';
import { DB_FILE } from '../../src/server/store';
import { startServer, type RunningServer } from '../../src/server/server';
import { postEvents } from './helpers/server';

/**
 * History over the real server: a restart (after a crash that lost history rows but not events)
 * and the same events sent again give the same day; the API's roles, CSV, and delete.
 */

const DAY_MS = 86_400_000;
// Yesterday (UTC) at 10:00: a day the restart re-derives and whose figures no longer move.
const base = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS + 10 * 3600_000;
const date = new Date(base).toISOString().slice(0, 10);

function dayEvents(): FloorEvent[] {
	const out: FloorEvent[] = [];
	let n = 0;
	const id = () => `srv-${n++}`;
	for (const a of ['a1', 'a2', 'a3']) {
		out.push({ type: 'agent.profile', id: id(), ts: base, agent: a, name: a, team: 'Blue', skills: { billing: 1, web: 1 }, capacity: { chat: 2 } });
		out.push({ type: 'agent.state', id: id(), ts: base, agent: a, state: 'available' });
	}
	for (let i = 0; i < 60; i++) {
		const t = base + i * 60_000;
		const contact = `k${i}`;
		const queue = i % 3 === 0 ? 'web' : 'billing';
		const channel = queue === 'web' ? 'chat' : 'voice';
		// a2 takes nothing during its lunch break (30–45 min).
		const agent = i >= 29 && i < 46 ? (i % 2 ? 'a1' : 'a3') : `a${(i % 3) + 1}`;
		out.push({ type: 'contact.queued', id: id(), ts: t, contact, queue, channel });
		if (i % 5 === 4) {
			out.push({ type: 'contact.abandoned', id: id(), ts: t + 25_000, contact, queue });
			continue;
		}
		out.push({ type: 'contact.answered', id: id(), ts: t + (i % 7) * 4000, contact, queue, agent });
		out.push({ type: 'contact.wrapup', id: id(), ts: t + 40_000, contact, agent });
		out.push({ type: 'contact.ended', id: id(), ts: t + 50_000, contact, agent, ...(i % 2 ? { csat: (i % 5) + 1 } : {}) });
	}
	out.push({ type: 'agent.state', id: id(), ts: base + 30 * 60_000, agent: 'a2', state: 'not-ready', reason: 'lunch' });
	out.push({ type: 'agent.state', id: id(), ts: base + 45 * 60_000, agent: 'a2', state: 'available' });
	return out.sort((a, b) => a.ts - b.ts);
}

let dataDir: string;
let server: RunningServer;
let tokens: Record<string, string>;
const start = () => startServer({ dataDir, host: '127.0.0.1', port: 0, source: { kind: 'none' }, timeZone: 'UTC', log: () => {} });
const auth = (role: string) => ({ headers: { authorization: `Bearer ${tokens[role]}` } });
const getJson = async <T,>(path: string, role?: string): Promise<T> => {
	const r = await fetch(`${server.url}${path}`, role ? auth(role) : {});
	expect(r.status, path).toBe(200);
	return (await r.json()) as T;
};
/** The parts of a day that must not move once it is over (status may still go from closing to final). */
const figures = (d: HistoryDayResponse, t: HistoryTraceResponse) => JSON.stringify([d.intervals, d.snapshot.total, d.snapshot.queues, d.snapshot.agents, d.agents, t]);

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'sightline-hist-srv-'));
	server = await start();
	tokens = server.createdTokens!;
	const r = await postEvents(server.url, tokens.ingest!, dayEvents());
	expect(r.status).toBe(202);
});
afterAll(async () => {
	await server.close();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('the same day after a crash, a restart and a resend', () => {
	it('a restart re-derives rows lost after the event commit, and the day is identical', async () => {
		const before = figures(await getJson(`/api/history/days/${date}?source=ingest`, 'supervisor'), await getJson(`/api/history/days/${date}/trace`, 'supervisor'));
		expect(JSON.parse(before)[1].counts.offered).toBe(60);
		await server.close();
		// A crash between the event commit and the history write loses rows, never events.
		const db = new Database(join(dataDir, DB_FILE));
		expect(db.prepare(`DELETE FROM h_counts WHERE event IN (SELECT event FROM h_counts ORDER BY event LIMIT 40)`).run().changes).toBe(40);
		expect(db.prepare(`DELETE FROM h_legs WHERE leg IN (SELECT leg FROM h_legs ORDER BY leg LIMIT 10)`).run().changes).toBe(10);
		db.close();
		server = await start();
		const after = figures(await getJson(`/api/history/days/${date}?source=ingest`, 'supervisor'), await getJson(`/api/history/days/${date}/trace`, 'supervisor'));
		expect(after).toBe(before);
	});

	it('sending the same events again counts nothing twice', async () => {
		const before = figures(await getJson(`/api/history/days/${date}?source=ingest`, 'supervisor'), await getJson(`/api/history/days/${date}/trace`, 'supervisor'));
		const r = await postEvents(server.url, tokens.ingest!, dayEvents());
		expect(r.body).toMatchObject({ accepted: 0, duplicates: dayEvents().length });
		const after = figures(await getJson(`/api/history/days/${date}?source=ingest`, 'supervisor'), await getJson(`/api/history/days/${date}/trace`, 'supervisor'));
		expect(after).toBe(before);
	});
});

describe('history API', () => {
	it('lists the day with figures computed independently from the events', async () => {
		const { days } = await getJson<HistoryDaysResponse>('/api/history/days');
		const d = days.find((x) => x.date === date && x.source === 'ingest')!;
		const ev = dayEvents();
		const queued = ev.filter((e) => e.type === 'contact.queued').length;
		const abandoned = ev.filter((e) => e.type === 'contact.abandoned').length;
		const answered = ev.filter((e): e is Extract<FloorEvent, { type: 'contact.answered' }> => e.type === 'contact.answered');
		const offeredAt = new Map(ev.filter((e) => e.type === 'contact.queued').map((e) => [(e as { contact: string }).contact, e.ts]));
		const waits = answered.map((e) => (e.ts - offeredAt.get(e.contact)!) / 1000);
		expect(d).toMatchObject({ offered: queued, answered: answered.length, abandoned, agents: 3 });
		expect(d.asa).toBeCloseTo(waits.reduce((x, y) => x + y, 0) / waits.length, 9);
		// No short abandons (all waited 25 s): SL = answered within 20 s / (answered + abandoned), chat's T is 60 s.
		const within = answered.filter((e, i) => waits[i]! <= (e.queue === 'web' ? 60 : 20)).length;
		expect(d.serviceLevel).toBeCloseTo(within / (answered.length + abandoned), 9);
		expect(d.recorded).toEqual({ agentStates: true, afterContactWork: true, csat: true });
		expect(d.occupancy).not.toBeNull();
	});

	it('per-agent rows and the trace are for supervisors; the day is for viewers', async () => {
		const viewer = await getJson<HistoryDayResponse>(`/api/history/days/${date}`);
		expect(viewer.agents).toBeUndefined();
		expect(viewer.snapshot.agents).toBeUndefined();
		expect((await fetch(`${server.url}/api/history/days/${date}/trace`)).status).toBe(401);
		expect((await fetch(`${server.url}/api/history/days/${date}/trace`, auth('viewer'))).status).toBe(403);
		const sup = await getJson<HistoryDayResponse>(`/api/history/days/${date}`, 'supervisor');
		const a2 = sup.snapshot.agents!.find((a) => a.agent === 'a2')!;
		expect(a2.notReady).toEqual({ lunch: 15 * 60 });
	});

	it('answers CSV with ?format=csv, empty fields for what was not recorded', async () => {
		const r = await fetch(`${server.url}/api/history/days/${date}?format=csv`);
		expect(r.headers.get('content-type')).toMatch(/text\/csv/);
		const rows = parse(await r.text(), { columns: true }) as Record<string, string>[];
		const day = await getJson<HistoryDayResponse>(`/api/history/days/${date}`);
		expect(rows.length).toBe(day.intervals.length);
		const offered = rows.filter((x) => x.queue === '*' && x.channel === '*').reduce((s, x) => s + Number(x.offered), 0);
		expect(offered).toBe(60);
		// Queue rows carry no agent time: occupancy is not recorded there.
		expect(rows.find((x) => x.queue === 'billing')!.occupancy).toBe('');
		const t = await fetch(`${server.url}/api/history/days/${date}/trace?format=csv`, auth('supervisor'));
		const contacts = parse(await t.text(), { columns: true }) as Record<string, string>[];
		expect(contacts.length).toBe(60);
		expect(contacts.filter((c) => c.outcome === 'abandoned').every((c) => c.talk === '' && c.agent === '')).toBe(true);
	});

	it('refuses bad dates, sources and formats with a clear 400, and unknown days with 404', async () => {
		const bad = await fetch(`${server.url}/api/history/days/2026-13-45x`);
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(/YYYY-MM-DD/);
		const src = await fetch(`${server.url}/api/history/days/${date}?source=${'z'.repeat(500)}`);
		expect(src.status).toBe(400);
		expect(((await src.json()) as { error: string }).error.length).toBeLessThan(200);
		expect((await fetch(`${server.url}/api/history/days/${date}?format=xml`)).status).toBe(400);
		expect((await fetch(`${server.url}/api/history/days/1999-01-01`)).status).toBe(404);
	});

	it('deletes a day of one source for admins only', async () => {
		const del = (role?: string) => fetch(`${server.url}/api/history/days/${date}?source=ingest`, { method: 'DELETE', ...(role ? auth(role) : {}) });
		expect((await del('supervisor')).status).toBe(403);
		expect((await fetch(`${server.url}/api/history/days/${date}`, { method: 'DELETE', ...auth('admin') })).status).toBe(400);
		const r = await del('admin');
		expect(r.status).toBe(200);
		expect(((await r.json()) as { deleted: number }).deleted).toBeGreaterThan(100);
		expect((await fetch(`${server.url}/api/history/days/${date}?source=ingest`)).status).toBe(404);
	});
});
