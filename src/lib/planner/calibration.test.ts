import { describe, expect, it } from 'vitest';
import type { HistoryTraceResponse } from '../domain/history';
import { resolveSl } from '../domain/service-level';
import type { Summary } from '../../../sim/replicate';
import { intervalOf, validateScenario } from '../../../sim/scenario';
import { calibrationView } from './calibration';
import { storedDayBaseline } from './sources';
import { staffingOf } from './staffing';

const day0 = Date.UTC(2026, 0, 5);
const at10 = 10 * 3600;
// 40 contacts offered 10:00–10:15 in "sales": 30 answered after waits 0, 2, …, 58 s, 10 abandoned after 30 s.
const contacts = Array.from({ length: 40 }, (_, k) => {
	const answered = k < 30;
	return {
		contact: `c${k}`,
		queue: 'sales',
		channel: 'voice' as const,
		priority: 0,
		offered: day0 + (at10 + k * 20) * 1000,
		wait: answered ? 2 * k : 30,
		talk: answered ? 200 : null,
		afterContactWork: answered ? 20 : null,
		outcome: answered ? ('handled' as const) : ('abandoned' as const),
		agent: answered ? `a${k % 3}` : null,
		transferredTo: null,
		csat: null
	};
});
const states = ['a0', 'a1', 'a2'].flatMap((agent) => [
	{ agent, ts: day0 + 9 * 3600_000, state: 'available' as const, reason: null },
	{ agent, ts: day0 + 12 * 3600_000, state: 'offline' as const, reason: null }
]);
const trace: HistoryTraceResponse = {
	date: '2026-01-05',
	source: 'backfill',
	timeZone: 'UTC',
	dayStart: day0,
	dayEnd: day0 + 86_400_000,
	queues: [{ id: 'sales', name: 'sales', channel: 'voice', sl: resolveSl('voice') }],
	contacts,
	agents: [],
	agentStates: states,
	recorded: { agentStates: true, afterContactWork: true, csat: false }
};
// Independently: ASA is the mean wait of the answered (2 × mean of 0..29 = 29 s), abandon rate 10 / 40.
const ASA = 29;
const ABANDON = 10 / 40;

describe('a stored day as a planner baseline', () => {
	it('replays its contacts with its recorded staffing and knows what it recorded', () => {
		const b = storedDayBaseline(trace);
		expect(validateScenario(b.scenario).ok).toBe(true);
		expect(b.source).toEqual({ kind: 'day', date: '2026-01-05', source: 'backfill' });
		expect(b.dayStart).toBe(0);
		const q = b.scenario.queues.find((x) => x.id === 'sales')!;
		expect(q.arrivals && 'trace' in q.arrivals ? q.arrivals.trace.length : 0).toBe(40);
		expect(b.recorded!.estimated).toBe(false);
		expect(b.recorded!.staffing).toMatch(/recorded/);
		expect(b.label).toContain('staffing recorded');
		// Three agents logged in 09:00–12:00: three heads in the 10:00 interval, none at 13:00.
		const heads = (t: number) => b.scenario.agents.reduce((n, g) => n + (staffingOf(b.scenario, g)[Math.floor(t / intervalOf(b.scenario))] ?? 0), 0);
		expect(heads(at10 + 60)).toBe(3);
		expect(heads(13 * 3600)).toBe(0);
		const iv = b.recorded!.actual.intervals[at10 / 900]!.total;
		expect(iv.offered).toBe(40);
		expect(iv.abandonRate).toBeCloseTo(ABANDON, 10);
		expect(iv.asa).toBeCloseTo(ASA, 10);
	});

	it('says the staffing is estimated when the day recorded no agent states', () => {
		const b = storedDayBaseline({ ...trace, agentStates: [], recorded: { ...trace.recorded, agentStates: false } });
		expect(b.recorded!.estimated).toBe(true);
		expect(b.recorded!.staffing.length).toBeGreaterThan(20);
		expect(b.recorded!.staffing).not.toMatch(/^recorded/);
		expect(b.label).toContain('staffing estimated');
	});

	it('refuses a day without finished contacts, naming it', () => {
		expect(() => storedDayBaseline({ ...trace, contacts: contacts.map((c) => ({ ...c, outcome: 'open' as const, wait: null })) })).toThrow(/2026-01-05 \(backfill\) has no finished contacts/);
	});
});

/** A replay summary with the given day and 10:00-interval figures (the fields the calibration reads). */
function replay(abandonRate: number, asa: number): Summary {
	const k = (a: number, s: number) => ({ abandonRate: a, asa: s, serviceLevel: 0.5, ci95: { abandonRate: [a - 0.01, a + 0.01], asa: [s - 1, s + 1] } });
	return {
		replications: 10,
		total: k(abandonRate, asa),
		intervals: Array.from({ length: 96 }, (_, i) => ({ index: i, start: i * 900, total: i === at10 / 900 ? k(abandonRate, asa) : k(0, 0) }))
	} as unknown as Summary;
}

describe('the calibration verdict', () => {
	const actual = storedDayBaseline(trace).recorded!.actual;

	it('calls a replay within 3 points and max(20 %, 10 s) a good fit', () => {
		// ASA 29 s: the band is max(5.8, 10) = 10 s; 38 s is 9 s off. Abandon 27 % is 2 points off.
		const v = calibrationView(actual, replay(ABANDON + 0.02, ASA + 9));
		expect(v.fit).toBe('good');
		expect(v.words[0]).toMatch(/^Good fit: .* abandons 27\.0 % against 25\.0 % recorded \(2\.0 points apart, within 3\) .* 38 s on average against 29 s recorded \(9 s apart, within 10 s\)/);
		expect(v.words[1]).toBe('0 of 1 intervals with at least 10 contacts are outside those bands.');
		const row = v.rows[at10 / 900]!;
		expect(row).toMatchObject({ offered: 40, judged: true, off: false });
		expect(v.rows.filter((r) => r.judged)).toHaveLength(1);
	});

	it('calls an abandon rate 4 points off a poor fit and flags the interval', () => {
		const v = calibrationView(actual, replay(ABANDON + 0.04, ASA));
		expect(v.fit).toBe('poor');
		expect(v.words[0]).toMatch(/^Poor fit: .*4\.0 points apart, more than 3/);
		expect(v.words[1]).toBe('1 of 1 intervals with at least 10 contacts are outside those bands.');
		expect(v.words[2]).toMatch(/Do not trust what-ifs/);
		expect(v.rows[at10 / 900]!.off).toBe(true);
	});

	it('calls an ASA 11 s off (band 10 s) a poor fit', () => {
		const v = calibrationView(actual, replay(ABANDON, ASA + 11));
		expect(v.fit).toBe('poor');
		expect(v.words[0]).toMatch(/11 s apart, more than 10 s/);
	});
});
