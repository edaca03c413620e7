import { describe, expect, it } from 'vitest';
import { agentTimes, decodeAgentTimes, encodeAgentTimes, type AgentStateRow } from './agent-time';

/** h_agent_time's encoding: columns, decoded exactly; stores of the earlier object encoding still read. */

const T0 = Date.UTC(2026, 4, 1);
const MIN = 60_000;
const row = (ts: number, activity: string, reason: string | null = null, busySlots = 0, offeredSlots = 1): AgentStateRow => ({ agent: 'a1', ts, activity, reason, busySlots, offeredSlots });

describe('agent time encoding', () => {
	// An agent logging in at 08:07, a contact, two breaks of different reasons, logging out: spans cut by 15-minute intervals at odd milliseconds.
	const rows = [
		row(T0 + 8 * 60 * MIN + 7 * MIN + 333, 'available'),
		row(T0 + 8 * 60 * MIN + 9 * MIN + 1, 'on-contact', null, 1, 1),
		row(T0 + 8 * 60 * MIN + 31 * MIN + 17, 'wrap-up', null, 1, 1),
		row(T0 + 8 * 60 * MIN + 33 * MIN, 'not-ready', 'lunch', 0, 0),
		row(T0 + 9 * 60 * MIN + 2 * MIN + 999, 'not-ready', 'training', 0, 0),
		row(T0 + 9 * 60 * MIN + 40 * MIN, 'available'),
		row(T0 + 10 * 60 * MIN + 5 * MIN, 'offline', null, 0, 0)
	];
	const perInterval = agentTimes(rows, T0, T0 + 24 * 60 * MIN, 15 * MIN).get('a1')!;

	it('decodes to exactly the time per interval it encoded, fewer bytes than objects per interval', () => {
		const text = encodeAgentTimes(perInterval, 15 * MIN);
		const decoded = decodeAgentTimes(text);
		expect(decoded).toEqual(perInterval);
		expect([...decoded.keys()]).toEqual([...perInterval.keys()].sort((a, b) => a - b));
		// Computed here from the rows: 08:00-08:15 is available 08:07:00.333-08:09:00.001, then on contact.
		const first = decoded.get(T0 + 8 * 60 * MIN)!;
		expect(first.available).toBeCloseTo((2 * MIN - 332) / 1000, 9);
		expect(first.onContact).toBeCloseTo((6 * MIN - 1) / 1000, 9);
		expect(decoded.get(T0 + 9 * 60 * MIN)!.notReady).toEqual({ lunch: (2 * MIN + 999) / 1000, training: (12 * MIN + 1 * MIN - 999) / 1000 });
		expect(decoded.get(T0 + 23 * 60 * MIN + 45 * MIN)!.offline).toBe(900);
		const asObjects = JSON.stringify([...perInterval].map(([start, t]) => ({ start, ...t })));
		expect(text.length).toBeLessThan(asObjects.length / 2);
	});

	it('reads the objects-per-interval encoding of earlier stores as the same times', () => {
		const earlier = JSON.stringify([...perInterval].sort(([a], [b]) => a - b).map(([start, t]) => ({ start, ...t })));
		expect(decodeAgentTimes(earlier)).toEqual(perInterval);
	});

	it('an agent with no time encodes and decodes as none', () => {
		expect(decodeAgentTimes(encodeAgentTimes(new Map(), 15 * MIN))).toEqual(new Map());
	});
});
