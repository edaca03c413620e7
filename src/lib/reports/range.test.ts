import { describe, expect, it } from 'vitest';
import { isToCome, todayIn } from './dates';
import { buildRange, datesBetween, rangeGaps } from './range';

// The center's today in these tests: Thursday 3 December 2026.
const TODAY = '2026-12-03';

describe('rangeGaps', () => {
	it('counts the days after today in the month holding it as to come, not without data', () => {
		// December with history on the 2nd and 3rd only: the 1st happened without data, the 4th to the 31st are to come.
		const missing = datesBetween('2026-12-01', '2026-12-31').filter((d) => d !== '2026-12-02' && d !== TODAY);
		const g = rangeGaps(missing, TODAY);
		expect(g.withoutData).toEqual(['2026-12-01']);
		expect(g.toCome).toHaveLength(28);
		expect(g.toCome[0]).toBe('2026-12-04');
		expect(g.toCome.at(-1)).toBe('2026-12-31');
	});

	it('counts today without history as without data: it has begun', () => {
		expect(rangeGaps([TODAY, '2026-12-04'], TODAY)).toEqual({ withoutData: [TODAY], toCome: ['2026-12-04'] });
	});

	it('reads a month entirely after today as all to come', () => {
		const jan = buildRange('2027-01-01', '2027-01-31', []);
		const g = rangeGaps(jan.missing, TODAY);
		expect(g.withoutData).toEqual([]);
		expect(g.toCome).toHaveLength(31);
	});

	it('reads a month entirely before today as all without data', () => {
		const nov = buildRange('2026-11-01', '2026-11-30', []);
		const g = rangeGaps(nov.missing, TODAY);
		expect(g.withoutData).toHaveLength(30);
		expect(g.toCome).toEqual([]);
	});

	it('counts every missing day as without data when today is unknown, as before', () => {
		const dec = buildRange('2026-12-01', '2026-12-31', []);
		expect(rangeGaps(dec.missing, '')).toEqual({ withoutData: dec.missing, toCome: [] });
	});
});

describe('isToCome and the center’s today', () => {
	it('is after today in the center’s time zone', () => {
		expect(isToCome('2026-12-04', TODAY)).toBe(true);
		expect(isToCome(TODAY, TODAY)).toBe(false);
		expect(isToCome('2026-11-30', TODAY)).toBe(false);
		expect(isToCome('2099-01-01', '')).toBe(false);
	});

	it('takes today from the center’s clock, not UTC’s', () => {
		// 23:30 UTC on the 3rd is already the 4th in Kolkata (UTC+5:30): the 4th has begun there.
		const now = Date.parse('2026-12-03T23:30:00Z');
		expect(todayIn('UTC', now)).toBe(TODAY);
		expect(todayIn('Asia/Kolkata', now)).toBe('2026-12-04');
		expect(rangeGaps(['2026-12-04'], todayIn('UTC', now)).toCome).toEqual(['2026-12-04']);
		expect(rangeGaps(['2026-12-04'], todayIn('Asia/Kolkata', now)).withoutData).toEqual(['2026-12-04']);
	});
});
