import { describe, expect, it } from 'vitest';
import { BoardProjector } from './board';
import { DEFAULT_BOARD } from './board-config';
import type { FloorEvent } from './events';
import { DEFAULT_FLOOR_CONFIG, Floor, type FloorConfig } from './floor';
import type { Channel } from './channels';
import { resolveSl } from './service-level';

/**
 * Headline roll-ups per channel group (#11): voice, messaging (chat + social + SMS) and email each
 * summed from their own queues, so email's hours never land in voice's ASA. Expected figures are
 * worked out by hand from the waits below.
 */
const T0 = Date.parse('2026-03-10T09:00:00Z');
const s = (sec: number) => T0 + sec * 1000;
const queues: readonly [string, Channel][] = [
	['billing', 'voice'],
	['web', 'chat'],
	['text', 'sms'],
	['mail', 'email']
];
const config: FloorConfig = { ...DEFAULT_FLOOR_CONFIG, queues: queues.map(([id, channel]) => ({ id, name: id, channel, sl: resolveSl(channel) })) };

let n = 0;
const ev = (e: Record<string, unknown>) => ({ id: `g${++n}`, ...e }) as FloorEvent;
const channelOf = (q: string) => queues.find(([id]) => id === q)![1];
/** A contact on `queue` queued at `at` and answered (by a fresh agent) or abandoned after `wait` seconds. */
function contact(id: string, queue: string, at: number, wait: number, outcome: 'answered' | 'abandoned'): FloorEvent[] {
	const q = ev({ type: 'contact.queued', ts: s(at), contact: id, queue, channel: channelOf(queue) });
	if (outcome === 'abandoned') return [q, ev({ type: 'contact.abandoned', ts: s(at + wait), contact: id, queue })];
	const agent = `a-${id}`;
	return [
		ev({ type: 'agent.profile', ts: s(0), agent, name: agent, team: 'T', skills: { [queue]: 1 }, capacity: {} }),
		ev({ type: 'agent.state', ts: s(0), agent, state: 'available' }),
		q,
		ev({ type: 'contact.answered', ts: s(at + wait), contact: id, queue, agent })
	];
}

function board(events: FloorEvent[]) {
	const f = new Floor(config, T0);
	for (const e of [...events].sort((a, b) => a.ts - b.ts)) f.apply(e);
	f.advance(s(10_000));
	return new BoardProjector(DEFAULT_BOARD).view(f);
}

describe('headline roll-ups per channel group', () => {
	it('sums each group from its own queues: ASA, SL and longest wait never mix voice with email', () => {
		const v = board([
			...contact('v1', 'billing', 10, 5, 'answered'),
			...contact('v2', 'billing', 20, 35, 'answered'), // over voice's 20 s
			...contact('v3', 'billing', 30, 40, 'abandoned'),
			...contact('c1', 'web', 10, 30, 'answered'),
			...contact('t1', 'text', 10, 600, 'answered'),
			...contact('m1', 'mail', 10, 7200, 'answered')
		]);
		expect(v.groups.map((g) => g.scope)).toEqual(['voice', 'messaging', 'email']);
		const [voice, messaging, email] = v.groups;
		// Voice: waits 5 and 35 answered, one abandon at 40 (not short: over 5 s).
		expect(voice!.today.offered).toBe(3);
		expect(voice!.today.asa).toBe((5 + 35) / 2);
		expect(voice!.today.serviceLevel).toBeCloseTo(1 / 3, 10); // 1 answered ≤ 20 s of answered + abandoned
		expect(voice!.today.longestWait).toBe(40);
		// Messaging: chat 30 s (T 60 s) and SMS 600 s (T 900 s), both within their queue's T.
		expect(messaging!.today.offered).toBe(2);
		expect(messaging!.today.asa).toBe((30 + 600) / 2);
		expect(messaging!.today.serviceLevel).toBe(1);
		expect(messaging!.today.longestWait).toBe(600);
		// Email alone: its two hours stay here.
		expect(email!.today.asa).toBe(7200);
		// The total is what mixed them: ASA over all five answered.
		expect(v.total.today.asa).toBe((5 + 35 + 30 + 600 + 7200) / 5);
		// Agents count in the groups whose channels they take.
		expect([voice!.agents.available + voice!.agents.onContact, messaging!.agents.available + messaging!.agents.onContact]).toEqual([2, 2]);
	});

	it('a board shows only the groups it has queues of, and deltas carry groups when they change', () => {
		const f = new Floor(config, T0);
		const p = new BoardProjector({ ...DEFAULT_BOARD, channels: ['voice'] });
		expect(p.view(f).groups.map((g) => g.scope)).toEqual(['voice']);
		for (const e of contact('v9', 'billing', 1, 0, 'abandoned').slice(0, 1)) f.apply(e);
		const d = p.changes(f);
		expect(d.groups?.[0]?.waiting).toBe(1);
		expect(p.changes(f).groups).toBeNull();
	});
});
