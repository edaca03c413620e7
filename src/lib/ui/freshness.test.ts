import { describe, expect, it } from 'vitest';
import { formatQuiet, isCurrent, sourceBadge, wallFreshness } from './freshness';

describe('wall freshness follows the data', () => {
	const now = 1_700_000_000_000;
	it('a live socket with no event for longer than the limit is stale; before it, quiet after 30 s', () => {
		expect(wallFreshness('live', { kind: 'ingest' }, now - 5_000, now, 120)).toEqual({ state: 'live', quietSeconds: 5 });
		expect(wallFreshness('live', { kind: 'ingest' }, now - 45_000, now, 120)).toEqual({ state: 'quiet', quietSeconds: 45 });
		expect(wallFreshness('live', { kind: 'ingest' }, now - 121_000, now, 120)).toEqual({ state: 'data-stale', quietSeconds: 121 });
		// Nothing since the server started is never fresh.
		expect(wallFreshness('live', { kind: 'ingest' }, null, now, 120).state).toBe('data-stale');
	});
	it('playback quiet time is counted in real seconds: a floor-minute at 30× is 2 s', () => {
		const replay = { kind: 'replay', day: '1999-08-01', speed: 30, ended: false } as const;
		expect(wallFreshness('live', replay, now - 60_000, now, 10)).toEqual({ state: 'live', quietSeconds: 2 });
		expect(wallFreshness('live', { ...replay, ended: true }, now - 60_000_000, now, 10).state).toBe('ended');
	});
	it('a cluster instance cut off from the event stream is stale at once, and says why', () => {
		const cut = { kind: 'ingest', upstream: 'unreachable' } as const;
		expect(wallFreshness('live', cut, now - 2_000, now, 120)).toEqual({ state: 'data-stale', quietSeconds: 2 });
		expect(wallFreshness('live', { kind: 'ingest', upstream: 'connected' }, now - 2_000, now, 120).state).toBe('live');
		expect(sourceBadge(cut).text).toBe('Event stream unreachable');
	});
	it('a closed center is closed, not stale; quiet during opening hours is still stale', () => {
		// 2023-11-14 22:13 UTC is 23:13 in Berlin (after 20:00) and 14:13 in Los Angeles (open).
		const hours = (timeZone: string) => ({ kind: 'emulator', scenario: 'day', speed: 1, hours: { open: '08:00', close: '20:00', timeZone } }) as const;
		expect(new Date(now).toISOString()).toBe('2023-11-14T22:13:20.000Z');
		expect(wallFreshness('live', hours('Europe/Berlin'), now - 94 * 60_000, now, 120)).toEqual({ state: 'after-hours', quietSeconds: null });
		expect(isCurrent('after-hours')).toBe(true);
		expect(wallFreshness('live', hours('America/Los_Angeles'), now - 94 * 60_000, now, 120)).toEqual({ state: 'data-stale', quietSeconds: 94 * 60 });
		// Opening is inside the hours, closing outside; a dropped stream still says so after hours.
		const at = (hhmm: string) => Date.parse(`2023-11-14T${hhmm}:00Z`);
		const utc = hours('UTC');
		expect([at('07:59'), at('08:00'), at('19:59'), at('20:00')].map((t) => wallFreshness('live', utc, t, t, 120).state)).toEqual(['after-hours', 'live', 'live', 'after-hours']);
		expect(wallFreshness('reconnecting', hours('Europe/Berlin'), now, now, 120).state).toBe('reconnecting');
		// Without hours (a demo day, ingest) nothing is ever closed.
		expect(wallFreshness('live', { kind: 'emulator', scenario: 'day', speed: 1 }, now - 94 * 60_000, now, 120).state).toBe('data-stale');
	});
	it('the connection state wins when the stream itself is down', () => {
		expect(wallFreshness('reconnecting', { kind: 'ingest' }, now, now, 120).state).toBe('reconnecting');
		expect(isCurrent('reconnecting')).toBe(false);
		expect(isCurrent('data-stale')).toBe(false);
		expect(isCurrent('ended')).toBe(true);
	});
	it('names every source; only live ingest goes without a badge colour', () => {
		expect(sourceBadge({ kind: 'replay', day: '1999-08-01', speed: 30, ended: false }).text).toBe('Replay · 1999-08-01 · 30×');
		expect(sourceBadge({ kind: 'replay', day: '1999-08-01', speed: 30, ended: true }).text).toBe('Replay ended · 1999-08-01 · 30×');
		expect(sourceBadge({ kind: 'emulator', scenario: 'day', speed: 1 }).text).toBe('Emulator');
		expect(sourceBadge({ kind: 'emulator', scenario: 'day', speed: 2.5 }).text).toBe('Emulator · 2.5×');
		expect(sourceBadge({ kind: 'simulation', plan: 'more chat', speed: 10 }).text).toBe('Simulation · more chat');
		expect(sourceBadge({ kind: 'simulation', plan: 'more chat', speed: 10, ended: true }).text).toBe('Simulation ended · more chat');
		expect(sourceBadge({ kind: 'ingest' }).text).toBe('Live');
	});
	it('says quiet time in words', () => {
		expect([formatQuiet(9.7), formatQuiet(61), formatQuiet(3 * 3600 + 5 * 60)]).toEqual(['9 s', '1 min', '3 h 5 min']);
	});
});
