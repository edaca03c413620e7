import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/import';
import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { HistoryQueries } from '../../src/server/history/queries';
import { importText } from '../../src/server/history/import';
import { pruneBefore } from '../../src/server/history/retention';
import { Store } from '../../src/server/store';
import { readSharedData, sharedDataPath } from '../shared-data';

/**
 * Importing the real Anonymous Bank files into a real SQLite store. Expected counts are computed
 * here straight from the raw CSV rows (split on commas; the files hold no quotes), not with the
 * project's parser: offered = queued, or answered without queueing; abandoned = hung up in queue;
 * PHANTOM left out; the day is the one the call was offered in; mean wait = ser_start (q_exit when no service time) − q_start of answered calls
 * that queued (0 for the others).
 */

const MONTH = readSharedData('anonymous-bank-1999-08-01-to-24.csv');
const ONE_DAY = readSharedData('anonymous-bank-1999-one-day.csv');
const UTC = { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' };

interface DayCounts {
	offered: number;
	answered: number;
	abandoned: number;
	waitSum: number;
}

const secs = (hms: string) => {
	const [h, m, s] = hms.split(':').map(Number);
	return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
};

const nextDays = (date: string, n: number) => (n === 0 ? date : new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10));

/** Per date, from the raw rows. */
function expected(text: string, fixedDate?: string): Map<string, DayCounts> {
	const [head, ...lines] = text.trim().split('\n');
	const col = new Map((head ?? '').split(',').map((c, i) => [c.trim(), i]));
	const get = (cells: string[], name: string) => (cells[col.get(name) ?? -1] ?? '').trim();
	const out = new Map<string, DayCounts>();
	for (const line of lines) {
		const c = line.split(',');
		const outcome = get(c, 'outcome');
		if (outcome === 'PHANTOM') continue;
		const queued = get(c, 'q_start') !== '0:00:00';
		if (!queued && outcome !== 'AGENT') continue;
		// A contact belongs to the day it was offered: a call entering at 23:59 and queued at 0:00:30 is the next day's.
		// Offered when queued, else when served; a served call with no service time recorded, when it left the IVR.
		const served = get(c, 'ser_start') !== '0:00:00';
		let offeredAt = secs(queued ? get(c, 'q_start') : served ? get(c, 'ser_start') : get(c, 'vru_exit'));
		if (offeredAt < secs(get(c, 'vru_entry')) - 12 * 3600) offeredAt += 86_400;
		const date = nextDays(fixedDate ?? get(c, 'date'), Math.floor(offeredAt / 86_400));
		const d = out.get(date) ?? { offered: 0, answered: 0, abandoned: 0, waitSum: 0 };
		d.offered++;
		if (outcome === 'AGENT') {
			d.answered++;
			if (queued) {
				// A few served calls have no service times: answered when they left the queue.
				const answeredAt = get(c, 'ser_start') === '0:00:00' ? get(c, 'q_exit') : get(c, 'ser_start');
				let w = secs(answeredAt) - secs(get(c, 'q_start'));
				if (w < -12 * 3600) w += 86_400; // answered after midnight
				d.waitSum += Math.max(0, w);
			}
		} else d.abandoned++;
		out.set(date, d);
	}
	return out;
}

