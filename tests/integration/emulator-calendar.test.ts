import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryDaysResponse } from '../../src/lib/domain/history';
import { dayKey } from '../../src/lib/domain/time';
import { startServer, type RunningServer } from '../../src/server/server';
import { emulatedDay, emulatedHours, WEEKDAY_VOLUME } from '../../src/server/sources/emulated-day';
import { loadScenario, DEFAULT_SCENARIO } from '../../src/server/sources/emulator';

/**
 * The default emulator follows the center's calendar: today's emulated day is a day of the week
 * (weekday volume), and a restart continues it instead of starting a new one and counting today twice.
 */

/** A fixed-offset zone in which it is now about `hour` o'clock, so today's day is well under way. */
function zoneAtHour(hour: number, now = Date.now()): string {
	let offset = hour - new Date(now).getUTCHours();
	if (offset > 14) offset -= 24;
	if (offset < -12) offset += 24;
	return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Offered today on the floor (every queue). */
const offered = (s: RunningServer) => [...s.floor.queues.values()].reduce((n, q) => n + q.today.offered, 0);

/** Waits until the emulator has handed out everything due (the floor stops jumping). */
async function settled(s: RunningServer): Promise<number> {
	let last = -1;
	for (let i = 0; i < 100; i++) {
		await new Promise((r) => setTimeout(r, 200));
		const n = offered(s);
		if (n > 0 && n - last <= 2) return n;
		last = n;
	}
	throw new Error('the emulator never settled');
}

describe('emulator on the calendar', () => {
	it("scales each date's traffic by its weekday, and the same date always gives the same day", () => {
		const scenario = loadScenario(DEFAULT_SCENARIO);
		const base = scenario.queues.map((q) => ('perHour' in q.arrivals ? q.arrivals.perHour : 0));
		for (const date of ['2026-11-29', '2026-11-30', '2026-12-05']) {
			const d = emulatedDay(scenario, date, 1, 'UTC');
			const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
			expect(d.volume / WEEKDAY_VOLUME[weekday]!).toBeGreaterThanOrEqual(0.9);
			expect(d.volume / WEEKDAY_VOLUME[weekday]!).toBeLessThan(1.1);
			d.scenario.queues.forEach((q, i) => {
				if ('perHour' in q.arrivals) expect(q.arrivals.perHour).toBeCloseTo(base[i]! * d.volume, 9);
			});
			expect(d.startTs).toBe(Date.parse(`${date}T08:00:00Z`));
			expect(emulatedDay(scenario, date, 1, 'UTC')).toEqual(d);
		}
	});

	it('the center opens at 08:00 for the scenario\'s length (the bundled day closes 20:00); a day to midnight never closes', () => {
		const scenario = loadScenario(DEFAULT_SCENARIO);
		expect(scenario.horizon).toBe(12 * 3600);
		expect(emulatedHours(scenario, 'Europe/Paris')).toEqual({ open: '08:00', close: '20:00', timeZone: 'Europe/Paris' });
		expect(emulatedHours({ horizon: 9.5 * 3600 }, 'UTC')).toEqual({ open: '08:00', close: '17:30', timeZone: 'UTC' });
		expect(emulatedHours({ horizon: 16 * 3600 }, 'UTC')).toBeNull();
	});

	it('a restart mid-day continues today: the floor shows the same day and history does not count it twice', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-calendar-'));
		dirs.push(dir);
		const timeZone = zoneAtHour(14);
		const opts = { dataDir: dir, port: 0, timeZone, source: { kind: 'emulator' as const }, log: () => undefined, backfillDays: 0 };
		const first = await startServer(opts);
		const before = await settled(first);
		await first.close();

		const second = await startServer(opts);
		const after = await settled(second);
		// A few seconds of the day passed in between; a new day would start from nothing.
		expect(after).toBeGreaterThanOrEqual(before);
		expect(after - before).toBeLessThan(Math.max(10, before * 0.05));
		await new Promise((r) => setTimeout(r, 500));
		const days = (await (await fetch(`${second.url}/api/history/days`)).json()) as HistoryDaysResponse;
		const today = days.days.find((d) => d.source === 'emulator' && d.date === dayKey(second.floor.dayStart, timeZone));
		expect(today, JSON.stringify(days.days.slice(0, 3))).toBeDefined();
		// History is the floor's projection: the same offered, not the day twice.
		expect(today!.offered).toBe(offered(second));
		await second.close();
	});
});
