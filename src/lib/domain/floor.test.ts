import { describe, expect, it } from 'vitest';
import { BoardProjector } from './board';
import { DEFAULT_BOARD, parseBoardConfig } from './board-config';
import type { FloorEvent } from './events';
import { DEFAULT_FLOOR_CONFIG, Floor, type FloorConfig } from './floor';
import { isEmptyChanges } from './views';
import { resolveSl } from './service-level';

const T0 = Date.parse('2026-03-10T09:00:00Z');
const s = (sec: number) => T0 + sec * 1000;
const config: FloorConfig = {
	...DEFAULT_FLOOR_CONFIG,
	queues: [
		{ id: 'billing', name: 'Billing', channel: 'voice', sl: resolveSl('voice') },
		{ id: 'web', name: 'Web chat', channel: 'chat', sl: resolveSl('chat') }
	]
};

let n = 0;
type WithoutId<E> = E extends unknown ? Omit<E, 'id'> : never;
/** Builds an event with a fresh id. */
function ev(e: WithoutId<FloorEvent>): FloorEvent {
	return { id: `e${++n}`, ...e } as FloorEvent;
}
const queued = (contact: string, at: number, queue = 'billing', channel: 'voice' | 'chat' = 'voice', priority?: number) =>
	ev({ type: 'contact.queued', ts: s(at), contact, queue, channel, ...(priority === undefined ? {} : { priority }) });
const answered = (contact: string, at: number, agent: string, queue = 'billing') =>
	ev({ type: 'contact.answered', ts: s(at), contact, queue, agent });
const abandoned = (contact: string, at: number, queue = 'billing') => ev({ type: 'contact.abandoned', ts: s(at), contact, queue });
const wrapup = (contact: string, at: number, agent: string) => ev({ type: 'contact.wrapup', ts: s(at), contact, agent });
const ended = (contact: string, at: number, agent: string, csat?: number) =>
	ev({ type: 'contact.ended', ts: s(at), contact, agent, ...(csat === undefined ? {} : { csat }) });
const state = (agent: string, at: number, st: 'available' | 'not-ready' | 'offline', reason?: string) =>
	ev({ type: 'agent.state', ts: s(at), agent, state: st, ...(reason ? { reason } : {}) });
const profile = (agent: string, at: number, skills: Record<string, number>, capacity: Record<string, number> = {}) =>
	ev({ type: 'agent.profile', ts: s(at), agent, name: agent.toUpperCase(), team: 'Blue', skills, capacity });

function floorWith(events: FloorEvent[], cfg = config): Floor {
	const f = new Floor(cfg, T0);
	for (const e of events) f.apply(e);
	return f;
}

function view(f: Floor, board = DEFAULT_BOARD) {
	return new BoardProjector(board).view(f);
}

