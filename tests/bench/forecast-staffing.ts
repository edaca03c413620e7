/**
 * Forecast-day staffing benchmark (`npm run bench:forecast [-- --date YYYY-MM-DD --interval 900]`):
 * forecasts a day after the August 1999 Anonymous Bank history, staffs it by Erlang C, Erlang A
 * and the simulation search, and prints per interval the staffing, the simulated service level
 * against the target, and how long the search took in Node worker threads against the same
 * search in this thread (the baseline of the same run; both must agree agent for agent).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runReplications } from '../../sim/replicate';
import type { RunResult } from '../../sim/results';
import { validateScenario, type Scenario } from '../../sim/scenario';
import { parseAnonymousBank } from '../../src/lib/domain/traces/anonymous-bank';
import { bankContacts } from '../../src/lib/forecast/bank';
import { clockOf } from '../../src/lib/forecast/calendar';
import { forecastSeries } from '../../src/lib/forecast/forecast';
import { seriesFromContacts } from '../../src/lib/forecast/series';
import { dayScenario, patienceFromHistory, searchStaffing, type StaffingQueue, type StaffingTarget } from '../../src/lib/forecast/staffing';
import { createPool, splitReps } from '../../workers/pool';
import { sharedData } from '../integration/helpers/shared-data';

const { values } = parseArgs({
	options: { date: { type: 'string', default: '2010-08-25' }, interval: { type: 'string', default: '900' }, reps: { type: 'string', default: '10' } }
});
const intervalSec = Number(values.interval);
const reps = Number(values.reps);

const parsed = parseAnonymousBank(readFileSync(sharedData('anonymous-bank-1999-08-01-to-24.csv'), 'utf8'));
const series = seriesFromContacts(bankContacts(parsed.calls), intervalSec);
const fc = forecastSeries(series, values.date, 1);
const day = fc.days[0];
if (!day) throw new Error('no forecast day');
// Patience per queue from the whole history: Kaplan–Meier (replay) for the simulation, the
// exponential estimate (time at risk / abandons) for Erlang A.
const queues: StaffingQueue[] = fc.queues.map((q) => {
	const samples = parsed.calls.filter((c) => c.offered && c.queue === q.id && c.wait !== null).map((c) => ({ time: c.wait ?? 0, event: c.abandoned }));
	return { id: q.id, channel: q.channel, ...patienceFromHistory(samples) };
});
const target: StaffingTarget = { threshold: 20, target: 0.8, shortAbandon: 5, formula: 'abandons-count-against' };

const valid = (s: Scenario) => {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors).slice(0, 300));
	return v.scenario;
};
const inThread = async (s: Scenario, seed: number, n: number) => runReplications(valid(s), seed, n);

const pool = createPool(2);
const inPool = async (s: Scenario, seed: number, n: number): Promise<RunResult[]> => {
	const parts = await Promise.all(splitReps(n, pool.size).map((r) => pool.run({ kind: 'replications', scenario: s, seed, reps: r })));
	return parts.flatMap((p) => (p.kind === 'replications' ? [...p.runs] : []));
};

try {
	// Workers start (and load the simulator through tsx) before the clock runs.
	const warm = performance.now();
	await inPool(dayScenario(day, intervalSec, queues, target, day.intervals.map(() => 1)), 1, pool.size);
	const warmMs = performance.now() - warm;
	let t0 = performance.now();
	const pooled = await searchStaffing(day, intervalSec, queues, target, { simulate: inPool, replications: reps });
	const poolMs = performance.now() - t0;
	t0 = performance.now();
	const local = await searchStaffing(day, intervalSec, queues, target, { simulate: inThread, replications: reps });
	const localMs = performance.now() - t0;
	const same = pooled.intervals.every((iv, i) => iv.agents === local.intervals[i]?.agents);

	// What Erlang A's staffing gives in the simulation (what the formulas miss).
	const erlangA = pooled.intervals.map((iv) => (iv.offered > 0 ? Math.max(1, iv.erlangA) : 0));
	const atA = await inPool(dayScenario(day, intervalSec, queues, target, erlangA), 1, reps);
	const slAtA = pooled.intervals.map((_, i) => {
		let within = 0;
		let den = 0;
		for (const r of atA) {
			const c = r.total.intervals[i];
			if (!c) continue;
			within += c.answeredWithinT;
			den += c.answered + c.abandoned - c.shortAbandoned;
		}
		return den > 0 ? within / den : null;
	});

	// The queue of the interval with the lowest 95 % bound among those judged on it (≥ 5 expected).
	const worstQueue = (iv: (typeof pooled.intervals)[number]) => {
		const judged = Object.entries(iv.queues).filter(([, c]) => c.offered >= 5 && c.slLow !== null);
		judged.sort((x, y) => (x[1].slLow ?? 0) - (y[1].slLow ?? 0));
		const w = judged[0];
		return w ? `${w[0]} ${pct(w[1].slLow).trim()}` : '-';
	};
	const pct = (v: number | null) => (v === null ? '   -' : `${(v * 100).toFixed(1)}`.padStart(5));
	console.log(`Forecast day ${day.date} (${day.weekday}) of the Anonymous Bank, history ${fc.history.from}..${fc.history.to}: ${day.offered.toFixed(0)} offered expected (80%: ${day.low.toFixed(0)}-${day.high.toFixed(0)})`);
	console.log(`Target ${target.target * 100}% answered within ${target.threshold} s (${target.formula}); patience (exponential estimate, s): ${queues.map((q) => `${q.id} ${q.patienceMean.toFixed(0)}`).join(', ')}`);
	console.log('');
	console.log('start  offered  AHT  ErlC  ErlA  A/queue  search  SL@A   SL    SL95low  worst queue (SL95low)  met');
	for (const [i, iv] of pooled.intervals.entries()) {
		if (iv.offered < 0.5) continue;
		console.log(
			`${clockOf(iv.start)}  ${iv.offered.toFixed(1).padStart(7)}  ${(iv.aht ?? 0).toFixed(0).padStart(3)}  ${String(iv.erlangC).padStart(4)}  ${String(iv.erlangA).padStart(4)}  ${String(iv.erlangAByQueue).padStart(7)}  ${String(iv.agents).padStart(6)}  ${pct(slAtA[i] ?? null)}  ${pct(iv.sl)}  ${pct(iv.slLow).padStart(7)}  ${worstQueue(iv).padEnd(21)}  ${iv.met ? 'yes' : 'NO'}`
		);
	}
	const met = pooled.intervals.filter((iv) => iv.offered >= 0.5 && iv.met).length;
	const judged = pooled.intervals.filter((iv) => iv.offered >= 0.5).length;
	console.log('');
	console.log(`agent-hours: Erlang C ${pooled.agentHours.erlangC}, Erlang A ${pooled.agentHours.erlangA}, simulation search ${pooled.agentHours.search}`);
	console.log(`intervals meeting the target: ${met}/${judged}; rounds ${pooled.rounds} × ${reps} replications`);
	console.log(`search time: ${(poolMs / 1000).toFixed(2)} s in ${pool.size} Node workers, ${(localMs / 1000).toFixed(2)} s in this thread (baseline); same staffing: ${same ? 'yes' : 'NO'}; worker start-up ${(warmMs / 1000).toFixed(2)} s, not counted`);
	console.log(pooled.method.join('\n'));
} finally {
	await pool.close();
}
