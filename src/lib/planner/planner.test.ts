import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareResults, runReplication, summarise } from '../../../sim/replicate';
import { scopeKpis } from '../../../sim/results';
import { estimate } from '../../../sim/stats';
import { validateScenario, type Scenario } from '../../../sim/scenario';
import { erlangC } from '../../../sim/erlang';
import { analysePairs, dayView, pairKpis, scopeSeries } from './analysis';
import { applyChanges, checkChanges, scaleTrace } from './changes';
import { describeChanges } from './diff';
import { erlangNeeds } from './erlang-helper';
import { agentHours, groupsForStaffing, staffingOf } from './staffing';

const day = JSON.parse(readFileSync(new URL('../../../sim/scenarios/multichannel-day.json', import.meta.url), 'utf8')) as Scenario;

function valid(s: unknown): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

describe('staffing curves', () => {
	it('reads a group with a break as heads per interval', () => {
		const early = day.agents.find((g) => g.group === 'voice-early')!;
		const heads = staffingOf(day, early);
		// Shifts 0–16200 and 18000–30600 s, 16 agents, 900 s intervals.
		expect(heads.length).toBe(48);
		expect(heads.slice(0, 18).every((h) => h === 16)).toBe(true);
		expect(heads.slice(18, 20)).toEqual([0, 0]);
		expect(heads.slice(20, 34).every((h) => h === 16)).toBe(true);
		expect(heads.slice(34).every((h) => h === 0)).toBe(true);
		expect(agentHours(heads, 900)).toBe(16 * (16200 + 12600) / 3600);
	});

	it('cuts a stepped curve into layered groups that staff exactly that curve', () => {
		const s = { horizon: 3600 * 2, interval: 900 };
		const heads = [2, 2, 5, 5, 3, 0, 0, 2];
		const tmpl = { group: 'chat', count: 1, skills: { a: 1 } };
		const groups = groupsForStaffing(s, tmpl, heads);
		// Recount the heads per interval from the groups' shifts, independently of staffingOf.
		const back = heads.map((_, i) => groups.reduce((n, g) => n + (!g.shifts || g.shifts.some((sh) => sh.start <= i * 900 && sh.end >= (i + 1) * 900) ? g.count : 0), 0));
		expect(back).toEqual(heads);
		expect(groups[0]!.group).toBe('chat');
		expect(groups.map((g) => g.count)).toEqual([2, 1, 2]);
	});
});

