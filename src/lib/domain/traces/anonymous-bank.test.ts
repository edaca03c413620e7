import { describe, expect, it } from 'vitest';
import { validateBatch } from '../events';
import { parseAnonymousBank } from './anonymous-bank';
import { bankCallsToEvents } from './bank-events';
import { formatTraceErrors } from './trace-error';
import { readSharedData } from '../../../../tests/shared-data';

const ONE_DAY = readSharedData('anonymous-bank-1999-one-day.csv');
const MONTH = readSharedData('anonymous-bank-1999-08-01-to-24.csv');

/** The raw rows as column → value maps, split by hand (the files have no quoted fields). */
function rawRows(text: string): Record<string, string>[] {
	const [head, ...rest] = text.trim().split(/\r?\n/);
	const cols = (head ?? '').split(',');
	return rest.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] ?? '', v])));
}
const secs = (t: string | undefined) => {
	const [h, m, s] = (t ?? '').split(':').map(Number);
	return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
};

describe('parseAnonymousBank, one-day file', () => {
	const raw = rawRows(ONE_DAY);
	const parsed = parseAnonymousBank(ONE_DAY, { date: '1999-08-01' });

	it('has the README counts, computed from the raw rows', () => {
		const by = (o: string) => raw.filter((r) => r.outcome === o).length;
		expect([by('AGENT'), by('HANG'), by('PHANTOM')]).toEqual([1511, 846, 18]);
		expect(parsed.errors).toEqual([]);
		expect(parsed.dated).toBe(false);
		expect(parsed.dates).toEqual(['1999-08-01']);
		expect(parsed.calls.length).toBe(by('AGENT') + by('HANG'));
		expect(parsed.calls.filter((c) => c.outcome === 'AGENT').length).toBe(1511);
		expect(parsed.calls.every((c) => c.priority === 0 && c.date === '1999-08-01')).toBe(true);
	});

	it('offered = queued or answered at once; abandoned = hung up in queue; mean answered wait 134.8 s', () => {
		const real = raw.filter((r) => r.outcome !== 'PHANTOM');
		const queued = real.filter((r) => r.q_start !== '0:00:00');
		expect(queued.length).toBe(1971);
		const direct = real.filter((r) => r.q_start === '0:00:00' && r.outcome === 'AGENT').length;
		expect(direct).toBe(268);
		expect(parsed.calls.filter((c) => c.qStart !== null).length).toBe(1971);
		expect(parsed.calls.filter((c) => c.offered).length).toBe(1971 + 268);
		expect(parsed.calls.filter((c) => c.abandoned).length).toBe(728);
		expect(queued.filter((r) => r.outcome === 'HANG').length).toBe(728);
		// A HANG that never queued is not offered and has no wait.
		expect(parsed.calls.filter((c) => c.outcome === 'HANG' && c.qStart === null).every((c) => !c.offered && c.wait === null)).toBe(true);
		const answered = parsed.calls.filter((c) => c.outcome === 'AGENT');
		const meanWait = answered.reduce((s, c) => s + (c.wait ?? NaN), 0) / answered.length;
		const rawMean = real.filter((r) => r.outcome === 'AGENT').reduce((s, r) => s + Number(r.q_time), 0) / 1511;
		expect(meanWait).toBeCloseTo(rawMean, 9);
		expect(meanWait.toFixed(1)).toBe('134.8');
	});

	it('keeps each call\'s own times, types and agent', () => {
		const r = raw.find((x) => x.outcome === 'AGENT' && x.q_start !== '0:00:00' && x.server !== 'NO_SERVER');
		const c = parsed.calls.find((x) => x.id === `${r?.['vru+line']}-${r?.call_id}`);
		expect(c).toMatchObject({
			queue: r?.type,
			qStart: secs(r?.q_start),
			qExit: secs(r?.q_exit),
			serStart: secs(r?.ser_start),
			serExit: secs(r?.ser_exit),
			vruExit: secs(r?.vru_exit),
			server: r?.server,
			offeredAt: secs(r?.q_start),
			wait: Number(r?.q_time)
		});
		expect(parsed.calls.filter((x) => x.outcome === 'AGENT' && x.server === null).length).toBe(
			raw.filter((x) => x.outcome === 'AGENT' && x.server === 'NO_SERVER').length
		);
	});
});

