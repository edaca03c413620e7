import { describe, expect, it } from 'vitest';
import { runReplications } from '../../../sim/replicate';
import { validateScenario, type Scenario } from '../../../sim/scenario';
import type { ForecastDay, ForecastInterval } from './forecast';
import { forecastDayFromJson, forecastJson } from './wire';
import { dayScenario, erlangStaffing, exponentialPatienceMean, searchStaffing, staffingGroups, type StaffingGroup, type StaffingTarget } from './staffing';

/**
 * Staffing from a forecast day. Erlang C figures are recomputed here from the textbook formula
 * (Erlang B recursion, then C and the service-level expression), not taken from sim/erlang.ts.
 */

const TARGET: StaffingTarget = { threshold: 20, target: 0.8, shortAbandon: 5, formula: 'abandons-count-against' };

/** Textbook Erlang C: fewest n with 1 − C(n, a)·e^{−(n−a)T/AHT} ≥ target. */
function erlangCAgents(lambda: number, aht: number, threshold: number, target: number): number {
	const a = lambda * aht;
	for (let n = Math.floor(a) + 1; ; n++) {
		let b = 1;
		for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
		const c = (n * b) / (n - a * (1 - b));
		if (1 - c * Math.exp((-(n - a) * threshold) / aht) >= target) return n;
	}
}

/** A forecast day of one voice queue with the given offered per interval and AHT. */
function day(offered: readonly number[], aht: number, intervalSec: number): ForecastDay {
	const intervals = offered.map(
		(o, i): ForecastInterval => ({
			start: i * intervalSec,
			offered: o,
			low: o,
			high: o,
			aht: o > 0 ? aht : null,
			queues: { q: { channel: 'voice', offered: o, low: o, high: o, aht: o > 0 ? aht : null } }
		})
	);
	const total = offered.reduce((x, y) => x + y, 0);
	return { date: '2026-03-02', weekday: 'Mon', closed: null, lead: 1, offered: total, low: total, high: total, adjustments: [], intervals };
}

const inThread = async (s: Scenario, seed: number, reps: number) => {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return runReplications(v.scenario, seed, reps);
};

