import { describe, expect, it } from 'vitest';
import { clockTimeOn, dayKey, dayStart, formatClock, intervalStart, parseClock, parseResetTime } from './time';

describe('center day and intervals', () => {
	it.each<[string, string, string, string, string]>([
		// [now (UTC ISO), zone, reset, expected day start (UTC ISO), day key]
		['2026-03-10T12:00:00Z', 'UTC', '00:00', '2026-03-10T00:00:00.000Z', '2026-03-10'],
		['2026-03-10T05:00:00Z', 'UTC', '06:00', '2026-03-09T06:00:00.000Z', '2026-03-09'],
		// New York is UTC-5 in winter: local midnight = 05:00Z
		['2026-01-15T04:59:00Z', 'America/New_York', '00:00', '2026-01-14T05:00:00.000Z', '2026-01-14'],
		['2026-01-15T05:00:00Z', 'America/New_York', '00:00', '2026-01-15T05:00:00.000Z', '2026-01-15'],
		// The day after the spring-forward change (8 March 2026) starts at UTC-4.
		['2026-03-09T12:00:00Z', 'America/New_York', '00:00', '2026-03-09T04:00:00.000Z', '2026-03-09'],
		['2026-07-01T10:00:00Z', 'Asia/Jerusalem', '07:30', '2026-07-01T04:30:00.000Z', '2026-07-01']
	])('%s in %s with reset %s starts at %s', (now, zone, reset, start, key) => {
		const s = dayStart(Date.parse(now), zone, reset);
		expect(new Date(s).toISOString()).toBe(start);
		expect(dayKey(s, zone)).toBe(key);
	});

	it('rejects a malformed reset time by name', () => {
		expect(() => parseResetTime('25:00')).toThrow(/25:00/);
	});

	it('slices intervals from the day start', () => {
		const origin = Date.parse('2026-03-10T00:00:00Z');
		expect(intervalStart(origin + 16 * 60_000, origin, 15 * 60_000)).toBe(origin + 15 * 60_000);
	});
});

describe('one clock parser and formatter', () => {
	it.each<[string, Parameters<typeof parseClock>[1], number | null]>([
		['08:30', {}, 8 * 3600 + 30 * 60],
		['8:30', {}, 8 * 3600 + 30 * 60],
		['8:30', { hourDigits: 'two' }, null],
		['23:59', { hourDigits: 'two' }, 23 * 3600 + 59 * 60],
		['24:00', {}, null],
		['26:15', { hourDigits: 3, maxHours: 999 }, 26 * 3600 + 15 * 60],
		['120:00', { hourDigits: 3, maxHours: 999 }, 120 * 3600],
		['1000:00', { hourDigits: 3, maxHours: 999 }, null],
		['7:05:09', { seconds: true }, 7 * 3600 + 5 * 60 + 9],
		['7:05', { seconds: true }, null],
		['7:05:09', {}, null],
		['31:00:00', { seconds: true, maxHours: 99 }, 31 * 3600],
		['12:60', {}, null],
		[' 12:00', {}, null],
		['12:00\n', {}, null]
	])('parseClock(%j, %j) = %j', (text, format, expected) => {
		expect(parseClock(text, format)).toBe(expected);
	});

	it('formats seconds after midnight as HH:MM, H:MM or HH:MM:SS without wrapping', () => {
		expect(formatClock(8 * 3600 + 30 * 60 + 59)).toBe('08:30');
		expect(formatClock(8 * 3600 + 30 * 60, { padHours: false })).toBe('8:30');
		expect(formatClock(7 * 3600 + 5 * 60 + 9, { seconds: true })).toBe('07:05:09');
		expect(formatClock(86_400)).toBe('24:00');
		expect(formatClock(0, { seconds: true })).toBe('00:00:00');
		// Parse and format agree on every minute of the day.
		for (let s = 0; s < 86_400; s += 60) expect(parseClock(formatClock(s), { hourDigits: 'two' })).toBe(s);
	});

	it('keeps the reset time strict: two-digit hours, 00:00..23:59', () => {
		expect(parseResetTime('07:30')).toBe(450);
		expect(() => parseResetTime('7:30')).toThrow(/reset time must be HH:MM \(00:00\.\.23:59\), got "7:30"/);
		expect(() => parseResetTime('24:00')).toThrow(/24:00/);
	});

	it('dayKey is the calendar date in the zone at any instant, also across the date line', () => {
		const t = Date.parse('2026-12-31T23:30:00Z');
		expect(dayKey(t, 'UTC')).toBe('2026-12-31');
		expect(dayKey(t, 'Pacific/Auckland')).toBe('2027-01-01'); // UTC+13 in summer
		expect(dayKey(t, 'America/Los_Angeles')).toBe('2026-12-31');
		expect(dayKey(Date.parse('0999-06-01T12:00:00Z'), 'UTC')).toBe('0999-06-01');
	});
});

describe('clockTimeOn', () => {
	it('is the local clock time on a date in the zone, across DST', () => {
		// New York: 08:30 local is 13:30Z in winter, 12:30Z in summer; 02:30 on spring-forward day does not exist and moves an hour on.
		expect(new Date(clockTimeOn('2026-01-15', 8.5 * 3600, 'America/New_York')).toISOString()).toBe('2026-01-15T13:30:00.000Z');
		expect(new Date(clockTimeOn('2026-07-15', 8.5 * 3600 + 59, 'America/New_York')).toISOString()).toBe('2026-07-15T12:30:00.000Z');
		expect(new Date(clockTimeOn('2026-03-09', 0, 'UTC')).toISOString()).toBe('2026-03-09T00:00:00.000Z');
	});
});
