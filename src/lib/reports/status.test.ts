import { describe, expect, it } from 'vitest';
import { dayMark, lastCountedEnd, statusKey, verdictPrefix } from './status';

const counts = (offered: number) => ({ offered, answered: 0, abandoned: 0 });

describe('dayMark', () => {
	it('judges a final day (or one the history says nothing about) met or missed', () => {
		expect(dayMark({ met: true }, true, 'final')).toMatchObject({ word: 'met', cls: 'met', icon: '✓' });
		expect(dayMark({ met: false }, true, 'final')).toMatchObject({ word: 'missed', cls: 'missed', icon: '✗' });
		expect(dayMark({ met: false }, true, undefined)).toMatchObject({ word: 'missed', cls: 'missed' });
		expect(dayMark({ met: null }, false, 'final')).toMatchObject({ word: 'no traffic', cls: 'quiet' });
		expect(dayMark(null, false, 'open')).toMatchObject({ word: 'no data', cls: 'none' });
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