describe('contact lifecycle', () => {
	it('queued → answered → wrap-up → ended gives the KPIs of DESIGN.md', () => {
		const f = floorWith([
			profile('a1', 0, { billing: 1 }),
			state('a1', 0, 'available'),
			queued('c1', 10),
			answered('c1', 25, 'a1'), // waited 15 s
			wrapup('c1', 145, 'a1'), // talked 120 s
			ended('c1', 175, 'a1', 5) // 30 s after-contact work
		]);
		const q = view(f).queues.find((r) => r.id === 'billing')!;
		expect(q.today).toMatchObject({ offered: 1, answered: 1, abandoned: 0, serviceLevel: 1, asa: 15, aht: 150, csat: 1 });
		expect(q.waiting).toBe(0);
		expect(f.agents.get('a1')!.activity).toBe('available');
	});

	it('tracks agent activity and the time it began', () => {
		const f = floorWith([profile('a1', 0, { billing: 1 }), state('a1', 0, 'available'), queued('c1', 10), answered('c1', 12, 'a1')]);
		const a = f.agents.get('a1')!;
		expect([a.activity, a.since]).toEqual(['on-contact', s(12)]);
		f.apply(wrapup('c1', 60, 'a1'));
		expect([a.activity, a.since]).toEqual(['wrap-up', s(60)]);
		f.apply(ended('c1', 70, 'a1'));
		f.apply(state('a1', 80, 'not-ready', 'lunch'));
		expect([a.activity, a.reason, a.since]).toEqual(['not-ready', 'lunch', s(80)]);
	});

	it('attributes a contact to the interval it was offered in', () => {
		// Offered at 09:14:50, answered at 09:15:30: it belongs to the 09:00 interval.
		const f = floorWith([queued('c1', 14 * 60 + 50), answered('c1', 15 * 60 + 30, 'a1')]);
		const q = f.queues.get('billing')!;
		expect(q.intervals.get(T0)!.answered).toBe(1);
		expect(q.intervals.get(T0 + 15 * 60_000)).toBeUndefined();
	});

	it('counts short abandons and abandons within T by the queue settings', () => {
		const f = floorWith([queued('c1', 0), abandoned('c1', 3), queued('c2', 0), abandoned('c2', 40), queued('c3', 0), answered('c3', 10, 'a1')]);
		const k = view(f).queues.find((r) => r.id === 'billing')!.today;
		// SL = 1 answered in T / (1 answered + 2 abandoned − 1 short); abandon rate = (2 − 1) / (3 − 1)
		expect(k).toMatchObject({ offered: 3, abandoned: 2, shortAbandoned: 1, serviceLevel: 0.5, abandonRate: 0.5, longestWait: 40 });
	});

	it('a transfer counts on the first queue as transferred and offers the contact to the second', () => {
		const f = floorWith([
			queued('c1', 0),
			ev({ type: 'contact.transferred', ts: s(30), contact: 'c1', fromQueue: 'billing', toQueue: 'web' }),
			queued('c1', 30, 'web', 'voice'), // the producer may also send the queued event: not an anomaly
			answered('c1', 40, 'a1', 'web')
		]);
		const v = view(f);
		expect(v.queues.find((r) => r.id === 'billing')!.today).toMatchObject({ offered: 1, transferred: 1, answered: 0 });
		expect(v.queues.find((r) => r.id === 'web')!.today).toMatchObject({ offered: 1, answered: 1, asa: 10 });
		expect(f.stats.anomalies).toBe(0);
	});
});

