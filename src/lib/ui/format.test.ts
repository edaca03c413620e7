import { describe, expect, it } from 'vitest';
import { formatHourMinute, formatTimeOfDay } from './format';

describe('clock formatters (Intl)', () => {
	it('give 24-hour two-digit clocks in the zone asked for', () => {
		const t = Date.parse('2026-07-01T00:05:09Z');
		expect(formatTimeOfDay(t, 'UTC')).toBe('00:05:09');
		expect(formatHourMinute(t, 'UTC')).toBe('00:05');
		// New York is UTC-4 in July: the evening before.
		expect(formatTimeOfDay(t, 'America/New_York')).toBe('20:05:09');
		expect(formatTimeOfDay(Date.parse('2026-07-01T13:59:59.999Z'), 'Asia/Kolkata')).toBe('19:29:59');
	});

	it('in the local zone, read the same as the Date getters at every hour of a day', () => {
		const two = (n: number) => String(n).padStart(2, '0');
		const start = Date.parse('2026-03-08T00:00:00Z');
		for (let t = start; t < start + 2 * 86_400_000; t += 3_600_000 + 61_000) {
			const d = new Date(t);
			expect(formatTimeOfDay(t)).toBe(`${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
			expect(formatHourMinute(t)).toBe(`${two(d.getHours())}:${two(d.getMinutes())}`);
		}
	});
});
