import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import type { HistoryDayResponse, HistoryDaySummary } from '../../src/lib/domain/history';
import { startServer, type RunningServer } from '../../src/server/server';
import { DB_FILE } from '../../src/server/store';
import { postEvents } from './helpers/server';

/**
 * History per site through the real server and a real SQLite file: two sites whose days reset at
 * different instants (Europe/Berlin and America/New_York), contacts on both sides of each site's
 * reset; each site's stored day holds exactly its own contacts of its own local day, with the
 * figures computed here from the contacts; a restart that lost every history row re-derives the
 * same rows from the event log; an unknown site is refused.
 */

const MIN = 60_000;
const HOUR = 3600_000;
const now = Date.now();
// Each site's latest reset, a whole minute in the past (so both its days are in the store): main's 3 h ago, ny's 1.5 h ago.
const reset = { main: Math.floor((now - 3 * HOUR) / MIN) * MIN, ny: Math.floor((now - 1.5 * HOUR) / MIN) * MIN };
const zone = { main: 'Europe/Berlin', ny: 'America/New_York' };
type Site = keyof typeof reset;

const hhmm = (ts: number, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);
const localDate = (ts: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ts);

type Outcome = 'fast' | 'slow' | 'abandoned';
interface Contact {
	readonly id: string;
	readonly at: number;
	readonly outcome: Outcome;
}
const OUTCOMES: readonly Outcome[] = ['fast', 'slow', 'abandoned', 'fast'];
/** Contacts of a site offered at `times`, none within 2 minutes of either reset (so none crosses one). */
const contactsOf = (site: Site, times: readonly number[]): Contact[] => times.map((at, i) => ({ id: `${site}-c${i}`, at, outcome: OUTCOMES[i % OUTCOMES.length]! }));
const contacts: Record<Site, Contact[]> = {
	main: contactsOf('main', [now - 3.5 * HOUR, reset.main - 5 * MIN, reset.main - 3 * MIN, reset.main + 5 * MIN, reset.ny - 5 * MIN, reset.ny + 5 * MIN, now - 30 * MIN]),
	ny: contactsOf('ny', [now - 3.5 * HOUR, reset.main - 5 * MIN, reset.main + 5 * MIN, reset.main + 9 * MIN, reset.ny - 5 * MIN, reset.ny - 3 * MIN, reset.ny + 5 * MIN, reset.ny + 7 * MIN, now - 20 * MIN])
};

function eventsOf(site: Site): FloorEvent[] {
	let n = 0;
	const id = () => `${site}-e${n++}`;
	const agent = `${site}-a1`;
	const out: FloorEvent[] = [
		{ type: 'agent.profile', id: id(), ts: now - 4 * HOUR, site, agent, name: agent, team: site, skills: { billing: 1 }, capacity: {} },
		{ type: 'agent.state', id: id(), ts: now - 4 * HOUR, site, agent, state: 'available' }
	];
	for (const c of contacts[site]) {
		out.push({ type: 'contact.queued', id: id(), ts: c.at, site, contact: c.id, queue: 'billing', channel: 'voice' });
		if (c.outcome === 'abandoned') {
			out.push({ type: 'contact.abandoned', id: id(), ts: c.at + 30_000, site, contact: c.id, queue: 'billing' });
			continue;
		}
		// Voice threshold 20 s: 10 s is within it, 40 s is not.
		const answered = c.at + (c.outcome === 'fast' ? 10_000 : 40_000);
		out.push({ type: 'contact.answered', id: id(), ts: answered, site, contact: c.id, queue: 'billing', agent });
		out.push({ type: 'contact.ended', id: id(), ts: answered + 30_000, site, contact: c.id, agent });
	}
	return out;
}

