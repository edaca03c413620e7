import { describe, expect, it } from 'vitest';
import type { FloorEvent } from '../src/lib/domain/events';
import { eventErrors } from '../src/lib/domain/events';
import { Engine } from './engine';
import { compile } from './model';
import { runReplication, runReplications } from './replicate';
import { collectResult, scopeKpis } from './results';
import { validateScenario, type Scenario } from './scenario';
import { traceEvents } from './trace';
import day from './scenarios/multichannel-day.json';

function scenario(s: unknown): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

type Answer = { contact: string; queue: string; agent: string; at: number; queuedAt: number };

/** Answers from a trace, with when each contact was queued (seconds). */
function answers(events: FloorEvent[]): Answer[] {
	const queued = new Map<string, number>();
	const out: Answer[] = [];
	for (const e of events) {
		if (e.type === 'contact.queued') queued.set(e.contact, e.ts / 1000);
		if (e.type === 'contact.answered') out.push({ contact: e.contact, queue: e.queue, agent: e.agent, at: e.ts / 1000, queuedAt: queued.get(e.contact)! });
	}
	return out;
}

function teams(events: FloorEvent[]): Map<string, string> {
	return new Map(events.flatMap((e) => (e.type === 'agent.profile' ? [[e.agent, e.team] as [string, string]] : [])));
}

const voice = (id: string, extra: object = {}) => ({
	id,
	channel: 'voice',
	arrivals: { perHour: 60 },
	handle: { dist: 'exponential', mean: 120 },
	...extra
});

