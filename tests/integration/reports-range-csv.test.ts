import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/server/store';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { until } from './helpers/until';
import { postEvents } from './helpers/server';
import { pendingDayEvents } from '../helpers/pending-day';

/**
 * `GET /api/reports/range?format=csv` of days that are not over: the live emulator's today
 * (running) and an ingested day whose email is still open (ended, late outcomes may still arrive)
 * carry the page's marks ("◔ so far: …", "… pending: …"), final days their verdict alone. Before,
 * the API's CSV judged every day as it stood. Real server process; each day's status is read
 * from its SQLite file directly (read-only), and the expected cell is written out here.
 */

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY).toISOString().slice(0, 10);
const shift = (d: string, n: number) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);
const pending = shift(today, -2);
const from = shift(today, -3);

let server: ServerProcess | null = null;
let db: Database.Database | null = null;
const dir = mkdtempSync(join(tmpdir(), 'sightline-range-csv-'));
afterAll(async () => {
	db?.close();
	await server?.kill();
	rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; text: string }> {
	const r = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${server!.tokens['viewer']}` } });
	return { status: r.status, text: await r.text() };
}

type RangeJson = { days: { date: string; source: string; traffic: boolean; met: { met: boolean | null } }[] };

describe('the range CSV of days not final', () => {
	it('marks today "so far" and a pending day "pending", like the page; final days as before', async () => {
		// Today from 14:00 (so it has traffic at any hour), three backfilled final days before it.
		server = await spawnServer(['--from', '14:00', '--time-zone', 'UTC', '--port', '0', '--data', dir, '--backfill', '3']);
		// Two days back, ingested over the backfilled day: a call abandoned and an email left open, so the day stays closing.
		const posted = await postEvents(server.url, server.tokens['ingest'] ?? null, pendingDayEvents(pending, 'csv'));
		expect(posted.status, JSON.stringify(posted.body)).toBe(202);

		db = new Database(join(dir, DB_FILE), { readonly: true, fileMustExist: true });
		const statusOf = db.prepare(`SELECT status FROM h_days WHERE site = 'main' AND date = ? AND source = ?`);
		const status = (date: string, source: string) => (statusOf.get(date, source) as { status: string } | undefined)?.status;
		await until('the ingested day to be written, closing', () => status(pending, 'ingest') === 'closing', 30_000, 100);
		await until('today’s report to have traffic', async () => (await get(`/api/reports/day/${today}`)).status === 200, 60_000, 250);

		const range = JSON.parse((await get(`/api/reports/range?from=${from}&to=${today}`)).text) as RangeJson;
		const csv = parse((await get(`/api/reports/range?from=${from}&to=${today}&format=csv`)).text, { bom: true, columns: true }) as Record<string, string>[];
		expect(csv.map((x) => x['Date'])).toEqual(range.days.map((d) => d.date));
		expect(range.days.map((d) => d.date)).toEqual([from, pending, shift(today, -1), today]);

		// Each day's cell as the page writes it, from its status in the SQLite file.
		const word = (d: RangeJson['days'][number]) => (!d.traffic || d.met.met === null ? 'no traffic' : d.met.met ? 'met' : 'missed');
		const statuses = range.days.map((d) => status(d.date, d.source));
		expect(statuses).toEqual(['final', 'closing', 'final', 'open']);
		expect(range.days.map((d) => d.source)).toEqual(['backfill', 'ingest', 'backfill', 'emulator']);
		const expected = range.days.map((d, i) => (statuses[i] === 'open' ? `◔ so far: ${word(d)}` : statuses[i] === 'closing' ? `… pending: ${word(d)}` : word(d)));
		expect(csv.map((x) => x['Target met'])).toEqual(expected);
		// The pending day: its one call abandoned, so missed so far.
		expect(csv[1]?.['Target met']).toBe('… pending: missed');
		expect(csv[3]?.['Target met']).toMatch(/^◔ so far: (met|missed|no traffic)$/);
	}, 180_000);
});