describe('bad producers never corrupt the floor', () => {
	it('drops duplicate ids and counts them once', () => {
		const e = queued('c1', 0);
		const f = floorWith([e, e, e]);
		expect(f.stats).toEqual({ applied: 1, duplicates: 2, anomalies: 0 });
		expect(f.queues.get('billing')!.today.offered).toBe(1);
	});

	it('uniqueIds (a backfill of generated ids) skips only the duplicate check: same floor, same reports; a repeated id is then applied again', () => {
		// Two agents, contacts answered, abandoned, transferred, plus anomalies, across a day change.
		const events: FloorEvent[] = [profile('a1', 0, { billing: 1, web: 1 }, { voice: 1, chat: 2 }), profile('a2', 0, { billing: 1 }), state('a1', 0, 'available'), state('a2', 0, 'available')];
		for (let k = 0; k < 40; k++) {
			const c = `k${k}`;
			const t = 10 + k * 2400; // 40 contacts over 26 hours: the day rolls on the way
			const agent = k % 2 ? 'a1' : 'a2';
			events.push(queued(c, t, k % 3 ? 'billing' : 'web', k % 3 ? 'voice' : 'chat'));
			if (k % 5 === 4) events.push(abandoned(c, t + 30, k % 3 ? 'billing' : 'web'));
			else if (k % 3 === 0) events.push(answered(c, t + 12, 'a1', 'web'), wrapup(c, t + 200, 'a1'), ended(c, t + 230, 'a1', 4));
			else events.push(answered(c, t + 20, agent), wrapup(c, t + 140, agent), ended(c, t + 170, agent));
			if (k === 7) events.push(ended(c, t + 400, 'a2')); // an anomaly: ended twice
		}
		const play = (uniqueIds: boolean) => {
			const reports: unknown[] = [];
			const f = new Floor(config, T0, { uniqueIds, observer: { counts: (c) => reports.push(['counts', c]), leg: (l) => reports.push(['leg', { ...l }]), agent: (a) => reports.push(['agent', JSON.stringify(a)]) } });
			for (const e of events) f.apply(e);
			return { f, reports };
		};
		const checked = play(false);
		const trusted = play(true);
		expect(checked.f.stats).toEqual({ applied: events.length - 1, duplicates: 0, anomalies: 1 });
		expect(trusted.f.stats).toEqual(checked.f.stats);
		expect(JSON.stringify(view(trusted.f))).toBe(JSON.stringify(view(checked.f)));
		expect(trusted.reports).toEqual(checked.reports);
		expect(checked.reports.length).toBeGreaterThan(200);
		// The promise is the caller's: a repeated id is not caught.
		const e = state('a9', 0, 'available');
		const f = new Floor(config, T0, { uniqueIds: true });
		f.apply(e);
		expect(f.apply(e).kind).toBe('applied');
		expect(f.stats).toEqual({ applied: 2, duplicates: 0, anomalies: 0 });
	});

	it.each<[string, FloorEvent[], FloorEvent]>([
		['answered twice', [queued('x', 0), answered('x', 5, 'a1')], answered('x', 6, 'a2')],
		['ended before answered', [queued('x', 0)], ended('x', 5, 'a1')],
		['abandoned after answer', [queued('x', 0), answered('x', 5, 'a1')], abandoned('x', 6)],
		['answered an unknown contact', [], answered('nobody', 5, 'a1')],
		['answered in the wrong queue', [queued('x', 0)], answered('x', 5, 'a1', 'web')],
		['wrap-up by another agent', [queued('x', 0), answered('x', 5, 'a1')], wrapup('x', 9, 'a2')],
		['wrap-up twice', [queued('x', 0), answered('x', 5, 'a1'), wrapup('x', 7, 'a1')], wrapup('x', 8, 'a1')],
		['queued while being handled', [queued('x', 0), answered('x', 5, 'a1')], queued('x', 9)],
		['ended twice', [queued('x', 0), answered('x', 5, 'a1'), ended('x', 7, 'a1')], ended('x', 8, 'a1')]
	])('%s is an anomaly and changes nothing', (_name, before, bad) => {
		const f = floorWith(before);
		const snap = JSON.stringify(view(f));
		const version = f.version;
		expect(f.apply(bad).kind).toBe('anomaly');
		expect(f.stats.anomalies).toBe(1);
		expect(f.version).toBe(version);
		expect(JSON.stringify(view(f))).toBe(snap);
	});

	it('survives a random stream of events and keeps its invariants', () => {
		let seed = 42;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
		const contacts = ['c1', 'c2', 'c3', 'c4', 'c5'];
		const agents = ['a1', 'a2', 'a3'];
		const f = new Floor(config, T0);
		for (let i = 0; i < 5000; i++) {
			const t = i;
			const c = pick(contacts);
			const a = pick(agents);
			const kind = pick(['q', 'an', 'ab', 'w', 'e', 's', 'p', 't']);
			const e: FloorEvent =
				kind === 'q' ? queued(c, t, pick(['billing', 'web']), pick(['voice', 'chat']))
				: kind === 'an' ? answered(c, t, a, pick(['billing', 'web']))
				: kind === 'ab' ? abandoned(c, t, pick(['billing', 'web']))
				: kind === 'w' ? wrapup(c, t, a)
				: kind === 'e' ? ended(c, t, a)
				: kind === 's' ? state(a, t, pick(['available', 'not-ready', 'offline'] as const))
				: kind === 'p' ? profile(a, t, { billing: 1, web: 2 }, { chat: 3 })
				: ev({ type: 'contact.transferred', ts: s(t), contact: c, fromQueue: pick(['billing', 'web']), toQueue: pick(['billing', 'web']) });
			f.apply(e);
			let waiting = 0;
			for (const q of f.queues.values()) waiting += q.waiting.size;
			expect(waiting).toBe(f.waitingTotal);
			for (const ag of f.agents.values()) {
				const held = ag.slots.reduce((x, y) => x + y, 0);
				expect(held).toBe(ag.contacts.size);
				expect(ag.wrapups).toBeGreaterThanOrEqual(0);
				expect(ag.wrapups).toBeLessThanOrEqual(ag.contacts.size);
			}
		}
		const v = view(f);
		expect(v.total.today.offered).toBeGreaterThan(0);
		expect(f.stats.applied + f.stats.anomalies).toBe(5000);
	});
});

