import { describe, expect, it } from 'vitest';
import { BoardProjector } from '../lib/domain/board';
import { DEFAULT_BOARD, type BoardConfig } from '../lib/domain/board-config';
import type { FloorEvent } from '../lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor } from '../lib/domain/floor';
import { resolveSl } from '../lib/domain/service-level';
import { toCenterConfig } from '../lib/domain/sites';
import { FloorSet } from './floor-set';

const at = (iso: string) => Date.parse(iso);
// Winter: Berlin is UTC+1, New York UTC-5. Both reset at 06:00 local: 05:00 and 11:00 UTC.
const center = toCenterConfig({
	...DEFAULT_FLOOR_CONFIG,
	timeZone: 'Europe/Berlin',
	resetTime: '06:00',
	queues: [{ id: 'billing', name: 'Billing', channel: 'voice', sl: resolveSl('voice') }],
	sites: [{ id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '06:00' }]
});
const START = at('2026-12-01T04:00:00Z');
const newSet = () => new FloorSet(center, (config) => new Floor(config, START, { rollDayOnEventTime: false }));

let n = 0;
const queued = (contact: string, ts: number, site?: string): FloorEvent => ({ type: 'contact.queued', id: `e${++n}`, ts, contact, queue: 'billing', channel: 'voice', ...(site ? { site } : {}) });
const answered = (contact: string, ts: number, agent: string, site?: string): FloorEvent => ({ type: 'contact.answered', id: `e${++n}`, ts, contact, queue: 'billing', agent, ...(site ? { site } : {}) });
const abandoned = (contact: string, ts: number, site?: string): FloorEvent => ({ type: 'contact.abandoned', id: `e${++n}`, ts, contact, queue: 'billing', ...(site ? { site } : {}) });
const profile = (agent: string, ts: number, site?: string): FloorEvent => ({ type: 'agent.profile', id: `e${++n}`, ts, agent, name: agent, team: 't', skills: { billing: 1 }, capacity: {}, ...(site ? { site } : {}) });
const available = (agent: string, ts: number, site?: string): FloorEvent => ({ type: 'agent.state', id: `e${++n}`, ts, agent, state: 'available', ...(site ? { site } : {}) });

function applyAll(set: FloorSet, events: readonly FloorEvent[]): void {
	for (const e of events) set.floorOf(e)!.apply(e);
}
const offeredToday = (f: Floor) => f.queues.get('billing')!.today.offered;

describe('a floor per site', () => {
	it('each site rolls its day at its own local reset', () => {
		const set = newSet();
		applyAll(set, [queued('b1', at('2026-12-01T04:50:00Z')), queued('n1', at('2026-12-01T04:50:00Z'), 'ny'), queued('n2', at('2026-12-01T04:55:00Z'), 'ny')]);
		const berlin = set.main;
		const ny = set.floor('ny')!;
		expect(berlin.dayStart).toBe(at('2026-11-30T05:00:00Z'));
		expect(ny.dayStart).toBe(at('2026-11-30T11:00:00Z'));

		// One second before Berlin's 06:00: nothing resets; an event there still counts in the old day.
		set.advance(at('2026-12-01T04:59:59Z'));
		applyAll(set, [queued('b2', at('2026-12-01T04:59:59Z'))]);
		expect(offeredToday(berlin)).toBe(2);

		// Berlin's 06:00 (05:00 UTC): Berlin starts a new day; New York (23:00 local) keeps its own.
		set.advance(at('2026-12-01T05:00:01Z'));
		expect(berlin.dayStart).toBe(at('2026-12-01T05:00:00Z'));
		expect(offeredToday(berlin)).toBe(0);
		expect(ny.dayStart).toBe(at('2026-11-30T11:00:00Z'));
		expect(offeredToday(ny)).toBe(2);
		applyAll(set, [queued('b3', at('2026-12-01T05:00:02Z'))]);
		expect(offeredToday(berlin)).toBe(1);

		// New York's 06:00 (11:00 UTC): one second before, its day goes on; one second after, it is new.
		set.advance(at('2026-12-01T10:59:59Z'));
		expect(offeredToday(ny)).toBe(2);
		set.advance(at('2026-12-01T11:00:01Z'));
		expect(ny.dayStart).toBe(at('2026-12-01T11:00:00Z'));
		expect(offeredToday(ny)).toBe(0);
		expect(berlin.dayStart).toBe(at('2026-12-01T05:00:00Z'));
		expect(offeredToday(berlin)).toBe(1);
	});

	it('makes a configured site floor on first need only, and none for a site not configured', () => {
		const made: string[] = [];
		const set = new FloorSet(center, (config, site) => (made.push(site.id), new Floor(config, START)));
		expect(made).toEqual(['main']);
		expect(set.floor('paris')).toBeUndefined();
		expect(set.floorOf(queued('p1', START, 'paris'))).toBeUndefined();
		expect(made).toEqual(['main']);
		expect(set.floorOf(queued('n1', START, 'ny'))!.config.timeZone).toBe('America/New_York');
		expect(made).toEqual(['main', 'ny']);
		expect(set.floorOf(queued('b1', START))!.config.timeZone).toBe('Europe/Berlin');
	});

	it('refuses an event of a site not configured, naming the site and /site at its index', () => {
		const set = newSet();
		expect(set.unknownSite([queued('a', START), queued('b', START, 'ny')])).toBeNull();
		const err = set.unknownSite([queued('a', START), queued('b', START, 'paris')]);
		expect(err).toMatchObject({ index: 1, path: '/site' });
		expect(err!.message).toContain('"paris"');
		expect(err!.message).toContain('"ny"');
	});
});