let dir: string;
let store: Store;
let seconds = 0;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'sightline-import-'));
	store = new Store(dir);
	const t0 = performance.now();
	importText(store, MONTH, { format: 'anonymous-bank', config: UTC });
	seconds = (performance.now() - t0) / 1000;
}, 300_000);
afterAll(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('import of the Anonymous Bank files', () => {
	it('the 24-day file becomes 24 days, dates as given, each with the counts of its raw rows', () => {
		const want = expected(MONTH);
		const days = new HistoryQueries(store.db).days().filter((d) => d.source === 'import');
		expect(days.map((d) => d.date).sort()).toEqual([...want.keys()].sort());
		expect(days).toHaveLength(24);
		for (const d of days) {
			const w = want.get(d.date)!;
			expect([d.offered, d.answered, d.abandoned], d.date).toEqual([w.offered, w.answered, w.abandoned]);
			expect(d.asa!, d.date).toBeCloseTo(w.waitSum / w.answered, 6);
			// No logins in the file: occupancy is not recorded, never 0 or 100%.
			expect(d.occupancy).toBeNull();
			expect(d.recorded).toEqual({ agentStates: false, afterContactWork: false, csat: false });
		}
		expect(seconds).toBeGreaterThan(0);
	});

	it('a day’s trace keeps priority, wait and talk apart, and invents no after-call work or logins', () => {
		const t = new HistoryQueries(store.db).trace('2010-08-02', 'import')!;
		expect(t.contacts.length).toBe(expected(MONTH).get('2010-08-02')!.offered);
		expect(new Set(t.contacts.map((c) => c.priority))).toEqual(new Set([0, 1, 2]));
		const served = t.contacts.filter((c) => c.outcome === 'handled');
		expect(served.every((c) => c.talk !== null && c.afterContactWork === null)).toBe(true);
		expect(t.agentStates).toEqual([]);
		const day = new HistoryQueries(store.db).day('2010-08-02', 'import', { agents: true })!;
		expect(day.snapshot.agents!.every((a) => a.available === null && a.offline === null && a.occupancy === null)).toBe(true);
	});

	it('the one-day file imported as 2010-08-01 replaces that day (the same calls), never doubles it', () => {
		const before = new HistoryQueries(store.db).days().find((d) => d.date === '2010-08-01' && d.source === 'import')!;
		const r = importText(store, ONE_DAY, { format: 'anonymous-bank', config: UTC });
		expect(r.days.map((d) => d.date)).toEqual(['2010-08-01']);
		const after = new HistoryQueries(store.db).days().filter((d) => d.source === 'import');
		expect(after).toHaveLength(24);
		const d = after.find((x) => x.date === '2010-08-01')!;
		const w = expected(ONE_DAY, '2010-08-01').get('2010-08-01')!;
		expect([d.offered, d.answered, d.abandoned]).toEqual([w.offered, w.answered, w.abandoned]);
		expect([d.offered, d.answered, d.abandoned]).toEqual([before.offered, before.answered, before.abandoned]);
		// The README's own figures for that day: 1,971 queued of whom 728 hung up; 1,511 served.
		expect([d.answered, d.abandoned]).toEqual([1511, 728]);
		// Again: nothing changes.
		const again = JSON.stringify(new HistoryQueries(store.db).day('2010-08-01', 'import', { agents: true }));
		importText(store, ONE_DAY, { format: 'anonymous-bank', config: UTC });
		expect(JSON.stringify(new HistoryQueries(store.db).day('2010-08-01', 'import', { agents: true }))).toBe(again);
	});

	it('retention never removes imported days, however old their dates (only days the server recorded itself)', () => {
		const before = new HistoryQueries(store.db).days().filter((d) => d.source === 'import').length;
		expect(before).toBe(24);
		// A cutoff after every imported date, as a server started today with 400 days kept would use.
		pruneBefore(store.db, new Map([['main', '2100-01-01']]));
		expect(new HistoryQueries(store.db).days().filter((d) => d.source === 'import')).toHaveLength(24);
	});

	it('bad rows are reported by line and field and skipped whole; the good rows go in', () => {
		const lines = ONE_DAY.trim().split('\n').slice(0, 41);
		lines[5] = lines[5]!.replace(/,PS,|,PE,|,IN,|,NE,|,NW,|,TT,/, ',XX,');
		lines[9] = lines[9]!.replace(/,(\d{1,2}:\d\d:\d\d),/, ',25:61:00,');
		const text = `${lines.join('\n')}\n`;
		const dir2 = mkdtempSync(join(tmpdir(), 'sightline-import-bad-'));
		const s2 = new Store(dir2);
		try {
			const r = importText(s2, text, { format: 'anonymous-bank', date: '2010-09-05', config: UTC });
			expect(r.errors.map((e) => [e.line, e.field])).toEqual([
				[6, 'type'],
				[10, 'vru_entry']
			]);
			const good = expected([lines[0], ...lines.slice(1).filter((_, i) => i !== 4 && i !== 8)].join('\n'), '2010-09-05').get('2010-09-05')!;
			expect(r.days).toEqual([{ date: '2010-09-05', offered: good.offered, answered: good.answered, abandoned: good.abandoned }]);
		} finally {
			s2.close();
			rmSync(dir2, { recursive: true, force: true });
		}
	});

	it('the command line: --date, --data, a summary per day, exit 2 with one clear line on bad usage', async () => {
		const dir3 = mkdtempSync(join(tmpdir(), 'sightline-import-cli-'));
		const out: string[] = [];
		const err: string[] = [];
		const sink = (into: string[]) => ({ write: (s: string) => into.push(s) > 0, isTTY: false }) as unknown as NodeJS.WriteStream;
		try {
			expect(await main([sharedDataPath('anonymous-bank-1999-one-day.csv'), '--date', '2010-08-08', '--data', dir3, '--time-zone', 'UTC'], sink(out), sink(err))).toBe(0);
			expect(out.join('')).toMatch(/2010-08-08\s+2239\s+1511\s+728/);
			expect(await main([join(dirname(sharedDataPath('anonymous-bank-1999-one-day.csv')), 'nope.csv'), '--data', dir3], sink(out), sink(err))).toBe(2);
			expect(err.join('')).toMatch(/cannot read/);
			expect(await main([join(dirname(sharedDataPath('anonymous-bank-1999-one-day.csv')), 'README.md'), '--data', dir3], sink(out), sink(err))).toBe(2);
			expect(err.join('')).toMatch(/not an Anonymous Bank call log/);
			expect(await main([sharedDataPath('anonymous-bank-1999-one-day.csv'), '--date', '8/8/2010', '--data', dir3], sink(out), sink(err))).toBe(2);
		} finally {
			rmSync(dir3, { recursive: true, force: true });
		}
	});
});