describe('agents, capacity and occupancy', () => {
	it('a chat agent takes up to its capacity; voice is exclusive', () => {
		const f = floorWith([profile('a1', 0, { billing: 1, web: 1 }, { chat: 3 }), state('a1', 0, 'available')]);
		const a = f.agents.get('a1')!;
		for (const [i, c] of ['k1', 'k2', 'k3'].entries()) {
			expect(a.canTake('chat')).toBe(true);
			f.apply(queued(c, i, 'web', 'chat'));
			f.apply(answered(c, i + 1, 'a1', 'web'));
		}
		expect(a.canTake('chat')).toBe(false);
		expect(a.canTake('voice')).toBe(false); // a voice call needs the agent whole
		const row = view(f).agents.find((r) => r.id === 'a1')!;
		expect(row.slots).toEqual([0, 3, 0, 0, 0]);
		expect(row.capacity).toEqual([1, 3, 1, 1, 1]);
	});

	it('counts staffed and available agents per queue', () => {
		const f = floorWith([
			profile('a1', 0, { billing: 1 }),
			profile('a2', 0, { billing: 2 }),
			profile('a3', 0, { web: 1 }),
			state('a1', 0, 'available'),
			state('a2', 0, 'not-ready', 'training'),
			state('a3', 0, 'available')
		]);
		const v = view(f);
		expect(v.queues.find((r) => r.id === 'billing')).toMatchObject({ staffed: 2, available: 1 });
		expect(v.total.agents).toMatchObject({ available: 2, notReady: 1, notReadyByReason: { training: 1 } });
	});

	it('occupancy is busy / (busy + idle); not-ready time counts for neither', () => {
		// a1: available 0–600 (idle 600 s), on a call 600–2400 (busy 1800 s), not ready 2400–3000.
		const f = floorWith([
			profile('a1', 0, { billing: 1 }),
			state('a1', 0, 'available'),
			queued('c1', 600),
			answered('c1', 600, 'a1'),
			ended('c1', 2400, 'a1'),
			state('a1', 2400, 'not-ready')
		]);
		f.advance(s(3000));
		const v = view(f);
		expect(v.total.today.occupancy).toBeCloseTo(1800 / 2400, 9);
		expect(v.queues[0]!.today.occupancy).toBeCloseTo(1800 / 2400, 9);
	});

	it('slot utilisation with concurrency: one chat of three slots for an hour is a third', () => {
		const f = floorWith([
			profile('a1', 0, { web: 1 }, { chat: 3 }),
			state('a1', 0, 'available'),
			queued('k1', 0, 'web', 'chat'),
			answered('k1', 0, 'a1', 'web')
		]);
		f.advance(s(3600));
		const k = view(f).total.today;
		expect(k.occupancy).toBe(1);
		expect(k.slotUtilisation).toBeCloseTo(1 / 3, 9);
	});
});

describe('periods', () => {
	it('the rolling window forgets contacts offered before it', () => {
		const f = floorWith([queued('c1', 0), answered('c1', 5, 'a1')]);
		f.advance(s(20 * 60));
		expect(view(f).queues[0]!.rolling.offered).toBe(1);
		f.advance(s(31 * 60));
		const q = view(f).queues[0]!;
		expect([q.rolling.offered, q.today.offered]).toEqual([0, 1]);
	});

	it('a new day starts at the reset time in the center zone; waiting contacts carry over', () => {
		const ny: FloorConfig = { ...config, timeZone: 'America/New_York', resetTime: '06:00' };
		const start = Date.parse('2026-03-10T09:00:00Z'); // 05:00 in New York (UTC-4 after 8 March)
		const f = new Floor(ny, start);
		f.apply({ id: 'x1', type: 'contact.queued', ts: start, contact: 'c1', queue: 'billing', channel: 'voice' });
		f.apply({ id: 'x2', type: 'contact.queued', ts: start + 1000, contact: 'c2', queue: 'billing', channel: 'voice' });
		const before = f.dayStart;
		f.advance(Date.parse('2026-03-10T10:00:00Z')); // 06:00 local
		expect(f.dayStart).toBe(Date.parse('2026-03-10T10:00:00Z'));
		expect(f.dayStart).not.toBe(before);
		const q = view(f).queues[0]!;
		expect([q.today.offered, q.waiting]).toEqual([0, 2]);
		// An abandon today of a contact offered yesterday is not today's.
		f.apply({ id: 'x3', type: 'contact.abandoned', ts: Date.parse('2026-03-10T10:01:00Z'), contact: 'c1', queue: 'billing' });
		expect(view(f).queues[0]!.today.abandoned).toBe(0);
	});
});