describe('routing', () => {
	it('skills restrict who answers a queue', () => {
		const s = scenario({
			horizon: 7200,
			queues: [voice('a'), voice('b'), voice('both')],
			agents: [
				{ group: 'ga', count: 2, skills: { a: 1, both: 1 } },
				{ group: 'gb', count: 2, skills: { b: 1, both: 1 } }
			]
		});
		const ev = traceEvents(s, { seed: 3, startTs: 0 });
		const team = teams(ev);
		const ans = answers(ev);
		expect(ans.filter((x) => x.queue === 'a').every((x) => team.get(x.agent) === 'ga')).toBe(true);
		expect(ans.filter((x) => x.queue === 'b').every((x) => team.get(x.agent) === 'gb')).toBe(true);
		// Both groups do take the shared queue.
		expect(new Set(ans.filter((x) => x.queue === 'both').map((x) => team.get(x.agent)))).toEqual(new Set(['ga', 'gb']));
	});

	it.each([
		['longest-idle', 'junior'],
		['most-skilled', 'senior']
	])('%s picks the %s agent', (policy, want) => {
		// junior idle since 0, senior since 10; one call at 20.
		const s = scenario({
			horizon: 100,
			queues: [{ ...voice('q'), arrivals: { trace: [20] } }],
			agents: [
				{ group: 'junior', count: 1, skills: { q: 1 } },
				{ group: 'senior', count: 1, skills: { q: 5 }, shifts: [{ start: 10, end: 100 }] }
			],
			routing: { policy }
		});
		const ev = traceEvents(s, { seed: 1, startTs: 0 });
		expect(answers(ev).map((a) => teams(ev).get(a.agent))).toEqual([want]);
	});

	it('longest-idle: the agent free the longest gets the next contact', () => {
		// Three agents take calls at 0, 1, 2 (each 100 s, so free at 100, 101, 102); next call at 200.
		const s = scenario({
			horizon: 300,
			queues: [{ id: 'q', channel: 'voice', arrivals: { trace: [0, 1, 2, 200] }, handle: { dist: 'constant', value: 100 } }],
			agents: [{ group: 'g', count: 3, skills: { q: 1 } }]
		});
		const ans = answers(traceEvents(s, { seed: 1, startTs: 0 }));
		expect(ans.map((a) => a.agent)).toEqual(['a001', 'a002', 'a003', 'a001']);
	});

	it.each([
		// One agent busy until 100; low-priority call at 10, high-priority at 20.
		['priority wins without aging', 0, ['first', 'high', 'low']],
		// Aging 0.2/s: at 100 the low call scores 0.2 × 90 = 18 > 10.
		['aging lets an old low-priority call through', 0.2, ['first', 'low', 'high']]
	])('%s', (_, aging, order) => {
		const s = scenario({
			horizon: 1000,
			queues: [
				{ id: 'first', channel: 'voice', arrivals: { trace: [0] }, handle: { dist: 'constant', value: 100 } },
				{ id: 'low', channel: 'voice', aging, arrivals: { trace: [10] }, handle: { dist: 'constant', value: 100 } },
				{ id: 'high', channel: 'voice', priority: 10, arrivals: { trace: [20] }, handle: { dist: 'constant', value: 100 } }
			],
			agents: [{ group: 'g', count: 1, skills: { first: 1, low: 1, high: 1 } }]
		});
		expect(answers(traceEvents(s, { seed: 1, startTs: 0 })).map((a) => a.queue)).toEqual(order);
	});

	it('equal priority: the longest-waiting contact goes first, across queues', () => {
		const s = scenario({
			horizon: 1000,
			queues: [
				{ id: 'x', channel: 'voice', arrivals: { trace: [0, 30] }, handle: { dist: 'constant', value: 100 } },
				{ id: 'y', channel: 'voice', arrivals: { trace: [20] }, handle: { dist: 'constant', value: 100 } }
			],
			agents: [{ group: 'g', count: 1, skills: { x: 1, y: 1 } }]
		});
		expect(answers(traceEvents(s, { seed: 1, startTs: 0 })).map((a) => `${a.queue}@${a.queuedAt}`)).toEqual(['x@0', 'y@20', 'x@30']);
	});

	it('overflow: another group answers only after the overflow wait', () => {
		const s = scenario({
			horizon: 1000,
			queues: [
				{
					id: 'q',
					channel: 'voice',
					arrivals: { trace: [0, 5, 10] },
					handle: { dist: 'constant', value: 200 },
					overflow: [{ after: 30, groups: ['backup'] }]
				}
			],
			agents: [
				{ group: 'main', count: 1, skills: { q: 1 } },
				{ group: 'backup', count: 1, skills: {} }
			]
		});
		const ev = traceEvents(s, { seed: 1, startTs: 0 });
		const team = teams(ev);
		expect(answers(ev).map((a) => [a.queuedAt, a.at, team.get(a.agent)])).toEqual([
			[0, 0, 'main'],
			[5, 35, 'backup'],
			[10, 200, 'main']
		]);
	});

	it('overflow under load: every overflow answer waited at least the overflow wait', () => {
		const s = scenario({
			horizon: 4 * 3600,
			queues: [
				{ ...voice('q'), arrivals: { perHour: 200 }, overflow: [{ after: 45, groups: ['backup'] }] },
				voice('other', { arrivals: { perHour: 40 } })
			],
			agents: [
				{ group: 'main', count: 6, skills: { q: 1 } },
				{ group: 'backup', count: 3, skills: { other: 1 } }
			]
		});
		const ev = traceEvents(s, { seed: 9, startTs: 0 });
		const team = teams(ev);
		const overflowed = answers(ev).filter((a) => a.queue === 'q' && team.get(a.agent) === 'backup');
		expect(overflowed.length).toBeGreaterThan(10);
		for (const a of overflowed) expect(a.at - a.queuedAt).toBeGreaterThanOrEqual(45 - 1e-3);
	});

	it('concurrency: never more chats than capacity, voice always alone (multichannel day trace)', () => {
		const s = scenario(day);
		const ev = traceEvents(s, { seed: 5, startTs: 1_700_000_000_000 });
		const cap = new Map<string, Partial<Record<string, number>>>();
		const channelOf = new Map<string, string>();
		const active = new Map<string, Map<string, number>>();
		let maxChat = 0;
		for (const e of ev) {
			if (e.type === 'agent.profile') {
				cap.set(e.agent, e.capacity);
				active.set(e.agent, new Map());
			} else if (e.type === 'contact.queued') channelOf.set(e.contact, e.channel);
			else if (e.type === 'contact.answered' || e.type === 'contact.ended') {
				const ch = channelOf.get(e.contact)!;
				const m = active.get(e.agent)!;
				m.set(ch, (m.get(ch) ?? 0) + (e.type === 'contact.answered' ? 1 : -1));
				const total = [...m.values()].reduce((a, b) => a + b, 0);
				expect(m.get(ch)!).toBeLessThanOrEqual(cap.get(e.agent)![ch] ?? 1);
				if ((m.get('voice') ?? 0) > 0) expect(total).toBe(1);
				if (ch === 'chat') maxChat = Math.max(maxChat, m.get('chat')!);
			}
		}
		// The day does load agents with several chats at once.
		expect(maxChat).toBe(3);
	});

	it('shifts: agents answer only while logged in, and come and go on schedule', () => {
		const s = scenario({
			horizon: 7200,
			queues: [voice('q', { arrivals: { perHour: 120 } })],
			agents: [
				{ group: 'all-day', count: 2, skills: { q: 1 } },
				{ group: 'mid', count: 2, skills: { q: 1 }, shifts: [{ start: 1800, end: 3600 }, { start: 5400, end: 6000 }] }
			]
		});
		const ev = traceEvents(s, { seed: 2, startTs: 0 });
		const team = teams(ev);
		const on = new Map<string, boolean>();
		const changes: [string, number, string][] = [];
		for (const e of ev) {
			if (e.type === 'agent.state') {
				on.set(e.agent, e.state === 'available');
				if (team.get(e.agent) === 'mid') changes.push([e.agent, e.ts / 1000, e.state]);
			}
			if (e.type === 'contact.answered') expect(on.get(e.agent)).toBe(true);
		}
		const a3 = changes.filter((c) => c[0] === 'a003');
		expect(a3.map((c) => c[2])).toEqual(['offline', 'available', 'offline', 'available', 'offline']);
		expect(a3[1]![1]).toBe(1800);
		// Logging off waits for the call in hand to end, never before the shift end.
		expect(a3[2]![1]).toBeGreaterThanOrEqual(3600);
		expect(a3[3]![1]).toBe(5400);
		// The mid-shift group does answer calls.
		expect(answers(ev).some((a) => team.get(a.agent) === 'mid')).toBe(true);
	});

	it('every offered contact gets exactly one outcome, including those nobody can serve', () => {
		const s = scenario({
			horizon: 3600,
			queues: [voice('served', { arrivals: { perHour: 100 }, wrapup: { dist: 'constant', value: 10 } }), voice('orphan', { arrivals: { perHour: 10 } })],
			agents: [{ group: 'g', count: 3, skills: { served: 1 }, shifts: [{ start: 0, end: 1800 }] }]
		});
		const ev = traceEvents(s, { seed: 4, startTs: 0 });
		const outcome = new Map<string, string[]>();
		for (const e of ev) if (e.type.startsWith('contact.')) outcome.set((e as { contact: string }).contact, [...(outcome.get((e as { contact: string }).contact) ?? []), e.type]);
		for (const [, seq] of outcome) {
			expect(seq[0]).toBe('contact.queued');
			expect([['contact.queued', 'contact.abandoned'], ['contact.queued', 'contact.answered', 'contact.wrapup', 'contact.ended']]).toContainEqual(seq);
		}
		const r = runReplication(s, 4, 0);
		const k = scopeKpis(r.total);
		expect(k.answered + k.abandoned).toBe(k.offered);
		expect(k.offered).toBe(outcome.size);
		// Nobody serves "orphan": all of it abandons, at the close.
		expect(scopeKpis(r.queues.orphan!).answered).toBe(0);
	});
});