/** A site's days as computed here: its contacts split at its own reset, each day named by its local date. */
function expectedDays(site: Site): Record<string, { offered: number; answered: number; abandoned: number; serviceLevel: number | null; dayStart: number }> {
	const out: ReturnType<typeof expectedDays> = {};
	for (const dayStart of [reset[site] - 24 * HOUR, reset[site]]) {
		const mine = contacts[site].filter((c) => c.at >= dayStart && c.at < dayStart + 24 * HOUR);
		const answered = mine.filter((c) => c.outcome !== 'abandoned').length;
		const abandoned = mine.filter((c) => c.outcome === 'abandoned').length;
		// DESIGN.md's default formula: answered within T / (answered + abandoned − short abandons); none is short here.
		const within = mine.filter((c) => c.outcome === 'fast').length;
		out[localDate(dayStart, zone[site])] = { offered: mine.length, answered, abandoned, serviceLevel: answered + abandoned ? within / (answered + abandoned) : null, dayStart };
	}
	return out;
}

let dataDir: string;
let server: RunningServer;
let tokens: Record<string, string>;
const start = () => startServer({ dataDir, host: '127.0.0.1', port: 0, source: { kind: 'none' }, timeZone: zone.main, resetTime: hhmm(reset.main, zone.main), log: () => {} });
async function get(path: string, role = 'supervisor'): Promise<{ status: number; body: any }> {
	const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens[role]}` } });
	return { status: r.status, body: await r.json() };
}
async function days(site: Site): Promise<HistoryDaySummary[]> {
	const r = await get(`/api/history/days?site=${site}`);
	expect(r.status).toBe(200);
	return (r.body.days as HistoryDaySummary[]).filter((d) => d.source === 'ingest');
}
/** Every history row of both sites, in key order (what a restart must re-derive identically). */
function storedRows(): unknown[] {
	const db = new Database(join(dataDir, DB_FILE), { readonly: true });
	try {
		return ['h_counts', 'h_legs', 'h_agents'].map((t) => db.prepare(`SELECT * FROM ${t} WHERE source = 'ingest' ORDER BY site, date, ${t === 'h_legs' ? 'leg' : t === 'h_agents' ? 'agent' : 'event, part'}`).all());
	} finally {
		db.close();
	}
}

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'sightline-hist-sites-'));
	server = await start();
	tokens = server.createdTokens!;
	const put = await fetch(`${server.url}/api/config`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
		body: JSON.stringify({ sites: [{ id: 'ny', name: 'New York', timeZone: zone.ny, resetTime: hhmm(reset.ny, zone.ny) }] })
	});
	expect(put.status).toBe(200);
	// Both sites' events in one batch, in time order, as a producer of the center would send them.
	const r = await postEvents(server.url, tokens.ingest!, [...eventsOf('main'), ...eventsOf('ny')].sort((a, b) => a.ts - b.ts));
	expect(r.status, JSON.stringify(r.body)).toBe(202);
	// The rows are written after the commit of the tick.
	await new Promise((r) => setTimeout(r, 300));
});
afterAll(async () => {
	await server?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('history per site', () => {
	it("each site's days hold exactly its own contacts, split at its own reset", async () => {
		for (const site of ['main', 'ny'] as const) {
			const want = expectedDays(site);
			const got = await days(site);
			expect(Object.fromEntries(got.map((d) => [d.date, { offered: d.offered, answered: d.answered, abandoned: d.abandoned, serviceLevel: d.serviceLevel, dayStart: d.dayStart }])), site).toEqual(want);
			for (const d of got) expect(d.timeZone, site).toBe(zone[site]);
			for (const [date, w] of Object.entries(want)) {
				const day = (await get(`/api/history/days/${date}?site=${site}`)).body as HistoryDayResponse;
				expect(day.snapshot.total.counts, `${site} ${date}`).toMatchObject({ offered: w.offered, answered: w.answered, abandoned: w.abandoned });
				expect(day.dayStart).toBe(w.dayStart);
				// The trace holds the site's own contacts of that day, and only those.
				const trace = (await get(`/api/history/days/${date}/trace?site=${site}`)).body as { contacts: { contact: string }[] };
				expect(trace.contacts.map((c) => c.contact).sort()).toEqual(contacts[site].filter((c) => c.at >= w.dayStart && c.at < w.dayStart + 24 * HOUR).map((c) => c.id).sort());
				// The report of the day is the site's, on its own clock.
				const report = await get(`/api/reports/day/${date}?site=${site}`, 'viewer');
				expect(report.status).toBe(200);
				expect(report.body).toMatchObject({ timeZone: zone[site], dayStart: w.dayStart, totalCounts: { offered: w.offered, answered: w.answered, abandoned: w.abandoned } });
			}
		}
		// Without ?site=, the default site's, as before sites had history.
		expect(((await get('/api/history/days')).body.days as HistoryDaySummary[]).filter((d) => d.source === 'ingest')).toEqual(await days('main'));
	});

	it('refuses a site not configured with a 400 naming it, on history and reports', async () => {
		const date = localDate(reset.ny, zone.ny);
		for (const path of [
			'/api/history/days?site=paris',
			`/api/history/days/${date}?site=paris`,
			`/api/history/days/${date}/trace?site=paris`,
			`/api/reports/day/${date}?site=paris`,
			`/api/reports/range?from=${date}&to=${date}&site=paris`,
			`/api/reports/compare?day=${date}&site=paris`
		]) {
			const r = await get(path);
			expect(r.status, path).toBe(400);
			expect(r.body.error, path).toContain('unknown site "paris"');
			expect(r.body.error, path).toContain('main, ny');
		}
		// A long value is not echoed whole.
		const long = await get(`/api/history/days?site=${'x'.repeat(5000)}`);
		expect(long.status).toBe(400);
		expect(long.body.error.length).toBeLessThan(200);
	});

	it('a restart that lost every history row re-derives the same rows of both sites from the event log', async () => {
		const before = storedRows();
		const daysBefore = { main: await days('main'), ny: await days('ny') };
		expect((before[0] as { site: string }[]).some((r) => r.site === 'ny')).toBe(true);
		await server.close();
		const db = new Database(join(dataDir, DB_FILE));
		for (const t of ['h_counts', 'h_legs', 'h_agent_states', 'h_agents', 'h_agent_time', 'h_days']) db.prepare(`DELETE FROM ${t}`).run();
		db.close();
		server = await start();
		await new Promise((r) => setTimeout(r, 300));
		expect(storedRows()).toEqual(before);
		const figures = (ds: HistoryDaySummary[]) => ds.map(({ status: _s, ...d }) => d);
		expect(figures(await days('main'))).toEqual(figures(daysBefore.main));
		expect(figures(await days('ny'))).toEqual(figures(daysBefore.ny));
	});

	it("deleting a day of one site leaves the other site's day of the same date, and is audited with its site", async () => {
		// A date both sites have a day of (their days differ: each is its own site's local day).
		const mainDates = (await days('main')).map((d) => d.date);
		const date = (await days('ny')).map((d) => d.date).find((d) => mainDates.includes(d));
		expect(date, 'a date of both sites').toBeDefined();
		const mainBefore = (await days('main')).find((d) => d.date === date);
		const del = async (q: string) => {
			const r = await fetch(`${server.url}/api/history/days/${date}?${q}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.admin}` } });
			return { status: r.status, body: await r.json() };
		};
		expect((await del('source=ingest&site=paris')).status).toBe(400);
		expect((await days('ny')).some((d) => d.date === date)).toBe(true);
		const r = await del('source=ingest&site=ny');
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ date, source: 'ingest', site: 'ny' });
		expect(r.body.deleted).toBeGreaterThan(0);
		expect((await days('ny')).some((d) => d.date === date)).toBe(false);
		expect((await days('main')).find((d) => d.date === date)).toEqual(mainBefore);
		const audit = (await get('/api/audit', 'admin')).body.audit as { action: string; target: string; detail: string }[];
		const deletes = audit.filter((l) => l.action === 'history.delete');
		expect(deletes).toHaveLength(1);
		expect(deletes[0]?.target).toBe(date);
		expect(JSON.stringify(deletes[0]?.detail)).toContain('ny');
	});
});
