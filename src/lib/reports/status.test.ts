import { describe, expect, it } from 'vitest';
import { computeKpis, emptyCounts } from '../domain/kpi';
import type { HistoryDayStatus } from '../domain/history';
import type { MetVerdict } from './day';
import { todayIn } from './dates';
import { datesBetween, rangeGaps, type RangeDay, type RangeReport } from './range';
import { dayMark, lastCountedEnd, noReportText, rangeDaysText, rangeFinality, rangeVerdictText, statusKey, verdictPrefix } from './status';
import { displayCell, rangeTable } from './tables';

const counts = (offered: number) => ({ offered, answered: 0, abandoned: 0 });

describe('dayMark', () => {
	it('judges a final day (or one the history says nothing about) met or missed', () => {
		expect(dayMark({ met: true }, true, 'final')).toMatchObject({ word: 'met', cls: 'met', icon: '✓' });
		expect(dayMark({ met: false }, true, 'final')).toMatchObject({ word: 'missed', cls: 'missed', icon: '✗' });
		expect(dayMark({ met: false }, true, undefined)).toMatchObject({ word: 'missed', cls: 'missed' });
		expect(dayMark({ met: null }, false, 'final')).toMatchObject({ word: 'no traffic', cls: 'quiet' });
		expect(dayMark(null, false, 'open')).toMatchObject({ word: 'no data', cls: 'none' });
	});

	it('reads a day after today without history as to come, never "no data"; one with history as its data says', () => {
		const m = dayMark(null, false, undefined, true);
		expect(m).toMatchObject({ word: 'to come', cls: 'future', icon: '', verdict: 'to come' });
		expect(m.detail).not.toContain('no data');
		expect(dayMark(null, false, undefined, false)).toMatchObject({ word: 'no data', cls: 'none' });
		expect(dayMark({ met: true }, true, 'open', true)).toMatchObject({ word: 'so far', cls: 'open' });
	});

	it('reads a running day as in progress, never met or missed, and keeps the verdict so far in its label', () => {
		const missed = dayMark({ met: false }, true, 'open');
		expect(missed).toMatchObject({ word: 'so far', cls: 'open', detail: 'in progress, so far missed' });
		expect(dayMark({ met: true }, true, 'open').detail).toBe('in progress, so far met');
		expect(dayMark({ met: null }, false, 'open')).toMatchObject({ word: 'so far', detail: 'in progress, so far no traffic' });
	});

	it('reads an ended day whose late outcomes may still arrive as provisional, not in progress', () => {
		const m = dayMark({ met: true }, true, 'closing');
		expect(m).toMatchObject({ word: 'pending', cls: 'provisional' });
		expect(m.detail).toBe('provisional (ended; late outcomes may still arrive), so far met');
	});
});

describe('noReportText', () => {
	const TODAY = '2026-12-03';
	it('says a date after today is to come and names today, with nothing about missing data', () => {
		const t = noReportText('2026-12-04', TODAY);
		expect(t).toEqual({ text: "2026-12-04 is to come: it has not happened yet (today is 2026-12-03 in the center's time zone).", toCome: true });
		expect(t.text).not.toMatch(/no history|no data|missing/i);
		expect(noReportText('2027-01-31', TODAY).toCome).toBe(true);
	});
	it('keeps "No history" for today, a past date, and any date while today is unknown', () => {
		const past = { text: 'No history for 2026-11-20. Pick a marked day in the calendar.', toCome: false };
		expect(noReportText('2026-11-20', TODAY)).toEqual(past);
		expect(noReportText(TODAY, TODAY)).toEqual({ text: `No history for ${TODAY}. Pick a marked day in the calendar.`, toCome: false });
		expect(noReportText('2099-01-01', '').toCome).toBe(false);
	});
	it('follows the center’s today: the same instant is today in Kolkata and still yesterday in UTC', () => {
		const now = Date.parse('2026-12-03T20:00:00Z');
		expect(noReportText('2026-12-04', todayIn('UTC', now)).toCome).toBe(true);
		expect(noReportText('2026-12-04', todayIn('Asia/Kolkata', now)).toCome).toBe(false);
	});
});

describe('verdictPrefix', () => {
	const at = Date.parse('2026-12-03T10:15:00Z');
	it('says how far a running day goes, on the day’s own clock', () => {
		expect(verdictPrefix('open', at, 'UTC')).toBe('So far today (until 10:15)');
		// Kolkata is UTC+5:30.
		expect(verdictPrefix('open', at, 'Asia/Kolkata')).toBe('So far today (until 15:45)');
		expect(verdictPrefix('open', null, 'UTC')).toBe('So far today');
	});
	it('marks a closing day provisional and leaves a final day as it was', () => {
		expect(verdictPrefix('closing', at, 'UTC')).toBe('Provisional (late outcomes may still arrive)');
		expect(verdictPrefix('final', at, 'UTC')).toBe('');
		expect(verdictPrefix(undefined, at, 'UTC')).toBe('');
	});
});