describe('changes over a baseline', () => {
	it('adds afternoon agents as a layer the simulator accepts, and overflow names every layer', () => {
		const support = day.agents.find((g) => g.group === 'voice-support')!;
		const heads = staffingOf(day, support).map((h, i) => (i >= 24 && i < 32 ? h + 4 : h));
		const alt = valid(applyChanges(day, { staffing: { 'voice-support': heads } }));
		const layers = alt.agents.filter((g) => g.group.startsWith('voice-support'));
		expect(layers.map((g) => g.count)).toEqual([18, 4]);
		expect(layers[1]!.shifts).toEqual([{ start: 24 * 900, end: 32 * 900 }]);
		expect(alt.queues.find((q) => q.id === 'billing')!.overflow![0]!.groups).toEqual(['voice-support', 'voice-support~2']);
		// The baseline is untouched.
		expect(day.agents.filter((g) => g.group.startsWith('voice-support')).length).toBe(1);
	});

	it('scales volume and handle time, sets concurrency, targets and routing', () => {
		const alt = valid(
			applyChanges(day, {
				queues: { billing: { volumePct: 10, ahtPct: -20, slTarget: 0.9 } },
				concurrency: { chat: 4 },
				routing: 'longest-idle'
			})
		);
		const b0 = day.queues[0]!;
		const b1 = alt.queues[0]!;
		if (!('perInterval' in b0.arrivals) || !('perInterval' in b1.arrivals)) throw new Error('perInterval expected');
		expect(b1.arrivals.perInterval[3]).toBeCloseTo(b0.arrivals.perInterval[3]! * 1.1, 10);
		expect(b1.handle).toEqual({ dist: 'lognormal', mean: 240 * 0.8, sd: 150 * 0.8 });
		expect(b1.wrapup).toEqual({ dist: 'constant', value: 30 * 0.8 });
		expect(b1.sl?.target).toBe(0.9);
		expect(alt.agents.find((g) => g.group === 'chat')!.capacity).toEqual({ chat: 4 });
		expect(alt.agents.find((g) => g.group === 'blended')!.capacity).toEqual({ chat: 4 });
		// Voice-only groups get no chat capacity.
		expect(alt.agents.find((g) => g.group === 'voice-late')!.capacity?.chat).toBeUndefined();
		expect(alt.routing?.policy).toBe('longest-idle');
	});

	it('thins and adds trace arrivals per interval, keeping them inside their interval', () => {
		const times = Array.from({ length: 1000 }, (_, i) => (i * 3600) / 1000);
		const up = scaleTrace(times, [1.5, 1, 1, 1], 900, 3600, 'q');
		const down = scaleTrace(times, [0.5, 1, 1, 1], 900, 3600, 'q');
		const inFirst = (xs: number[]) => xs.filter((t) => t < 900).length;
		expect(inFirst(up)).toBe(375);
		expect(Math.abs(inFirst(down) - 125)).toBeLessThan(40);
		expect(up.length - inFirst(up)).toBe(750);
		expect(up.every((t, i) => i === 0 || t >= up[i - 1]!)).toBe(true);
	});

	it('refuses changes naming unknown groups or queues, or curves of the wrong length', () => {
		const r = checkChanges(day, { staffing: { chatt: [1] }, queues: { bill: { volumePct: 5 } } });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.map((e) => e.message)).toEqual(['unknown group "chatt"', 'unknown queue "bill"']);
		const bad = checkChanges(day, { staffing: { chat: [1, 2] } });
		expect(!bad.ok && bad.errors[0]!.message).toBe('has 2 intervals; the day has 48');
		expect(checkChanges(day, { shrinkage: 2 }).ok).toBe(false);
	});

	it('describes the changes in words with clock times', () => {
		const chat = day.agents.find((g) => g.group === 'chat')!;
		const heads = staffingOf(day, chat).map((h, i) => (i >= 24 && i < 32 ? h + 2 : h));
		const lines = describeChanges(day, { staffing: { chat: heads }, routing: 'longest-idle', queues: { billing: { volumePct: 10, slTarget: 0.85 } } }, 8 * 3600);
		expect(lines).toContainEqual({ subject: 'Staffing · chat', text: '14:00–16:00: 11 → 13 agents (+2)' });
		expect(lines).toContainEqual({ subject: 'Routing', text: 'most-skilled → longest-idle' });
		expect(lines).toContainEqual({ subject: 'billing', text: 'SL target 80 % → 85 %' });
		expect(lines).toContainEqual({ subject: 'billing', text: 'volume +10 % all day' });
	});
});

describe('Erlang helper', () => {
	it('matches Erlang C computed here for a voice queue', () => {
		const needs = erlangNeeds(day, [10]);
		const q = day.queues.find((x) => x.id === 'sales')!;
		if (!('perInterval' in q.arrivals)) throw new Error('perInterval expected');
		const i = 10;
		const lambda = q.arrivals.perInterval[i]! / 900;
		const aht = 300 + 20;
		// Independent: the smallest n with 1 − C(n, a)·e^{−(n−a)T/aht} ≥ 0.85 (T = 15 s).
		const a = lambda * aht;
		let n = Math.floor(a) + 1;
		while (1 - erlangC(n, a) * Math.exp((-(n - a) * 15) / aht) < 0.85) n++;
		expect(needs[0]!.queues.sales!.erlangC).toBe(n);
		// Patience lets some leave, so Erlang A never needs more.
		expect(needs[0]!.queues.sales!.erlangA!).toBeLessThanOrEqual(n);
	});
});

