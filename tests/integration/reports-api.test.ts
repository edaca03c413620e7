import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario';
import { traceEvents } from '../../sim/trace';
import { GROUP_CHANNELS } from '../../src/lib/domain/channel-groups';
import type { FloorEvent } from '../../src/lib/domain/events';
import { postEvents, startTestServer, type TestServer } from './helpers/server';

/**
 * /api/reports against a real server and SQLite file, filled through the real ingest path
 * (POST /api/events of two simulated days). Expected figures are computed here, straight from
 * the posted events, without the KPI module.
 */

const DAY = 86_400_000;
const yesterday = new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString().slice(0, 10);
const weekBefore = new Date(Date.parse(yesterday) - 7 * DAY).toISOString().slice(0, 10);
const THRESHOLD = { voice: 20, chat: 60, email: 86_400, social: 3600, sms: 900 } as const;

function simulatedDay(date: string, seed: number): FloorEvent[] {
	const parsed = parseScenario(readFileSync('sim/scenarios/multichannel-day.json', 'utf8'));
	if (!parsed.ok) throw new Error('scenario');
	return traceEvents(parsed.scenario, { seed, startTs: Date.parse(`${date}T08:00:00Z`) });
}

interface Expected {
	offered: number;
	answered: number;
	abandoned: number;
	short: number;
	sl: number;
	asa: number;
	aht: number;
	byInterval: Map<number, { offered: number; answered: number; abandoned: number }>;
	byQueue: Map<string, { offered: number; sl: number }>;
	/** The default verdict: every channel group with contacts to judge at or above 80 %. */
	groupsMet: boolean;
}

/** The day's figures from its events: each contact's wait from queued to answered/abandoned, attributed to its offer interval. */
function expectedOf(events: readonly FloorEvent[], date: string): Expected {
	const c = new Map<string, { queue: string; channel: keyof typeof THRESHOLD; q: number; a?: number; ab?: number; end?: number }>();
	for (const e of events) {
		if (e.type === 'contact.queued') c.set(e.contact, { queue: e.queue, channel: e.channel, q: e.ts });
		else if (e.type === 'contact.answered') c.get(e.contact)!.a = e.ts;
		else if (e.type === 'contact.abandoned') c.get(e.contact)!.ab = e.ts;
		else if (e.type === 'contact.ended') c.get(e.contact)!.end = e.ts;
	}
	const all = [...c.values()];
	// Every contact of the simulated day closes, so "offered" reads the same whether counted at queueing or at closing.
	expect(all.every((x) => x.ab !== undefined || x.end !== undefined)).toBe(true);
	const day0 = Date.parse(`${date}T00:00:00Z`);
	const slOf = (xs: typeof all) => {
		const ans = xs.filter((x) => x.a !== undefined);
		const ab = xs.filter((x) => x.ab !== undefined);
		const short = ab.filter((x) => (x.ab! - x.q) / 1000 < 5).length;
		const within = ans.filter((x) => (x.a! - x.q) / 1000 <= THRESHOLD[x.channel]).length;
		return { ans, ab, short, sl: within / (ans.length + ab.length - short) };
	};
	const t = slOf(all);
	const byInterval = new Map<number, { offered: number; answered: number; abandoned: number }>();
	for (const x of all) {
		const i = Math.floor((x.q - day0) / 900_000);
		const row = byInterval.get(i) ?? { offered: 0, answered: 0, abandoned: 0 };
		row.offered++;
		if (x.a !== undefined) row.answered++;
		if (x.ab !== undefined) row.abandoned++;
		byInterval.set(i, row);
	}
	const byQueue = new Map<string, { offered: number; sl: number }>();
	for (const q of new Set(all.map((x) => x.queue))) {
		const xs = all.filter((x) => x.queue === q);
		byQueue.set(q, { offered: xs.length, sl: slOf(xs).sl });
	}
	const groupsMet = Object.values(GROUP_CHANNELS).every((chans) => {
		const g = slOf(all.filter((x) => chans.includes(x.channel)));
		return g.ans.length + g.ab.length - g.short === 0 || g.sl >= 0.8;
	});
	return {
		groupsMet,
		offered: all.length,
		answered: t.ans.length,
		abandoned: t.ab.length,
		short: t.short,
		sl: t.sl,
		asa: t.ans.reduce((s, x) => s + (x.a! - x.q) / 1000, 0) / t.ans.length,
		aht: t.ans.reduce((s, x) => s + (x.end! - x.a!) / 1000, 0) / t.ans.length,
		byInterval,
		byQueue
	};
}

