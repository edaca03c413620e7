/**
 * Transfers and reserve agents against figures computed here, from the scenario alone: the
 * binomial share of transferred contacts, flow balance between the queues, the receiving leg's
 * own handle time, Erlang C at a receiving queue fed only by transfers (the departures of a
 * stationary M/M/n queue are Poisson, Burke's theorem), and reserve agents that never take a
 * contact before it has waited their threshold (a reserve-only queue is an M/M/r queue whose
 * waits are all shifted by the threshold). Also: the live floor, fed the run's trace, counts the
 * transfers as the engine does.
 */
import { describe, expect, it } from 'vitest';
import { BoardProjector } from '../src/lib/domain/board';
import { DEFAULT_BOARD } from '../src/lib/domain/board-config';
import type { FloorEvent } from '../src/lib/domain/events';
import { Floor, DEFAULT_FLOOR_CONFIG } from '../src/lib/domain/floor';
import { sumCounts, type KpiCounts } from '../src/lib/domain/kpi';
import { resolveSl } from '../src/lib/domain/service-level';
import { runReplication, runReplications } from './replicate';
import type { RunResult } from './results';
import { scopeKpis } from './results';
import { validateScenario, type Scenario } from './scenario';
import { estimate, type Estimate } from './stats';
import { traceEvents } from './trace';

function scenario(s: unknown): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

function errorsOf(s: unknown): string[] {
	const v = validateScenario(s);
	return v.ok ? [] : v.errors.map((e) => `${e.path}: ${e.message}`);
}

/** Counts of queue `id` summed over intervals from `from` on. */
function counts(r: RunResult, id: string, from = 0): KpiCounts {
	const q = r.queues[id];
	if (!q) throw new Error(`no queue ${id}`);
	return sumCounts(q.intervals.slice(from));
}

/** Erlang C: probability that an arrival waits, n agents, a erlangs (written out here, not imported). */
function erlangC(n: number, a: number): number {
	let term = 1;
	let sum = 1;
	for (let k = 1; k < n; k++) {
		term *= a / k;
		sum += term;
	}
	const last = ((term * a) / n) * (n / (n - a));
	return last / (sum + last);
}

const exp = (mean: number) => ({ dist: 'exponential', mean });