describe('limits (issue #9)', () => {
	it('a rolling window changed by configure() reaches queues and agents that already exist', () => {
		const f = floorWith([profile('a1', 0, { billing: 1 }), state('a1', 0, 'available'), queued('c1', 0), answered('c1', 5, 'a1')]);
		f.advance(s(40 * 60));
		expect(view(f).queues[0]!.rolling.offered).toBe(0); // 30-minute window: c1 is out
		f.configure({ ...config, rollingMs: 60 * 60_000 });
		f.apply(queued('c2', 41 * 60));
		expect(f.queues.get('billing')!.minutes.span).toBe(60);
		expect(f.agents.get('a1')!.minutes.span).toBe(60);
		// The resized ring keeps the minutes the old one still held (c1 had already left it) and counts new ones.
		expect(view(f).queues[0]!.rolling.offered).toBe(1);
		const g = floorWith([queued('c1', 0)]);
		g.configure({ ...config, rollingMs: 60 * 60_000 });
		g.advance(s(40 * 60));
		expect(view(g).queues[0]!.rolling.offered).toBe(1);
	});

	it('new queue and agent ids per day are limited: ingest can ask first, and the floor refuses the rest', () => {
		const f = new Floor(config, T0, { limits: { newQueuesPerDay: 2, newAgentsPerDay: 1 } });
		const batch = [queued('c1', 0, 'q-a'), queued('c2', 1, 'q-b'), queued('c3', 2, 'billing'), queued('c4', 3, 'q-c')];
		expect(f.checkIdLimits(batch)).toEqual({ index: 3, path: '/queue', message: expect.stringMatching(/more than 2 new queue ids today/) });
		for (const e of batch) f.apply(e);
		expect(f.queues.has('q-c')).toBe(false);
		expect(f.anomalyReasons.get('new queue id past the daily limit')).toBe(1);
		expect(f.checkIdLimits([state('a1', 5, 'available'), state('a2', 5, 'available')])?.index).toBe(1);
		f.apply(state('a1', 5, 'available'));
		expect(f.apply(state('a2', 6, 'available')).kind).toBe('anomaly');
		// A new day, a new budget.
		f.advance(T0 + 24 * 3600_000);
		expect(f.checkIdLimits([queued('c9', 0, 'q-c')])).toBeNull();
	});

	it('contacts open past the age limit expire as anomalies, oldest first, a bounded number per tick', () => {
		const f = new Floor(config, T0, { limits: { maxContactAgeMs: 3600_000, expirePerTick: 2 } });
		for (const e of [profile('a1', 0, { billing: 1 }), queued('old1', 0), queued('old2', 1), queued('old3', 2), answered('old3', 3, 'a1'), queued('new', 50 * 60)]) f.apply(e);
		f.advance(s(3600 + 10));
		expect(f.contactsInFlight).toBe(2);
		f.advance(s(3600 + 20));
		expect(f.contactsInFlight).toBe(1);
		expect(f.anomalyReasons.get('contact expired: open longer than the age limit')).toBe(3);
		expect(f.queues.get('billing')!.waiting.has('new')).toBe(true);
		expect([...f.agents.get('a1')!.contacts]).toEqual([]);
		expect(f.waitingTotal).toBe(1);
	});
});

describe('clock jumps', () => {
	it('a far-future event time starts that day in one step instead of looping day by day', () => {
		const f = floorWith([queued('c1', 0)]);
		const far = Date.UTC(9999, 0, 1, 12);
		f.apply({ id: 'far', type: 'contact.queued', ts: far, contact: 'c2', queue: 'billing', channel: 'voice' });
		expect(f.dayStart).toBe(Date.UTC(9999, 0, 1));
		expect(f.queues.get('billing')!.today.offered).toBe(1);
	});
});

