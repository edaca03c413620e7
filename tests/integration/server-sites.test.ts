import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/server';
import type { FloorEvent } from '../../src/lib/domain/events';
import type { RollupRow } from '../../src/lib/domain/views';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

let t: TestServer;
beforeAll(async () => {
	t = await startTestServer({ timeZone: 'Europe/Berlin', resetTime: '06:00' });
});
afterAll(async () => {
	await t?.stop();
});

async function api(method: string, path: string, body?: unknown, token = t.tokens.admin): Promise<{ status: number; body: any }> {
	const res = await fetch(`${t.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: res.status, body: await res.json() };
}
const at = (site: string, e: FloorEvent): FloorEvent => ({ ...e, site });
/** The board's latest total roll-up, from its snapshot or the deltas since. */
function total(c: LiveClient): RollupRow | null {
	for (let i = c.frames.length - 1; i >= 0; i--) {
		const f = c.frames[i]!.frame;
		if (f.type === 'snapshot') return f.floor.total;
		if (f.type === 'delta' && f.changes.total) return f.changes.total;
	}
	return null;
}

describe('sites', () => {
	it('a config stored before sites has one default site with its time zone and reset', async () => {
		const r = await api('GET', '/api/config');
		expect(r.body.sites).toEqual([{ id: 'main', name: 'Main site', timeZone: 'Europe/Berlin', resetTime: '06:00' }]);
	});

	it('refuses a bad site config naming the field, and applies nothing of it', async () => {
		const r1 = await api('PUT', '/api/config', { sites: [{ id: 'ny', timeZone: 'America/Gotham' }] });
		expect(r1.status).toBe(400);
		expect(r1.body.errors).toContainEqual({ path: '/sites/0/timeZone', message: 'unknown time zone "America/Gotham"' });
		const r2 = await api('PUT', '/api/config', { sites: [{ id: 'ny', timeZone: 'America/New_York' }, { id: 'ny', timeZone: 'America/Chicago' }] });
		expect(r2.status).toBe(400);
		expect(r2.body.errors[0]).toMatchObject({ path: '/sites/1/id' });
		expect(r2.body.errors[0].message).toContain('duplicate site "ny"');
		const r3 = await api('PUT', '/api/config', { sites: [{ id: 'ny' }] });
		expect(r3.status).toBe(400);
		expect(r3.body.errors[0]).toMatchObject({ path: '/sites/0/timeZone' });
		expect((await api('GET', '/api/config')).body.sites).toHaveLength(1);
	});

	it('adds a site, refuses events of a site not configured, and a board shows its sites', async () => {
		const put = await api('PUT', '/api/config', { sites: [{ id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '07:00' }] });
		expect(put.status).toBe(200);
		expect(put.body.config.sites.map((s: { id: string }) => s.id)).toEqual(['main', 'ny']);

		// An event naming a site nobody configured: 400 naming the site; nothing of the batch applied.
		const before = t.server.metrics.eventsAccepted;
		const bad = await postEvents(t.url, t.tokens.ingest, [ev.queued('x1', 's-billing'), at('paris', ev.queued('x2', 's-billing'))]);
		expect(bad.status).toBe(400);
		expect(bad.body.errors).toHaveLength(1);
		expect(bad.body.errors[0]).toMatchObject({ index: 1, path: '/site' });
		expect(bad.body.errors[0].message).toContain('unknown site "paris"');
		expect(t.server.metrics.eventsAccepted).toBe(before);

		// A board naming a site nobody configured is refused too.
		const badBoard = await api('PUT', '/api/boards/paris', { name: 'Paris', queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} }, sites: ['paris'] });
		expect(badBoard.status).toBe(400);
		expect(badBoard.body.errors[0]).toMatchObject({ path: '/sites/0' });

		const boardOf = (name: string, sites: string[] | null) => ({ name, queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} }, sites });
		expect((await api('PUT', '/api/boards/ny', boardOf('New York', ['ny']))).status).toBe(200);
		expect((await api('PUT', '/api/boards/both', boardOf('Both', ['main', 'ny']))).status).toBe(200);
		const walls = { main: await LiveClient.connect(t.url, 'board=default'), ny: await LiveClient.connect(t.url, 'board=ny'), both: await LiveClient.connect(t.url, 'board=both') };
		try {
			const ok = await postEvents(t.url, t.tokens.ingest, [
				ev.queued('m1', 's-billing'),
				ev.queued('m2', 's-billing'),
				at('ny', ev.queued('n1', 's-billing')),
				at('ny', ev.queued('n2', 's-billing')),
				at('ny', ev.queued('n3', 's-billing'))
			]);
			expect(ok.status).toBe(202);
			await walls.main.until(() => total(walls.main)?.waiting === 2, 5000, 'main: 2 waiting');
			await walls.ny.until(() => total(walls.ny)?.waiting === 3, 5000, 'ny: 3 waiting');
			await walls.both.until(() => total(walls.both)?.waiting === 5, 5000, 'both: 5 waiting');
			expect(total(walls.ny)!.today.offered).toBe(3);
			expect(total(walls.both)!.today.offered).toBe(5);
			const snap = walls.both.ofType('snapshot')[0]!;
			expect(snap.floor.board.sites).toEqual(['main', 'ny']);
			// Each site's floor keeps its own day: New York's began at 07:00 New York time.
			const nyDay = walls.ny.ofType('snapshot')[0]!.floor.dayStart;
			const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(nyDay);
			expect(local).toBe('07:00');
		} finally {
			for (const c of Object.values(walls)) c.close();
		}
	});

	it('a restart rebuilds each site’s floor from the event log: the second site’s traffic stays on its own board', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'sightline-sites-'));
		try {
			const first = await startTestServer({ dataDir, timeZone: 'Europe/Berlin' });
			const admin = { authorization: `Bearer ${first.tokens.admin}`, 'content-type': 'application/json' };
			expect((await fetch(`${first.url}/api/config`, { method: 'PUT', headers: admin, body: JSON.stringify({ sites: [{ id: 'ny', timeZone: 'America/New_York' }] }) })).status).toBe(200);
			const board = { name: 'NY', queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} }, sites: ['ny'] };
			expect((await fetch(`${first.url}/api/boards/ny`, { method: 'PUT', headers: admin, body: JSON.stringify(board) })).status).toBe(200);
			const r = await postEvents(first.url, first.tokens.ingest, [ev.queued('r1', 'r-q'), at('ny', ev.queued('r2', 'r-q')), at('ny', ev.queued('r3', 'r-q'))]);
			expect(r.status).toBe(202);
			await first.stop(true);

			const again = await startServer({ host: '127.0.0.1', port: 0, staticDir: 'build', source: { kind: 'none' }, log: () => {}, dataDir });
			try {
				expect(again.floor.queues.get('r-q')?.waiting.size).toBe(1);
				const ny = await LiveClient.connect(again.url, 'board=ny');
				const main = await LiveClient.connect(again.url, 'board=default');
				try {
					await ny.until(() => total(ny) !== null, 5000, 'ny snapshot');
					await main.until(() => total(main) !== null, 5000, 'main snapshot');
					expect(ny.ofType('snapshot')[0]!.floor.queues.find((q) => q.id === 'r-q')?.waiting).toBe(2);
					expect(main.ofType('snapshot')[0]!.floor.queues.find((q) => q.id === 'r-q')?.waiting).toBe(1);
				} finally {
					ny.close();
					main.close();
				}
			} finally {
				await again.close();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