describe('abandonment', () => {
	/**
	 * One agent from t = 30, 60 s calls; the first caller (t = 0) has 90 s of patience, the
	 * second arrives at `second` with `patience`, both deadlines at t = 90, when the first call ends.
	 */
	const tie = (second: number, patience: number) =>
		scenario({
			horizon: 600,
			queues: [
				{
					id: 'q',
					channel: 'voice',
					arrivals: { trace: [0, second], patience: [90, patience] },
					handle: { dist: 'constant', value: 60 },
					patience: { dist: 'constant', value: 1000 }
				}
			],
			agents: [{ group: 'g', count: 1, skills: { q: 1 }, shifts: [{ start: 30, end: 600 }] }]
		});
	const outcome = (s: Scenario) => {
		const k = scopeKpis(runReplication(s, 1, 0).total);
		const ev = traceEvents(s, { seed: 1, startTs: 0 });
		const at = (type: string) => ev.filter((e) => e.type === type).map((e) => e.ts / 1000);
		return { answered: k.answered, abandoned: k.abandoned, longestWait: k.longestWait, answers: at('contact.answered'), abandons: at('contact.abandoned') };
	};

	it('a deadline and a call end at the same instant run in the order they were scheduled', () => {
		// The second caller's deadline was set at t = 10, before the first call's end (set at 30):
		// it hangs up at 90 after 80 s, just before the agent comes free.
		expect(outcome(tie(10, 80))).toEqual({ answered: 1, abandoned: 1, longestWait: 80, answers: [30], abandons: [90] });
		// Set at t = 40, after the call's end: the agent takes it at 90, after 50 s.
		expect(outcome(tie(40, 50))).toEqual({ answered: 2, abandoned: 0, longestWait: 50, answers: [30, 90], abandons: [] });
	});

	it('a queue nobody serves: every caller hangs up after exactly its patience, and their slots are reused meanwhile', () => {
		const s = scenario({
			horizon: 36_000,
			queues: [voice('orphan', { arrivals: { perHour: 3600 }, patience: { dist: 'constant', value: 60 } }), voice('served')],
			agents: [{ group: 'g', count: 2, skills: { served: 1 } }]
		});
		const m = compile(s);
		const engine = new Engine(m, { seed: 2 });
		const out = engine.run();
		const k = scopeKpis(collectResult(m, out).queues.orphan!);
		expect(k.offered).toBeGreaterThan(30_000);
		expect(k.abandoned).toBe(k.offered);
		expect(k.longestWait).toBeCloseTo(60, 6);
		// About 60 callers wait at any moment (one a second, 60 s each): the contact table stays
		// at its first size (1,024 slots) instead of holding the day's 36,000 until the close.
		expect((engine as unknown as { c: { capacity: number } }).c.capacity).toBe(1024);
	});

	it('counts and run length are the same whether deadlines are calendar events (traced) or checked when a queue is looked at', () => {
		const s = scenario(day);
		const m = compile(s);
		for (const rep of [0, 1]) {
			const lazy = new Engine(m, { seed: 5, rep }).run();
			const traced = new Engine(m, { seed: 5, rep, trace: true }).run();
			// Events included: every deadline counts as one, fired or not, as in the traced calendar.
			expect({ ...lazy, trace: null }).toEqual({ ...traced, trace: null });
		}
	});
});

