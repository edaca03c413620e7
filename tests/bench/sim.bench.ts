/**
 * Simulator benchmark (`npm run bench`): prints throughput, not a pass/fail test.
 * (a) One M/M/n+M queue, 3 million contacts: the engine, from compiling the scenario to the
 *     collected results, against the hand-written baseline loop of sim-baseline.ts doing the same
 *     work (target: engine within 1.3× of it).
 * (b) A multi-skill day: 20 queues over 5 channels, 300 agents, ~60,000 contacts (target: under
 *     25 ms per replication, results included).
 *
 * Issue #8 rework of the engine (shared list helper, rank-based routing, contact table, 4-ary
 * calendar with packed event words), this script run on the engine before and after, one after
 * the other on the same loaded 2-core machine (load average ~30, so absolute times are inflated):
 * (a) 1.49× before, 1.22× after (the issue measured 1.58× on a quiet machine); same SL/abandon
 * figures. (b) CPU time per warm replication 60 ms before, 55 ms after (wall time on that machine
 * is meaningless); the 42.5 ms quiet-machine median is not yet under 25 ms.
 */
import { compile } from '../../sim/model';
import { Engine } from '../../sim/engine';
import { collectResult, scopeKpis } from '../../sim/results';
import { validateScenario, type Scenario } from '../../sim/scenario';
import { baselineMMnM } from './sim-baseline';
import { mmnm, multiSkillDay } from './sim-scenarios';

function valid(s: Scenario): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const CONTACTS = Number(process.env.SIM_BENCH_CONTACTS ?? 3_000_000);

// (a)
const a = valid(mmnm(CONTACTS));
const q = a.queues[0]!;
const lambda = ((q.arrivals as { perHour: number }).perHour) / 3600;
let bestEngine = Infinity;
let bestBase = Infinity;
let engineStats = { contacts: 0, events: 0 };
let baseStats = { contacts: 0, events: 0 };
for (let round = 0; round < 3; round++) {
	let t0 = performance.now();
	const b = baselineMMnM({ lambda, aht: 180, patience: 120, agents: 100, threshold: 20, horizon: a.horizon, seed: round + 1 });
	bestBase = Math.min(bestBase, performance.now() - t0);
	baseStats = { contacts: b.offered, events: b.events };

	t0 = performance.now();
	const m = compile(a);
	const e = new Engine(m, { seed: round + 1 });
	e.run();
	const out = e.output();
	const result = collectResult(m, out);
	bestEngine = Math.min(bestEngine, performance.now() - t0);
	engineStats = { contacts: out.contacts, events: out.events };
	if (round === 0) {
		const k = scopeKpis(result.total);
		console.log(
			`(a) check: engine SL ${k.serviceLevel?.toFixed(4)} abandon ${(k.abandoned / k.offered).toFixed(4)}; ` +
				`baseline SL ${(b.withinT / (b.answered + b.abandoned)).toFixed(4)} abandon ${(b.abandoned / b.offered).toFixed(4)} (short abandons not removed)`
		);
	}
}
const rate = (n: number, ms: number) => fmt((n / ms) * 1000);
console.log(`(a) M/M/n+M, n=100, ${fmt(engineStats.contacts)} contacts (best of 3)`);
console.log(`    engine   ${bestEngine.toFixed(0).padStart(6)} ms  ${rate(engineStats.contacts, bestEngine).padStart(11)} contacts/s  ${rate(engineStats.events, bestEngine).padStart(11)} events/s`);
console.log(`    baseline ${bestBase.toFixed(0).padStart(6)} ms  ${rate(baseStats.contacts, bestBase).padStart(11)} contacts/s  ${rate(baseStats.events, bestBase).padStart(11)} events/s`);
console.log(`    engine / baseline time: ${(bestEngine / bestBase).toFixed(2)}× (target ≤ 1.3×)`);

// (b)
const day = valid(multiSkillDay());
const dm = compile(day);
const times: number[] = [];
let dayStats = { contacts: 0, events: 0 };
const REPS = 12;
for (let rep = 0; rep < REPS; rep++) {
	const t0 = performance.now();
	const e = new Engine(dm, { seed: 1, rep });
	e.run();
	const r = collectResult(dm, e.output());
	times.push(performance.now() - t0);
	dayStats = { contacts: r.contacts, events: r.events };
	if (rep === 0) {
		const k = scopeKpis(r.total);
		console.log(`(b) check: SL ${k.serviceLevel?.toFixed(3)}, abandon rate ${k.abandonRate?.toFixed(3)}, occupancy ${k.occupancy?.toFixed(3)}`);
	}
}
const warm = times.slice(2).sort((x, y) => x - y);
const median = warm[Math.floor(warm.length / 2)]!;
console.log(`(b) multi-skill day: 20 queues / 5 channels, ${dm.agents} agents, ${fmt(dayStats.contacts)} contacts, ${fmt(dayStats.events)} events`);
console.log(`    first replication ${times[0]!.toFixed(0)} ms (cold); warm median ${median.toFixed(1)} ms, best ${warm[0]!.toFixed(1)} ms per replication (target < 25 ms)`);
console.log(`    ${rate(dayStats.contacts, median)} contacts/s, ${rate(dayStats.events, median)} events/s`);
