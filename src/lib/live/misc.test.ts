import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { ClockOffset } from './clock-offset';
import { Ring } from './history';

describe('backoffDelay', () => {
	it('full jitter: a uniform draw in [0, cap), the cap doubling per attempt up to the max', () => {
		const o = { baseMs: 100, maxMs: 1000 };
		expect(backoffDelay(0, o, () => 0)).toBe(0);
		expect(backoffDelay(0, o, () => 0.5)).toBe(50);
		expect(backoffDelay(3, o, () => 0.5)).toBe(400);
		expect(backoffDelay(3, o, () => 0.999)).toBe(799);
		expect(backoffDelay(50, o, () => 0.999)).toBe(999);
		// Spread over the whole range, not bunched: 1,000 draws have a mean near cap / 2.
		let seed = 1;
		const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
		const draws = Array.from({ length: 1000 }, () => backoffDelay(3, o, rnd));
		const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
		expect(Math.min(...draws)).toBeLessThan(80);
		expect(mean).toBeGreaterThan(360);
		expect(mean).toBeLessThan(440);
	});
});

describe('ClockOffset', () => {
	it('takes the offset of the shortest round trip among recent samples', () => {
		const c = new ClockOffset(3);
		expect(c.offset).toBe(0);
		c.add(0, 5100, 200); // rtt 200, offset 5000
		c.add(1000, 6020, 1040); // rtt 40, offset 5000
		c.add(2000, 7500, 2500); // rtt 500
		expect(c.offset).toBe(5000);
		expect(c.rtt).toBe(40);
		c.add(3000, 3010, 3020); // rtt 20: server clock went back
		c.add(4000, 4010, 4020);
		c.add(5000, 5010, 5020);
		expect(c.offset).toBe(0);
	});
});

describe('Ring', () => {
	it('keeps the last `capacity` values, oldest first', () => {
		const r = new Ring(3);
		for (let i = 0; i < 10; i++) r.push(i);
		expect(r.values()).toEqual([7, 8, 9]);
		expect(r.size).toBe(3);
	});
});

describe('WallClock', () => {
	it('ticks on whole seconds and adds the server offset', async () => {
		const { WallClock } = await import('./clock.svelte');
		const { vi } = await import('vitest');
		vi.useFakeTimers();
		let offset = 5000;
		const c = new WallClock(() => offset);
		c.start();
		const before = c.now;
		vi.advanceTimersByTime(2100);
		expect(c.now).toBeGreaterThan(before);
		expect(c.serverNow - c.now).toBe(5000);
		offset = 0;
		c.stop();
		expect(vi.getTimerCount()).toBe(0);
		vi.useRealTimers();
	});
});

describe('ClockOffset.observe', () => {
	it('follows a server clock that runs ahead of the round-trip estimate (an accelerated emulator)', () => {
		const c = new ClockOffset();
		c.add(0, 1000, 10); // offset 995
		c.observe(60_000, 1_000); // frame stamped far ahead: at least 59,000
		expect(c.offset).toBe(59_000);
		c.observe(1_990, 1_000); // an ordinary frame (in flight a few ms) does not pull the estimate down
		expect(c.offset).toBe(995);
	});
});
