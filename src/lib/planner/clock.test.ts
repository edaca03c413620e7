/**
 * The planner reads and writes clock times through the domain's one clock parser/formatter
 * (src/lib/domain/time.ts); these are the planner's day-relative uses of it: interval labels that
 * wrap past midnight and the shift form's "from"/"to" as interval boundaries.
 */
import { describe, expect, it } from 'vitest';
import { boundaryAt, clockOfDay } from './format';

describe('clockOfDay', () => {
	it('formats seconds after midnight as HH:MM, to the nearest minute', () => {
		expect(clockOfDay(8 * 3600)).toBe('08:00');
		expect(clockOfDay(8 * 3600 + 15 * 60)).toBe('08:15');
		expect(clockOfDay(13 * 3600 + 29)).toBe('13:00');
		expect(clockOfDay(13 * 3600 + 31)).toBe('13:01');
	});
	it('wraps a day that runs past midnight', () => {
		expect(clockOfDay(24 * 3600)).toBe('00:00');
		expect(clockOfDay(26 * 3600 + 30 * 60)).toBe('02:30');
	});
});

describe('boundaryAt', () => {
	// A day from 08:00, 48 intervals of 15 min: boundaries 0 (08:00) .. 48 (20:00).
	const at = (hhmm: string) => boundaryAt(hhmm, 8 * 3600, 900, 48);

	it('gives the interval boundary of a clock time within the day', () => {
		expect(at('08:00')).toBe(0);
		expect(at('10:00')).toBe(8);
		expect(at('12:00')).toBe(16);
		expect(at('20:00')).toBe(48);
		expect(at(' 9:15 ')).toBe(5);
	});
	it('rounds to the nearest boundary', () => {
		expect(at('10:07')).toBe(8);
		expect(at('10:08')).toBe(9);
	});
	it('refuses what is not a clock time or falls outside the day', () => {
		for (const bad of ['', '10', '10:0', '10:60', '25:00', '24:01', 'ten', '10:00:00', '-1:00']) expect(at(bad), bad).toBeNull();
		expect(at('21:00')).toBeNull();
		expect(at('07:45')).toBeNull();
	});
	it('reads a day across midnight: 22:00 to 06:00', () => {
		const night = (hhmm: string) => boundaryAt(hhmm, 22 * 3600, 3600, 8);
		expect(night('22:00')).toBe(0);
		expect(night('00:00')).toBe(2);
		expect(night('24:00')).toBe(2);
		expect(night('06:00')).toBe(8);
		expect(night('07:00')).toBeNull();
	});
	it('takes "24:00" as the end of a day that ends at midnight', () => {
		expect(boundaryAt('24:00', 0, 3600, 24)).toBe(24);
		expect(boundaryAt('00:00', 0, 3600, 24)).toBe(0);
	});
});
