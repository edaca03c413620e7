import { describe, expect, it } from 'vitest';
import { dayKey, dayStart, intervalStart, parseResetTime } from './time';

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
