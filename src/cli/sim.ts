/**
 * The simulator's command line (`npm run sim`); see USAGE below for the contract.
 *
 * Runs R replications (in parallel worker threads when R > 1) and prints the mean and 95 %
 * interval of every KPI per queue, channel and in total; with --compare, also the paired
 * difference (scenario − baseline) on common random numbers. Exit code 0 on success, 2 and one
 * line on stderr for a bad command line or scenario, 1 for anything unexpected.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { compareResults, seedOf, summarise } from '../../sim/replicate';
import { formatErrors, parseScenario, type Scenario } from '../../sim/scenario';
import { simulate, summaryJson } from './sim-run';
import { kpiTable, sideLabels } from './sim-table';
import { isTraceMode, traceMain } from './sim-trace';

const USAGE = `usage: npm run sim -- <scenario.json> [options]

Runs a scenario (format: sim/README.md) and prints every KPI per queue, channel and in total as
the mean over replications ± the half-width of its 95% interval. Times are m:ss.

options:
  -r, --replications N   replications to run (default 10)
  -s, --seed S           base seed (default: the scenario's "seed", else 1)
  -c, --compare FILE     also run FILE as the scenario against this baseline, on common random
                         numbers, and print the paired difference (scenario − baseline);
                         rates differ in percentage points (pp)
      --workers W        worker threads (default: one per core)
      --json             one JSON object on stdout instead of tables
  -h, --help             this text

exit codes: 0 done, 2 bad command line or scenario (one line on stderr), 1 unexpected failure`;

class UsageError extends Error {}

/** A user-given string in an error line: quoted, escaped and cut short. */
function quote(s: string): string {
	return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
}

/** What a failed read means to a user, for the error codes a mistyped path gives. */
const READ_ERRORS: Readonly<Record<string, string>> = {
	ENOENT: 'no such file',
	ENOTDIR: 'no such file (a part of the path is not a folder)',
	EISDIR: 'is a folder, not a scenario file',
	EACCES: 'permission denied',
	EPERM: 'permission denied'
};

function load(file: string): Scenario {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? '';
		throw new UsageError(`${quote(file)}: ${READ_ERRORS[code] ?? `cannot read (${code || (e as Error).message})`}`);
	}
	const v = parseScenario(text);
	if (!v.ok) throw new UsageError(`${quote(file)}: ${formatErrors(v.errors)}`);
	return v.scenario;
}

function integer(name: string, value: string | undefined, min: number): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > 0xffffffff) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${quote(value)}`);
	return n;
}

function options(argv: string[]) {
	try {
		return parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				replications: { type: 'string', short: 'r' },
				seed: { type: 'string', short: 's' },
				compare: { type: 'string', short: 'c' },
				workers: { type: 'string' },
				json: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (e) {
		throw new UsageError(`${(e as Error).message} (see --help)`);
	}
}

async function main(argv: string[]): Promise<void> {
	// Replaying a recorded day has its own options (src/cli/sim-trace.ts).
	if (isTraceMode(argv)) {
		return traceMain(argv, (message) => {
			throw new UsageError(message);
		});
	}
	const { values, positionals } = options(argv);
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const file = positionals[0];
	if (file === undefined || positionals.length !== 1) {
		throw new UsageError('usage: npm run sim -- <scenario.json> [--replications N] [--seed S] [--compare other.json] [--json] (see --help)');
	}
	const base = load(file);
	const alt = values.compare !== undefined ? load(values.compare) : null;
	const reps = integer('replications', values.replications, 1) ?? 10;
	const seed = seedOf(base, integer('seed', values.seed, 0));
	const workers = integer('workers', values.workers, 1) ?? availableParallelism();

	const started = performance.now();
	const runs = await simulate(base, alt, seed, reps, workers);
	const seconds = (performance.now() - started) / 1000;
	const summary = summarise(runs.base);
	const compare = alt ? { scenario: summarise(runs.alt), diff: compareResults(runs.base, runs.alt) } : null;

	if (values.json) {
		const out = {
			...summaryJson(summary, seed),
			...(compare
				? {
						compare: {
							name: compare.scenario.name,
							contacts: compare.scenario.contacts,
							total: compare.scenario.total,
							queues: compare.scenario.queues,
							channels: compare.scenario.channels,
							diff: compare.diff
						}
					}
				: {})
		};
		process.stdout.write(`${JSON.stringify(out)}\n`);
		return;
	}
	const runsText = `${reps} replication${reps > 1 ? 's' : ''}, seed ${seed}`;
	const timing = `${summary.contacts + (compare?.scenario.contacts ?? 0)} contacts in ${seconds.toFixed(2)} s`;
	const note = 'means ± 95% CI half-width; times m:ss';
	if (!compare || values.compare === undefined) {
		process.stdout.write(`${summary.name || file} — ${runsText}, ${timing} (${note})\n${kpiTable(summary)}\n`);
		return;
	}
	const [b, s] = sideLabels({ name: summary.name, file }, { name: compare.scenario.name, file: values.compare });
	const lines = [
		`${runsText}, ${timing} (${note})`,
		'',
		`baseline: ${b}`,
		kpiTable(summary),
		'',
		`scenario: ${s}`,
		kpiTable(compare.scenario),
		'',
		`difference: scenario − baseline (${s} − ${b}), paired on common random numbers; rates in percentage points`,
		kpiTable(compare.diff, true)
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
	if (e instanceof UsageError) {
		process.stderr.write(`error: ${e.message}\n`);
		process.exit(2);
	}
	process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
	process.exit(1);
});
