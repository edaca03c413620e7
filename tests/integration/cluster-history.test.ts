import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as importMain } from '../../src/cli/import';
import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { importText } from '../../src/server/history/import';
import { PART_BYTES } from '../../src/server/nats/cluster-log';
import { Store } from '../../src/server/store';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { startNats, type TestNats } from './helpers/nats';
import { startTestServer, type TestServer } from './helpers/server';
import { until } from './helpers/until';
import { sharedData } from './helpers/shared-data';

/**
 * History and plan versions that do not come through the event stream, shared through the cluster
 * log on a real nats-server: `npm run import -- FILE --nats URL` reaches every instance's store
 * (re-import replaces, never doubles; NATS away: a clear error, nothing applied), and a plan
 * version larger than NATS's 1 MB message limit reaches the other instance whole.
 */

let nats: TestNats;
const dirs: string[] = [];
const servers: ServerProcess[] = [];
let inProcess: TestServer | null = null;

beforeAll(async () => {
	nats = await startNats();
});
afterAll(async () => {
	for (const s of servers) await s.kill('SIGKILL');
	await inProcess?.stop();
	await nats?.dispose();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-cluster-history-'));
	dirs.push(dir);
	return dir;
}

async function instance(): Promise<ServerProcess> {
	const s = await spawnServer(['ingest', '--nats', nats.url, '--data', tempDir(), '--port', '0', '--time-zone', 'UTC']);
	servers.push(s);
	return s;
}

/** Waits as long as an import of a month may take an instance to apply. */
const settled = (what: string, fn: () => Promise<boolean> | boolean, ms = 30_000) => until(what, fn, ms, 100);

async function get(s: { url: string; tokens: Readonly<Record<string, string>> }, path: string, role = 'supervisor'): Promise<{ status: number; body: any }> {
	const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${s.tokens[role]}` } });
	return { status: res.status, body: await res.json() };
}

/** What an output sink collected. */
function sink(): { stream: NodeJS.WriteStream; text: () => string } {
	const chunks: string[] = [];
	return { stream: { write: (s: string) => chunks.push(s) > 0, isTTY: false } as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

const ONE_DAY = sharedData('anonymous-bank-1999-one-day.csv');
const DAY = '2010-08-08';

describe('cluster log: history and large plan versions', () => {
	let a: ServerProcess;
	let b: ServerProcess;

	it('npm run import -- FILE --nats URL: the day on every instance with the same KPIs; importing again replaces it', async () => {
		a = await instance();
		b = await instance();
		const out = sink();
		const err = sink();
		expect(await importMain([ONE_DAY, '--date', DAY, '--time-zone', 'UTC', '--nats', nats.url], out.stream, err.stream)).toBe(0);
		expect(out.text()).toMatch(new RegExp(`${DAY}\\s+2239\\b`));
		expect(out.text()).toMatch(/published 2\d{3} records \(\d+ events\) for 1 day\(s\) to the cluster log/);

		const day = (s: ServerProcess) => get(s, `/api/history/days/${DAY}?source=import`);
		await settled('the imported day on both instances', async () => (await day(a)).status === 200 && (await day(b)).status === 200);
		const onA = await day(a);
		const onB = await day(b);
		expect(onB.body).toEqual(onA.body);
		// The same figures as the single-store import of this file (history-import.test.ts), and as
		// importing it into a store of this test's own.
		const local = new Store(tempDir());
		try {
			const r = importText(local, readFileSync(ONE_DAY, 'utf8'), { format: 'anonymous-bank', date: DAY, config: { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' } });
			expect(r.days).toEqual([{ date: DAY, offered: 2239, answered: 1511, abandoned: 728 }]);
		} finally {
			local.close();
		}
		const listed = async (s: ServerProcess) => ((await get(s, '/api/history/days')).body.days as { date: string; source: string }[]).filter((d) => d.source === 'import');
		const daysA = await listed(a);
		expect(daysA).toEqual([expect.objectContaining({ date: DAY, offered: 2239, answered: 1511, abandoned: 728 })]);
		expect(await listed(b)).toEqual(daysA);

		// Again: replaced on both, never doubled; both audited twice.
		expect(await importMain([ONE_DAY, '--date', DAY, '--time-zone', 'UTC', '--nats', nats.url], sink().stream, sink().stream)).toBe(0);
		const audited = async (s: ServerProcess) =>
			((await get(s, '/api/audit', 'admin')).body.audit as { action: string; target: string; actor: string; detail: string }[]).filter((l) => l.action === 'history.import');
		await settled('the second import on both instances', async () => (await audited(a)).length === 2 && (await audited(b)).length === 2);
		expect(await listed(a)).toEqual(daysA);
		expect(await listed(b)).toEqual(daysA);
		expect((await day(b)).body).toEqual(onA.body);
		const line = (await audited(b))[0]!;
		expect(line.target).toBe(DAY);
		expect(line.actor).toMatch(/\(npm run import\)$/);
		expect(JSON.parse(line.detail)).toMatchObject({ what: 'anonymous-bank-1999-one-day.csv (anonymous-bank)', days: [{ date: DAY, offered: 2239 }] });

		// An instance that joins later reads the log from its start: the same day, once.
		const c = await instance();
		await settled('the imported day on the late instance', async () => (await get(c, `/api/history/days/${DAY}?source=import`)).status === 200);
		expect((await get(c, `/api/history/days/${DAY}?source=import`)).body).toEqual(onA.body);
		expect(await listed(c)).toEqual(daysA);
	});

	it('POST /api/history/import on one instance: every instance imports the day, the answer comes once it is applied there', async () => {
		const csv = readFileSync(ONE_DAY, 'utf8');
		const post = (s: { url: string; tokens: Readonly<Record<string, string>> }, query: string, role = 'admin') =>
			fetch(`${s.url}/api/history/import${query}`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens[role]}`, 'content-type': 'text/csv' }, body: csv });
		expect((await post(b, '?date=2010-08-12', 'supervisor')).status).toBe(403);
		const bad = await post(b, '?format=xml');
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(/^format must be anonymous-bank or sightline, got "xml"/);
		const r = await post(b, '?date=2010-08-12');
		expect(r.status).toBe(200);
		const body = (await r.json()) as { records: number; badRows: number; days: unknown[] };
		const figures = { date: '2010-08-12', source: 'import', offered: 2239, answered: 1511, abandoned: 728 };
		expect(body.days).toEqual([expect.objectContaining(figures)]);
		expect(body.badRows).toBe(0);
		const onB = await get(b, '/api/history/days/2010-08-12?source=import');
		expect(onB.status).toBe(200);
		await settled('the day imported on b, on a', async () => (await get(a, '/api/history/days/2010-08-12?source=import')).status === 200);
		expect((await get(a, '/api/history/days/2010-08-12?source=import')).body).toEqual(onB.body);
		const audit = (await get(a, '/api/audit', 'admin')).body.audit as { action: string; target: string; actor: string }[];
		expect(audit.find((l) => l.action === 'history.import' && l.target === '2010-08-12')?.actor).toBe('admin (bootstrap token)');

		// Without --nats the route writes this store alone, with the same figures.
		const single = await startTestServer({ timeZone: 'UTC' });
		try {
			const s = await post(single, '?date=2010-08-12');
			expect(s.status).toBe(200);
			expect(((await s.json()) as { days: unknown[] }).days).toEqual([expect.objectContaining(figures)]);
		} finally {
			await single.stop();
		}
	});

	it('NATS unreachable: the import fails with a clear error (exit 3) and nothing is applied anywhere', async () => {
		const err = sink();
		expect(await importMain([ONE_DAY, '--date', '2010-08-09', '--time-zone', 'UTC', '--nats', 'nats://127.0.0.1:1'], sink().stream, err.stream)).toBe(3);
		expect(err.text()).toMatch(/^import: NATS unreachable at nats:\/\/127\.0\.0\.1:1/);
		const usage = sink();
		expect(await importMain([ONE_DAY, '--nats', nats.url, '--data', tempDir()], sink().stream, usage.stream)).toBe(2);
		expect(usage.text()).toMatch(/give one of them/);
		expect(await importMain([ONE_DAY, '--nats', 'http://x'], sink().stream, usage.stream)).toBe(2);
		expect(usage.text()).toMatch(/--nats must be a URL/);
	});

	it('parts whose commit never came (a publisher that died half-way) are applied nowhere; what follows them is', async () => {
		// Parts of an import of 2010-08-09, as a publisher would send them before its commit.
		const nc = await connect({ servers: nats.url });
		try {
			const record = { op: 'import', id: 'orphan', events: [], config: { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, dates: ['2010-08-09'], what: 'x', ts: 1, actor: 'x', origin: 'x' };
			const gz = gzipSync(Buffer.from(JSON.stringify({ ...record, pad: 'y'.repeat(PART_BYTES * 3) })));
			const js = jetstream(nc);
			for (let i = 0; i * PART_BYTES < gz.byteLength; i++) {
				await js.publish('sightline.events_log.part', JSON.stringify({ op: 'part', id: 'orphan', index: i, data: gz.subarray(i * PART_BYTES, (i + 1) * PART_BYTES).toString('base64') }));
			}
		} finally {
			await nc.close();
		}
		expect(await importMain([ONE_DAY, '--date', '2010-08-10', '--time-zone', 'UTC', '--nats', nats.url], sink().stream, sink().stream)).toBe(0);
		for (const s of [a, b]) {
			await settled('the import after the orphan parts', async () => (await get(s, '/api/history/days/2010-08-10?source=import')).status === 200);
			expect((await get(s, '/api/history/days/2010-08-09?source=import')).status).toBe(404);
		}
	});

	it('a plan version of 1.5 MB (over NATS\'s 1 MB message limit) reaches the other instance whole', async () => {
		// This instance in the test process, with a body limit that lets such a plan in; b is another process.
		inProcess = await startTestServer({ nats: { url: nats.url }, maxBodyBytes: 4 * 1024 * 1024, timeZone: 'UTC' });
		// A replayed day's baseline: 150,000 arrivals at millisecond times, with each contact's handle time.
		let seed = 42;
		const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const trace = Array.from({ length: 150_000 }, () => Math.round(rand() * 86_399_000) / 1000).sort((x, y) => x - y);
		const handle = trace.map(() => Math.round(rand() * 600_000) / 1000);
		const baseline = {
			name: 'replayed day',
			horizon: 86_400,
			interval: 900,
			queues: [{ id: 'q', channel: 'voice', arrivals: { trace, handle }, handle: { dist: 'exponential', mean: 300 } }],
			agents: [{ group: 'g', count: 40, skills: { q: 1 } }]
		};
		const doc = { version: 1, name: 'Big replayed day', source: { kind: 'file', name: 'day.csv' }, changes: {}, costs: {}, replications: 20, seed: 1, dayStart: 28800 };
		const body = JSON.stringify({ doc, baseline });
		expect(body.length).toBeGreaterThan(1.5 * 1024 * 1024);
		const saved = await fetch(`${inProcess.url}/api/plans`, {
			method: 'POST',
			headers: { authorization: `Bearer ${inProcess.tokens.supervisor}`, 'content-type': 'application/json' },
			body
		});
		expect(saved.status).toBe(201);
		const { id, version } = (await saved.json()) as { id: string; version: number };
		const onB = () => get(b, `/api/plans/${id}?version=${version}`);
		await settled('the 1.5 MB plan version on the other instance', async () => (await onB()).status === 200);
		const here = await get(inProcess, `/api/plans/${id}?version=${version}`);
		expect(here.status).toBe(200);
		const there = await onB();
		expect(there.body).toEqual(here.body);
		expect(there.body.baseline.queues[0].arrivals.trace).toEqual(trace);
		expect(there.body.baseline.queues[0].arrivals.handle).toEqual(handle);
		expect(JSON.stringify(there.body).length).toBeGreaterThan(1.5 * 1024 * 1024);
	});

	it('NATS stopped: a plan save is refused with 503 and kept nowhere, an import exits 3; when NATS is back both go through', async () => {
		const small = { doc: { version: 1, name: 'While NATS is down', source: { kind: 'bundled', id: 'multichannel-day' }, changes: {}, costs: {}, replications: 20, seed: 1, dayStart: 28800 } };
		const postPlan = (s: ServerProcess) =>
			fetch(`${s.url}/api/plans`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.supervisor}`, 'content-type': 'application/json' }, body: JSON.stringify(small) });
		const names = async (s: ServerProcess) => ((await get(s, '/api/plans')).body.plans as { name?: string; doc?: { name: string } }[]).length;
		await nats.stop();
		// The instance notices the lost connection within moments; a save before that is still shared later.
		let before = await names(a);
		let refused: Response | null = null;
		await settled('a refuses a plan save', async () => {
			before = await names(a);
			const r = await postPlan(a);
			if (r.status !== 503) return false;
			refused = r;
			return true;
		}, 10_000);
		expect(refused!.headers.get('retry-after')).toBe('1');
		expect(((await refused!.json()) as { error: string }).error).toMatch(/\(NATS is unreachable\): nothing was saved/);
		expect(await names(a)).toBe(before);
		const err = sink();
		expect(await importMain([ONE_DAY, '--date', '2010-08-11', '--time-zone', 'UTC', '--nats', nats.url], sink().stream, err.stream)).toBe(3);
		expect(err.text()).toMatch(/^import: NATS unreachable at nats:\/\/127\.0\.0\.1:\d+/);
		const viaRoute = await fetch(`${a.url}/api/history/import?date=2010-08-11`, {
			method: 'POST',
			headers: { authorization: `Bearer ${a.tokens.admin}`, 'content-type': 'text/csv' },
			body: readFileSync(ONE_DAY, 'utf8')
		});
		expect(viaRoute.status).toBe(503);
		expect(((await viaRoute.json()) as { error: string }).error).toMatch(/nothing was imported$/);
		expect((await get(a, '/api/history/days/2010-08-11?source=import')).status).toBe(404);

		await nats.start();
		await settled('a saves plans again', async () => (await postPlan(a)).status === 201, 20_000);
		await settled('the plans of a on b', async () => (await names(b)) === (await names(a)), 10_000);
		expect(await importMain([ONE_DAY, '--date', '2010-08-11', '--time-zone', 'UTC', '--nats', nats.url], sink().stream, sink().stream)).toBe(0);
		for (const s of [a, b]) await settled('the import after NATS returned', async () => (await get(s, '/api/history/days/2010-08-11?source=import')).status === 200);
	});
});
