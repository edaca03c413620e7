import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor } from '../../src/lib/domain/floor';
import { LiveHistory } from '../../src/server/history/live';
import { Intake } from '../../src/server/intake';
import { Metrics } from '../../src/server/metrics';
import { Store } from '../../src/server/store';

/**
 * Group commit over a real SQLite file: with a commit wait, batches from different event-loop
 * turns share one transaction (the server's tick commits them), and no submitter hears back before
 * its batch is stored.
 */

const T0 = Date.parse('2026-03-10T09:00:00Z');
const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
	for (const st of stores.splice(0)) st.close();
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(commitWaitMs: number) {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-group-'));
	dirs.push(dir);
	const store = new Store(dir);
	stores.push(store);
	const floor = new Floor({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, T0, { rollDayOnEventTime: false });
	const history = new LiveHistory(store, floor, { source: 'ingest', log: () => {} });
	const metrics = new Metrics();
	const intake = new Intake(floor, store, history, metrics, undefined, commitWaitMs);
	return { store, floor, metrics, intake };
}

let n = 0;
const queued = (): FloorEvent => ({ type: 'contact.queued', id: `g${++n}`, ts: T0 + n, contact: `gc${n}`, queue: 'sales', channel: 'voice' });
const turn = () => new Promise((r) => setImmediate(r));
const commits = (m: Metrics) => m.commitLatency.count;

describe('grouped commits', () => {
	it('batches of several event-loop turns wait for commit() and are stored in one transaction, each answered only after it', async () => {
		const { store, floor, metrics, intake } = setup(10_000);
		const answered: number[] = [];
		const submits: Promise<unknown>[] = [];
		for (let i = 0; i < 3; i++) {
			submits.push(intake.submit([queued(), queued()]).then((r) => answered.push(r.accepted)));
			await turn();
		}
		await turn();
		// Nothing stored, applied or answered yet: a 202 means on disk.
		expect(answered).toEqual([]);
		expect(store.eventCount()).toBe(0);
		expect(floor.queues.get('sales')?.today.offered ?? 0).toBe(0);
		expect(commits(metrics)).toBe(0);

		intake.commit();
		await Promise.all(submits);
		expect(answered).toEqual([2, 2, 2]);
		expect(commits(metrics)).toBe(1);
		expect(store.eventCount()).toBe(6);
		expect(floor.queues.get('sales')!.today.offered).toBe(6);
		intake.commit(); // nothing waiting: no empty transaction
		expect(commits(metrics)).toBe(1);
	});

	it('without a commit() call a batch still commits once the wait is over', async () => {
		const { store, metrics, intake } = setup(30);
		const t0 = performance.now();
		const r = await intake.submit([queued()]);
		expect(r.accepted).toBe(1);
		expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
		expect(commits(metrics)).toBe(1);
		expect(store.eventCount()).toBe(1);
	});

	it('512 or more waiting events commit at once, without waiting for the tick', async () => {
		const { store, metrics, intake } = setup(10_000);
		const small = intake.submit([queued()]);
		await turn();
		const big = intake.submit(Array.from({ length: 511 }, queued));
		const [a, b] = await Promise.all([small, big]);
		expect(a.accepted + b.accepted).toBe(512);
		expect(commits(metrics)).toBe(1);
		expect(store.eventCount()).toBe(512);
	});

	it('with no wait (a cluster applying its stream) each event-loop turn is one commit', async () => {
		const { metrics, intake } = setup(0);
		await Promise.all([intake.submit([queued()]), intake.submit([queued()])]);
		await intake.submit([queued()]);
		expect(commits(metrics)).toBe(2);
	});

	it('history rows are written without an fsync of their own; the event commit keeps synchronous=FULL, even after a failed write', async () => {
		const { store, floor, metrics } = setup(0);
		const sync = () => store.db.pragma('synchronous', { simple: true });
		const seen: number[] = [];
		const history = { asIngest: <T>(fn: () => T) => fn(), flush: () => seen.push(sync() as number) > 0 };
		const intake = new Intake(floor, store, history, metrics);
		expect(sync()).toBe(2); // FULL
		await intake.submit([queued()]);
		await intake.submit([queued()]);
		expect(seen).toEqual([1, 1]); // NORMAL while history rows are written
		expect(sync()).toBe(2);
		expect(() =>
			store.rederivable(() => {
				throw new Error('write failed');
			})
		).toThrow('write failed');
		expect(sync()).toBe(2);
	});
});
