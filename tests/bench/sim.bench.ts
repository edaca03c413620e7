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
 * is meaningless); the issue's 42.5 ms quiet-machine median is not yet under 25 ms.
 *
 * Second round (lazy abandonment, detmath.logOpenU32), before/after alternated twice at load
 * average ~20 on 2 cores, best of each side: (a) cpu ratio 1.40× → 1.24× (wall 1.27× → 1.12×);
 * (b) cpu per warm replication, best 56.3 → 47.7 ms, median 60.2–66.2 → 60.2–72.3 ms (the
 * medians swing with the load; an interleaved A/B in one process gave 53.9 → 47.1 ms best,
 * 58.7 → 52.2 ms median). Same results bit for bit. The 25 ms target is still not met. Tried and
 * dropped (no gain in the interleaved A/B): a binary heap with branch-free child choice (14 %
 * faster on the recorded calendar sequence alone, 5 % slower on (a)), a pop that leaves a hole
 * for the next push, and a smaller Sampler.draw for inlining. Times are printed as wall and
 * process cpu; targets are judged on cpu, which a shared machine inflates much less.
 *
 * Third round (calendar queue in front of the heap, detmath.exp without aliasing, pickFor's
 * channel check once per pick): this script on the commit before (9a9eeea) and after,
 * alternated twice, load average ~20 on 2 cores: (a) cpu ratio 1.50×, 1.49× → 1.23×, 1.44×;
 * (b) cpu per warm replication median 76.4, 64.5 → 60.7, 58.1 ms, best 57.7, 55.1 → 46.1,
 * 46.8 ms. Interleaved in one process (old and new modules side by side, 24 replications each):
 * median 62.4 → 51.6 ms, best 54.5 → 42.3 ms. Same results bit for bit (8 scenarios, runs and
 * traces). The 25 ms target is still not met; a profile of (b) after the change: contact and
 * agent bookkeeping (arrival, offer, answer, counts, accrue) 29 %, sampling (fdlibm log and exp,
 * sfc32, arrival inversion) 23 %, routing (pickFor, findAgent, refresh, lists) 22 %, calendar
 * 13 % (was ~25 %), results 4 %. Tried and dropped: a FIFO lane per fixed delay in front of the
 * heap (calendar alone 16.1 → 14.6–15.9 ms, the ring gives 6.2 ms), a bottom-up (Floyd) pop and
 * a heap of pool slots (no gain on the recorded calendar sequence), and holding a freed agent's
 * list moves until it has picked (same results; interleaved A/B 55.3, 62.5 → 58.7, 64.0 ms median).
 *
 * Fourth round (counts laid out [interval][queue]; one event for handling plus wrap-up where
 * nothing happens in between; exponential and normal draws by the ziggurat, ziggurat.ts): this
 * script on the engine before (d4ab5a6, the same on main until this round) and after,
 * alternated twice, load average ~7 on 2 cores: (a) cpu ratio 1.23×, 1.29× → 1.09×, 1.04×; (b) cpu per warm
 * replication median 44.6, 59.5 → 40.5, 48.1 ms, best 40.1, 54.6 → 35.1, 35.7 ms. Interleaved in
 * one process (46 warm replications each, cpu, load ~5): median 43.3 → 41.1 ms with the first
 * two (same results bit for bit: RunResults and traces of this script's scenarios and
 * sim/scenarios/*.json, bench:calibration's table) → 35.7 ms with the ziggurat (p25 40.8 → 39.0
 * → 34.0 ms, best 38.4 → 36.9 → 32.3 ms). The ziggurat changes the draws, not the distributions
 * (ziggurat.test.ts; Erlang C checks); bench:calibration is unchanged (its days draw no
 * exponential or lognormal): 18 of 18 working days, mean |Δ abandon| 0.8 pp, mean Δ ASA −14 %.
 * The 25 ms target is still not met. The median-vs-best gap is mostly the shared machine and
 * the JIT: warm replications in a quiet moment ran 39–45 ms once the JIT was done (after the
 * third replication); GC (a scavenge of ~7 MB about once per replication) is 3–5 % of a
 * profile, which is now flat (no function above 14 % self time; first touches of contact, count
 * and calendar cells lead the line-level ticks). Tried and dropped: contacts as records (eight
 * doubles and eight ints per slot, a cache line each, instead of fourteen columns): no gain in
 * two interleaved A/Bs (p25 41.2 → 42.9, 40.7 → 41.2 ms); no agent search for an arrival that
 * finds a live contact waiting (nobody who may take it can be free then; same results bit for
 * bit): median 41.2 → 42.1, p25 39.3 → 39.0 ms.
 *
 * Fifth round (draws ahead, draw-ahead.ts; detmath.exp through a buffer; channels with nobody
 * waiting skipped when an agent comes free). A replication allocated 8.9 MB, nearly all heap
 * boxes for numbers returned from or passed to calls V8 did not inline (arrival times, draws,
 * exp); now 2.3 MB. Same results bit for bit (this script's scenarios and sim/scenarios/*.json,
 * traced and not). Interleaved in one process (40 warm replications each, load ~1–2): cpu median
 * 32.6 → 28.6 ms with the draws ahead. The engine also settles sooner: V8 compiles it for about
 * ten replications (cpu on other threads; main's replications 3–12 ran 42–43 ms against 29–30
 * settled, the new engine's 29.4–29.9 against 29.0–29.2), so (b) now runs 32 replications and judges the
 * median of the last 20, printing the first ten warm ones apart. That script on main and on this
 * round, alternated twice, load ~3.5: settled cpu median 38.5, 33.0 → 28.4, 28.2 ms; replications
 * 3–12 40.1, 36.1 → 44.1, 31.0 ms; quiet (load 1.2–3.2), alternated twice: settled 32.8,
 * 31.7 → 26.3, 28.1 ms. Still above 25 ms. Tried and dropped: arrivals kept outside
 * the calendar in a heap of queues, the calendar popping only events before the next arrival
 * (slower: 27.2 → 28.8 ms and 32.2 → 35.9 ms interleaved); skipping groups with no agent free
 * in the agent search (callgrind: 9,792 → 9,808 M instructions for 24 replications); one
 * overflow event per queue and stage instead of one per waiting contact, each under the sequence
 * number its own would have had (same results bit for bit, 13,400 overflow pops instead of
 * 17,600, but 17,600 walks to the next contact due: 27.9 → 30.8, 28.1 → 34.0, 26.6 → 29.2 ms
 * interleaved). Without overflow at all the day ran ~10 % faster (25.1, 26.1 against 28.9, 28.5 ms at
 * load ~10, so only the direction counts), the
 * largest single feature cost measured; sampling and routing are the rest, spread thin.
 *
 * Sixth round (2026-12-03, another machine, ~2× slower than the fifth round's: settled cpu
 * median 37–61 ms over eleven runs, so the absolute 25 ms is out of reach here whatever the
 * engine does). (b) now also runs the yardstick beside each replication and judges the ratio (see
 * below). Run on the engine of the issue's day under this same script, alternated with main: that
 * engine 150.5, 156.7, 168.1 ms settled cpu median, main 58.5, 52.8, 45.7 ms (0.27–0.39× it, the
 * issue asked for 25/42.5 = 0.59×); the script of that day on its own engine, warm median 166.7,
 * 151.1, 142.3 ms. That engine suffers from (a)'s run before it in the same process: each engine
 * alone in a process of its own days (esbuild bundles, interleaved), it took 65–87 ms and main
 * 0.585–0.61× of it against the yardstick (five runs), at the target's edge, not under it.
 * Tried and dropped: no boxed numbers on the sampling path (the ziggurat's slow paths through a
 * buffer, unit exponentials of an arrival batch drawn in a loop of their own, the arrival
 * inversion's time seeded with `+from`, which V8 otherwise kept tagged and boxed per arrival):
 * allocation 4.1 → 1.85 MB per replication (sampling heap profile with minor GCs), same results
 * bit for bit, but time unchanged (interleaved, 88 pairs: paired median ratio 1.006).
 */
import { cpus, loadavg } from 'node:os';
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
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
/** CPU milliseconds of this process since `from` (a loaded machine inflates wall time, not this). */
const cpuMs = (from: NodeJS.CpuUsage) => {
	const u = process.cpuUsage(from);
	return (u.user + u.system) / 1000;
};
console.log(`load average ${load()} on ${cpus().length} cores (absolute times inflate with load; the ratio in (a) much less)`);
const CONTACTS = Number(process.env.SIM_BENCH_CONTACTS ?? 3_000_000);

// (a)
const a = valid(mmnm(CONTACTS));
const q = a.queues[0]!;
const lambda = ((q.arrivals as { perHour: number }).perHour) / 3600;
let bestEngine = Infinity;
let bestBase = Infinity;
let cpuEngine = Infinity;
let cpuBase = Infinity;
let engineStats = { contacts: 0, events: 0 };
let baseStats = { contacts: 0, events: 0 };
for (let round = 0; round < 3; round++) {
	let t0 = performance.now();
	let c0 = process.cpuUsage();
	const b = baselineMMnM({ lambda, aht: 180, patience: 120, agents: 100, threshold: 20, horizon: a.horizon, seed: round + 1 });
	bestBase = Math.min(bestBase, performance.now() - t0);
	cpuBase = Math.min(cpuBase, cpuMs(c0));
	baseStats = { contacts: b.offered, events: b.events };

	t0 = performance.now();
	c0 = process.cpuUsage();
	const m = compile(a);
	const e = new Engine(m, { seed: round + 1 });
	e.run();
	const out = e.output();
	const result = collectResult(m, out);
	bestEngine = Math.min(bestEngine, performance.now() - t0);
	cpuEngine = Math.min(cpuEngine, cpuMs(c0));
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
console.log(`    engine   ${bestEngine.toFixed(0).padStart(6)} ms (cpu ${cpuEngine.toFixed(0)} ms)  ${rate(engineStats.contacts, bestEngine).padStart(11)} contacts/s  ${rate(engineStats.events, bestEngine).padStart(11)} events/s`);
console.log(`    baseline ${bestBase.toFixed(0).padStart(6)} ms (cpu ${cpuBase.toFixed(0)} ms)  ${rate(baseStats.contacts, bestBase).padStart(11)} contacts/s  ${rate(baseStats.events, bestBase).padStart(11)} events/s`);
const ratio = bestEngine / bestBase;
const cpuRatio = cpuEngine / cpuBase;
console.log(`    engine / baseline time: ${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× cpu (target ≤ 1.3×, judged on cpu: ${verdict(cpuRatio <= 1.3)})`);

// (b)
const day = valid(multiSkillDay());
const dm = compile(day);
const times: number[] = [];
const cpuTimes: number[] = [];
let dayStats = { contacts: 0, events: 0 };
/**
 * Replications run, and how many of them count as still warming up: V8 goes on compiling the
 * engine (on other threads, which process cpu counts) for about ten replications.
 */
const REPS = 32;
const WARMING = 12;
/**
 * The same machine's yardstick, run beside each replication (alternating which goes first): the
 * hand-written loop of (a) on as many contacts as the day offers. The issue's 25 ms was set on
 * its own machine, where the engine of that day took 42.5 ms; machines differ by 3× and more
 * (on 2026-12-03's, the script of that day gave its engine a warm median of 142–167 ms), so the
 * target also reads as a ratio to the yardstick: 25/42.5 of that engine's. That engine's ratio,
 * this script with its sim/ imports pointed at the sim/ of 4e6dc64 (the commit before the
 * issue's work), six runs on 2026-12-03: 3.39, 2.95, 2.66, 3.28, 3.31, 3.25× (median 3.27).
 */
const ISSUE_DAY_ENGINE_RATIO = 3.27;
const TARGET_RATIO = (25 / 42.5) * ISSUE_DAY_ENGINE_RATIO;
const YARDSTICK_CONTACTS = 60_000;
const yardstickCpu: number[] = [];
const yardstick = (rep: number) => {
	const c0 = process.cpuUsage();
	baselineMMnM({ lambda, aht: 180, patience: 120, agents: 100, threshold: 20, horizon: Math.round(YARDSTICK_CONTACTS / lambda), seed: rep + 1 });
	yardstickCpu.push(cpuMs(c0));
};
for (let rep = 0; rep < REPS; rep++) {
	if (rep % 2 === 1) yardstick(rep);
	const t0 = performance.now();
	const c0 = process.cpuUsage();
	const e = new Engine(dm, { seed: 1, rep });
	e.run();
	const r = collectResult(dm, e.output());
	times.push(performance.now() - t0);
	cpuTimes.push(cpuMs(c0));
	dayStats = { contacts: r.contacts, events: r.events };
	if (rep % 2 === 0) yardstick(rep);
	if (rep === 0) {
		const k = scopeKpis(r.total);
		console.log(`(b) check: SL ${k.serviceLevel?.toFixed(3)}, abandon rate ${k.abandonRate?.toFixed(3)}, occupancy ${k.occupancy?.toFixed(3)}`);
	}
}
const sorted = (xs: number[]) => xs.slice().sort((x, y) => x - y);
const mid = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const warming = sorted(cpuTimes.slice(2, WARMING));
const settled = sorted(times.slice(WARMING));
const settledCpu = sorted(cpuTimes.slice(WARMING));
const median = mid(settled);
const medianCpu = mid(settledCpu);
console.log(`(b) multi-skill day: 20 queues / 5 channels, ${dm.agents} agents, ${fmt(dayStats.contacts)} contacts, ${fmt(dayStats.events)} events`);
console.log(
	`    first replication ${times[0]!.toFixed(0)} ms (cold); replications 3–${WARMING} (V8 still compiling) cpu median ${mid(warming).toFixed(1)} ms; ` +
		`replications ${WARMING + 1}–${REPS}: median ${median.toFixed(1)} ms, best ${settled[0]!.toFixed(1)} ms; ` +
		`cpu median ${medianCpu.toFixed(1)} ms, best ${settledCpu[0]!.toFixed(1)} ms (target < 25 ms, judged on their cpu median: ${verdict(medianCpu < 25)}; load average now ${load()})`
);
console.log(`    ${rate(dayStats.contacts, median)} contacts/s, ${rate(dayStats.events, median)} events/s`);
const ratios = sorted(cpuTimes.slice(WARMING).map((x, i) => x / yardstickCpu[WARMING + i]!));
const dayRatio = mid(ratios);
console.log(
	`    against the hand-written loop of (a) on ${fmt(YARDSTICK_CONTACTS)} contacts, run beside each replication (cpu median ${mid(sorted(yardstickCpu.slice(WARMING))).toFixed(1)} ms): ` +
		`replications ${WARMING + 1}–${REPS} take ${dayRatio.toFixed(2)}× it (paired median; quartiles ${ratios[ratios.length >> 2]!.toFixed(2)}–${ratios[(3 * ratios.length) >> 2]!.toFixed(2)}); ` +
		`the issue's 25 ms where its engine took 42.5 ms is ${TARGET_RATIO.toFixed(2)}× (that engine: ${ISSUE_DAY_ENGINE_RATIO}×): ${verdict(dayRatio <= TARGET_RATIO)}`
);
