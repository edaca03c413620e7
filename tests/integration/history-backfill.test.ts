import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryDaysResponse } from '../../src/lib/domain/history';
import { parseCliArgs } from '../../src/server/cli-args';
import { startServer, type RunningServer } from '../../src/server/server';

/** A fresh install with the emulator: past days are there from the first start, once. */

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-backfill-'));
let server: RunningServer | null = null;
const start = () => startServer({ dataDir, host: '127.0.0.1', port: 0, source: { kind: 'emulator', speed: 1 }, timeZone: 'UTC', backfillDays: 7, log: () => {} });
const days = async (s: RunningServer) => ((await (await fetch(`${s.url}/api/history/days`)).json()) as HistoryDaysResponse).days.filter((d) => d.source === 'backfill');

afterAll(async () => {
	await server?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

describe('backfill of the emulated center', () => {
	it('stores the days before today, with a weekly pattern, final and with agent states', async () => {
		server = await start();
		const list = await days(server);
		const DAY = 86_400_000;
		const today = Math.floor(Date.now() / DAY) * DAY;
		expect(list.map((d) => d.date).sort()).toEqual(Array.from({ length: 7 }, (_, k) => new Date(today - (7 - k) * DAY).toISOString().slice(0, 10)));
		expect(list.every((d) => d.status === 'final' && d.offered > 1000 && d.recorded.agentStates && d.occupancy !== null)).toBe(true);
		const weekend = list.filter((d) => [0, 6].includes(new Date(`${d.date}T12:00:00Z`).getUTCDay()));
		const weekdays = list.filter((d) => ![0, 6].includes(new Date(`${d.date}T12:00:00Z`).getUTCDay()));
		expect(Math.max(...weekend.map((d) => d.offered))).toBeLessThan(0.7 * Math.min(...weekdays.map((d) => d.offered)));
		// Day-to-day variation: no two weekdays alike.
		expect(new Set(weekdays.map((d) => d.offered)).size).toBe(weekdays.length);
	});

	it('a restart on the same data dir keeps those days as they were and backfills nothing again', async () => {
		const before = JSON.stringify(await days(server!));
		await server!.close();
		server = await start();
		expect(JSON.stringify(await days(server))).toBe(before);
	});

	it('npm start backfills 28 days by default; --backfill 0 turns it off; other sources never', () => {
		expect(parseCliArgs([]).backfillDays).toBe(28);
		expect(parseCliArgs(['--backfill', '0']).backfillDays).toBe(0);
		expect(parseCliArgs(['ingest']).backfillDays).toBe(0);
		expect(() => parseCliArgs(['--backfill', 'lots'])).toThrow(/--backfill must be a number/);
	});
});
