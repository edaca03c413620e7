import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { importText } from '../../src/server/history/import';
import { IssuedForecasts } from '../../src/server/forecasts/issued-forecasts';
import { Store } from '../../src/server/store';
import { startTestServer, type TestServer } from './helpers/server';
import { sharedData } from './helpers/shared-data';

/**
 * Forecast against actual on a real server and SQLite file: 23 days of the Anonymous Bank go into
 * the store through the importer, a supervisor issues the forecast of the 24th (stored as issued),
 * then the 24th's calls are imported and GET /api/forecast/accuracy must hold the issued forecast
 * against them: actual offered per hour and WAPE as computed here from the raw CSV rows (PHANTOM
 * left out; offered = queued, or answered without waiting; shared/data/README.md).
 */

const FILE = sharedData('anonymous-bank-1999-08-01-to-24.csv');
const DAY = '2010-08-24';
const text = readFileSync(FILE, 'utf8');
const lines = text.split('\n');
const header = lines[0] ?? '';
const before = [header, ...lines.slice(1).filter((l) => l.trim() !== '' && l.split(',')[5] !== DAY)].join('\n');
const ofDay = [header, ...lines.slice(1).filter((l) => l.split(',')[5] === DAY)].join('\n');

/** Offered per hour of DAY from the raw rows. */
const actualPerHour = (() => {
	const hours = new Array<number>(24).fill(0);
	for (const r of parse(ofDay, { columns: true }) as Record<string, string>[]) {
		if (r['outcome'] === 'PHANTOM') continue;
		const queued = r['q_start'] !== '0:00:00';
		if (!queued && r['outcome'] !== 'AGENT') continue;
		const at = (queued ? r['q_start'] : r['ser_start']) ?? '0';
		const h = Number(at.split(':')[0]);
		hours[h] = (hours[h] ?? 0) + 1;
	}
	return hours;
})();

let ts: TestServer;
let dataDir = '';
const config = { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' };

function importInto(csv: string): void {
	const store = new Store(dataDir);
	try {
		importText(store, csv, { format: 'anonymous-bank', config });
	} finally {
		store.close();
	}
}

const call = (path: string, token: string, body?: unknown) =>
	fetch(`${ts.url}${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		...(body === undefined ? {} : { body: JSON.stringify(body) })
	});

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'sightline-forecast-accuracy-'));
	ts = await startTestServer({ dataDir, timeZone: 'UTC' });
	importInto(before);
}, 120_000);

afterAll(async () => {
	await ts?.stop();
});

interface Accuracy {
	date: string;
	interval: number;
	issuedBy: string;
	recorded: boolean;
	offered: number;
	forecast: number;
	wape: number | null;
	coverage: number | null;
	rows: { start: string; forecast: number; low: number; high: number; actual: number; inside: boolean | null; ahtActual: number | null }[];
}

describe('forecast against actual', () => {
	it('stores the issued forecast and holds it against the day once its calls are in', async () => {
		expect((await call(`/api/forecast/accuracy?date=${DAY}`, ts.tokens.viewer)).status).toBe(404);
		expect((await call('/api/forecast/accuracy?date=2010-8-24', ts.tokens.viewer)).status).toBe(400);
		// Issuing is a supervisor's act.
		expect((await call('/api/forecast/issue', ts.tokens.viewer, { start: DAY, days: 1, interval: 3600 })).status).toBe(403);
		const res = await call('/api/forecast/issue', ts.tokens.supervisor, { start: DAY, days: 1, interval: 3600 });
		expect(res.status).toBe(201);
		const issued = (await res.json()) as { history: { to: string }; days: { date: string; offered: number; intervals: { start: string; offered: number }[] }[] };
		expect(issued.history.to).toBe('2010-08-23');
		const day = issued.days[0];
		expect(day?.date).toBe(DAY);
		expect(day?.intervals).toHaveLength(24);

		// Before the day's calls are in, the store has no record of it: zero actuals.
		const empty = (await (await call(`/api/forecast/accuracy?date=${DAY}`, ts.tokens.viewer)).json()) as Accuracy;
		expect(empty.recorded).toBe(false);
		expect(empty.offered).toBe(0);
		expect(empty.wape).toBeNull();

		importInto(ofDay);
		const got = await call(`/api/forecast/accuracy?date=${DAY}`, ts.tokens.viewer);
		expect(got.status).toBe(200);
		const acc = (await got.json()) as Accuracy;
		expect(acc.recorded).toBe(true);
		expect(acc.interval).toBe(3600);
		expect(acc.issuedBy).toContain('supervisor');
		expect(acc.rows.map((r) => r.actual)).toEqual(actualPerHour);
		expect(acc.rows.map((r) => r.forecast)).toEqual(day?.intervals.map((iv) => iv.offered));
		const total = actualPerHour.reduce((a, b) => a + b, 0);
		expect(total).toBeGreaterThan(1000);
		expect(acc.offered).toBe(total);
		const wape = actualPerHour.reduce((a, x, h) => a + Math.abs(x - (day?.intervals[h]?.offered ?? 0)), 0) / total;
		expect(acc.wape).toBeCloseTo(wape, 10);
		const judged = acc.rows.filter((r) => r.actual > 0 || r.forecast >= 0.5);
		const inside = judged.filter((r) => r.actual >= r.low && r.actual <= r.high).length;
		expect(acc.coverage).toBeCloseTo(inside / judged.length, 10);
		expect(acc.rows.find((r) => r.start === '10:00')?.ahtActual).toBeGreaterThan(60);
	}, 120_000);

	it('refuses a day that has not ended', async () => {
		const today = new Date().toISOString().slice(0, 10);
		// Issued for today through the repository (the history is of 2010, too old to forecast today from).
		const store = new Store(dataDir);
		try {
			const day = new IssuedForecasts(store).latest(DAY)?.day;
			if (!day) throw new Error('the issued day is missing');
			new IssuedForecasts(store).issue([{ ...day, date: today }], 3600, 'test', Date.now());
		} finally {
			store.close();
		}
		const a = await call(`/api/forecast/accuracy?date=${today}`, ts.tokens.viewer);
		expect(a.status).toBe(409);
		expect(((await a.json()) as { error: string }).error).toContain('has not ended');
	});
});
