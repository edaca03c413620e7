/**
 * npm run bench:calibration — replays every day of the 24-day Anonymous Bank file with its own
 * arrivals, handle times and priorities, Kaplan–Meier patience and estimated effective staffing,
 * and sets the mean of R replications (default 20) against what the day recorded: abandon rate
 * and ASA with their spread over replications, and the per-interval fit (MAE of the interval
 * abandon rate and ASA over intervals with ≥ 10 offered). Working days (offered ≥ 800) are judged
 * against the target: within 3 points of abandonment and max(20 %, 10 s) of ASA. As a baseline in
 * the same run, each day is also replayed (fewer replications) on the naive staffing, the agents
 * seen answering per interval, to show what the estimate buys.
 *
 * Options: --replications N, --baseline-replications N (0 to skip), --workers W, --credit S (queue
 * credit per priority level, default 90), --own-pool Q[,Q] (default IN; '' for one pool), --step S
 * (seconds the staffing estimate is averaged over, default 900; 0: as estimated), --day YYYY-MM-DD
 * (repeatable).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAnonymousBank } from '../../src/lib/domain/traces/anonymous-bank';
import { scopeKpis, type RunResult } from '../../sim/results';
import { summarise } from '../../sim/replicate';
import { actualKpis } from '../../sim/replay/actual';
import { asaBand, calibrationMetrics, ABANDON_BAND } from '../../sim/replay/calibration';
import { bankDay } from '../../sim/replay/day';
import { BANK_OWN_POOLS, BANK_PRIORITY_CREDIT, dayScenario } from '../../sim/replay/scenario';
import type { Scenario } from '../../sim/scenario';
import { createPool, splitReps, type SimPool } from '../../workers/pool';
import { sharedDataPath } from '../shared-data';

const { values } = parseArgs({
	options: {
		replications: { type: 'string', default: '20' },
		'baseline-replications': { type: 'string', default: '5' },
		workers: { type: 'string', default: '2' },
		credit: { type: 'string', default: String(BANK_PRIORITY_CREDIT) },
		'own-pool': { type: 'string', default: BANK_OWN_POOLS.join(',') },
		day: { type: 'string', multiple: true },
		step: { type: 'string', default: '900' }

	}
});
const R = Number(values.replications);
const RB = Number(values['baseline-replications']);
const W = Number(values.workers);
const credit = Number(values.credit);
const ownPools = (values['own-pool'] ?? '').split(',').filter(Boolean);
const WORKING = 800;

async function replicate(pool: SimPool, scenario: Scenario, reps: number): Promise<RunResult[]> {
	if (reps === 0) return [];
	const parts = splitReps(reps, Math.min(pool.size, reps));
	const done = await Promise.all(parts.map((p) => pool.run({ kind: 'replications', scenario, seed: 1, reps: p })));
	return done.flatMap((d) => (d.kind === 'replications' ? d.runs : []));
}

const sd = (xs: number[]) => {
	const m = xs.reduce((a, b) => a + b, 0) / xs.length;
	return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
};
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '    –' : (100 * x).toFixed(1).padStart(5));
const num = (x: number | null | undefined, w = 5) => (x === null || x === undefined ? '–'.padStart(w) : x.toFixed(0).padStart(w));

async function main() {
	const started = performance.now();
	const text = readFileSync(sharedDataPath('anonymous-bank-1999-08-01-to-24.csv'), 'utf8');
	const parsed = parseAnonymousBank(text);
	if (parsed.errors.length) throw new Error(`the August file has bad rows: ${parsed.errors[0]?.message}`);
	const dates = values.day?.length ? values.day : parsed.dates;
	const pool = createPool(W);
	const rows: string[] = [];
	let working = 0;
	let within = 0;
	const absAb: number[] = [];
	const relAsa: number[] = [];
	const naiveAb: number[] = [];
	try {
		// Every day's jobs are queued at once so both workers stay busy; results are read in order.
		const jobs = dates.map((date) => {
			const day = bankDay(parsed.calls, date);
			const built = dayScenario(day, { name: `replay ${date}`, priorityCredit: credit, ownPools, staffingStep: Number(values.step) });
			const main = built.staffing['*'];
			const naive = main
				? dayScenario(day, { priorityCredit: credit, staffing: { '*': { ...main, method: 'agents seen answering', available: main.seen } } })
				: null;
			return {
				date,
				day,
				built,
				runs: replicate(pool, built.scenario, R),
				naiveRuns: naive && RB > 0 ? replicate(pool, naive.scenario, RB) : Promise.resolve([])
			};
		});
		for (const job of jobs) {
			const { date, day, built } = job;
			const runs = await job.runs;
			const naiveRuns = await job.naiveRuns;
			const actual = actualKpis(day, built.scenario);
			const summary = summarise(runs);
			const m = calibrationMetrics(actual, summary);
			const abs = runs.map((r) => scopeKpis(r.total).abandonRate ?? 0);
			const asas = runs.map((r) => scopeKpis(r.total).asa ?? 0);
			const offered = actual.total.offered;
			const isWorking = offered >= WORKING;
			const weekday = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
			const aAb = m.abandonRate.actual ?? 0;
			const aAsa = m.asa.actual ?? 0;
			const dAb = (m.abandonRate.replayed ?? 0) - aAb;
			const dAsa = (m.asa.replayed ?? 0) - aAsa;
			const naive = naiveRuns.length ? summarise(naiveRuns).total.abandonRate : null;
			if (isWorking) {
				working++;
				if (m.withinTarget) within++;
				absAb.push(Math.abs(dAb));
				relAsa.push(aAsa > 0 ? dAsa / aAsa : 0);
				if (naive !== null) naiveAb.push(naive - aAb);
			}
			const verdict = !isWorking ? '  —' : m.withinTarget ? ' ok' : `MISS${Math.abs(dAb) > ABANDON_BAND ? ' ab' : ''}${Math.abs(dAsa) > asaBand(aAsa) ? ' asa' : ''}`;
			rows.push(
				[
					date,
					weekday,
					String(offered).padStart(5),
					pct(aAb),
					`${pct(m.abandonRate.replayed)} ±${(100 * sd(abs)).toFixed(1).padStart(3)}`,
					`${dAb >= 0 ? '+' : ''}${(100 * dAb).toFixed(1)}`.padStart(5),
					num(aAsa),
					`${num(m.asa.replayed)} ±${sd(asas).toFixed(0).padStart(3)}`,
					`${aAsa > 0 ? `${dAsa >= 0 ? '+' : ''}${((100 * dAsa) / aAsa).toFixed(0)}%` : '–'}`.padStart(5),
					pct(m.intervalMae.abandonRate),
					num(m.intervalMae.asa, 4),
					pct(naive),
					verdict
				].join('  ')
			);
		}
	} finally {
		await pool.close();
	}
	const head = ['date      ', 'day', 'offrd', 'ab% ', 'replay ab% ±sd', '  Δpp', ' ASA ', 'replay ASA ±sd', ' ΔASA', 'MAE ab', 'MAE s', 'naive ab', 'target'].join('  ');
	const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
	const seconds = (performance.now() - started) / 1000;
	process.stdout.write(
		[
			`Calibration: Anonymous Bank, 1999-08-01..24 (dated 2010 in the file); ${R} replications per day (mean ± sd over replications), priority credit ${credit} s/level${ownPools.length ? `, own pools: ${ownPools.join(',')}` : ''}; staffing: effective availability ${Number(values.step) ? `averaged per ${Number(values.step)} s` : 'as estimated, step by step'}, replayed as staffing steps; naive = staffing by agents seen answering (${RB} replications)`,
			`target (working days, offered ≥ ${WORKING}): |Δ abandon| ≤ 3 pp and |Δ ASA| ≤ max(20%, 10 s); MAE over intervals with ≥ 10 offered`,
			'',
			head,
			...rows,
			'',
			`working days within target: ${within} of ${working}; mean |Δ abandon| ${(100 * mean(absAb)).toFixed(1)} pp; mean Δ ASA ${(100 * mean(relAsa)).toFixed(0)}%; naive staffing: mean Δ abandon ${(100 * mean(naiveAb)).toFixed(1)} pp`,
			`${seconds.toFixed(0)} s on ${W} worker${W > 1 ? 's' : ''}`
		].join('\n') + '\n'
	);
}

main().catch((e: unknown) => {
	process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
	process.exit(1);
});