describe('lastCountedEnd', () => {
	const start = Date.parse('2026-12-03T00:00:00Z');
	const q = 15 * 60_000;
	it('is the end of the last interval with any count, in any order', () => {
		const rows = [
			{ start: start + 3 * q, counts: counts(4) },
			{ start: start + 40 * q, counts: counts(1) },
			{ start: start + 41 * q, counts: counts(0) },
			{ start: start, counts: counts(2) }
		];
		expect(lastCountedEnd(rows, q)).toBe(start + 41 * q);
		expect(new Date(lastCountedEnd(rows, q) ?? 0).toISOString()).toBe('2026-12-03T10:15:00.000Z');
	});
	it('is null for a day with no counts', () => {
		expect(lastCountedEnd([{ start, counts: counts(0) }], q)).toBeNull();
		expect(lastCountedEnd([], q)).toBeNull();
	});
});

describe('statusKey', () => {
	it('tells apart two sources holding the same date', () => {
		const m = new Map([
			[statusKey('2026-12-02', 'ingest'), 'closing'],
			[statusKey('2026-12-02', 'backfill'), 'final']
		]);
		expect(m.get(statusKey('2026-12-02', 'backfill'))).toBe('final');
		expect(m.get(statusKey('2026-12-02', 'ingest'))).toBe('closing');
	});
});