describe('parseAnonymousBank, 24-day file', () => {
	const raw = rawRows(MONTH);
	const all = parseAnonymousBank(MONTH);

	it('reads every day, priorities and dates', () => {
		expect(all.errors).toEqual([]);
		expect(all.dated).toBe(true);
		expect(all.dates.length).toBe(24);
		expect(all.dates[0]).toBe('2010-08-01');
		expect(all.calls.length).toBe(raw.filter((r) => r.outcome !== 'PHANTOM').length);
		for (const p of [0, 1, 2]) {
			expect(all.calls.filter((c) => c.priority === p).length).toBe(raw.filter((r) => r.outcome !== 'PHANTOM' && r.priority === String(p)).length);
		}
	});

	it('--date keeps one day; its first day is the one-day file, call for call', () => {
		const day = parseAnonymousBank(MONTH, { date: '2010-08-01' });
		const one = parseAnonymousBank(ONE_DAY);
		expect(day.calls.length).toBe(one.calls.length);
		expect(day.dates.length).toBe(24);
		const strip = (c: (typeof one.calls)[number]) => ({ ...c, date: null, line: 0, priority: 0 });
		// Compared as text: a deep equality of two thousand records is slow on a busy machine.
		expect(JSON.stringify(day.calls.map(strip))).toBe(JSON.stringify(one.calls.map(strip)));
		const d3 = { calls: all.calls.filter((c) => c.date === '2010-08-03') };
		const r3 = raw.filter((r) => r.date === '2010-08-03' && r.outcome !== 'PHANTOM');
		expect(d3.calls.length).toBe(r3.length);
		expect(d3.calls.filter((c) => c.abandoned).length).toBe(r3.filter((r) => r.outcome === 'HANG' && r.q_start !== '0:00:00').length);
	});

	it('handles calls running past midnight', () => {
		const r = raw.find((x) => x.outcome === 'AGENT' && secs(x.ser_exit) < secs(x.ser_start) - 12 * 3600);
		expect(r).toBeDefined();
		const c = all.calls.find((x) => x.id === `${r?.['vru+line']}-${r?.call_id}`);
		expect(c?.serExit).toBe(secs(r?.ser_exit) + 86_400);
		expect((c?.serExit ?? 0) - (c?.serStart ?? 0)).toBe(Number(r?.ser_time));
		// Every wait equals the file's own q_time column, including those across midnight.
		const byId = new Map(all.calls.map((x) => [x.id, x]));
		for (const row of raw) {
			if (row.q_start === '0:00:00' || row.outcome === 'PHANTOM') continue;
			expect(byId.get(`${row['vru+line']}-${row.call_id}`)?.wait).toBe(Number(row.q_time));
		}
	});
});

