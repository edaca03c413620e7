import { afterEach, describe, expect, it } from 'vitest';
import { closedNotice } from './closed-notice';

/**
 * The closed wall's banner, at real instants in real time zones. Every instant is written with
 * its UTC offset, and each day start is the instant of the center's reset, worked out by hand.
 */

const berlin = { open: '08:00', close: '20:00', timeZone: 'Europe/Berlin' } as const;
const at = Date.parse;

describe('closed banner', () => {
	const browserZone = process.env.TZ;
	afterEach(() => {
		if (browserZone === undefined) delete process.env.TZ;
		else process.env.TZ = browserZone;
	});

	it('is nothing while the center is open (opening inside the hours, closing outside)', () => {
		const day = at('2026-12-02T00:00:00+01:00');
		expect(closedNotice(berlin, at('2026-12-02T08:00:00+01:00'), day, true)).toBeNull();
		expect(closedNotice(berlin, at('2026-12-02T19:59:59+01:00'), day, true)).toBeNull();
		expect(closedNotice(berlin, at('2026-12-02T20:00:00+01:00'), day, true)).toEqual({
			text: "Closed since 20:00 · showing today's figures as the day ended · opens 08:00 tomorrow",
			figures: true
		});
	});

	it("before the midnight reset: today's figures as the day ended", () => {
		const day = at('2026-12-02T00:00:00+01:00');
		expect(closedNotice(berlin, at('2026-12-02T23:59:00+01:00'), day, true)).toEqual({
			text: "Closed since 20:00 · showing today's figures as the day ended · opens 08:00 tomorrow",
			figures: true
		});
		// A day that took no contact claims no figures.
		expect(closedNotice(berlin, at('2026-12-02T23:59:00+01:00'), day, false)).toEqual({ text: 'Closed since 20:00 · opens 08:00 tomorrow', figures: false });
	});

	it('after the midnight reset: closed since yesterday, opens today, no figures claimed', () => {
		// The floor rolled at Berlin's midnight (23:00 UTC): its day began after the center closed.
		const rolled = at('2026-12-03T00:00:00+01:00');
		for (const now of ['2026-12-03T00:00:00+01:00', '2026-12-03T03:30:00+01:00', '2026-12-03T07:59:59+01:00']) {
			expect(closedNotice(berlin, at(now), rolled, false), now).toEqual({ text: 'Closed since 20:00 yesterday · opens 08:00', figures: false });
		}
		// Even if figures came in after the reset (a late event), they are not the day that ended.
		expect(closedNotice(berlin, at('2026-12-03T03:30:00+01:00'), rolled, true)?.figures).toBe(false);
	});

	it("a reset after midnight (06:00): in the small hours the floor still holds yesterday's figures", () => {
		const yesterday0600 = at('2026-12-02T06:00:00+01:00');
		expect(closedNotice(berlin, at('2026-12-03T02:00:00+01:00'), yesterday0600, true)).toEqual({
			text: "Closed since 20:00 yesterday · showing yesterday's figures as the day ended · opens 08:00",
			figures: true
		});
		// Past the 06:00 reset the floor's day began after closing.
		expect(closedNotice(berlin, at('2026-12-03T06:30:00+01:00'), at('2026-12-03T06:00:00+01:00'), false)?.text).toBe('Closed since 20:00 yesterday · opens 08:00');
	});

	it('a reset in the evening (21:00), before midnight: closed since 20:00 today, nothing claimed', () => {
		expect(closedNotice(berlin, at('2026-12-02T22:00:00+01:00'), at('2026-12-02T21:00:00+01:00'), false)).toEqual({
			text: 'Closed since 20:00 · opens 08:00 tomorrow',
			figures: false
		});
		// Between closing and that reset the day's figures are still up.
		expect(closedNotice(berlin, at('2026-12-02T20:30:00+01:00'), at('2026-12-01T21:00:00+01:00'), true)?.figures).toBe(true);
	});

	it("reads the center's clock, whatever the browser's time zone", () => {
		// A Los Angeles center seen from a browser in Tokyo and from one in Berlin: at 23:30 in LA it is
		// 16:30 the next day in Tokyo (inside 08:00–20:00 there), 08:30 in Berlin, 07:30 in UTC.
		const la = { open: '08:00', close: '20:00', timeZone: 'America/Los_Angeles' } as const;
		const now = at('2026-12-02T23:30:00-08:00');
		const laDay = at('2026-12-02T00:00:00-08:00');
		const seen: unknown[] = [];
		const localHours: number[] = [];
		for (const zone of ['Asia/Tokyo', 'Europe/Berlin', 'UTC']) {
			process.env.TZ = zone;
			localHours.push(new Date(now).getHours());
			seen.push(closedNotice(la, now, laDay, true));
		}
		// Each zone switch took effect (Node re-reads TZ): the local hours are Tokyo's, Berlin's, UTC's.
		expect(localHours).toEqual([16, 8, 7]);
		expect(seen).toEqual(Array.from({ length: 3 }, () => ({ text: "Closed since 20:00 · showing today's figures as the day ended · opens 08:00 tomorrow", figures: true })));
		// After LA's midnight, from Tokyo: rolled.
		process.env.TZ = 'Asia/Tokyo';
		expect(closedNotice(la, at('2026-12-03T01:00:00-08:00'), at('2026-12-03T00:00:00-08:00'), false)?.text).toBe('Closed since 20:00 yesterday · opens 08:00');
	});

	it('across a daylight-saving change: the close was at 20:00 EST, the morning is EDT', () => {
		// New York springs forward on 2026-03-08 at 02:00. The floor's day began at midnight EST.
		const ny = { open: '08:00', close: '20:00', timeZone: 'America/New_York' } as const;
		const midnight = at('2026-03-08T00:00:00-05:00');
		expect(closedNotice(ny, at('2026-03-08T07:30:00-04:00'), midnight, false)?.text).toBe('Closed since 20:00 yesterday · opens 08:00');
		// A 06:00 reset: at 05:00 EDT the floor's day still began at 06:00 EST the day before, before the close.
		expect(closedNotice(ny, at('2026-03-08T05:00:00-04:00'), at('2026-03-07T06:00:00-05:00'), true)?.figures).toBe(true);
		// One minute before that close the day is open, a minute after it is closed with its figures.
		expect(closedNotice(ny, at('2026-03-07T19:59:00-05:00'), at('2026-03-07T00:00:00-05:00'), true)).toBeNull();
		expect(closedNotice(ny, at('2026-03-07T20:01:00-05:00'), at('2026-03-07T00:00:00-05:00'), true)?.figures).toBe(true);
	});
});
