import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { deriveHistory } from '../../src/server/history/rederive';
import { dayBounds, todayIn } from '../../src/lib/reports/dates';
import { Store } from '../../src/server/store';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * /api/forecast against a real server and SQLite file. Four weeks of interval counts with a
 * known weekly pattern go into the store beside the server (a second connection, as an importer
 * would write); the forecast must continue that pattern, and patience is checked against the
 * time-at-risk / abandons of the contacts written here.
 */

const DAY = 86_400_000;
/** Offered per open hour (9:00-17:00) by weekday, Sunday first. */
const PER_HOUR = [0, 40, 40, 30, 30, 20, 0];

let srv: TestServer;
let dates: string[] = [];
let tomorrow = '';

function addDays(date: string, n: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

beforeAll(async () => {
	srv = await startTestServer();
	const cfg = srv.server.floor.config;
	const today = todayIn(cfg.timeZone);
	tomorrow = addDays(today, 1);
	dates = Array.from({ length: 28 }, (_, k) => addDays(today, k - 28));
	// Written as the importer writes: events played through a Floor of their own, rows in bulk.
	const events: FloorEvent[] = [];
	let n = 0;
	for (const date of dates) {
		const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
		const { start } = dayBounds(date, cfg.timeZone, cfg.resetTime);
		const offered = PER_HOUR[wd] ?? 0;
		for (let h = 9; h < 17; h++) {
			for (let k = 0; k < offered; k++) {
				const t = start + h * 3_600_000 + k * Math.floor(3_600_000 / offered);
				const contact = `${date}-${h}-${k}`;
				// Patience evidence in the 10:00 hour: 3 abandon after 30 s, 6 are answered after 10 s, the rest at once → (90 + 60) / 3 = 50 s.
				const wait = h === 10 && k < 3 ? 30 : h === 10 && k < 9 ? 10 : 0;
				events.push({ type: 'contact.queued', id: `f${n++}`, ts: t, contact, queue: 'billing', channel: 'voice' });
				if (h === 10 && k < 3) {
					events.push({ type: 'contact.abandoned', id: `f${n++}`, ts: t + wait * 1000, contact, queue: 'billing' });
					continue;
				}
				events.push({ type: 'contact.answered', id: `f${n++}`, ts: t + wait * 1000, contact, queue: 'billing', agent: 'a1' });
				events.push({ type: 'contact.ended', id: `f${n++}`, ts: t + wait * 1000 + 200_000, contact, agent: 'a1' });
			}
		}
	}
	events.sort((x, y) => x.ts - y.ts);
	const store = new Store(srv.dataDir);
	deriveHistory(store, cfg, 'import', [events], 'bulk');
	store.close();
});
afterAll(() => srv?.stop());

const get = (path: string, token: string | null = srv.tokens.viewer) =>
	fetch(`${srv.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('/api/forecast', () => {
	it('continues the stored weekly pattern from tomorrow, with SL settings and patience per queue', async () => {
		const res = await get('/api/forecast?days=7&interval=3600');
		expect(res.status).toBe(200);
		const body = (await res.json()) as {
			interval: number;
			days: { date: string; weekday: string; closed: string | null; offered: number; intervals: { start: string; offered: number; aht: number | null }[] }[];
			sl: Record<string, { threshold: number }>;
			patience: Record<string, number | null>;
			history: { from: string; to: string };
		};
		expect(body.interval).toBe(3600);
		expect(body.history.to).toBe(dates[dates.length - 1]);
		expect(body.days.map((d) => d.date)).toEqual(Array.from({ length: 7 }, (_, k) => addDays(tomorrow, k)));
		for (const d of body.days) {
			const wd = new Date(`${d.date}T00:00:00Z`).getUTCDay();
			const want = (PER_HOUR[wd] ?? 0) * 8;
			if (want === 0) {
				expect(d.offered).toBeLessThan(1);
				continue;
			}
			expect(Math.abs(d.offered / want - 1)).toBeLessThan(0.05);
			const ten = d.intervals.find((iv) => iv.start === '10:00');
			expect(ten?.aht).toBeCloseTo(200, 0);
			expect(d.intervals.find((iv) => iv.start === '20:00')?.offered ?? 0).toBeLessThan(0.5);
		}
		expect(body.patience.billing).toBeCloseTo(50, 5);
		expect(body.sl).toBeTypeOf('object');
	});

	it('holds a forecast of past days against what was recorded', async () => {
		const start = dates[21] ?? '';
		const res = await get(`/api/forecast?start=${start}&days=7&interval=3600`);
		expect(res.status).toBe(200);
		const body = (await res.json()) as {
			history: { to: string };
			actuals: Record<string, { offered: number; intervals: number[]; wape: number | null; coverage: number | null }>;
		};
		// Forecast from the days before `start` only, then compared with each of the 7 days.
		expect(body.history.to).toBe(dates[20]);
		expect(Object.keys(body.actuals).sort()).toEqual(dates.slice(21, 28));
		for (const date of dates.slice(21, 28)) {
			const a = body.actuals[date];
			const perHour = PER_HOUR[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? 0;
			expect(a?.offered).toBe(perHour * 8);
			expect(a?.intervals[10]).toBe(perHour);
			if (perHour > 0) expect(a?.wape ?? 1).toBeLessThan(0.1);
			else expect(a?.wape).toBeNull();
		}
	});

	it('applies planner overrides sent by POST', async () => {
		const res = await fetch(`${srv.url}/api/forecast`, {
			method: 'POST',
			headers: { authorization: `Bearer ${srv.tokens.viewer}`, 'content-type': 'application/json' },
			body: JSON.stringify({ start: tomorrow, days: 2, interval: 3600, overrides: [{ dates: [tomorrow], percent: -100, note: 'closed' }] })
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as { days: { offered: number; adjustments: unknown[] }[]; method: string[] };
		expect(body.days[0]?.offered).toBe(0);
		expect(body.days[0]?.adjustments).toHaveLength(1);
		expect(body.method.join(' ')).toMatch(/-100% on/);
	});

	it('refuses bad requests with a message naming the parameter', async () => {
		const cases: [string, RegExp][] = [
			['/api/forecast?days=40', /days must be a whole number from 1 to 28/],
			['/api/forecast?start=2026-02-31', /start must be a date/],
			['/api/forecast?interval=600', /interval must be 900 or 3600/],
			[`/api/forecast?closed=${'x'.repeat(300)}`, /closed must list dates/]
		];
		for (const [path, msg] of cases) {
			const res = await get(path);
			expect(res.status, path).toBe(400);
			const text = await res.text();
			expect(text).toMatch(msg);
			expect(text.length).toBeLessThan(300);
		}
		const bad = await fetch(`${srv.url}/api/forecast`, {
			method: 'POST',
			headers: { authorization: `Bearer ${srv.tokens.viewer}`, 'content-type': 'application/json' },
			body: JSON.stringify({ overrides: [{ dates: ['soon'], percent: 10 }] })
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toMatch(/overrides\[0\]\.dates/);
	});
});