describe('rangeFinality', () => {
	const day = (date: string, source: string, met: boolean | null, traffic = met !== null) => ({ date, source, traffic, met: { met } });
	// A week to today: four final days (two met, one missed, one quiet), an ingested day still
	// awaiting late outcomes, its backfilled twin final, and today running.
	const days = [
		day('2026-11-27', 'backfill', true),
		day('2026-11-28', 'backfill', false),
		day('2026-11-29', 'backfill', null),
		day('2026-11-30', 'backfill', true),
		day('2026-12-01', 'ingest', false),
		day('2026-12-02', 'backfill', true),
		day('2026-12-03', 'emulator', true)
	];
	const statuses = new Map<string, HistoryDayStatus>([
		[statusKey('2026-11-27', 'backfill'), 'final'],
		[statusKey('2026-11-28', 'backfill'), 'final'],
		[statusKey('2026-11-29', 'backfill'), 'final'],
		[statusKey('2026-11-30', 'backfill'), 'final'],
		[statusKey('2026-12-01', 'ingest'), 'closing'],
		[statusKey('2026-12-01', 'backfill'), 'final'],
		[statusKey('2026-12-02', 'backfill'), 'final'],
		[statusKey('2026-12-03', 'emulator'), 'open']
	]);

	it('counts only final days as met or missed, and names today and the pending day', () => {
		const f = rangeFinality(days, statuses);
		expect([f.metDays, f.missedDays, f.quietDays]).toEqual([3, 1, 1]);
		expect(f.openDays).toEqual(['2026-12-03']);
		expect(f.pendingDays).toEqual(['2026-12-01']);
		expect(f.note).toBe('Not final: includes today so far (still running) and 1 pending day (ended; late outcomes may still arrive). Its totals and verdicts may still change.');
		// Each day the calendar's mark: the ingested day's own status, not its final backfilled twin's.
		expect(f.marks.get('2026-12-01')).toMatchObject({ word: 'pending', cls: 'provisional', verdict: 'missed' });
		expect(f.marks.get('2026-12-03')).toMatchObject({ word: 'so far', cls: 'open', verdict: 'met' });
		expect(f.marks.get('2026-11-28')).toMatchObject({ word: 'missed', cls: 'missed' });
	});

	it('says nothing of a range whose days are all final (or whose status the history did not give)', () => {
		const f = rangeFinality(days.slice(0, 4), statuses);
		expect(f.note).toBe('');
		expect([f.metDays, f.missedDays, f.quietDays, f.openDays.length, f.pendingDays.length]).toEqual([2, 1, 1, 0, 0]);
		expect(rangeFinality(days, new Map()).note).toBe('');
		expect(rangeFinality(days, new Map()).metDays).toBe(4);
	});

	it('counts several pending days in words', () => {
		const closing = new Map<string, HistoryDayStatus>(days.map((d) => [statusKey(d.date, d.source), 'closing']));
		expect(rangeFinality(days.slice(0, 2), closing).note).toBe('Not final: includes 2 pending days (ended; late outcomes may still arrive). Its totals and verdicts may still change.');
	});

	it('puts the mark and the verdict so far in a day’s table row, and leaves final days as they read before', () => {
		expect(rangeVerdictText(dayMark({ met: false }, true, 'open'))).toBe('◔ so far: missed');
		expect(rangeVerdictText(dayMark({ met: true }, true, 'closing'))).toBe('… pending: met');
		expect(rangeVerdictText(dayMark({ met: null }, false, 'open'))).toBe('◔ so far: no traffic');
		expect(rangeVerdictText(dayMark({ met: true }, true, 'final'))).toBe('met');
		expect(rangeVerdictText(dayMark({ met: null }, false, 'final'))).toBe('no traffic');

		const kpis = computeKpis(emptyCounts(), 'abandons-count-against');
		const rangeDays: RangeDay[] = days.map((d) => ({ ...d, weekday: 0, met: d.met as MetVerdict, kpis, recorded: { agentTime: false, csat: false } }));
		const range: RangeReport = { from: '2026-11-27', to: '2026-12-03', days: rangeDays, missing: [], total: kpis, totalCounts: emptyCounts(), metDays: 4, missedDays: 2 };
		const col = (t: ReturnType<typeof rangeTable>) => t.columns.find((c) => c.key === 'met')!;
		const withMarks = rangeTable(range, rangeFinality(rangeDays, statuses).marks);
		expect(rangeDays.map((d) => displayCell(withMarks, col(withMarks), d))).toEqual(['met', 'missed', 'no traffic', 'met', '… pending: missed', 'met', '◔ so far: met']);
		// Without marks, as before.
		const plain = rangeTable(range);
		expect(rangeDays.map((d) => displayCell(plain, col(plain), d))).toEqual(['met', 'missed', 'no traffic', 'met', 'missed', 'met', 'met']);
	});

	// The month holding today (Thursday 3 December 2026): history on the 1st to the 3rd, the 3rd running.
	const dec = [day('2026-12-01', 'backfill', true), day('2026-12-02', 'backfill', false), day('2026-12-03', 'emulator', true)];
	const decStatuses = new Map<string, HistoryDayStatus>([
		[statusKey('2026-12-01', 'backfill'), 'final'],
		[statusKey('2026-12-02', 'backfill'), 'final'],
		[statusKey('2026-12-03', 'emulator'), 'open']
	]);
	const held = new Set(dec.map((d) => d.date));
	const decMissing = datesBetween('2026-12-01', '2026-12-31').filter((d) => !held.has(d));

	it('counts the days after today apart, as to come, and says the range is not final because of them', () => {
		const g = rangeGaps(decMissing, '2026-12-03');
		const f = rangeFinality(dec, decStatuses, g.toCome);
		expect(f.toComeDays).toHaveLength(28);
		expect([f.metDays, f.missedDays, f.quietDays]).toEqual([1, 1, 0]);
		expect(f.note).toBe('Not final: includes today so far (still running) and 28 days to come. Its totals and verdicts may still change.');
		expect(rangeDaysText(f, g.withoutData.length)).toBe('1 day met, 1 missed, 0 without traffic, 1 so far, 28 to come');
		// The calendar's mark of a day to come, neutral; the days with history keep theirs.
		expect(f.marks.get('2026-12-31')).toMatchObject({ word: 'to come', cls: 'future' });
		expect(f.marks.get('2026-12-02')).toMatchObject({ word: 'missed', cls: 'missed' });
	});

	it('lists three reasons a range is not final in words', () => {
		const st = new Map(decStatuses).set(statusKey('2026-12-02', 'backfill'), 'closing');
		expect(rangeFinality(dec, st, ['2026-12-04']).note).toBe(
			'Not final: includes today so far (still running), 1 pending day (ended; late outcomes may still arrive) and 1 day to come. Its totals and verdicts may still change.'
		);
	});

	it('reads a month entirely after today as not final, all to come', () => {
		const g = rangeGaps(datesBetween('2027-01-01', '2027-01-31'), '2026-12-03');
		const f = rangeFinality([], new Map(), g.toCome);
		expect(f.note).toBe('Not final: includes 31 days to come. Its totals and verdicts may still change.');
		expect(rangeDaysText(f, g.withoutData.length)).toBe('0 days met, 0 missed, 0 without traffic, 31 to come');
	});

	it('reads a month entirely before today as before: its empty days without data, final', () => {
		const g = rangeGaps(datesBetween('2026-11-01', '2026-11-30').filter((d) => d !== '2026-11-27'), '2026-12-03');
		const f = rangeFinality(days.slice(0, 1), statuses, g.toCome);
		expect(f.note).toBe('');
		expect(f.toComeDays).toEqual([]);
		expect(rangeDaysText(f, g.withoutData.length)).toBe('1 day met, 0 missed, 0 without traffic, 29 without data');
	});
});
