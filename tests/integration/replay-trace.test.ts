import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { DEFAULT_FLOOR_CONFIG } from '../../src/lib/domain/floor';
import { eventsTraces } from '../../src/lib/domain/history-trace';
import { backfill } from '../../src/server/history/backfill';
import { importText } from '../../src/server/history/import';
import { HistoryQueries } from '../../src/server/history/queries';
import { loadScenario, scenarioQueues } from '../../src/server/sources/emulator';
import { PlanStore, type LivePlan } from '../../src/server/plans/plan-store';
import { startServer } from '../../src/server/server';
import { Store } from '../../src/server/store';
import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import { sumCounts } from '../../src/lib/domain/kpi';
import { runReplications, summarise } from '../../sim/replicate';
import { loadTraceDay } from '../../sim/replay/load';
import { prepareReplay, traceReplay } from '../../sim/replay/replay';
import { validateScenario, type Scenario } from '../../sim/scenario';
import { traceEvents } from '../../sim/trace';

/**
 * A JSONL events trace is read by the Floor and projected into the same day trace a stored day
 * has (one interpretation of events), so it replays like a stored day: its transfers through the
 * simulator's transfer model, and, when the trace has the agents' profiles and presence, with the
 * day's own agent groups. Figures are computed here from the events or the day's own record.
 */