describe('analysis of paired replications', () => {
	// The bundled day's dip is the late-morning peak (10:00–12:00, intervals 8–15).
	const support = day.agents.find((g) => g.group === 'voice-support')!;
	const heads = staffingOf(day, support).map((h, i) => (i >= 8 && i < 16 ? h + 6 : h));
	const alt = valid(applyChanges(day, { staffing: { 'voice-support': heads } }));
	const base = [0, 1, 2, 3].map((r) => runReplication(day, 5, r));
	const runs = [0, 1, 2, 3].map((r) => runReplication(alt, 5, r));
	// Each worker reduces the pair it ran; the analysing worker keeps them in replication order.
	const a = analysePairs(base.map((b, r) => pairKpis(b, runs[r]!)));

	it('gives the day and per-interval paired difference, and more agents raise SL', () => {
		const sl = (x: (typeof base)[number], from = 0, to = 48) => {
			let w = 0;
			let d = 0;
			for (const c of x.queues.support!.intervals.slice(from, to)) {
				w += c.answeredWithinT;
				d += c.answered + c.abandoned - c.shortAbandoned;
			}
			return w / d;
		};
		const diffs = base.map((b, r) => sl(runs[r]!) - sl(b));
		const mean = diffs.reduce((x, y) => x + y, 0) / diffs.length;
		const day1 = dayView(a);
		expect(day1.replications).toBe(4);
		expect(day1.diff.queues.support!.serviceLevel).toBeCloseTo(mean, 12);
		expect(day1.diff.queues.support!.ci95.serviceLevel![0]).toBeGreaterThan(0);
		const support1 = scopeSeries(a, 'q:support')!;
		// Before 10:00 nothing changed and both share random numbers: no difference there.
		expect(support1.diff[2]!.serviceLevel).toBe(0);
		// 10:00–10:15, by hand from the counts.
		const d8 = base.map((b, r) => sl(runs[r]!, 8, 9) - sl(b, 8, 9));
		expect(support1.diff[8]!.serviceLevel).toBeCloseTo(d8.reduce((x, y) => x + y, 0) / 4, 12);
		expect(support1.waitingBase.length).toBe(48);
		expect(support1.waitingBase[10]!.mean).toBeGreaterThan(support1.waitingAlt[10]!.mean);
		const w10 = estimate(base.map((b) => b.queues.support!.intervals[10]!.answeredWaitSum / 900))!;
		expect(support1.waitingBase[10]!.mean).toBeCloseTo(w10.mean, 12);
		expect(scopeSeries(a, 'q:nope')).toBeNull();
	});

	it('says what summarising whole results says, per scope, for the day and per interval', () => {
		const v = dayView(a);
		const sb = summarise(base);
		const sa = summarise(runs);
		const cmp = compareResults(base, runs);
		expect(v.base).toEqual({ total: sb.total, queues: sb.queues, channels: sb.channels });
		expect(v.alt).toEqual({ total: sa.total, queues: sa.queues, channels: sa.channels });
		expect(v.diff).toEqual(cmp);
		for (const key of ['total', 'q:support', 'c:chat'] as const) {
			const pick = <T>(x: { total: T; queues: Record<string, T>; channels: Partial<Record<string, T>> }) =>
				key === 'total' ? x.total : key.startsWith('q:') ? x.queues[key.slice(2)] : x.channels[key.slice(2)];
			const ser = scopeSeries(a, key)!;
			expect(ser.base).toEqual(sb.intervals.map(pick));
			expect(ser.alt).toEqual(sa.intervals.map(pick));
			// The paired difference per interval: mean of the per-replication differences of the interval's KPIs.
			const i = 9;
			const ab = base.map((b) => scopeKpis(pick(b)!, i, i + 1).abandonRate);
			const aa = runs.map((r) => scopeKpis(pick(r)!, i, i + 1).abandonRate);
			const e = estimate(ab.map((x, r) => (x === null || aa[r] === null ? null : aa[r]! - x)));
			expect(ser.diff[i]!.abandonRate).toBe(e?.mean ?? null);
			expect(ser.diff[i]!.ci95.abandonRate).toEqual(e?.ci95 ?? null);
		}
	});

	it('refuses pairs whose scopes differ', () => {
		const { queues: _q, ...noQueues } = runs[0]!;
		expect(() => pairKpis(base[0]!, { ...noQueues, queues: {} })).toThrow(/same queues/);
	});
});

describe('packed replication results', () => {
	it('round-trip exactly', async () => {
		const { packRuns, unpackRuns } = await import('./packed');
		const runs = [0, 1].map((r) => runReplication(day, 3, r));
		const p = packRuns(runs);
		expect(p.data.length).toBe(2 * (2 + p.layout.scopes.length * 48 * Object.keys(runs[0]!.total.intervals[0]!).length));
		expect(JSON.parse(JSON.stringify(unpackRuns(p)))).toEqual(JSON.parse(JSON.stringify(runs)));
	});
});
