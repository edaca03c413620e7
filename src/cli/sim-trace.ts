/**
 * Trace mode of `npm run sim`: replays a recorded day with its own recorded or estimated staffing
 * and sets what the simulator made of it beside what the day recorded.
 *
 *   npm run sim -- --trace FILE [--format sightline|anonymous-bank] [--day YYYY-MM-DD]
 *                  [--replications N] [--seed S] [--workers W] [--json] [--emit-scenario OUT]
 *
 * `--json` prints the simulator's usual object plus `actual` (the same KPIs, by the same KPI
 * module, from the record), `staffing` (method and figures per interval), `patience` and
 * `calibration`. A bad file, a multi-day file without --day, an unknown day (the line lists the
 * days there are) or a day with no traffic: exit 2 with one line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { seedOf, summarise } from '../../sim/replicate';
import { calibrationMetrics } from '../../sim/replay/calibration';
import { loadTraceDay, TRACE_FORMATS, type TraceFormat } from '../../sim/replay/load';
import { prepareReplay } from '../../sim/replay/replay';
import { simulate, summaryJson } from './sim-run';
import { kpiTable } from './sim-table';

const USAGE = `usage: npm run sim -- --trace FILE [options]

Replays one recorded day (a Sightline JSONL events trace, or an Anonymous Bank call log) with its
own arrivals, handle times and priorities, Kaplan–Meier patience and its recorded or estimated
staffing, and sets the replay beside what the day recorded. A Sightline trace goes through the
Floor like a stored day and replays with its own agent groups when it records their profiles and
logins; reserve rules in force come from a comment line \`# reserve: {"team": {"queue": secs}}\`.

options:
      --format F         sightline | anonymous-bank (default: guessed from the file)
      --day YYYY-MM-DD   the day to replay (required when the file holds several)
      --time-zone TZ     whose midnight starts a day of a Sightline trace (default UTC)
      --own-pool Q[,Q]   queues served by their own pool of agents, estimated apart
                         (default: IN for the Anonymous Bank, none otherwise; '' for one pool)
  -r, --replications N   replications (default 20)
  -s, --seed S           base seed (default 1)
      --workers W        worker threads (default: one per core)
      --emit-scenario OUT  write the replay scenario as JSON to OUT and stop
      --json             one JSON object on stdout
  -h, --help             this text

exit codes: 0 done, 2 bad command line or trace (one line on stderr), 1 unexpected failure`;

/** Whether the command line asks for trace mode. */
export function isTraceMode(argv: readonly string[]): boolean {
	return argv.some((a) => a === '--trace' || a.startsWith('--trace='));
}

const quote = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

const READ_ERRORS: Readonly<Record<string, string>> = {
	ENOENT: 'no such file',
	EISDIR: 'is a folder, not a trace file',
	EACCES: 'permission denied'
};