const dirs: string[] = [];
const stores: Store[] = [];
function tempStore(): Store {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-replay-trace-'));
	dirs.push(dir);
	const store = new Store(dir);
	stores.push(store);
	return store;
}
afterAll(() => {
	for (const s of stores) s.close();
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scenario(s: unknown): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

const DAY0 = Date.UTC(2026, 2, 2);
const jsonl = (events: readonly FloorEvent[]) => events.map((e) => JSON.stringify(e)).join('\n');

/** A small day with transfers, wrap-up, shifts and two teams: 09:00–13:00 UTC. */
const small = scenario({
	horizon: 4 * 3600,
	interval: 900,
	queues: [
		{ id: 'sales', channel: 'voice', arrivals: { perHour: 90 }, handle: { dist: 'exponential', mean: 150 }, wrapup: { dist: 'constant', value: 20 }, patience: { dist: 'exponential', mean: 90 }, transfers: [{ to: 'tech', share: 0.3, handle: { dist: 'exponential', mean: 240 } }] },
		{ id: 'tech', channel: 'voice', arrivals: { perHour: 20 }, handle: { dist: 'exponential', mean: 200 }, patience: { dist: 'exponential', mean: 120 } }
	],
	agents: [
		{ group: 'front', count: 5, skills: { sales: 1 }, shifts: [{ start: 0, end: 4 * 3600 }] },
		{ group: 'back', count: 4, skills: { tech: 1 }, shifts: [{ start: 0, end: 2 * 3600 }, { start: 2.5 * 3600, end: 4 * 3600 }] }
	]
});
const smallEvents = traceEvents(small, { seed: 5, startTs: DAY0 + 9 * 3600_000 });

describe('a JSONL trace through the Floor', () => {
	it('is the same day trace as the stored day of the same events (GET /api/history/days/:date/trace)', () => {
		const store = tempStore();
		importText(store, jsonl(smallEvents), { format: 'sightline', config: { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' } });
		const stored = new HistoryQueries(store.db).trace('2026-03-02', 'import');
		const [projected, ...more] = eventsTraces(smallEvents, { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, 'import').traces;
		expect(more).toEqual([]);
		expect(stored).not.toBeNull();
		expect(projected!.contacts.length).toBeGreaterThan(300);
		expect(projected!.contacts.some((c) => c.outcome === 'transferred')).toBe(true);
		expect(projected!.agentStates.length).toBeGreaterThan(9);
		expect(projected).toEqual(stored);
	});

	it('replays its transfers through the transfer model: share per queue pair, the receiving legs’ own handle times', () => {
		// Counted here from the events: contacts answered in sales (per contact, its first stay), those passed on to tech
		// at the end of talk, and the talk of each stay in tech that a transfer started (answer to wrap-up, or to end).
		const at = new Map<string, { queue: string; answeredAt: number | null; transferred: boolean }>();
		const techLegTalk: number[] = [];
		const fromTransfer = new Set<string>();
		let salesAnswered = 0;
		let salesTransferred = 0;
		let techDirectArrivals = 0;
		for (const e of smallEvents) {
			if (e.type === 'contact.queued') {
				at.set(e.contact, { queue: e.queue, answeredAt: null, transferred: false });
				if (e.queue === 'tech') techDirectArrivals++;
			} else if (e.type === 'contact.answered') {
				const c = at.get(e.contact)!;
				c.answeredAt = e.ts;
				if (c.queue === 'sales') salesAnswered++;
			} else if (e.type === 'contact.transferred') {
				salesTransferred++;
				at.set(e.contact, { queue: e.toQueue, answeredAt: null, transferred: true });
				fromTransfer.add(e.contact);
			} else if ((e.type === 'contact.wrapup' || e.type === 'contact.ended') && fromTransfer.has(e.contact)) {
				const c = at.get(e.contact)!;
				if (c.answeredAt !== null) techLegTalk.push((e.ts - c.answeredAt) / 1000);
				fromTransfer.delete(e.contact);
			}
		}
		expect(salesTransferred).toBeGreaterThan(40);

		const loaded = loadTraceDay(jsonl(smallEvents));
		if (!loaded.ok) throw new Error(loaded.message);
		const replay = prepareReplay(loaded);
		const sales = replay.scenario.queues.find((q) => q.id === 'sales')!;
		const tech = replay.scenario.queues.find((q) => q.id === 'tech')!;
		expect(sales.transfers?.map((t) => t.to)).toEqual(['tech']);
		expect(sales.transfers?.[0]?.share).toBeCloseTo(salesTransferred / salesAnswered, 12);
		const legHandle = sales.transfers?.[0]?.handle as { dist: string; values: number[] };
		expect(legHandle.dist).toBe('empirical');
		expect([...legHandle.values].sort((a, b) => a - b)).toEqual(techLegTalk.sort((a, b) => a - b));
		// A transferred contact is not an arrival of its own in tech.
		const techArrivals = 'trace' in tech.arrivals ? tech.arrivals.trace.length : -1;
		expect(techArrivals).toBe(techDirectArrivals);

		// Replayed, sales passes on a binomial share of what it handles (within 4 standard deviations), and tech
		// answers those transfers besides its own arrivals.
		const runs = runReplications(replay.scenario, 11, 20);
		const sum = (id: string) => sumCounts(runs.flatMap((r) => r.queues[id]?.intervals ?? []));
		const salesRun = sum('sales');
		const techRun = sum('tech');
		// The day drains (arrivals end at 13:00): every transfer is one more contact offered to tech beyond its own
		// arrivals, and a transferring leg is answered but not handled in sales (as the floor counts it).
		const transferred = techRun.offered - 20 * techDirectArrivals;
		expect(salesRun.answered - salesRun.handled).toBe(transferred);
		// Each contact answered in sales is passed on with probability p: binomial, within 4 standard deviations.
		const p = salesTransferred / salesAnswered;
		expect(Math.abs(transferred - p * salesRun.answered)).toBeLessThan(4 * Math.sqrt(salesRun.answered * p * (1 - p)));
	});
});

describe('reserve rules carried by a JSONL trace', () => {
	// Front agents take sales; the back team takes tech and, once a sales contact has waited 45 s, sales too.
	const center = scenario({
		horizon: 3 * 3600,
		interval: 900,
		queues: [
			{ id: 'sales', channel: 'voice', arrivals: { perHour: 120 }, handle: { dist: 'exponential', mean: 150 }, patience: { dist: 'exponential', mean: 300 } },
			{ id: 'tech', channel: 'voice', arrivals: { perHour: 20 }, handle: { dist: 'exponential', mean: 200 } }
		],
		agents: [
			{ group: 'front', count: 4, skills: { sales: 1 } },
			{ group: 'back', count: 3, skills: { tech: 1, sales: 1 }, reserve: { sales: 45 } }
		]
	});
	const events = traceEvents(center, { seed: 2, startTs: DAY0 + 10 * 3600_000 });
	const text = `# reserve: {"back": {"sales": 45}}\n${jsonl(events)}`;

	it('puts them in the replay scenario: the team’s group is held back, and takes no sales contact before 45 s', () => {
		const loaded = loadTraceDay(text);
		if (!loaded.ok) throw new Error(loaded.message);
		const replay = prepareReplay(loaded);
		const back = replay.scenario.agents.find((g) => g.group === 'back');
		const front = replay.scenario.agents.find((g) => g.group === 'front');
		expect(back?.reserve).toEqual({ sales: 45 });
		expect(front?.reserve).toBeUndefined();
		// Without the line, no reserve.
		const plain = loadTraceDay(jsonl(events));
		if (!plain.ok) throw new Error(plain.message);
		expect(prepareReplay(plain).scenario.agents.some((g) => g.reserve)).toBe(false);
		// Replayed: every sales contact the back team answers had waited 45 s or more.
		const replayed = traceEvents(replay.scenario, { seed: 9, startTs: 0 });
		const team = new Map(replayed.flatMap((e) => (e.type === 'agent.profile' ? [[e.agent, e.team] as const] : [])));
		const queued = new Map(replayed.flatMap((e) => (e.type === 'contact.queued' ? [[e.contact, e.ts] as const] : [])));
		const backSales = replayed.flatMap((e) => (e.type === 'contact.answered' && e.queue === 'sales' && team.get(e.agent) === 'back' ? [(e.ts - queued.get(e.contact)!) / 1000] : []));
		expect(backSales.length).toBeGreaterThan(5);
		expect(Math.min(...backSales)).toBeGreaterThanOrEqual(45 - 0.001);
	});

	it('refuses rules naming nobody of the day, or a queue the agents do not serve, or not of the form, with the reason', () => {
		const load = (line: string) => loadTraceDay(`${line}\n${jsonl(events)}`);
		expect(load('# reserve: {"night": {"sales": 30}}')).toEqual({ ok: false, message: expect.stringMatching(/reserve rules name "night", neither an agent nor a team of 2026-03-02/) });
		expect(load('# reserve: {"front": {"tech": 30}}')).toEqual({ ok: false, message: expect.stringMatching(/holds? "front" back for "tech", which is not one of its skills/) });
		expect(load('# reserve: {"back": {"sales": -1}}')).toEqual({ ok: false, message: expect.stringMatching(/^line 1: reserve rules must be .*"back"\."sales" is not a number of seconds/) });
		expect(load('# reserve: [1]')).toEqual({ ok: false, message: expect.stringMatching(/^line 1: .*not an object/) });
	});
});

describe('a backfilled day of the bundled multi-skill emulated center', () => {
	it('replays with the day’s own agent groups and fits its record (abandon within 3 points, ASA within max(20%, 10 s))', async () => {
		const store = tempStore();
		const center = loadScenario('sim/scenarios/multichannel-day.json');
		const config = { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC', queues: scenarioQueues(center) };
		// A Tuesday: the backfill writes the day before "now".
		await backfill(store, { scenario: center, config, days: 1, now: Date.UTC(2026, 11, 2, 12), seed: 1 });
		const trace = new HistoryQueries(store.db).trace('2026-12-01', 'backfill');
		if (!trace) throw new Error('no backfilled day');

		// The record, from its own stays: abandoned over the stays that ended (handled, abandoned or passed on);
		// ASA the mean wait of the stays answered (handled or passed on after answer).
		const done = trace.contacts.filter((c) => c.outcome !== 'open' && c.wait !== null);
		const abandoned = done.filter((c) => c.outcome === 'abandoned');
		const answered = done.filter((c) => c.outcome !== 'abandoned');
		const recordedAbandon = abandoned.length / done.length;
		const recordedAsa = answered.reduce((s, c) => s + (c.wait ?? 0), 0) / answered.length;
		expect(done.length).toBeGreaterThan(2000);

		const replay = traceReplay(trace);
		// One group per team, skills and concurrency the profiles recorded; as many agents as the team had.
		const teams = new Map<string, number>();
		for (const a of trace.agents) teams.set(a.team, (teams.get(a.team) ?? 0) + 1);
		expect(Object.fromEntries(replay.scenario.agents.map((g) => [g.group, g.count]))).toEqual(Object.fromEntries(teams));
		const chat = replay.scenario.agents.find((g) => g.group === 'chat')!;
		const chatAgent = trace.agents.find((a) => a.team === 'chat')!;
		expect(chat.skills).toEqual(chatAgent.skills);
		expect(chat.capacity).toEqual(chatAgent.capacity);
		expect(replay.actual.total.abandonRate).toBeCloseTo(recordedAbandon, 10);
		expect(replay.actual.total.asa).toBeCloseTo(recordedAsa, 10);

		const s = summarise(runReplications(replay.scenario, 1, 20));
		expect(Math.abs((s.total.abandonRate ?? 1) - recordedAbandon)).toBeLessThan(0.03);
		expect(Math.abs((s.total.asa ?? Infinity) - recordedAsa)).toBeLessThan(Math.max(0.2 * recordedAsa, 10));
		// Pooling every agent into one group (what the replay did before) misses the day's email backlog.
		const pooled = summarise(runReplications(traceReplay({ ...trace, agents: [] }).scenario, 1, 20));
		expect(Math.abs((pooled.total.asa ?? 0) - recordedAsa)).toBeGreaterThan(Math.max(0.2 * recordedAsa, 10));
	}, 120_000);
});

describe('reserve rules of the live plan in force on a stored day', () => {
	it('GET /api/history/days/:date/trace carries them on the agents of the team, and the replay holds that group back', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-replay-plan-'));
		dirs.push(dir);
		const center = loadScenario('sim/scenarios/multichannel-day.json');
		const store = new Store(dir);
		await backfill(store, { scenario: center, config: { ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC', queues: scenarioQueues(center) }, days: 1, now: Date.UTC(2026, 11, 2, 12), seed: 1 });
		const plan = (effective: string, reserve: Record<string, number>): LivePlan => ({
			planId: 'p1',
			planVersion: 1,
			name: 'hold support back',
			effective,
			weekdays: [1, 2, 3, 4, 5, 6, 7],
			routing: center.routing,
			agents: center.agents.map((g) => (g.group === 'voice-support' ? { ...g, reserve } : g)),
			queues: center.queues.map((q) => ({ id: q.id })),
			changes: []
		});
		const plans = new PlanStore(store);
		// In force on 2026-12-01: published that morning. Not: one effective the next day, and one published after the day ended.
		plans.publish(plan('2026-12-01', { sales: 20 }), 'test', Date.UTC(2026, 11, 1, 7));
		plans.publish(plan('2026-12-02', { sales: 99 }), 'test', Date.UTC(2026, 11, 1, 9));
		store.close();
		const late = new Store(dir);
		new PlanStore(late).publish(plan('2026-11-01', { sales: 77 }), 'test', Date.UTC(2026, 11, 2, 1));
		late.close();
		const server = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, timeZone: 'UTC', log: () => {} });
		try {
			const res = await fetch(`${server.url}/api/history/days/2026-12-01/trace?source=backfill`, { headers: { authorization: `Bearer ${server.createdTokens!.supervisor}` } });
			expect(res.status).toBe(200);
			const trace = (await res.json()) as HistoryTraceResponse;
			expect(trace.livePlan).toEqual({ version: 1, name: 'hold support back' });
			const held = trace.agents.filter((a) => a.reserve);
			expect(held.length).toBe(center.agents.find((g) => g.group === 'voice-support')!.count);
			expect(held.every((a) => a.team === 'voice-support' && JSON.stringify(a.reserve) === '{"sales":20}')).toBe(true);
			// The CSV of the agents says it too.
			const csv = await (await fetch(`${server.url}/api/history/days/2026-12-01/trace?source=backfill&format=csv&part=agents`, { headers: { authorization: `Bearer ${server.createdTokens!.supervisor}` } })).text();
			const lines = csv.trim().split(/\r?\n/);
			expect(lines[0]).toBe('agent,name,team,skills,capacity,reserve');
			expect(lines.filter((l) => l.endsWith(',"{""sales"":20}"')).length).toBe(held.length);
			const replay = traceReplay(trace);
			expect(replay.scenario.agents.filter((g) => g.reserve)).toEqual([expect.objectContaining({ group: 'voice-support', reserve: { sales: 20 } })]);
		} finally {
			await server.close();
		}
	}, 120_000);
});
