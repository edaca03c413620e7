import { describe, expect, it } from 'vitest';
import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import { resolveSl } from '../../src/lib/domain/service-level';
import { validateScenario } from '../scenario';
import { historyDay } from './history-day';
import { sumCounts } from '../../src/lib/domain/kpi';
import { runReplications } from '../replicate';
import { scopeKpis } from '../results';
import { actualKpis } from './actual';
import { dayScenario } from './scenario';

const day0 = Date.UTC(2026, 0, 5);
const row = (contact: string, queue: string, offeredS: number, outcome: 'handled' | 'abandoned' | 'transferred' | 'open', wait: number | null, talk: number | null) => ({
	contact,
	queue,
	channel: 'voice' as const,
	priority: 0,
	offered: day0 + offeredS * 1000,
	wait,
	talk,
	afterContactWork: talk === null ? null : 30,
	outcome,
	agent: outcome === 'handled' ? 'a1' : null,
	transferredTo: outcome === 'transferred' ? 'tech' : null,
	csat: null
});

const trace: HistoryTraceResponse = {
	date: '2026-01-05',
	source: 'ingest',
	timeZone: 'UTC',
	dayStart: day0,
	dayEnd: day0 + 86_400_000,
	queues: ['sales', 'tech'].map((id) => ({ id, name: id, channel: 'voice' as const, sl: resolveSl('voice') })),
	contacts: [
		row('c1', 'sales', 9 * 3600, 'handled', 20, 200),
		row('c2', 'sales', 9 * 3600 + 60, 'abandoned', 45, null),
		row('c3', 'sales', 9 * 3600 + 90, 'transferred', 10, null),
		row('c3', 'tech', 9 * 3600 + 100, 'handled', 5, 300),
		row('c4', 'tech', 23 * 3600, 'open', null, null)
	],
	agents: [],
	agentStates: [
		{ agent: 'a1', ts: day0 + 8 * 3600_000, state: 'available', reason: null },
		{ agent: 'a2', ts: day0 + 8 * 3600_000 + 450_000, state: 'available', reason: null },
		{ agent: 'a2', ts: day0 + 9 * 3600_000, state: 'not-ready', reason: 'break' },
		{ agent: 'a1', ts: day0 + 17 * 3600_000, state: 'offline', reason: null }
	],
	recorded: { agentStates: true, afterContactWork: true, csat: false }
};

describe('a stored day as a recorded day', () => {
	it('keeps answered and abandoned stays, a transfer as a stay passed on and one re-queued, and the recorded logins', () => {
		const { day, staffing } = historyDay(trace, 86_400, 900);
		expect(day.contacts.map((c) => [c.queue, c.at, c.outcome, c.wait, c.handle, c.wrapup, c.transferredTo ?? null, c.transferredFrom ?? null])).toEqual([
			['sales', 32_400, 'answered', 20, 200, 30, null, null],
			['sales', 32_460, 'abandoned', 45, null, null, null, null],
			['sales', 32_490, 'answered', 10, null, null, 'tech', null],
			['tech', 32_500, 'answered', 5, 300, 30, null, 'sales']
		]);
		expect(staffing?.method).toMatch(/^recorded/);
		// 08:00–08:15: a1 all of it, a2 half; 08:15–09:00: both; 09:00–17:00: a1 alone.
		expect(staffing?.available[32]).toBeCloseTo(1.5, 12);
		expect(staffing?.available[33]).toBeCloseTo(2, 12);
		expect(staffing?.available[36]).toBeCloseTo(1, 12);
		expect(staffing?.available[68]).toBe(0);
		const built = dayScenario(day, { staffing: staffing ? { '*': staffing } : undefined });
		expect(validateScenario(JSON.parse(JSON.stringify(built.scenario))).ok).toBe(true);
	});

	it('replays transfers with the transfer model: the transferred count, the receiving legs and their handle time match the record', () => {
		// 300 sales calls 08:00–13:00, one a minute; every 5th (60) passed on to tech after 120 s
		// of talk, where the leg takes 400 s; the rest handled in 240 s. Plenty of agents, nobody abandons.
		const rows = Array.from({ length: 300 }, (_, k) => {
			const at = 8 * 3600 + 60 * k;
			const passed = k % 5 === 0;
			const first = { ...row(`t${k}`, 'sales', at, passed ? 'transferred' : 'handled', 0, passed ? 120 : 240), afterContactWork: passed ? null : 0 };
			return passed ? [first, { ...row(`t${k}`, 'tech', at + 120, 'handled', 0, 400), afterContactWork: 0 }] : [first];
		}).flat();
		const agentStates = Array.from({ length: 12 }, (_, i) => [
			{ agent: `x${i}`, ts: day0 + 7 * 3600_000, state: 'available' as const, reason: null },
			{ agent: `x${i}`, ts: day0 + 15 * 3600_000, state: 'offline' as const, reason: null }
		]).flat();
		const { day, staffing } = historyDay({ ...trace, contacts: rows, agentStates }, 86_400, 900);
		const built = dayScenario(day, { staffing: staffing ? { '*': staffing } : undefined });
		const sales = built.scenario.queues.find((q) => q.id === 'sales')!;
		const tech = built.scenario.queues.find((q) => q.id === 'tech')!;
		// tech has no arrivals of its own: its 60 stays come from the transfer model.
		expect(tech.arrivals && 'trace' in tech.arrivals ? tech.arrivals.trace.length : -1).toBe(0);
		expect(sales.transfers).toEqual([{ to: 'tech', share: 60 / 300, handle: { dist: 'empirical', values: Array(60).fill(400) } }]);
		const actual = actualKpis(day, built.scenario);
		expect(actual.queues.tech?.offered).toBe(60);
		// The transferring legs are answered, not handled, in sales (as the floor counts them).
		expect(actual.queues.sales?.answered).toBe(300);
		// (their 120 s of talk would pull the handle time to (240 × 240 + 60 × 120) / 300 = 216 s).
		expect(actual.queues.sales?.aht).toBeCloseTo(240, 9);

		const R = 40;
		const runs = runReplications(built.scenario, 7, R);
		const transferred = runs.map((r) => sumCounts(r.queues.tech!.intervals).offered);
		const mean = transferred.reduce((a, b) => a + b, 0) / R;
		// Binomial: 300 handled contacts, each passed on with probability 0.2.
		const sd = Math.sqrt(300 * 0.2 * 0.8);
		expect(Math.abs(mean - 60)).toBeLessThan((4 * sd) / Math.sqrt(R));
		for (const r of runs) {
			const t = sumCounts(r.queues.tech!.intervals);
			const s = sumCounts(r.queues.sales!.intervals);
			// Every leg answered and handled in tech for exactly the recorded 400 s; sales handles the rest.
			expect(t.answered).toBe(t.offered);
			expect(t.handled).toBe(t.offered);
			expect(scopeKpis(r.queues.tech!).aht).toBeCloseTo(400, 9);
			expect(s.offered).toBe(300);
			expect(s.handled).toBe(300 - t.offered);
		}
	});

	it('has no staffing when the day recorded no agent states', () => {
		expect(historyDay({ ...trace, agentStates: [], recorded: { ...trace.recorded, agentStates: false } }, 86_400, 900).staffing).toBeNull();
	});
});
