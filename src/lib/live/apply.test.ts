import { describe, expect, it } from 'vitest';
import { boardChanges, trendPoint } from '../domain/views';
import { applyChanges, mergeTrend } from './apply';
import { agent, queue, view } from './test/fixtures';

const tp = (start: number, offered = 1) => trendPoint({ start, offered, answered: 0, abandoned: 0, serviceLevel: null, waitingMax: 0 });

describe('applyChanges', () => {
	it('replaces rows by id, appends new ones, removes agents, and shares untouched rows', () => {
		const v = view();
		const a2 = v.agents[1];
		const next = applyChanges(
			v,
			boardChanges({ agents: [agent('a1', { activity: 'on-contact' }), agent('a3')], removedAgents: ['zz'] })
		);
		expect(next.agents.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
		expect(next.agents[0]!.activity).toBe('on-contact');
		expect(next.agents[1]).toBe(a2);
		expect(next.queues).toBe(v.queues);
		expect(v.agents[0]!.activity).toBe('available');
		const gone = applyChanges(next, boardChanges({ removedAgents: ['a1'] }));
		expect(gone.agents.map((a) => a.id)).toEqual(['a2', 'a3']);
	});

	it('replaces queues, total and channels whole', () => {
		const v = view();
		const total = { ...v.total, waiting: 7 };
		const next = applyChanges(v, boardChanges({ queues: [queue('billing', { waiting: 3 })], total, channels: [total] }));
		expect(next.queues[0]!.waiting).toBe(3);
		expect(next.total.waiting).toBe(7);
		expect(next.channels).toHaveLength(1);
	});

	it('merges trend points by start, in order, and caps them', () => {
		expect(mergeTrend([tp(0), tp(2)], [tp(1), tp(2, 9)]).map((p) => [p.start, p.offered])).toEqual([
			[0, 1],
			[1, 1],
			[2, 9]
		]);
		let pts = [tp(0)] as readonly ReturnType<typeof tp>[];
		for (let i = 1; i < 500; i++) pts = mergeTrend(pts, [tp(i)], 10);
		expect(pts).toHaveLength(10);
		expect(pts[9]!.start).toBe(499);
	});
});
