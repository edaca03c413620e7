/**
 * Command line: `npm run sim -- <scenario.json> [--replications N] [--seed S] [--compare other.json] [--json]`.
 *
 * Runs R replications (in parallel worker threads when R > 1) and prints the mean and 95 %
 * interval of every KPI per queue, channel and in total; with --compare, also the paired
 * difference (other − scenario) on common random numbers. Exit code 2 and one line on stderr for
 * a bad command line or scenario. This and workers/pool.ts are the only files of the simulator
 * that touch Node.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { createPool, splitReps } from '../workers/pool';
import { compareResults, runReplication, seedOf, summarise, type KpiSummary, type Summary } from './replicate';
import type { RunResult } from './results';
import { formatErrors, parseScenario, type Scenario } from './scenario';

class UsageError extends Error {}

function load(file: string): Scenario {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
	}
	const v = parseScenario(text);
	if (!v.ok) throw new UsageError(`${file}: ${formatErrors(v.errors)}`);
	return v.scenario;
}

function positiveInt(name: string, value: string | undefined, min: number): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > 0xffffffff) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
	return n;
}

async function simulate(base: Scenario, alt: Scenario | null, seed: number, reps: number, workers: number) {
	if (workers <= 1 || reps <= 1) {
		const b: RunResult[] = [];
		const a: RunResult[] = [];
		for (let r = 0; r < reps; r++) {
			b.push(runReplication(base, seed, r));
			if (alt) a.push(runReplication(alt, seed, r));
		}
		return { base: b, alt: a };
	}
	const parts = splitReps(reps, Math.min(workers, reps));
	const pool = createPool(parts.length);
	try {
		const done = await Promise.all(
			parts.map((p) =>
				pool.run(alt ? { kind: 'compare', base, alt, seed, reps: p } : { kind: 'replications', scenario: base, seed, reps: p })
			)
		);
		// Put replications back in index order, so the output does not depend on the pool size.
		const order = parts.flat();
		const sorted = (runs: RunResult[]) => order.map((r, i) => ({ r, run: runs[i]! })).sort((x, y) => x.r - y.r).map((x) => x.run);
		const b = done.flatMap((d) => (d.kind === 'compare' ? d.base : d.kind === 'replications' ? d.runs : []));
		const a = done.flatMap((d) => (d.kind === 'compare' ? d.alt : []));
		return { base: sorted(b), alt: alt ? sorted(a) : [] };
	} finally {
		await pool.close();
	}
}

const COLUMNS: [string, keyof Omit<KpiSummary, 'ci95'>, (x: number) => string][] = [
	['offered', 'offered', (x) => x.toFixed(1)],
	['answered', 'answered', (x) => x.toFixed(1)],
	['abandoned', 'abandoned', (x) => x.toFixed(1)],
	['SL', 'serviceLevel', (x) => `${(x * 100).toFixed(1)}%`],
	['ASA s', 'asa', (x) => x.toFixed(1)],
	['AHT s', 'aht', (x) => x.toFixed(1)],
	['aband.', 'abandonRate', (x) => `${(x * 100).toFixed(1)}%`],
	['occup.', 'occupancy', (x) => `${(x * 100).toFixed(1)}%`]
];

function cell(k: KpiSummary, key: keyof Omit<KpiSummary, 'ci95'>, fmt: (x: number) => string): string {
	const v = k[key];
	if (v === null) return '—';
	const ci = k.ci95[key];
	if (!ci) return fmt(v);
	const half = (ci[1] - ci[0]) / 2;
	return `${fmt(v)} ±${fmt(half).replace('%', '')}`;
}

function table(rows: [string, KpiSummary][]): string {
	const head = ['scope', ...COLUMNS.map((c) => c[0])];
	const body = rows.map(([name, k]) => [name, ...COLUMNS.map(([, key, fmt]) => cell(k, key, fmt))]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
	const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
	return [line(head), ...body.map(line)].join('\n');
}

function scopes(s: Pick<Summary, 'total' | 'queues' | 'channels'>): [string, KpiSummary][] {
	return [
		...Object.entries(s.queues).map(([id, k]) => [`queue ${id}`, k] as [string, KpiSummary]),
		...Object.entries(s.channels).map(([ch, k]) => [`channel ${ch}`, k!] as [string, KpiSummary]),
		['total', s.total]
	];
}

async function main(argv: string[]): Promise<void> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				replications: { type: 'string', short: 'r' },
				seed: { type: 'string', short: 's' },
				compare: { type: 'string', short: 'c' },
				workers: { type: 'string' },
				json: { type: 'boolean' }
			}
		});
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const { values, positionals } = parsed;
	if (positionals.length !== 1) {
		throw new UsageError('usage: sim <scenario.json> [--replications N] [--seed S] [--compare other.json] [--json]');
	}
	const base = load(positionals[0]!);
	const alt = values.compare ? load(values.compare) : null;
	const reps = positiveInt('replications', values.replications, 1) ?? 10;
	const seed = seedOf(base, positiveInt('seed', values.seed, 0));
	const workers = positiveInt('workers', values.workers, 1) ?? availableParallelism();

	const started = performance.now();
	const runs = await simulate(base, alt, seed, reps, workers);
	const seconds = (performance.now() - started) / 1000;
	const summary = summarise(runs.base);
	const compare = alt ? { scenario: summarise(runs.alt), diff: compareResults(runs.base, runs.alt) } : null;

	if (values.json) {
		const out = {
			name: summary.name,
			seed,
			replications: summary.replications,
			contacts: summary.contacts,
			total: summary.total,
			queues: summary.queues,
			channels: summary.channels,
			intervals: summary.intervals,
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
	const lines = [
		`${summary.name || positionals[0]} — ${reps} replication${reps > 1 ? 's' : ''}, seed ${seed}, ${summary.contacts} contacts in ${seconds.toFixed(2)} s (means ± 95% CI half-width)`,
		table(scopes(summary))
	];
	if (compare) {
		lines.push('', `${compare.scenario.name || values.compare}`, table(scopes(compare.scenario)));
		lines.push('', `difference (${compare.scenario.name || values.compare} − ${summary.name || positionals[0]}), paired on common random numbers`, table(scopes(compare.diff)));
	}
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