describe('transfers', () => {
	it('a share of handled contacts moves on: binomial share, flow balance, the leg keeps its own handle time', () => {
		const s = scenario({
			horizon: 8 * 3600,
			queues: [
				{ id: 'a', channel: 'voice', arrivals: { perHour: 120 }, handle: exp(180), transfers: [{ to: 'b', share: 0.3, handle: { dist: 'constant', value: 240 } }] },
				{ id: 'b', channel: 'voice', arrivals: { perHour: 0 }, handle: exp(100) }
			],
			agents: [
				{ group: 'ga', count: 10, skills: { a: 1 } },
				{ group: 'gb', count: 6, skills: { b: 1 } }
			]
		});
		const runs = runReplications(s, 5, 4);
		const a = sumCounts(runs.map((r) => counts(r, 'a')));
		const b = sumCounts(runs.map((r) => counts(r, 'b')));
		// Nobody abandons and the run drains: everything offered is answered.
		expect(a.answered).toBe(a.offered);
		expect(b.answered).toBe(b.offered);
		// Every transfer is one more contact offered to b (b has no arrivals of its own).
		const transferred = b.offered;
		const p = transferred / a.answered;
		const sd = Math.sqrt((0.3 * 0.7) / a.answered);
		expect(a.answered).toBeGreaterThan(3000);
		expect(Math.abs(p - 0.3)).toBeLessThan(4 * sd);
		// The transferring leg is not a handled contact of a (as the floor counts contact.transferred).
		expect(a.handled).toBe(a.answered - transferred);
		expect(b.handled).toBe(b.answered);
		// b's handling is the transfer's constant 240 s, not b's own exponential(100).
		expect(b.handleSum / b.handled).toBeCloseTo(240, 9);
		// a keeps its exponential(180) for the contacts it finishes itself (mean within 4 standard errors).
		expect(Math.abs(a.handleSum / a.handled - 180)).toBeLessThan((4 * 180) / Math.sqrt(a.handled));
	});

	it('a queue fed only by transfers behaves as Erlang C with the transferred rate', () => {
		// a: 600/h, 40 agents at 20 erlangs (departures Poisson); half go on to b: 300/h on 12
		// agents of mean 120 s = 10 erlangs.
		const hours = 150;
		const s = scenario({
			horizon: hours * 3600,
			interval: 3600,
			queues: [
				{ id: 'a', channel: 'voice', arrivals: { perHour: 600 }, handle: exp(120), transfers: [{ to: 'b', share: 0.5, handle: exp(120) }] },
				{ id: 'b', channel: 'voice', sl: { threshold: 20 }, arrivals: { perHour: 0 }, handle: exp(5) }
			],
			agents: [
				{ group: 'ga', count: 40, skills: { a: 1 } },
				{ group: 'gb', count: 12, skills: { b: 1 } }
			]
		});
		const runs = runReplications(s, 9, 6);
		const n = 12;
		const lambda = 300 / 3600;
		const mu = 1 / 120;
		const c = erlangC(n, lambda / mu);
		const asa = c / (n * mu - lambda);
		const sl = 1 - c * Math.exp(-(n * mu - lambda) * 20);
		const warm = 2;
		const asaRuns = estimate(runs.map((r) => scopeKpis(r.queues.b!, warm).asa));
		const slRuns = estimate(runs.map((r) => scopeKpis(r.queues.b!, warm).serviceLevel));
		if (!asaRuns || !slRuns) throw new Error('no estimate');
		const within = (e: Estimate, x: number) => {
			if (!e.ci95) throw new Error('no interval');
			// Half again as wide as the 95 % interval: two figures are checked at once.
			const half = ((e.ci95[1] - e.ci95[0]) / 2) * 1.5;
			return Math.abs(e.mean - x) <= half;
		};
		expect(within(asaRuns, asa), `ASA ${asaRuns.mean} vs Erlang C ${asa}`).toBe(true);
		expect(within(slRuns, sl), `SL ${slRuns.mean} vs Erlang C ${sl}`).toBe(true);
		// Negative control: one agent fewer at b is clearly outside.
		const c11 = erlangC(n - 1, lambda / mu);
		expect(within(asaRuns, c11 / ((n - 1) * mu - lambda))).toBe(false);
	});

	it('the trace says contact.transferred, and the live floor fed with it counts what the engine counted', () => {
		const s = scenario({
			horizon: 4 * 3600,
			queues: [
				{
					id: 'sales',
					channel: 'voice',
					arrivals: { perHour: 90 },
					handle: exp(150),
					patience: exp(90),
					transfers: [
						{ to: 'billing', share: 0.2 },
						{ to: 'support', share: 0.1, handle: exp(400) }
					]
				},
				{ id: 'billing', channel: 'voice', arrivals: { perHour: 40 }, handle: exp(200), wrapup: { dist: 'constant', value: 10 }, patience: exp(120) },
				{ id: 'support', channel: 'voice', arrivals: { perHour: 20 }, handle: exp(300), transfers: [{ to: 'billing', share: 0.25 }] }
			],
			agents: [
				{ group: 'front', count: 5, skills: { sales: 1 } },
				{ group: 'back', count: 6, skills: { billing: 1, support: 1 } }
			]
		});
		const seed = 4;
		const startTs = Date.parse('2026-03-10T08:00:00Z');
		const sim = runReplication(s, seed, 0);
		const events: FloorEvent[] = traceEvents(s, { seed, startTs });
		const transfers = events.filter((e) => e.type === 'contact.transferred');
		expect(transfers.length).toBeGreaterThan(20);
		for (const e of transfers) expect(['sales→billing', 'sales→support', 'support→billing']).toContain(`${e.fromQueue}→${e.toQueue}`);
		const floor = new Floor(
			{ ...DEFAULT_FLOOR_CONFIG, queues: s.queues.map((q) => ({ id: q.id, name: q.id, channel: q.channel, sl: resolveSl(q.channel, q.sl) })) },
			startTs
		);
		for (const e of events) {
			const r = floor.apply(e);
			if (r.kind !== 'applied') throw new Error(`${e.type} ${e.id}: ${r.kind}`);
		}
		expect(floor.contactsInFlight).toBe(0);
		const view = new BoardProjector(DEFAULT_BOARD).view(floor);
		for (const q of s.queues) {
			const k = scopeKpis(sim.queues[q.id]!);
			const f = view.queues.find((x) => x.id === q.id)?.today;
			if (!f) throw new Error(`floor has no ${q.id}`);
			expect([f.offered, f.answered, f.abandoned]).toEqual([k.offered, k.answered, k.abandoned]);
			expect(f.aht! - k.aht!).toBeCloseTo(0, 2);
			expect(f.asa! - k.asa!).toBeCloseTo(0, 2);
		}
		// Offered to billing = its own arrivals + transfers into it, contact by contact.
		const queuedBilling = events.filter((e) => e.type === 'contact.queued' && e.queue === 'billing').length;
		const intoBilling = transfers.filter((e) => e.toQueue === 'billing').length;
		expect(scopeKpis(sim.queues.billing!).offered).toBe(queuedBilling + intoBilling);
	});

	it('bad transfers are refused, naming the field', () => {
		const base = {
			horizon: 3600,
			queues: [
				{ id: 'a', channel: 'voice', arrivals: { perHour: 10 }, handle: exp(60) },
				{ id: 'b', channel: 'voice', arrivals: { perHour: 10 }, handle: exp(60) },
				{ id: 'c', channel: 'chat', arrivals: { perHour: 10 }, handle: exp(60) }
			],
			agents: [{ group: 'g', count: 2, skills: { a: 1, b: 1, c: 1 } }]
		};
		const withTransfers = (transfers: unknown) => ({ ...base, queues: [{ ...base.queues[0], transfers }, ...base.queues.slice(1)] });
		expect(errorsOf(withTransfers([{ to: 'nope', share: 0.1 }]))).toEqual(['queues[0].transfers[0].to: unknown queue "nope"']);
		expect(errorsOf(withTransfers([{ to: 'a', share: 0.1 }]))).toEqual(['queues[0].transfers[0].to: a queue cannot transfer to itself']);
		expect(errorsOf(withTransfers([{ to: 'c', share: 0.1 }]))).toEqual(['queues[0].transfers[0].to: queue "c" is chat, not voice']);
		expect(errorsOf(withTransfers([{ to: 'b', share: 0.7 }, { to: 'b', share: 0.4 }]))).toEqual(['queues[0].transfers: shares add up to 1.1, more than 1']);
		expect(errorsOf(withTransfers([{ to: 'b', share: 0.2, handle: { dist: 'exponential' } }]))[0]).toMatch(/^queues\[0\]\.transfers\[0\]\.handle/);
		expect(errorsOf(withTransfers([{ to: 'b', share: 1.5 }]))[0]).toMatch(/^queues\[0\]\.transfers\[0\]\.share/);
	});
});

