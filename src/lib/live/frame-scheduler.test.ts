import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameScheduler } from './frame-scheduler';

describe('FrameScheduler', () => {
	let frames: (() => void)[];
	beforeEach(() => {
		vi.useFakeTimers();
		frames = [];
		vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
		vi.stubGlobal('cancelAnimationFrame', () => {});
	});
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.useRealTimers();
	});
	const nextFrame = () => frames.splice(0).forEach((f) => f());

	it('flushes once per animation frame however many requests come', () => {
		let n = 0;
		const s = new FrameScheduler(() => n++);
		for (let i = 0; i < 50; i++) s.request();
		expect(frames).toHaveLength(1);
		nextFrame();
		expect(n).toBe(1);
		s.dispose();
	});

	it('waits out the minimum interval before asking for the next frame', () => {
		let n = 0;
		const s = new FrameScheduler(() => n++, 100);
		s.request();
		nextFrame();
		s.request();
		expect(frames).toHaveLength(0);
		vi.advanceTimersByTime(120);
		expect(frames).toHaveLength(1);
		nextFrame();
		expect(n).toBe(2);
		s.request();
		s.dispose();
		vi.advanceTimersByTime(200);
		nextFrame();
		expect(n).toBe(2);
		expect(vi.getTimerCount()).toBe(0);
	});
});