describe('board projection', () => {
	it('the first changes() carries every row; then nothing changed means an empty delta', () => {
		const f = floorWith([profile('a1', 0, { billing: 1 }), state('a1', 0, 'available'), queued('c1', 1)]);
		const p = new BoardProjector(DEFAULT_BOARD);
		const first = p.changes(f);
		expect(first.agents?.map((a) => a.id)).toEqual(['a1']);
		expect(first.queues?.map((q) => q.id)).toEqual([...f.queues.keys()]);
		expect(first.total?.waiting).toBe(1);
		expect(isEmptyChanges(p.changes(f))).toBe(true);
	});

	it('a delta carries only the rows that changed', () => {
		const f = floorWith([profile('a1', 0, { billing: 1 }), profile('a2', 0, { web: 1 }), state('a1', 0, 'available'), queued('c1', 1)]);
		const p = new BoardProjector(DEFAULT_BOARD);
		p.changes(f);
		f.apply(answered('c1', 4, 'a1'));
		const d = p.changes(f);
		expect(d.agents?.map((a) => a.id)).toEqual(['a1']);
		expect(d.queues?.map((q) => q.id)).toEqual(['billing']);
		expect(d.total?.waiting).toBe(0);
		expect(isEmptyChanges(p.changes(f))).toBe(true);
	});

	it('view() is pure: a snapshot between two deltas leaves the delta stream unchanged (one projector per board)', () => {
		const events = [profile('a1', 0, { billing: 1 }), profile('a2', 0, { web: 1 }), state('a1', 0, 'available'), queued('c1', 1)];
		const withViews = floorWith(events);
		const without = floorWith(events);
		const p = new BoardProjector(DEFAULT_BOARD);
		const q = new BoardProjector(DEFAULT_BOARD);
		p.changes(withViews);
		q.changes(without);
		// The snapshot is taken mid-stream; it shows the answer, and the next delta still carries it.
		for (const f of [withViews, without]) f.apply(answered('c1', 4, 'a1'));
		const v = p.view(withViews);
		expect(v.queues.find((r) => r.id === 'billing')?.waiting).toBe(0);
		expect(v.agents.find((a) => a.id === 'a1')?.activity).toBe('on-contact');
		expect(p.view(withViews)).toEqual(v);
		const d = p.changes(withViews);
		expect(d).toEqual(q.changes(without));
		expect(d.agents?.map((a) => a.id)).toEqual(['a1']);
		expect(d.queues?.map((r) => r.id)).toEqual(['billing']);
		// And the rows of that delta are the snapshot's rows.
		expect(d.agents).toEqual(v.agents.filter((a) => a.id === 'a1'));
		expect(d.queues).toEqual(v.queues.filter((r) => r.id === 'billing'));
	});

	it('a board shows only its queues and the agents skilled for them', () => {
		const f = floorWith([profile('a1', 0, { billing: 1 }), profile('a2', 0, { web: 1 }), queued('c1', 1), queued('k1', 1, 'web', 'chat')]);
		const v = view(f, { ...DEFAULT_BOARD, id: 'chat', queues: null, channels: ['chat'] });
		expect(v.queues.map((q) => q.id)).toEqual(['web']);
		expect(v.agents.map((a) => a.id)).toEqual(['a2']);
		expect(v.total.waiting).toBe(1);
		expect(v.channels.map((c) => c.scope)).toEqual(['chat']);
	});

	it('trend has one point per interval with the board formula', () => {
		const f = floorWith([queued('c1', 0), answered('c1', 5, 'a1'), queued('c2', 16 * 60), abandoned('c2', 16 * 60 + 60)]);
		const t = view(f).trend;
		expect(t.map((p) => [p.start, p.offered, p.serviceLevel])).toEqual([
			[T0, 1, 1],
			[T0 + 15 * 60_000, 1, 0]
		]);
	});

	it('validates board configs naming the bad field', () => {
		expect(parseBoardConfig(DEFAULT_BOARD).ok).toBe(true);
		const bad = parseBoardConfig({ ...DEFAULT_BOARD, slFormula: 'magic', channels: ['fax'] });
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.errors.some((e) => e.path.startsWith('/slFormula'))).toBe(true);
			expect(bad.errors.some((e) => e.path.startsWith('/channels'))).toBe(true);
		}
		const rolling = { ...DEFAULT_BOARD, thresholds: { default: [{ kpi: 'serviceLevel', warn: 0.8, alert: 0.7, window: 'rolling' }], queues: {} } };
		expect(parseBoardConfig(rolling).ok).toBe(true);
		const badWindow = parseBoardConfig({
			...DEFAULT_BOARD,
			thresholds: { default: [], queues: { billing: [{ kpi: 'waiting', warn: 5, alert: 10, window: 'rolling' }] } }
		});
		expect(badWindow).toEqual({
			ok: false,
			errors: [{ path: '/thresholds/queues/billing/0/window', message: 'waiting is judged on its current value; a window applies to serviceLevel, asa, abandonRate, occupancy' }]
		});
		expect(parseBoardConfig({ ...rolling, thresholds: { default: [{ kpi: 'asa', warn: 1, alert: 2, window: 'week' }], queues: {} } }).ok).toBe(false);
	});
});
