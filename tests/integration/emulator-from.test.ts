import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BoardProjector } from '../../src/lib/domain/board';
import { DEFAULT_BOARD } from '../../src/lib/domain/board-config';
import { DEFAULT_FLOOR_CONFIG, Floor } from '../../src/lib/domain/floor';
import { dayStart } from '../../src/lib/domain/time';
import { DEFAULT_SCENARIO, loadScenario, scenarioQueues } from '../../src/server/sources/emulator';
import { traceEvents } from '../../sim/trace';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { LiveClient } from './helpers/live-client';

/**
 * `npm start -- --from 16:00` (#11): a demo day whose clock reads 16:00 today, with the hours since
 * the center opened (08:00, as on the calendar) played at once. The board it opens with must be the board the same events give when
 * played at 1×: here a domain Floor is fed the scenario's events tick by tick (250 ms), the way the
 * server's 1× tick feeds them, and projected for the same board.
 */

let server: ServerProcess | null = null;
const dirs: string[] = [];
afterAll(async () => {
	await server?.kill();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('--from HH:MM', () => {
	it('opens at that clock time today with the occupancy and trend of the same events played at 1×', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-from-'));
		dirs.push(dir);
		const midnight = dayStart(Date.now(), 'UTC');
		server = await spawnServer(['--from', '16:00', '--time-zone', 'UTC', '--port', '0', '--data', dir, '--backfill', '0']);
		const c = await LiveClient.connect(server.url);
		await c.until(() => c.ofType('snapshot').length > 0, 10_000, 'a snapshot');
		const snap = c.ofType('snapshot')[0]!;
		c.close();
		// The clock is a clock time: 16:00 today (UTC), plus the seconds the server took to start.
		const at = snap.serverTime;
		expect(at).toBeGreaterThanOrEqual(midnight + 16 * 3600_000);
		expect(at).toBeLessThan(midnight + 16 * 3600_000 + 60_000);
		expect(snap.floor.dayStart).toBe(midnight);

		// The same day at 1×: the default seed's events from the 08:00 opening, applied tick by tick.
		const scenario = loadScenario(DEFAULT_SCENARIO);
		const events = traceEvents(scenario, { seed: 1, startTs: midnight + 8 * 3600_000 });
		const floor = new Floor({ ...DEFAULT_FLOOR_CONFIG, queues: scenarioQueues(scenario) }, midnight, { rollDayOnEventTime: false });
		let next = 0;
		for (let t = midnight; t <= at; t = Math.min(at, t + 250)) {
			while (next < events.length && events[next]!.ts <= t) floor.apply(events[next++]!);
			floor.advance(t);
			if (t === at) break;
		}
		const want = new BoardProjector(DEFAULT_BOARD).view(floor);
		const got = snap.floor;

		expect(got.total.today.offered).toBe(want.total.today.offered);
		expect(got.total.today.answered).toBe(want.total.today.answered);
		expect(got.total.today.occupancy).toBeCloseTo(want.total.today.occupancy!, 2);
		expect(got.total.rolling.occupancy).toBeCloseTo(want.total.rolling.occupancy!, 2);
		expect(got.total.agents.available).toBe(want.total.agents.available);
		// Every played-in interval has its bars: the trend is the 1× trend, interval by interval.
		const key = (p: { start: number; offered: number; answered: number; abandoned: number; waitingMax: number }) =>
			`${new Date(p.start).toISOString().slice(11, 16)} offered ${p.offered} answered ${p.answered} abandoned ${p.abandoned} max ${p.waitingMax}`;
		expect(got.trend.map(key)).toEqual(want.trend.map(key));
		expect(got.trend.filter((p) => p.offered > 0).length).toBeGreaterThan(4);
	}, 120_000);
});
