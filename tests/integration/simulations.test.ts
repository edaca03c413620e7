import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulationInfo } from '../../src/lib/api/types';
import type { DeltaFrame, SnapshotFrame, SourceFrame, SourceInfo } from '../../src/lib/protocol/frames';
import { CLOSE_BOARD_GONE } from '../../src/server/live-hub';
import { DB_FILE } from '../../src/server/store';
import { traceEvents } from '../../sim/trace';
import type { Scenario } from '../../sim/scenario';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

/**
 * "Play on the wallboard" over real sockets: a supervisor POSTs a scenario, the day plays on a
 * board of its own with a `simulation` source, ends by itself, and nothing of it reaches the
 * store (event log, history rows) or the live floor.
 */

let t: TestServer | null = null;
afterEach(async () => {
	await t?.stop();
	t = null;
});

/** Two simulated hours of one voice queue at 600 contacts an hour: at 3600× it plays in 2 s. */
const scenario: Scenario = {
	name: 'two quiet hours',
	horizon: 7200,
	interval: 900,
	queues: [{ id: 'sim-q', channel: 'voice', arrivals: { perHour: 600 }, handle: { dist: 'exponential', mean: 30 } }],
	agents: [{ group: 'g', count: 8, skills: { 'sim-q': 1 } }]
};

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
	const res = await fetch(`${t!.url}${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Rows of every table of the store (event log, history rows, configs, audit). */
function storedRows(dataDir: string): Record<string, number> {
	const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
	try {
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
		expect(tables).toEqual(expect.arrayContaining(['events', 'h_days', 'h_counts', 'h_legs', 'h_agent_states']));
		return Object.fromEntries(tables.map((name) => [name, (db.prepare(`SELECT count(*) AS n FROM ${name}`).get() as { n: number }).n]));
	} finally {
		db.close();
	}
}

const offeredOf = (f: SnapshotFrame | DeltaFrame): number | null => {
	const total = f.type === 'snapshot' ? f.floor.total : f.changes.total;
	return total ? total.today.offered : null;
};

describe('POST /api/simulations', () => {
	it('plays a scenario on a board of its own, marked simulation, ends by itself, and stores nothing', async () => {
		t = await startTestServer({ flushMs: 50 });
		// Some live traffic first, so "nothing stored" is measured against a store that has rows.
		expect((await postEvents(t.url, t.tokens.ingest, [ev.queued('live-1'), ev.queued('live-2')])).status).toBe(202);
		const daysBefore = await call('GET', '/api/history/days', t.tokens.viewer);
		const rowsBefore = storedRows(t.dataDir);
		expect(rowsBefore.events).toBe(2);

		const started = await call('POST', '/api/simulations', t.tokens.supervisor, { scenario, seed: 7, speed: 3600 });
		expect(started.status).toBe(201);
		const info = started.body as SimulationInfo;
		expect(info).toMatchObject({ board: info.id, name: 'two quiet hours', seed: 7, speed: 3600, state: 'running' });
		expect(info.simEnd - info.simStart).toBe(7200 * 1000);

		const c = await LiveClient.connect(t.url, `board=${encodeURIComponent(info.board)}`);
		expect(c.hello?.source).toMatchObject({ kind: 'simulation', plan: 'two quiet hours', speed: 3600 });
		await c.until(() => c.ofType('snapshot').length > 0, 5000, 'snapshot');
		// Ended is told by a source frame, or already in hello when the client came after the end (a loaded machine).
		const endedIn = (source: SourceInfo | undefined) => source?.kind === 'simulation' && source.ended === true;
		const ended = () => endedIn(c.hello?.source) || c.ofType('source').some((f: SourceFrame) => endedIn(f.source));
		await c.until(ended, 15_000, 'the simulation to end');

		// The board's count is the day's: every contact.queued the simulator wrote for this seed and start.
		const trace = traceEvents(scenario, { seed: 7, startTs: info.simStart });
		const queued = trace.filter((e) => e.type === 'contact.queued').length;
		// Poisson with mean 1200: far inside 5 standard deviations.
		expect(Math.abs(queued - 1200)).toBeLessThan(5 * Math.sqrt(1200));
		let offered = 0;
		for (const { frame } of c.frames) if (frame.type === 'snapshot' || frame.type === 'delta') offered = offeredOf(frame) ?? offered;
		expect(offered).toBe(queued);
		const snapshots = c.ofType('snapshot');
		expect(snapshots.length).toBeGreaterThan(0);
		expect(snapshots[0]!.floor.board.id).toBe(info.board);
		// Frames carry the simulated clock: it ends once the day is over and its last contact is done
		// (within a simulated hour, one wall second at 3600×, of that last event).
		const last = c.frames.map((f) => f.frame).filter((f) => f.type === 'snapshot' || f.type === 'delta').at(-1) as SnapshotFrame | DeltaFrame;
		expect(last.serverTime).toBeGreaterThanOrEqual(info.simEnd);
		expect(last.serverTime).toBeLessThanOrEqual(Math.max(info.simEnd, trace.at(-1)!.ts) + 3600_000);

		const listed = await call('GET', '/api/simulations', t.tokens.viewer);
		expect(listed.body.simulations).toEqual([expect.objectContaining({ id: info.id, state: 'ended', offered: queued })]);

		// Nothing reached the store or the live floor but the audit: who started it, and that it ended.
		expect(storedRows(t.dataDir)).toEqual({ ...rowsBefore, audit: rowsBefore.audit! + 2 });
		const audit = (await call('GET', '/api/audit', t.tokens.admin)).body.audit as { ts: number; actor: string; action: string; target: string; detail: string }[];
		const lines = audit.filter((a) => a.action.startsWith('simulation.')).reverse();
		expect(lines.map((a) => [a.actor, a.action, a.target])).toEqual([
			['supervisor (bootstrap token)', 'simulation.start', info.id],
			['server', 'simulation.end', info.id]
		]);
		expect(JSON.parse(lines[0]!.detail)).toEqual({ name: 'two quiet hours', seed: 7, speed: 3600, simStart: info.simStart, simEnd: info.simEnd });
		expect(JSON.parse(lines[1]!.detail)).toEqual({ name: 'two quiet hours', offered: queued });
		expect(lines[0]!.ts).toBe(info.startedAt);
		expect(lines[1]!.ts).toBeGreaterThanOrEqual(info.startedAt);
		expect(await call('GET', '/api/history/days', t.tokens.viewer)).toEqual(daysBefore);
		const live = await LiveClient.connect(t.url);
		await live.until(() => live.ofType('snapshot').length === 1, 5000, 'live snapshot');
		expect(live.ofType('snapshot')[0]!.floor.total.today.offered).toBe(2);
		expect(live.ofType('snapshot')[0]!.floor.queues.map((q) => q.id)).not.toContain('sim-q');
		c.close();
		live.close();
	});

	it('DELETE stops a simulation and closes its walls; at most two run at once', async () => {
		t = await startTestServer({ flushMs: 50 });
		const slow = { scenario, speed: 1 };
		const a = await call('POST', '/api/simulations', t.tokens.supervisor, slow);
		const b = await call('POST', '/api/simulations', t.tokens.supervisor, slow);
		expect([a.status, b.status]).toEqual([201, 201]);
		expect(a.body.board).not.toBe(b.body.board);
		const third = await call('POST', '/api/simulations', t.tokens.supervisor, slow);
		expect(third.status).toBe(409);
		expect(third.body.error).toMatch(/2 simulations are running/);

		const c = await LiveClient.connect(t.url, `board=${a.body.board}`);
		await c.until(() => c.ofType('snapshot').length === 1, 5000, 'snapshot');
		const stopped = await call('DELETE', `/api/simulations/${a.body.id}`, t.tokens.supervisor);
		expect(stopped.status).toBe(200);
		expect(stopped.body.state).toBe('stopped');
		await c.until(() => c.closeCode !== null, 5000, 'close');
		expect(c.closeCode).toBe(CLOSE_BOARD_GONE);
		expect((await call('DELETE', `/api/simulations/${a.body.id}`, t.tokens.supervisor)).status).toBe(404);
		expect((await call('GET', '/api/simulations', t.tokens.viewer)).body.simulations.map((s: SimulationInfo) => s.id)).toEqual([b.body.id]);
		// Room again for one.
		expect((await call('POST', '/api/simulations', t.tokens.supervisor, slow)).status).toBe(201);
		// A simulation's board cannot be overwritten as a saved board.
		expect((await call('PUT', `/api/boards/${b.body.board}`, t.tokens.admin, { name: 'x' })).status).toBe(409);
		// Audited: three starts and one stop, each by the supervisor; the refused one and the 404 not at all.
		const audit = (await call('GET', '/api/audit', t.tokens.admin)).body.audit as { actor: string; action: string; target: string; detail: string }[];
		const lines = audit.filter((x) => x.action.startsWith('simulation.')).reverse();
		expect(lines.map((x) => [x.actor, x.action])).toEqual([
			['supervisor (bootstrap token)', 'simulation.start'],
			['supervisor (bootstrap token)', 'simulation.start'],
			['supervisor (bootstrap token)', 'simulation.stop'],
			['supervisor (bootstrap token)', 'simulation.start']
		]);
		expect(lines.map((x) => x.target).slice(0, 3)).toEqual([a.body.id, b.body.id, a.body.id]);
		expect(JSON.parse(lines[2]!.detail)).toMatchObject({ name: 'two quiet hours', wasEnded: false });
	});

	it('refuses a bad request naming the problem, and anyone but a supervisor', async () => {
		t = await startTestServer({ flushMs: 50 });
		expect((await call('POST', '/api/simulations', null, { scenario })).status).toBe(401);
		expect((await call('POST', '/api/simulations', t.tokens.viewer, { scenario })).status).toBe(403);
		expect((await call('DELETE', '/api/simulations/sim-1', null)).status).toBe(401);

		const badRate = { ...scenario, queues: [{ ...scenario.queues[0]!, arrivals: { perHour: -5 } }] };
		const r1 = await call('POST', '/api/simulations', t.tokens.supervisor, { scenario: badRate });
		expect(r1.status).toBe(400);
		expect(r1.body.errors.map((e: { path: string }) => e.path)).toContain('/scenario/queues/0/arrivals/perHour');

		const r2 = await call('POST', '/api/simulations', t.tokens.supervisor, { scenario, speed: 0 });
		expect(r2.status).toBe(400);
		expect(r2.body.errors.map((e: { path: string }) => e.path)).toEqual(['/speed']);

		const r3 = await call('POST', '/api/simulations', t.tokens.supervisor, { scenario: { ...scenario, horizon: 3 * 86400 } });
		expect(r3.status).toBe(400);
		expect(r3.body.errors).toEqual([{ path: '/scenario/horizon', message: expect.stringMatching(/at most 86400 s/) }]);

		const huge = { ...scenario, queues: [{ ...scenario.queues[0]!, arrivals: { perHour: 1e6 } }] };
		const r4 = await call('POST', '/api/simulations', t.tokens.supervisor, { scenario: huge });
		expect(r4.status).toBe(400);
		expect(r4.body.errors[0].path).toBe('/scenario/queues');

		expect((await call('POST', '/api/simulations', t.tokens.supervisor, '{"scenario":')).status).toBe(400);
		expect((await call('POST', '/api/simulations', t.tokens.supervisor, { scenario, extra: 1 })).status).toBe(400);
		// Nothing was started by any of these.
		expect((await call('GET', '/api/simulations', t.tokens.viewer)).body.simulations).toEqual([]);
	});
});