function parse(argv: string[], fail: (m: string) => never) {
	try {
		return parseArgs({
			args: argv,
			allowPositionals: false,
			options: {
				trace: { type: 'string' },
				format: { type: 'string' },
				day: { type: 'string' },
				'time-zone': { type: 'string' },
				'own-pool': { type: 'string' },
				replications: { type: 'string', short: 'r' },
				seed: { type: 'string', short: 's' },
				workers: { type: 'string' },
				'emit-scenario': { type: 'string' },
				json: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (e) {
		return fail(`${(e as Error).message.split('\n')[0] ?? ''} (see --trace --help)`);
	}
}

function integer(name: string, value: string | undefined, min: number, fail: (m: string) => never): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > 0xffffffff) fail(`--${name} must be an integer ≥ ${min}, got ${quote(value)}`);
	return n;
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const secs = (x: number | null) => (x === null ? '–' : `${x.toFixed(0)} s`);

/** Runs trace mode; `fail` throws the CLI's usage error (exit 2, one line). */
export async function traceMain(argv: string[], fail: (message: string) => never): Promise<void> {
	const { values } = parse(argv, fail);
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const file = values.trace ?? fail('--trace needs a file');
	const format = values.format;
	if (format !== undefined && !(TRACE_FORMATS as readonly string[]).includes(format)) {
		fail(`--format must be one of ${TRACE_FORMATS.join(', ')}, got ${quote(format)}`);
	}
	const reps = integer('replications', values.replications, 1, fail) ?? 20;
	const workers = integer('workers', values.workers, 1, fail) ?? availableParallelism();
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? '';
		return fail(`${quote(file)}: ${READ_ERRORS[code] ?? `cannot read (${code || (e as Error).message})`}`);
	}
	const loaded = loadTraceDay(text, { format: format as TraceFormat | undefined, day: values.day, timeZone: values['time-zone'] });
	if (!loaded.ok) return fail(`${quote(file)}: ${loaded.message}`);
	// Absent: the format's default (the bank's internet calls); an empty value: one pool for all.
	const ownPools = values['own-pool']?.split(',').map((q) => q.trim()).filter(Boolean);
	const unknown = ownPools?.find((q) => !loaded.day.queues.some((x) => x.id === q));
	if (unknown !== undefined) fail(`--own-pool: no queue ${quote(unknown)} on ${loaded.day.date ?? 'that day'}; queues: ${loaded.day.queues.map((q) => q.id).join(', ')}`);
	const replay = prepareReplay(loaded, { ownPools });
	if (values['emit-scenario'] !== undefined) {
		writeFileSync(values['emit-scenario'], `${JSON.stringify(replay.scenario, null, 1)}\n`);
		process.stderr.write(`wrote the replay scenario of ${loaded.day.date ?? 'the day'} to ${values['emit-scenario']}\n`);
		return;
	}
	const seed = seedOf(replay.scenario, integer('seed', values.seed, 0, fail));
	const runs = await simulate(replay.scenario, null, seed, reps, workers);
	const summary = summarise(runs.base);
	const calibration = calibrationMetrics(replay.actual, summary);
	const staffing = Object.fromEntries(
		Object.entries(replay.staffing).map(([pool, s]) => [
			pool,
			{
				method: s.method,
				interval: s.interval,
				intervals: s.available.map((available, index) => ({ index, start: index * s.interval, available, seen: s.seen[index] ?? 0, waitingShare: s.waitingShare[index] ?? 0 }))
			}
		])
	);
	const main = staffing['*'];
	if (values.json) {
		const out = {
			...summaryJson(summary, seed),
			trace: { format: loaded.format, day: loaded.day.date, days: loaded.days.length },
			actual: replay.actual,
			staffing: { method: main?.method ?? '', interval: main?.interval ?? 900, intervals: main?.intervals ?? [], pools: staffing },
			patience: Object.fromEntries(Object.entries(replay.patience).map(([q, p]) => [q, { source: p.source, events: p.events, censored: p.censored, tailMass: p.tailMass, tailMean: p.tailMean }])),
			calibration
		};
		process.stdout.write(`${JSON.stringify(out)}\n`);
		return;
	}
	const busy = main?.intervals.filter((iv) => iv.seen > 0) ?? [];
	const sum = (f: (iv: (typeof busy)[number]) => number) => busy.reduce((s, iv) => s + f(iv), 0);
	const lines = [
		`${summary.name} (${loaded.format}) — ${reps} replication${reps > 1 ? 's' : ''}, seed ${seed} (means ± 95% CI half-width; times m:ss)`,
		kpiTable(summary),
		'',
		`recorded vs replayed: abandon rate ${pct(calibration.abandonRate.actual)} vs ${pct(calibration.abandonRate.replayed)}, ASA ${secs(calibration.asa.actual)} vs ${secs(calibration.asa.replayed)}; ${calibration.withinTarget ? 'within' : 'OUTSIDE'} the target (3 points, max(20%, 10 s))`,
		`per-interval fit (${calibration.intervalMae.intervals} intervals with ≥ 10 offered): abandon rate MAE ${pct(calibration.intervalMae.abandonRate)}, ASA MAE ${secs(calibration.intervalMae.asa)}`,
		`staffing: ${main?.method ?? ''}; ${(sum((iv) => iv.available) / Math.max(1, busy.length)).toFixed(1)} available on average over the ${busy.length} intervals with answers, against ${(sum((iv) => iv.seen) / Math.max(1, busy.length)).toFixed(1)} agents seen answering`
	];
	const groups = replay.scenario.agents;
	if (groups.length > 1) lines.push(`agent groups: ${groups.map((g) => `${g.group} ${g.count} (${Object.keys(g.skills).join(', ')}${g.reserve ? `; reserve ${Object.entries(g.reserve).map(([q, t]) => `${q} after ${t} s`).join(', ')}` : ''})`).join('; ')}`);
	process.stdout.write(`${lines.join('\n')}\n`);
}
