import { describe, expect, it } from 'vitest';
import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import { resolveSl } from '../../src/lib/domain/service-level';
import { validateScenario } from '../scenario';
import { historyDay } from './history-day';
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
	it('keeps answered and abandoned stays, a transfer as its receiving stay, and the recorded logins', () => {
		const { day, staffing } = historyDay(trace, 86_400, 900);
		expect(day.contacts.map((c) => [c.queue, c.at, c.outcome, c.wait, c.handle, c.wrapup])).toEqual([
			['sales', 32_400, 'answered', 20, 200, 30],
			['sales', 32_460, 'abandoned', 45, null, null],
			['tech', 32_500, 'answered', 5, 300, 30]
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

	it('has no staffing when the day recorded no agent states', () => {
		expect(historyDay({ ...trace, agentStates: [], recorded: { ...trace.recorded, agentStates: false } }, 86_400, 900).staffing).toBeNull();
	});
});
