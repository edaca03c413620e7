/**
 * Forecast-day staffing of the bundled center (`npm run bench:forecast`, second part;
 * `tsx tests/bench/forecast-center.ts [--days 28] [--reps 10]`): 28 days of
 * sim/scenarios/multichannel-day.json (opening 08:00, one replication a day) are the history,
 * the next day is forecast from them, and that day is staffed per agent group of the scenario
 * (groups with the same skills merged: voice-early and voice-late are one "voice" group) by
 * Erlang C, Erlang A and the simulation search in Node workers. Prints per interval each group's
 * Erlang A and searched staffing and each queue's simulated SL (one-sided 95% lower bound)
 * against its own target, and the search time.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runReplications } from '../../sim/replicate';
import type { RunResult } from '../../sim/results';
import { parseScenario, validateScenario, type Scenario } from '../../sim/scenario';
import { resolveSl } from '../../src/lib/domain/service-level';
import { clockOf, dateOf, dayNumber } from '../../src/lib/forecast/calendar';
import { forecastSeries } from '../../src/lib/forecast/forecast';
import { seriesFromRows, type IntervalRow } from '../../src/lib/forecast/series';
import { searchStaffing, type StaffingGroup, type StaffingQueue, type StaffingTarget } from '../../src/lib/forecast/staffing';
import { createPool, splitReps } from '../../workers/pool';

const { values } = parseArgs({ options: { days: { type: 'string', default: '28' }, reps: { type: 'string', default: '10' } } });
const historyDays = Number(values.days);
const reps = Number(values.reps);
const OPEN = 8 * 3600;

const parsed = parseScenario(readFileSync('sim/scenarios/multichannel-day.json', 'utf8'));
if (!parsed.ok) throw new Error('bundled scenario does not parse');
const center = parsed.scenario;
const intervalSec = center.interval ?? 900;

// History: one simulated day per replication, interval counts per queue as the store keeps them.
const firstDay = dayNumber('2026-10-01') ?? 0;
const dates = Array.from({ length: historyDays }, (_, d) => dateOf(firstDay + d));
let t0 = performance.now();
const days = runReplications(center, 7, historyDays);
const rows: IntervalRow[] = [];
days.forEach((run, d) => {
	for (const q of center.queues) {
		run.queues[q.id]?.intervals.forEach((c, i) => {
			rows.push({ date: dates[d] ?? '', start: OPEN + i * intervalSec, queue: q.id, channel: q.channel, offered: c.offered, handled: c.handled, handleSum: c.handleSum });
		});
	}
});
const historyMs = performance.now() - t0;
const fc = forecastSeries(seriesFromRows(rows, intervalSec, dates), dateOf(firstDay + historyDays), 1);
const day = fc.days[0];
if (!day) throw new Error('no forecast day');

// The center's queues with their own targets, handle times and patience (the scenario's).
const target: StaffingTarget = { threshold: 20, target: 0.8, shortAbandon: 5, formula: 'abandons-count-against' };
const queues: StaffingQueue[] = center.queues.map((q) => {
	const sl = resolveSl(q.channel, q.sl ?? {});
	const patience = q.patience;
	const patienceMean = !patience ? Infinity : patience.dist === 'exponential' || patience.dist === 'lognormal' ? patience.mean : Infinity;
	return { id: q.id, channel: q.channel, patienceMean, ...(patience ? { patience } : {}), handle: q.handle, target: { ...sl } };
});
// Groups with the same skills and capacity are one group to staff.
const groups: StaffingGroup[] = [];
for (const a of center.agents) {
	const key = JSON.stringify([a.skills, a.capacity ?? {}]);
	if (groups.some((g) => JSON.stringify([g.skills, g.capacity ?? {}]) === key)) continue;
	groups.push({ id: a.group.replace(/-(early|late)$/, ''), skills: a.skills, ...(a.capacity ? { capacity: a.capacity } : {}) });
}

const pool = createPool(2);
const valid = (s: Scenario) => {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors).slice(0, 300));
	return v.scenario;
};
const inPool = async (s: Scenario, seed: number, n: number): Promise<RunResult[]> => {
	const parts = await Promise.all(splitReps(n, pool.size).map((r) => pool.run({ kind: 'replications', scenario: valid(s), seed, reps: r })));
	return parts.flatMap((p) => (p.kind === 'replications' ? [...p.runs] : []));
};

try {
	await inPool(center, 1, pool.size); // workers up before the clock runs
	t0 = performance.now();
	const res = await searchStaffing(day, intervalSec, queues, target, { simulate: inPool, replications: reps, groups });
	const searchMs = performance.now() - t0;
	const pct = (v: number | null | undefined) => (v === null || v === undefined ? '  -  ' : (v * 100).toFixed(1).padStart(5));
	console.log(`Bundled center (multichannel-day): ${historyDays} simulated days as history (${(historyMs / 1000).toFixed(1)} s); forecast ${day.date}: ${day.offered.toFixed(0)} offered expected (80%: ${day.low.toFixed(0)}-${day.high.toFixed(0)})`);
	console.log(`Groups: ${res.groups.map((g) => `${g.id} {${Object.entries(g.skills).map(([q, s]) => `${q}:${s}`).join(' ')}}${g.capacity ? ` cap ${JSON.stringify(g.capacity)}` : ''}`).join('; ')}`);
	console.log(`First choice per queue: ${Object.entries(res.owner).map(([q, g]) => `${q}→${g}`).join(', ')}`);
	console.log(`Targets: ${queues.map((q) => `${q.id} ${Math.round((q.target?.target ?? 0) * 100)}%/${q.target?.threshold}s`).join(', ')}`);
	console.log('');
	console.log(`Agents per group, Erlang A / search:`);
	console.log(['start', ...res.groups.map((g) => g.id.padStart(13))].join(' '));
	for (const iv of res.intervals) {
		if (iv.offered < 0.5) continue;
		console.log([clockOf(iv.start), ...res.groups.map((g) => `${iv.groups[g.id]?.erlangA ?? 0} / ${iv.groups[g.id]?.agents ?? 0}`.padStart(13))].join(' '));
	}
	console.log('');
	console.log('Simulated SL per queue, 95% lower bound (mean) against target; * = judged on the mean (< 5 expected):');
	console.log(['start', ...queues.map((q) => q.id.padStart(14))].join(' '));
	let missed = 0;
	for (const iv of res.intervals) {
		if (iv.offered < 0.5) continue;
		const cells = queues.map((q) => {
			const c = iv.queues[q.id];
			if (!c || c.sl === null) return '-'.padStart(14);
			if (!c.met) missed++;
			return `${pct(c.slLow)} (${pct(c.sl).trim()})${c.offered < 5 ? '*' : ' '}${c.met ? '' : '!'}`.padStart(14);
		});
		console.log([clockOf(iv.start), ...cells].join(' '));
	}
	const judged = res.intervals.filter((iv) => iv.offered >= 0.5).length;
	console.log('');
	console.log(`agent-hours (all groups): Erlang C ${res.agentHours.erlangC}, Erlang A ${res.agentHours.erlangA}, simulation search ${res.agentHours.search}; the scenario as bundled: ${bundledHours(center)}`);
	console.log(`queue-intervals missing their target: ${missed}; intervals with traffic: ${judged}; rounds ${res.rounds} × ${reps} replications; search time ${(searchMs / 1000).toFixed(1)} s in ${pool.size} Node workers`);
	console.log(res.method.join('\n'));
} finally {
	await pool.close();
}

/** Agent-hours the bundled scenario staffs (its groups' counts over their shifts). */
function bundledHours(s: Scenario): number {
	return s.agents.reduce((a, g) => a + (g.count * (g.shifts ?? [{ start: 0, end: s.horizon }]).reduce((h, sh) => h + Math.min(sh.end, s.horizon) - sh.start, 0)) / 3600, 0);
}
