import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { DEFAULT_SCENARIO, loadScenario } from '../../src/server/sources/emulator';
import { DB_FILE } from '../../src/server/store';
import { traceEvents } from '../../sim/trace';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { until } from './helpers/until';

/**
 * Past days ingested while the emulator plays today (the emulated center's agents are the ones the
 * ingested day names): today stays the emulator's. The ingested events left their agents marked
 * `ingest`, and every later emulator move of those agents was written to an `ingest` day of today
 * with no contacts, which `GET /api/reports/day/<today>` preferred and answered 404 for. Real
 * server process, real SQLite file (read here directly, read-only).
 */

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY).toISOString().slice(0, 10);
const yesterday = new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString().slice(0, 10);

let server: ServerProcess | null = null;
let db: Database.Database | null = null;
const dir = mkdtempSync(join(tmpdir(), 'sightline-today-ingest-'));
afterAll(async () => {
	db?.close();
	await server?.kill();
	rmSync(dir, { recursive: true, force: true });
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
	const r = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${server!.tokens['viewer']}` } });
	return { status: r.status, body: (await r.json()) as T };
}

describe('ingesting a past day while the emulator plays today', () => {
	it('writes no ingest day of today; today’s report is the emulator’s', async () => {
		// Today from 14:00 (its morning played at once, so it has traffic at any hour), nothing backfilled.
		server = await spawnServer(['--from', '14:00', '--time-zone', 'UTC', '--port', '0', '--data', dir, '--backfill', '0']);
		// Yesterday, from the same scenario (its agents a001…) with another seed, through the real ingest path.
		const events: FloorEvent[] = traceEvents(loadScenario(DEFAULT_SCENARIO), { seed: 11, startTs: Date.parse(`${yesterday}T08:00:00Z`) });
		for (let k = 0; k < events.length; k += 4000) {
			const r = await fetch(`${server.url}/api/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens['ingest']}` },
				body: JSON.stringify(events.slice(k, k + 4000))
			});
			expect(r.status, await r.text()).toBe(202);
		}
		const agents = [...new Set(events.flatMap((e) => ('agent' in e && typeof e.agent === 'string' ? [e.agent] : [])))];
		expect(agents.length).toBeGreaterThan(20);

		db = new Database(join(dir, DB_FILE), { readonly: true, fileMustExist: true });
		const inList = agents.map(() => '?').join(',');
		const movesToday = db.prepare(`SELECT count(*) AS n FROM h_agent_states WHERE site = 'main' AND date = ? AND cause = 'contact' AND agent IN (${inList})`);
		const moves = () => (movesToday.get(today, ...agents) as { n: number }).n;
		const before = moves();
		// The emulator moves those agents again (a contact offered, answered, ended) within seconds at 1×.
		await until('the emulator to move 20 more of the ingested day’s agents today', () => moves() >= before + 20, 90_000, 250);

		// The store: today's agent rows are the emulator's, none is ingest's, and there is no ingest day of today.
		const bySource = db.prepare(`SELECT source, count(*) AS n FROM h_agent_states WHERE site = 'main' AND date = ? GROUP BY source`).all(today) as { source: string; n: number }[];
		expect(bySource.map((r) => r.source)).toEqual(['emulator']);
		expect(db.prepare(`SELECT source FROM h_days WHERE site = 'main' AND date = ? ORDER BY source`).all(today)).toEqual([{ source: 'emulator' }]);
		// Yesterday's ingested contacts are ingest's: one offered per contact queued in the trace.
		const queued = events.filter((e) => e.type === 'contact.queued').length;
		const days = (await get<{ days: { date: string; source: string; status: string; offered: number }[] }>('/api/history/days')).body.days;
		expect(days.filter((d) => d.date === today).map((d) => `${d.source} ${d.status}`)).toEqual(['emulator open']);
		expect(days.find((d) => d.date === yesterday && d.source === 'ingest')?.offered).toBe(queued);

		// Today's report is the emulator's day, with its traffic.
		const report = await get<{ source: string; total: { offered: number } }>(`/api/reports/day/${today}`);
		expect(report.status).toBe(200);
		expect(report.body.source).toBe('emulator');
		expect(report.body.total.offered).toBeGreaterThan(0);
	}, 180_000);
});