/** Answers in a trace with the wait of each and the answering agent's team. */
function answers(events: FloorEvent[]): { team: string; wait: number }[] {
	const team = new Map<string, string>();
	const queued = new Map<string, number>();
	const out: { team: string; wait: number }[] = [];
	for (const e of events) {
		if (e.type === 'agent.profile') team.set(e.agent, e.team);
		else if (e.type === 'contact.queued') queued.set(e.contact, e.ts);
		else if (e.type === 'contact.answered') out.push({ team: team.get(e.agent) ?? '?', wait: (e.ts - (queued.get(e.contact) ?? NaN)) / 1000 });
	}
	return out;
}

describe('reserve agents', () => {
	it('are held back until a contact has waited the threshold, and then help', () => {
		const s = scenario({
			horizon: 6 * 3600,
			queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 130 }, handle: exp(120), patience: exp(300) }],
			agents: [
				{ group: 'main', count: 4, skills: { q: 1 } },
				{ group: 'reserve', count: 3, skills: { q: 1 }, reserve: { q: 45 } }
			]
		});
		const ans = answers(traceEvents(s, { seed: 2, startTs: 0 }));
		const reserve = ans.filter((a) => a.team === 'reserve');
		const main = ans.filter((a) => a.team === 'main');
		// 4.3 erlangs on 4 main agents: waits pass 45 s often, so the reserve does take contacts...
		expect(reserve.length).toBeGreaterThan(50);
		// ...but never one that waited less (trace times are whole milliseconds).
		expect(Math.min(...reserve.map((a) => a.wait))).toBeGreaterThanOrEqual(45 - 0.001);
		// The main group answers at once whenever it can.
		expect(main.filter((a) => a.wait === 0).length).toBeGreaterThan(main.length / 3);
	});

	it('a reserve-only queue is M/M/r with every wait shifted by the threshold (Erlang C)', () => {
		const hours = 150;
		const T = 30;
		const r = 5;
		const s = scenario({
			horizon: hours * 3600,
			interval: 3600,
			queues: [{ id: 'q', channel: 'voice', sl: { threshold: T + 20 }, arrivals: { perHour: 120 }, handle: exp(120) }],
			agents: [{ group: 'reserve', count: r, skills: { q: 1 }, reserve: { q: T } }]
		});
		const runs = runReplications(s, 3, 6);
		const lambda = 120 / 3600;
		const mu = 1 / 120;
		const c = erlangC(r, lambda / mu);
		const asa = T + c / (r * mu - lambda);
		const sl = 1 - c * Math.exp(-(r * mu - lambda) * 20);
		const asaRuns = estimate(runs.map((x) => scopeKpis(x.queues.q!, 2).asa));
		const slRuns = estimate(runs.map((x) => scopeKpis(x.queues.q!, 2).serviceLevel));
		if (!asaRuns || !slRuns) throw new Error('no estimate');
		const half = (e: Estimate) => (e.ci95 ? ((e.ci95[1] - e.ci95[0]) / 2) * 1.5 : 0);
		expect(Math.abs(asaRuns.mean - asa), `ASA ${asaRuns.mean} vs ${asa}`).toBeLessThanOrEqual(half(asaRuns));
		expect(Math.abs(slRuns.mean - sl), `SL ${slRuns.mean} vs ${sl}`).toBeLessThanOrEqual(half(slRuns));
		// Negative controls: without the shift, or with one reserve agent more, the figures miss.
		expect(Math.abs(asaRuns.mean - (asa - T))).toBeGreaterThan(half(asaRuns));
		const c6 = erlangC(r + 1, lambda / mu);
		expect(Math.abs(asaRuns.mean - (T + c6 / ((r + 1) * mu - lambda)))).toBeGreaterThan(half(asaRuns));
		// Nobody is answered before the threshold: within T + 20 s means within the last 20 s.
		const withinT = sumCounts(runs.map((x) => counts(x, 'q'))).answeredWithinT;
		expect(withinT).toBeGreaterThan(0);
	});

	it('a reserve for a queue the group is not skilled for is refused', () => {
		expect(
			errorsOf({
				horizon: 3600,
				queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 10 }, handle: exp(60) }],
				agents: [{ group: 'g', count: 1, skills: { q: 1 }, reserve: { other: 30 } }]
			})
		).toEqual(['agents[0].reserve.other: not one of the group\'s skills ("other")']);
	});
});