describe('staffing from a forecast day', () => {
	it('layers a staffing per interval into shifts that add back up to it', () => {
		const staff = [0, 2, 3, 1, 0, 2];
		const groups = staffingGroups(staff, 900, ['a', 'b']);
		for (const [i, want] of staff.entries()) {
			const t = i * 900 + 1;
			const on = groups.filter((g) => (g.shifts ?? []).some((s) => s.start <= t && t < s.end)).reduce((n, g) => n + g.count, 0);
			expect(on).toBe(want);
		}
		expect(groups.every((g) => g.skills.a === 1 && g.skills.b === 1)).toBe(true);
	});

	it('gives agents working the same shifts one group with their count', () => {
		// Layers: 1 and 2 work 1–4 and 5–6; 3 works 2–3 only.
		const groups = staffingGroups([0, 2, 3, 2, 0, 2], 900, { id: 'chat', skills: { c: 2 }, capacity: { chat: 3 } });
		expect(groups).toEqual([
			{ group: 'chat-1', count: 2, skills: { c: 2 }, capacity: { chat: 3 }, shifts: [{ start: 900, end: 3600 }, { start: 4500, end: 5400 }] },
			{ group: 'chat-2', count: 1, skills: { c: 2 }, capacity: { chat: 3 }, shifts: [{ start: 1800, end: 2700 }] }
		]);
		// A flat day of 40 is one group of 40, not 40 groups.
		expect(staffingGroups(new Array(32).fill(40), 900, ['q'])).toHaveLength(1);
	});

	it('simulates the merged groups exactly as one group per agent', () => {
		const offered = [30, 80, 140, 200, 160, 90, 40, 10];
		const d: ForecastDay = {
			...day(offered, 240, 1800),
			intervals: day(offered, 240, 1800).intervals.map((iv, i) => ({
				...iv,
				queues: { ...iv.queues, c: { channel: 'chat', offered: offered[i]! / 2, low: 0, high: 0, aht: 400 } }
			}))
		};
		const queues = [
			{ id: 'q', channel: 'voice' as const, patienceMean: 120 },
			{ id: 'c', channel: 'chat' as const, patienceMean: 300 }
		];
		const groups: StaffingGroup[] = [
			{ id: 'voice', skills: { q: 1 } },
			{ id: 'chat', skills: { c: 1, q: 2 }, capacity: { chat: 3 } }
		];
		const staff = { voice: [4, 9, 14, 20, 16, 9, 4, 2], chat: [2, 3, 5, 5, 5, 3, 2, 0] };
		const merged = dayScenario(d, 1800, queues, TARGET, staff, 7, groups);
		expect(merged.agents.length).toBeLessThan(20 + 5);
		// The same agents, one group each, in the same order (built here, not by staffingGroups).
		const perAgent: Scenario = {
			...merged,
			agents: merged.agents.flatMap((g) => Array.from({ length: g.count }, (_, k) => ({ ...g, group: `${g.group}/${k}`, count: 1 })))
		};
		expect(perAgent.agents).toHaveLength(20 + 5);
		const valid = (s: Scenario) => {
			const v = validateScenario(s);
			if (!v.ok) throw new Error(JSON.stringify(v.errors));
			return v.scenario;
		};
		const a = runReplications(valid(merged), 7, 3);
		const b = runReplications(valid(perAgent), 7, 3);
		expect(a.reduce((n, r) => n + r.total.intervals.reduce((m, c) => m + c.answered, 0), 0)).toBeGreaterThan(0);
		// Every contact and count the same; time sums (busy, offered slot time) are added up per group
		// rather than per agent, so they agree to rounding (1e-12), not bit for bit; `events` counts
		// the engine's own steps, one shift change per group rather than per agent.
		const rounded = (rs: typeof a) =>
			JSON.parse(JSON.stringify(rs.map(({ name: _n, events: _e, ...r }) => r), (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));
		expect(rounded(a)).toEqual(rounded(b));
	});

	it('Erlang C per interval matches the textbook formula; Erlang A needs fewer when callers abandon', () => {
		const d = day([0, 100, 250, 400, 60], 180, 3600);
		const st = erlangStaffing(d, 3600, [{ id: 'q', channel: 'voice', patienceMean: 120 }], TARGET);
		for (const iv of st.intervals) {
			const want = iv.offered > 0 ? erlangCAgents(iv.offered / 3600, 180, 20, 0.8) : 0;
			expect(iv.erlangC).toBe(want);
			expect(iv.erlangA).toBeLessThanOrEqual(iv.erlangC);
		}
		expect(st.intervals[3]?.erlangA).toBeLessThan(st.intervals[3]?.erlangC ?? 0);
		expect(st.agentHours.erlangC).toBe(st.intervals.reduce((a, iv) => a + iv.erlangC, 0));
	});

	it('a day read back from the API JSON staffs the same as the day itself', () => {
		const d = day([0, 100, 250, 400, 60], 180, 3600);
		const json = forecastJson({
			intervalSec: 3600,
			history: { from: '2026-02-01', to: '2026-03-01', days: 29 },
			queues: [{ id: 'q', channel: 'voice' }],
			days: [d],
			method: { summary: [], weekdayFactors: {}, alpha: 0.5, beta: 0, phi: 0.9, residuals: 0, logLow: 0, logHigh: 0 }
		});
		const back = json.days[0];
		expect(back?.intervals[2]?.start).toBe('02:00');
		if (!back) return;
		const queues = [{ id: 'q', channel: 'voice' as const, patienceMean: 120 }];
		const a = erlangStaffing(d, 3600, queues, TARGET);
		const b = erlangStaffing(forecastDayFromJson(back), 3600, queues, TARGET);
		expect(b.intervals.map((iv) => [iv.start, iv.erlangC, iv.erlangA])).toEqual(a.intervals.map((iv) => [iv.start, iv.erlangC, iv.erlangA]));
	});

	it('patience mean is time at risk over abandons (censored waits count)', () => {
		expect(exponentialPatienceMean([
			{ time: 10, event: true },
			{ time: 30, event: false },
			{ time: 20, event: true }
		])).toBe(30);
		expect(exponentialPatienceMean([{ time: 5, event: false }])).toBe(Infinity);
	});

	it('the simulation search meets the target in every interval, near Erlang C where its assumptions hold', async () => {
		// M/M/n (exponential handle times, nobody abandons), hour intervals, steady loads: one group, one queue.
		const offered = [300, 300, 500, 500, 200];
		const d = day(offered, 120, 3600);
		const queues = [{ id: 'q', channel: 'voice' as const, patienceMean: Infinity, handle: { dist: 'exponential' as const, mean: 120 } }];
		const rounds: number[] = [];
		const res = await searchStaffing(d, 3600, queues, TARGET, { simulate: inThread, replications: 8, onProgress: (r) => rounds.push(r) });
		expect(rounds.length).toBe(res.rounds);
		for (const iv of res.intervals) {
			const ec = erlangCAgents(iv.offered / 3600, 120, 20, 0.8);
			expect(iv.met).toBe(true);
			expect(iv.slLow ?? 0).toBeGreaterThanOrEqual(0.8);
			expect(iv.queues.q?.met).toBe(true);
			// The search wants the 95 % lower bound of 8 one-hour replications at the target, so it
			// staffs at or over Erlang C, by up to 3 (one under where the replications ran lucky):
			// agents − Erlang C over the 5 intervals of seeds 1–20 ranged −1..3, with the polar and
			// -log(u) draws and with the ziggurat's alike; "within one" held for 4 of seeds 1–12.
			expect((iv.agents ?? 0) - ec).toBeGreaterThanOrEqual(-1);
			expect((iv.agents ?? 0) - ec).toBeLessThanOrEqual(3);
			expect(iv.groups.agent?.agents).toBe(iv.agents);
		}
		// The scenario returned is the staffing found, runnable as is.
		const sc = res.scenario;
		expect(sc).not.toBeNull();
		if (!sc) return;
		expect(validateScenario(sc).ok).toBe(true);
		expect(sc.agents.reduce((n, g) => n + g.count, 0)).toBe(Math.max(...res.intervals.map((iv) => iv.agents ?? 0)));
		expect(dayScenario(d, 3600, queues, TARGET, [1, 1, 1, 1, 1]).queues[0]?.arrivals).toEqual({ perInterval: offered });
	});

	it('staffs each group for its own queue: Erlang C per group, and a search that follows each queue\'s volume', async () => {
		// Two dedicated groups, two queues whose busy hours cross: a's peak is hour 1, b's hour 2.
		const volume = { a: [300, 600, 300], b: [300, 300, 600] };
		const intervals = volume.a.map((_, i): ForecastInterval => {
			const a = volume.a[i] ?? 0;
			const b = volume.b[i] ?? 0;
			return {
				start: i * 3600,
				offered: a + b,
				low: a + b,
				high: a + b,
				aht: 120,
				queues: {
					a: { channel: 'voice', offered: a, low: a, high: a, aht: 120 },
					b: { channel: 'voice', offered: b, low: b, high: b, aht: 120 }
				}
			};
		});
		const d: ForecastDay = { date: '2026-03-02', weekday: 'Mon', closed: null, lead: 1, offered: 2700, low: 2700, high: 2700, adjustments: [], intervals };
		const exp = { dist: 'exponential' as const, mean: 120 };
		const queues = [
			{ id: 'a', channel: 'voice' as const, patienceMean: Infinity, handle: exp },
			{ id: 'b', channel: 'voice' as const, patienceMean: Infinity, handle: exp }
		];
		const groups: StaffingGroup[] = [
			{ id: 'team-a', skills: { a: 1 } },
			{ id: 'team-b', skills: { b: 1 } }
		];
		const first = erlangStaffing(d, 3600, queues, TARGET, groups);
		expect(first.owner).toEqual({ a: 'team-a', b: 'team-b' });
		for (const [i, iv] of first.intervals.entries()) {
			expect(iv.groups['team-a']?.erlangC).toBe(erlangCAgents((volume.a[i] ?? 0) / 3600, 120, 20, 0.8));
			expect(iv.groups['team-b']?.erlangC).toBe(erlangCAgents((volume.b[i] ?? 0) / 3600, 120, 20, 0.8));
		}
		const res = await searchStaffing(d, 3600, queues, TARGET, { simulate: inThread, replications: 8, groups });
		const staff = (g: string) => res.intervals.map((iv) => iv.groups[g]?.agents ?? 0);
		const a = staff('team-a');
		const b = staff('team-b');
		for (const [i, iv] of res.intervals.entries()) {
			expect(iv.queues.a?.met && iv.queues.b?.met).toBe(true);
			expect(iv.queues.a?.slLow ?? 0).toBeGreaterThanOrEqual(0.8);
			expect(iv.queues.b?.slLow ?? 0).toBeGreaterThanOrEqual(0.8);
			expect(Math.abs((a[i] ?? 0) - erlangCAgents((volume.a[i] ?? 0) / 3600, 120, 20, 0.8))).toBeLessThanOrEqual(1);
			expect(Math.abs((b[i] ?? 0) - erlangCAgents((volume.b[i] ?? 0) / 3600, 120, 20, 0.8))).toBeLessThanOrEqual(1);
			expect(iv.agents).toBe((a[i] ?? 0) + (b[i] ?? 0));
		}
		// Each group's staffing rises in its own queue's busy hour, not in the other's.
		expect((a[1] ?? 0) - (a[0] ?? 0)).toBeGreaterThanOrEqual(4);
		expect(Math.abs((a[2] ?? 0) - (a[0] ?? 0))).toBeLessThanOrEqual(1);
		expect((b[2] ?? 0) - (b[0] ?? 0)).toBeGreaterThanOrEqual(4);
		expect(Math.abs((b[1] ?? 0) - (b[0] ?? 0))).toBeLessThanOrEqual(1);
		// The scenario keeps the groups' skills: team-a agents never serve b.
		const sc = res.scenario;
		expect(sc?.agents.filter((g) => g.group.startsWith('team-a-')).every((g) => g.skills.a === 1 && g.skills.b === undefined)).toBe(true);
		expect(sc?.agents.filter((g) => g.group.startsWith('team-a-')).reduce((n, g) => n + g.count, 0)).toBe(Math.max(...a));
	});

	it('sees what Erlang misses: a chat group serving three at a time needs fewer agents than Erlang C says', async () => {
		const offered = [200, 200, 200];
		const intervals = offered.map(
			(o, i): ForecastInterval => ({ start: i * 3600, offered: o, low: o, high: o, aht: 300, queues: { c: { channel: 'chat', offered: o, low: o, high: o, aht: 300 } } })
		);
		const d: ForecastDay = { date: '2026-03-02', weekday: 'Mon', closed: null, lead: 1, offered: 600, low: 600, high: 600, adjustments: [], intervals };
		const chatTarget: StaffingTarget = { threshold: 60, target: 0.8, shortAbandon: 5, formula: 'abandons-count-against' };
		const queues = [{ id: 'c', channel: 'chat' as const, patienceMean: Infinity, handle: { dist: 'exponential' as const, mean: 300 } }];
		const groups: StaffingGroup[] = [{ id: 'chat', skills: { c: 1 }, capacity: { chat: 3 } }];
		const res = await searchStaffing(d, 3600, queues, chatTarget, { simulate: inThread, replications: 8, groups });
		for (const iv of res.intervals) {
			const ec = erlangCAgents(200 / 3600, 300, 60, 0.8);
			expect(iv.groups.chat?.erlangC).toBe(ec);
			expect(iv.queues.c?.met).toBe(true);
			// Three chats at a time: about a third of the one-at-a-time answer, well under it.
			expect(iv.groups.chat?.agents ?? 0).toBeLessThan(ec * 0.6);
		}
	});

	it('names a queue that no group is skilled for', () => {
		const d = day([10], 180, 3600);
		expect(() => erlangStaffing(d, 3600, [{ id: 'q', channel: 'voice', patienceMean: 60 }], TARGET, [{ id: 'g', skills: { other: 1 } }])).toThrow(/queue "q": no group/);
	});
});