describe('bad input', () => {
	const head = 'vru+line,call_id,type,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server,server_abv';
	const good = 'AA0101,1,PS,9:00:00,9:00:10,10,9:00:10,9:00:40,30,AGENT,9:00:40,9:03:00,140,DANA,DAN';

	it('names the line and field of each bad row and keeps the good ones', () => {
		const text = [
			head,
			good,
			'AA0101,2,XX,9:00:00,9:00:10,10,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER,NO_',
			'',
			'AA0101,3,PS,9:00:00,9:0:10,10,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER,NO_',
			'AA0101,4,PS,9:00:00,9:00:10,10,0:00:00,0:00:00,0,LOST,0:00:00,0:00:00,0,NO_SERVER,NO_',
			'AA0101,5,PS,9:00:00',
			`AA0101,6,PS,9:00:00,9:00:10,10,9:00:10,9:00:40,30,AGENT,${'<b>'.repeat(100)},9:03:00,140,DANA,DAN`
		].join('\n');
		const p = parseAnonymousBank(text);
		expect(p.calls.map((c) => c.id)).toEqual(['AA0101-1']);
		expect(p.errors.map((e) => [e.line, e.field])).toEqual([
			[3, 'type'],
			[5, 'vru_exit'],
			[6, 'outcome'],
			[7, ''],
			[8, 'ser_start']
		]);
		expect(p.errors[3]?.message).toMatch(/expected 15 fields, got 4/);
		// Values from the file are capped in messages.
		expect(p.errors[4]?.message.length).toBeLessThan(120);
		expect(formatTraceErrors(p.errors, 2)).toBe(
			`line 3, type: ${p.errors[0]?.message}\nline 5, vru_exit: ${p.errors[1]?.message}\n… and 3 more`
		);
	});

	it('refuses a file that is not a call log, and a bad date', () => {
		const p = parseAnonymousBank('type,queue\ncontact.queued,sales\n');
		expect(p.calls).toEqual([]);
		expect(p.errors).toHaveLength(1);
		expect(p.errors[0]).toMatchObject({ line: 1 });
		expect(p.errors[0]?.message).toMatch(/missing column\(s\) .*: not an Anonymous Bank call log/);
		expect(parseAnonymousBank('{"type":"contact.queued"}\n').errors[0]?.message).toMatch(/^not CSV/);
		expect(parseAnonymousBank(`${head}\n${good}`, { date: '1/8/99' }).errors[0]).toMatchObject({ field: 'date' });
		const dated = 'vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server';
		const bad = parseAnonymousBank(`${dated}\nAA01,1,0,x,PS,2010-08-01,9:00:00,9:00:10,10,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER\nAA01,2,0,0,PS,2010-13,9:00:00,9:00:10,10,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER`);
		expect(bad.errors.map((e) => [e.line, e.field])).toEqual([
			[2, 'priority'],
			[3, 'date']
		]);
	});
});

describe('bankCallsToEvents', () => {
	it('gives valid events: one queued per offered call, answered/abandoned as recorded, in time order', () => {
		const { calls } = parseAnonymousBank(ONE_DAY);
		const day0 = Date.UTC(1999, 7, 1) - 3 * 3600_000;
		const events = bankCallsToEvents(calls, { dayStartMs: () => day0 });
		const v = validateBatch(events);
		expect(v.ok).toBe(true);
		const count = (t: string) => events.filter((e) => e.type === t).length;
		expect(count('contact.queued')).toBe(1971 + 268);
		expect(count('contact.answered')).toBe(1511);
		expect(count('contact.abandoned')).toBe(728);
		expect(count('contact.ended')).toBe(1511);
		for (let i = 1; i < events.length; i++) expect(events[i]?.ts).toBeGreaterThanOrEqual(events[i - 1]?.ts ?? 0);
		// 18 agents served, plus the stand-in for the calls with no agent recorded.
		expect(count('agent.profile')).toBe(18 + 1);
		expect(new Set(events.map((e) => ('contact' in e ? e.contact : ''))).size).toBe(1971 + 268 + 1);
	});

	it('places each day of a multi-day file on its own midnight, with priorities', () => {
		const { calls } = parseAnonymousBank(MONTH);
		const first = calls.slice(0, 3000);
		const events = bankCallsToEvents(first, { dayStartMs: (d) => Date.parse(`${d}T00:00:00Z`) });
		expect(validateBatch(events).ok).toBe(true);
		const c = first.find((x) => x.offered && x.date === '2010-08-02' && x.priority === 2);
		const q = events.find((e) => e.type === 'contact.queued' && e.contact === `bank-2010-08-02-${c?.id}`);
		expect(q).toMatchObject({ ts: Date.parse('2010-08-02T00:00:00Z') + (c?.offeredAt ?? 0) * 1000, priority: 2 });
	});
});
