import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import type { ServerProcess } from '../helpers/server-process';
import { TestCluster } from './helpers/cluster';
import { boardOf, LiveClient } from './helpers/live-client';
import { startNats, type TestNats } from './helpers/nats';
import { until } from './helpers/until';

/** Sites in a cluster: events of two sites ingested on one instance show on the other's boards of each site, and in its history of each site (real nats-server). */

let nats: TestNats;
const cluster = new TestCluster();
const walls: LiveClient[] = [];

beforeAll(async () => {
	nats = await startNats();
});
afterAll(async () => {
	for (const w of walls) w.close();
	await cluster.stop();
	await nats?.dispose();
});

const instance = () => cluster.instance(nats.url, '--time-zone', 'Europe/Berlin');

async function admin(s: ServerProcess, method: string, path: string, body: unknown): Promise<Response> {
	return fetch(`${s.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.admin}` }, body: JSON.stringify(body) });
}

let n = 0;
/** One contact offered and answered, at `site` (absent: the default site). */
function handled(ts: number, site?: string): FloorEvent[] {
	const c = `s${++n}`;
	const at = site ? { site } : {};
	return [
		{ type: 'contact.queued', id: `${c}-q`, ts, contact: c, queue: 'billing', channel: 'voice', ...at },
		{ type: 'contact.answered', id: `${c}-a`, ts: ts + 1, contact: c, queue: 'billing', agent: 'a1', ...at }
	];
}

describe('sites in a cluster', () => {
	it('events of two sites ingested on one instance show on the other instance’s board of each site', async () => {
		const a = await instance();
		const b = await instance();
		expect((await admin(a, 'PUT', '/api/config', { sites: [{ id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '06:00' }] })).status).toBe(200);
		await until('site ny on b', async () => ((await (await fetch(`${b.url}/api/config`)).json()) as { sites: { id: string }[] }).sites.some((s) => s.id === 'ny'));
		const board = (name: string, sites: string[]) => ({ name, queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} }, sites });
		expect((await admin(a, 'PUT', '/api/boards/ny', board('New York', ['ny']))).status).toBe(200);
		expect((await admin(a, 'PUT', '/api/boards/both', board('Both', ['main', 'ny']))).status).toBe(200);
		await until('boards on b', async () => (await fetch(`${b.url}/api/boards/both`)).status === 200);

		const onB = { main: await LiveClient.connect(b.url, 'board=default'), ny: await LiveClient.connect(b.url, 'board=ny'), both: await LiveClient.connect(b.url, 'board=both') };
		walls.push(...Object.values(onB));
		const now = Date.now();
		// Interleaved in one batch: 2 contacts of the default site, 3 of New York.
		const batch = [...handled(now), ...handled(now + 10, 'ny'), ...handled(now + 20), ...handled(now + 30, 'ny'), ...handled(now + 40, 'ny')];
		const r = await fetch(`${a.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.tokens.ingest}` }, body: JSON.stringify(batch) });
		expect(r.status).toBe(202);
		await until('b: ny board shows 3', () => boardOf(onB.ny)?.total.today.answered === 3);
		await until('b: default board shows 2', () => boardOf(onB.main)?.total.today.answered === 2);
		await until('b: both-sites board shows 5', () => boardOf(onB.both)?.total.today.answered === 5);
		expect(boardOf(onB.ny)!.total.today.offered).toBe(3);
		expect(boardOf(onB.main)!.total.today.offered).toBe(2);
		expect(boardOf(onB.both)!.queues.map((q) => [q.id, q.today.offered]).sort()).toEqual([
			['main/billing', 2],
			['ny/billing', 3]
		]);
		// Applied in order on b: no answered-before-queued anomaly however the runs were cut by site.
		const anomalies = /^sightline_anomalies_total (\S+)$/m.exec(await (await fetch(`${b.url}/metrics`)).text());
		expect(Number(anomalies?.[1])).toBe(0);

		// b writes each site's history from the stream: its New York days hold New York's contacts only.
		const historyOn = async (s: ServerProcess, site: string) =>
			((await (await fetch(`${s.url}/api/history/days?site=${site}`, { headers: { authorization: `Bearer ${s.tokens.admin}` } })).json()) as { days: { date: string; offered: number; answered: number; timeZone: string }[] }).days;
		await until('b: ny history holds 3', async () => (await historyOn(b, 'ny')).some((d) => d.offered === 3));
		expect((await historyOn(b, 'ny')).map((d) => [d.timeZone, d.offered, d.answered])).toEqual([['America/New_York', 3, 3]]);
		await until('b: main history holds 2', async () => (await historyOn(b, 'main')).some((d) => d.offered === 2));
		expect((await historyOn(b, 'main')).map((d) => [d.timeZone, d.offered, d.answered])).toEqual([['Europe/Berlin', 2, 2]]);

		// A New York day deleted on a is deleted on b too, and b's default-site day stays.
		const nyDate = (await historyOn(b, 'ny'))[0]!.date;
		const del = await fetch(`${a.url}/api/history/days/${nyDate}?source=ingest&site=ny`, { method: 'DELETE', headers: { authorization: `Bearer ${a.tokens.admin}` } });
		expect(del.status).toBe(200);
		await until('b: ny day deleted', async () => (await historyOn(b, 'ny')).length === 0);
		expect((await historyOn(b, 'main')).map((d) => [d.timeZone, d.offered, d.answered])).toEqual([['Europe/Berlin', 2, 2]]);

		// An event of a site not configured is refused by the instance it reaches, before the stream.
		const bad = await fetch(`${a.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.tokens.ingest}` }, body: JSON.stringify(handled(now + 50, 'paris')) });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('/site');
	});
});