describe('boards of one site or several', () => {
	const T = at('2026-12-01T09:00:00Z');
	const s = (sec: number) => T + sec * 1000;
	function twoSites(): FloorSet {
		const set = newSet();
		set.advance(T);
		applyAll(set, [
			// Berlin: 4 answered within 20 s (SL 4/4), agent a1.
			profile('a1', s(0)),
			available('a1', s(0)),
			...[1, 2, 3, 4].flatMap((i) => [queued(`b${i}`, s(i * 100)), answered(`b${i}`, s(i * 100 + 5), 'a1')]),
			// New York: the same agent id a1 and contact ids of its own; 1 answered within 20 s, 1 abandoned after 60 s (SL 1/2).
			profile('a1', s(0), 'ny'),
			available('a1', s(0), 'ny'),
			queued('n1', s(10), 'ny'),
			answered('n1', s(15), 'a1', 'ny'),
			queued('n2', s(20), 'ny'),
			abandoned('n2', s(80), 'ny')
		]);
		set.advance(s(600));
		return set;
	}
	const board = (sites: BoardConfig['sites']): BoardConfig => ({ ...DEFAULT_BOARD, sites });

	it('a board of one site shows only its traffic', () => {
		const set = twoSites();
		const v = new BoardProjector(board(['ny'])).view(set.shown(['ny']));
		expect(v.total.today.offered).toBe(2);
		expect(v.total.today.serviceLevel).toBe(0.5);
		expect(v.queues.map((q) => q.id)).toEqual(['billing']);
		expect(v.agents.map((a) => a.id)).toEqual(['a1']);
		// Absent sites: the default site's floor only.
		const main = new BoardProjector(DEFAULT_BOARD).view(set.shown(undefined));
		expect(main.total.today.offered).toBe(4);
		expect(main.dayStart).toBe(at('2026-12-01T05:00:00Z'));
	});

	it('a board of both sites sums counts (never averages rates) and keeps ids apart by site', () => {
		const set = twoSites();
		for (const sites of [['main', 'ny'], null] as const) {
			const v = new BoardProjector(board(sites)).view(set.shown(sites));
			expect(v.total.today.offered).toBe(6);
			expect(v.total.today.answered).toBe(5);
			expect(v.total.today.abandoned).toBe(1);
			// (4 + 1) within T over (5 answered + 1 abandoned): 5/6, not the mean of 1 and 0.5.
			expect(v.total.today.serviceLevel).toBeCloseTo(5 / 6, 10);
			const { available, onContact, wrapUp, notReady, offline } = v.total.agents;
			expect(available + onContact + wrapUp + notReady + offline).toBe(2);
			expect(v.queues.map((q) => q.id).sort()).toEqual(['main/billing', 'ny/billing']);
			expect(v.queues.find((q) => q.id === 'ny/billing')!.today.offered).toBe(2);
			expect(v.agents.map((a) => a.id).sort()).toEqual(['main/a1', 'ny/a1']);
			expect(v.trend.reduce((sum, p) => sum + p.offered, 0)).toBe(6);
		}
	});

	it('deltas of a board of two sites follow either site', () => {
		const set = twoSites();
		const p = new BoardProjector(board(['main', 'ny']));
		expect(p.changes(set.shown(['main', 'ny'])).total!.today.offered).toBe(6);
		applyAll(set, [queued('n3', s(601), 'ny')]);
		const d = p.changes(set.shown(['main', 'ny']));
		expect(d.total!.today.offered).toBe(7);
		expect(d.queues!.map((q) => q.id)).toEqual(['ny/billing']);
	});
});