let ts: TestServer;
const days = new Map<string, Expected>();

async function get(path: string, token?: string) {
	const res = await fetch(`${ts.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
	return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

beforeAll(async () => {
	ts = await startTestServer({ timeZone: 'UTC', openViewer: true });
	for (const [date, seed] of [
		[yesterday, 3],
		[weekBefore, 4]
	] as const) {
		const events = simulatedDay(date, seed);
		for (let i = 0; i < events.length; i += 4000) {
			const r = await postEvents(ts.url, ts.tokens.ingest, events.slice(i, i + 4000));
			expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(202);
		}
		days.set(date, expectedOf(events, date));
	}
}, 120_000);

afterAll(async () => {
	await ts?.stop();
});

describe('GET /api/reports/day/:date', () => {
	it('daily and interval figures equal those computed from the posted events', async () => {
		const r = await get(`/api/reports/day/${yesterday}`);
		expect(r.status).toBe(200);
		const body = JSON.parse(r.text);
		const e = days.get(yesterday)!;
		expect(body.total.offered).toBe(e.offered);
		expect(body.total.answered).toBe(e.answered);
		expect(body.total.abandoned).toBe(e.abandoned);
		expect(body.total.shortAbandoned).toBe(e.short);
		expect(body.total.serviceLevel).toBeCloseTo(e.sl, 9);
		expect(body.total.asa).toBeCloseTo(e.asa, 6);
		expect(body.total.aht).toBeCloseTo(e.aht, 6);
		expect(body.intervals).toHaveLength(96);
		for (const [i, row] of body.intervals.entries()) {
			const want = e.byInterval.get(i) ?? { offered: 0, answered: 0, abandoned: 0 };
			expect([row.kpis.offered, row.kpis.answered, row.kpis.abandoned], `interval ${i}`).toEqual([want.offered, want.answered, want.abandoned]);
		}
		for (const q of body.queues) {
			expect(q.kpis.offered).toBe(e.byQueue.get(q.key)?.offered);
			expect(q.kpis.serviceLevel).toBeCloseTo(e.byQueue.get(q.key)!.sl, 9);
		}
		// The emulated events carry no survey answers, and this store has no agent time yet: not recorded, not 0.
		expect(body.recorded.csat).toBe(false);
		expect(body.total.csat).toBeNull();
		expect(body.slFormulaLabel).toContain('answered ≤ T');
		expect(body.met.met).toBe(e.groupsMet);
		expect(body.agents).toBeUndefined();
	});

	it('CSV has the page columns and the same figures, and parses back', async () => {
		const r = await get(`/api/reports/day/${yesterday}?format=csv&table=queues`);
		expect(r.status).toBe(200);
		expect(r.type).toContain('text/csv');
		const rows = parse(r.text, { bom: true, columns: true }) as Record<string, string>[];
		const e = days.get(yesterday)!;
		expect(rows).toHaveLength(e.byQueue.size);
		for (const row of rows) {
			expect(Number(row['Offered'])).toBe(e.byQueue.get(row['Queue']!)?.offered);
			expect(Number(row['Service level (%)'])).toBeCloseTo(Math.round(e.byQueue.get(row['Queue']!)!.sl * 1000) / 10, 6);
		}
		const iv = parse((await get(`/api/reports/day/${yesterday}?format=csv&table=intervals`)).text, { bom: true, columns: true }) as Record<string, string>[];
		expect(iv).toHaveLength(96);
		expect(iv[40]?.['Interval']).toBe('10:00');
		expect(Number(iv[40]?.['Offered'])).toBe(e.byInterval.get(40)?.offered ?? 0);
		expect(iv[0]?.['Service level (%)']).toBe('');
	});

	it('refuses bad input naming it, and 404s a day without history', async () => {
		const bad = await get('/api/reports/day/2026-02-30');
		expect(bad.status).toBe(400);
		expect(JSON.parse(bad.text).error).toContain('YYYY-MM-DD');
		expect((await get('/api/reports/day/2001-01-01')).status).toBe(404);
		const fmt = await get(`/api/reports/day/${yesterday}?format=${'x'.repeat(500)}`);
		expect(fmt.status).toBe(400);
		expect(fmt.text.length).toBeLessThan(300);
	});

	it('per-agent figures need a supervisor token', async () => {
		expect((await get(`/api/reports/day/${yesterday}/agents`)).status).toBe(401);
		expect((await get(`/api/reports/day/${yesterday}/agents`, ts.tokens.viewer)).status).toBe(403);
		const sup = await get(`/api/reports/day/${yesterday}/agents`, ts.tokens.supervisor);
		expect(sup.status).toBe(200);
		const agents = JSON.parse(sup.text).agents as { handled: number; occupancy: number | null }[];
		// Every handled contact of the day was finished by some agent.
		expect(agents.reduce((s, a) => s + a.handled, 0)).toBe(days.get(yesterday)!.answered);
		expect(agents.some((a) => a.occupancy !== null && a.occupancy > 0 && a.occupancy <= 1)).toBe(true);
		const csv = parse((await get(`/api/reports/day/${yesterday}/agents?format=csv`, ts.tokens.supervisor)).text, { bom: true, columns: true }) as Record<string, string>[];
		expect(csv).toHaveLength(agents.length);
	});
});

describe('GET /api/reports/compare', () => {
	it('differences are the day minus the same weekday last week', async () => {
		const r = await get(`/api/reports/compare?day=${yesterday}&with=last-week`);
		expect(r.status).toBe(200);
		const c = JSON.parse(r.text);
		const a = days.get(yesterday)!;
		const b = days.get(weekBefore)!;
		expect(c.other.date).toBe(weekBefore);
		expect(c.headline.offered.diff).toBe(a.offered - b.offered);
		expect(c.headline.serviceLevel.diff).toBeCloseTo(a.sl - b.sl, 9);
		expect(c.headline.asa.diff).toBeCloseTo(a.asa - b.asa, 6);
		const i = 50;
		expect(c.intervals[i].diffs.offered.diff).toBe((a.byInterval.get(i)?.offered ?? 0) - (b.byInterval.get(i)?.offered ?? 0));
		const csv = parse((await get(`/api/reports/compare?day=${yesterday}&with=last-week&format=csv`)).text, { bom: true, columns: true }) as Record<string, string>[];
		const offered = csv.find((x) => x['KPI'] === 'Offered');
		expect(Number(offered?.['Difference'])).toBe(a.offered - b.offered);
		expect((await get(`/api/reports/compare?day=${yesterday}&with=previous`)).status).toBe(404);
		expect((await get(`/api/reports/compare?day=${yesterday}&with=lastweek`)).status).toBe(400);
	});
});

describe('GET /api/reports/range and settings', () => {
	it('a range lists the days with history, sums them, and names the missing ones', async () => {
		const r = JSON.parse((await get(`/api/reports/range?from=${weekBefore}&to=${yesterday}`)).text);
		expect(r.days.map((d: { date: string }) => d.date)).toEqual([weekBefore, yesterday]);
		expect(r.missing).toHaveLength(6);
		expect(r.total.offered).toBe(days.get(yesterday)!.offered + days.get(weekBefore)!.offered);
		const csv = parse((await get(`/api/reports/range?from=${weekBefore}&to=${yesterday}&format=csv`)).text, { bom: true, columns: true }) as Record<string, string>[];
		expect(csv.map((x) => x['Date'])).toEqual([weekBefore, yesterday]);
		expect((await get(`/api/reports/range?from=${yesterday}&to=${weekBefore}`)).status).toBe(400);
		expect((await get(`/api/reports/range?from=2020-01-01&to=2026-01-01`)).status).toBe(400);
	});

	it('settings are versioned; a past day keeps the targets in force then', async () => {
		const put = await fetch(`${ts.url}/api/reports/settings`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${ts.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ metRule: 'every-queue', slFormula: 'answered-only', targets: { serviceLevel: 0.5, asa: 20, abandonRate: 0.1, aht: null, occupancy: null, csat: null } })
		});
		expect(put.status).toBe(200);
		expect((await put.json()).version).toBe(1);
		const badPut = await fetch(`${ts.url}/api/reports/settings`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${ts.tokens.admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ metRule: 'sometimes' })
		});
		expect(badPut.status).toBe(400);
		expect(JSON.stringify(await badPut.json())).toContain('/metRule');
		// Saved today: yesterday is still judged by the defaults in force then.
		const day = JSON.parse((await get(`/api/reports/day/${yesterday}`)).text);
		expect(day.settingsVersion).toBeNull();
		expect(day.settings.metRule).toBe('every-group');
		expect(JSON.parse((await get('/api/reports/settings')).text).version).toBe(1);
	});
});