describe('trace', () => {
	it('events are valid, in time order, with unique ids and integer ms timestamps', () => {
		const startTs = Date.UTC(2025, 0, 6, 8);
		const ev = traceEvents(scenario(day), { seed: 1, startTs });
		const ids = new Set<string>();
		let last = 0;
		for (const e of ev) {
			expect(eventErrors(e)).toEqual([]);
			expect(e.ts).toBeGreaterThanOrEqual(last);
			expect(Number.isInteger(e.ts)).toBe(true);
			last = e.ts;
			ids.add(e.id);
		}
		expect(ids.size).toBe(ev.length);
		expect(ev[0]).toMatchObject({ type: 'agent.profile', agent: 'a001', ts: startTs });
		const profiles = ev.filter((e) => e.type === 'agent.profile');
		expect(profiles).toHaveLength(compile(scenario(day)).agents);
	});

	it('agrees with the KPI counts of the same replication', () => {
		const s = scenario(day);
		const ev = traceEvents(s, { seed: 8, startTs: 0 });
		const r = runReplication(s, 8, 0);
		const k = scopeKpis(r.total);
		expect(ev.filter((e) => e.type === 'contact.queued')).toHaveLength(k.offered);
		expect(ev.filter((e) => e.type === 'contact.answered')).toHaveLength(k.answered);
		expect(ev.filter((e) => e.type === 'contact.abandoned')).toHaveLength(k.abandoned);
	});
});

describe('determinism and common random numbers', () => {
	it('same seed, identical results; another seed, different ones', () => {
		const s = scenario(day);
		expect(runReplications(s, 11, 2)).toEqual(runReplications(s, 11, 2));
		expect(scopeKpis(runReplication(s, 12, 0).total)).not.toEqual(scopeKpis(runReplication(s, 11, 0).total));
	});

	it('the same contact gets the same arrival and draws whatever the staffing', () => {
		const s = scenario(day);
		const more = scenario({ ...day, agents: day.agents.map((g) => ({ ...g, count: g.count + 2 })), routing: { policy: 'longest-idle' } });
		const look = (x: Scenario) => {
			const ev = traceEvents(x, { seed: 3, startTs: 0 });
			const queued = ev.flatMap((e) => (e.type === 'contact.queued' ? [`${e.contact} ${e.queue} ${e.ts}`] : []));
			// Talk time of each answered contact: from answer to wrap-up.
			const answeredAt = new Map<string, number>();
			const talk = new Map<string, number>();
			for (const e of ev) {
				if (e.type === 'contact.answered') answeredAt.set(e.contact, e.ts);
				if (e.type === 'contact.wrapup') talk.set(e.contact, e.ts - answeredAt.get(e.contact)!);
			}
			return { queued, talk };
		};
		const a = look(s);
		const b = look(more);
		expect(b.queued).toEqual(a.queued);
		let common = 0;
		for (const [c, t] of a.talk) {
			if (!b.talk.has(c)) continue;
			common++;
			// Both ends are rounded to the millisecond.
			expect(Math.abs(b.talk.get(c)! - t)).toBeLessThanOrEqual(1);
		}
		expect(common).toBeGreaterThan(a.talk.size * 0.9);
	});
});
