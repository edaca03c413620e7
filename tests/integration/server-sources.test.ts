import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Floor, DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { validateBatch } from '../../src/lib/domain/events';
import { parseCliArgs } from '../../src/server/cli-args';
import { bankQueues, importBankCsv } from '../../src/server/sources/bank-csv';
import { DEFAULT_SCENARIO, loadScenario } from '../../src/server/sources/emulator';
import { traceEvents } from '../../sim/trace';
import { zoneAtHour } from '../e2e/helpers/server';
import { LiveClient } from './helpers/live-client';
import { ev, startTestServer, type TestServer } from './helpers/server';

const BANK_CSV = join(import.meta.dirname, '../../../shared/data/anonymous-bank-1999-one-day.csv');

let t: TestServer | null = null;
afterEach(async () => {
	await t?.stop();
	t = null;
});

describe('Anonymous Bank importer', () => {
	it('maps the call log to events that the floor applies without anomalies, matching the published counts', () => {
		const day = Date.UTC(2026, 0, 5);
		const events = importBankCsv(readFileSync(BANK_CSV, 'utf8'), day);
		expect(validateBatch(events).ok).toBe(true);
		const count = (type: string) => events.filter((e) => e.type === type).length;
		// README: 1,511 served, 728 hung up in the queue; 268 served calls never queued (offered with no wait).
		expect(count('contact.answered')).toBe(1511);
		expect(count('contact.abandoned')).toBe(728);
		expect(count('contact.queued')).toBe(1511 + 728);
		// 18 named agents, plus one stand-in for the six served calls that name none.
		expect(count('agent.profile')).toBe(19);
		expect(events.every((e, i) => i === 0 || e.ts >= events[i - 1]!.ts)).toBe(true);

		const floor = new Floor({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC', queues: bankQueues() }, day);
		for (const e of events) floor.apply(e);
		floor.advance(events.at(-1)!.ts);
		expect(floor.stats.anomalies).toBe(0);
		let offered = 0;
		let answered = 0;
		let abandoned = 0;
		let waitSum = 0;
		for (const q of floor.queues.values()) {
			offered += q.today.offered;
			answered += q.today.answered;
			abandoned += q.today.abandoned;
			waitSum += q.today.answeredWaitSum;
		}
		expect([offered, answered, abandoned]).toEqual([2239, 1511, 728]);
		// README: the mean wait of the answered calls is 134.8 s.
		// Waits here run from q_start to ser_start, which differ from the log's q_time by a second here and there.
		expect(waitSum / answered).toBeGreaterThan(133);
		expect(waitSum / answered).toBeLessThan(136);
	});

	it('rejects a file that is not the call log, naming the line', () => {
		expect(() => importBankCsv('a,b\n1,2\n', 0)).toThrow(/line 2: column/);
	});
});

describe('sources in the server', () => {
	it('the emulator plays the bundled day at N× speed through the same floor, visible on /live', async () => {
		t = await startTestServer({ source: { kind: 'emulator', speed: 120, seed: 3 } });
		const c = await LiveClient.connect(t.url);
		await c.until(() => c.ofType('delta').length >= 3, 10_000, 'deltas from the emulator');
		expect(t.server.metrics.eventsAccepted).toBeGreaterThan(0);
		expect(t.server.metrics.anomalies).toBe(0);
		const snap = c.ofType('snapshot')[0]!;
		expect(snap.floor.queues.length).toBeGreaterThan(3);
		expect(new Set(snap.floor.queues.map((q) => q.channel)).size).toBeGreaterThan(2);
		c.close();
	});

	it('the emulator started 4 hours into its day plays those hours at once: the board opens with their history', async () => {
		// 12:00 on the clock: 4 hours after the emulated center's 08:00 opening.
		const from = 12 * 3600;
		const played = 4 * 3600;
		// The events of the first 4 hours, counted from the simulator directly (the day's timing does not depend on its start).
		const day = traceEvents(loadScenario(DEFAULT_SCENARIO), { seed: 3, startTs: 0 });
		const upTo = (s: number) => day.filter((e) => e.ts <= s * 1000).length;
		// Local noon: no daily reset inside the 4 hours.
		t = await startTestServer({ source: { kind: 'emulator', speed: 1, seed: 3, from }, timeZone: zoneAtHour(12) });
		const c = await LiveClient.connect(t.url);
		await c.until(() => t!.server.metrics.eventsAccepted >= upTo(played), 10_000, 'the first 4 hours played');
		expect(t.server.metrics.eventsAccepted).toBeLessThanOrEqual(upTo(played + 60));
		expect(t.server.metrics.anomalies).toBe(0);
		c.close();
		const late = await LiveClient.connect(t.url);
		await late.until(() => late.ofType('snapshot').length > 0, 5000, 'a snapshot');
		const floor = late.ofType('snapshot')[0]!.floor;
		// 4 hours of 15-minute intervals: 16, or 17 when the day did not start on an interval boundary.
		expect(floor.trend.length).toBeGreaterThanOrEqual(16);
		expect(floor.trend.length).toBeLessThanOrEqual(17);
		const arrived = day.filter((e) => e.type === 'contact.queued' && e.ts <= played * 1000).length;
		expect(floor.total.today.offered).toBeGreaterThanOrEqual(arrived * 0.99);
		late.close();
	});

	it('refuses an emulator start outside the emulated day', async () => {
		await expect(startTestServer({ source: { kind: 'emulator', from: 21 * 3600 } })).rejects.toThrow(/--from: 13:00 into the emulated day is past its end \(the day is 12:00 long/);
		await expect(startTestServer({ source: { kind: 'emulator', from: 6 * 3600 } })).rejects.toThrow(/--from 06:00 is before the emulated center opens \(08:00\)/);
	});

	it('replays a JSONL trace moved to today, and refuses a trace with a bad line naming it', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-trace-'));
		try {
			const yesterday = Date.now() - 86_400_000;
			const lines = [ev.profile('tr-1', 'Trace agent', yesterday), ev.state('tr-1', 'available', yesterday), ev.queued('tr-c1', 'trace-q', yesterday + 10)];
			const file = join(dir, 'day.jsonl');
			writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
			t = await startTestServer({ source: { kind: 'replay', trace: file, speed: 1 }, timeZone: 'UTC' });
			const c = await LiveClient.connect(t.url);
			await c.until(() => t!.server.metrics.eventsAccepted === 3, 5000, 'the trace played');
			expect(t.server.floor.queues.get('trace-q')!.waiting.size).toBe(1);
			const since = t.server.floor.queues.get('trace-q')!.oldestSince()!;
			expect(since).toBeGreaterThan(Date.now() - 86_400_000);
			c.close();

			const bad = join(dir, 'bad.jsonl');
			writeFileSync(bad, JSON.stringify(lines[0]) + '\n{"type":"contact.queued","id":"x"}\n');
			await expect(startTestServer({ source: { kind: 'replay', trace: bad } })).rejects.toThrow(/bad\.jsonl:2/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('command line', () => {
	it('parses sources and flags, and names what is wrong', () => {
		const a = parseCliArgs(['replay', '--trace', 'x.csv', '--speed', '10', '--port', '0', '--flush-ms=20']);
		expect(a.source).toEqual({ kind: 'replay', trace: 'x.csv', day: undefined, speed: 10 });
		expect([a.port, a.flushMs, a.host, a.dataDir]).toEqual([0, 20, '127.0.0.1', './data']);
		expect(parseCliArgs([], { PORT: '9000' }).port).toBe(9000);
		expect(parseCliArgs([]).source).toMatchObject({ kind: 'emulator' });
		expect(() => parseCliArgs(['replay'])).toThrow(/--trace FILE or --day/);
		expect(() => parseCliArgs(['--speed', 'fast'])).toThrow(/--speed/);
		expect(() => parseCliArgs(['--bogus', '1'])).toThrow(/unknown option --bogus/);
		expect(() => parseCliArgs(['teleport'])).toThrow(/unknown source/);
		expect(parseCliArgs(['--from', '04:30']).source).toMatchObject({ kind: 'emulator', from: 16_200 });
		expect(() => parseCliArgs(['--from', '4h'])).toThrow(/--from must be a clock time HH:MM/);
		expect(() => parseCliArgs(['--from', '25:00'])).toThrow(/--from must be a clock time HH:MM \(00:00..23:59\), got "25:00"/);
		expect(() => parseCliArgs(['replay', '--trace', 'x.csv', '--from', '04:00'])).toThrow(/--from applies to the emulator only/);
	});
});
