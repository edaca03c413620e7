import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isTimeZone } from '../server/floor-config';
import {
	IMPORT_FORMATS,
	ImportError,
	importConfig,
	importConfigFrom,
	importText,
	prepareImport,
	type ImportedDay,
	type ImportFormat,
	type ImportResult,
	type PreparedImport
} from '../server/history/import';
import { SERVER_DEFAULTS } from '../server/defaults';
import { ClusterImporter } from '../server/nats/cluster';
import { Store } from '../server/store';
import { formatTraceErrors } from '../lib/domain/traces/trace-error';
import { dayKey, dayStart } from '../lib/domain/time';

/**
 * `npm run import -- FILE [--format anonymous-bank|sightline] [--date YYYY-MM-DD] [--data DIR |
 *  --nats URL] [--time-zone ZONE]`: loads past traffic into the store as days of source `import`;
 * with `--nats`, into the store of every instance of the cluster, through its log.
 * Exit codes: 0 imported (bad rows, if any, listed and skipped), 2 bad usage or nothing importable,
 * 3 NATS unreachable or did not store the import (nothing applied anywhere).
 */

const USAGE = `usage: npm run import -- FILE [options]
  FILE                  an Anonymous Bank call log (.csv, with or without a date column)
                        or a Sightline JSONL events trace (.jsonl)
  --format F            anonymous-bank | sightline (default: by the file's extension)
  --date YYYY-MM-DD     the date of an undated call log (default 2010-08-01, the one-day file's
                        day); for a dated log, import only that day
  --data DIR            data directory (default ${SERVER_DEFAULTS.dataDir})
  --nats URL            instead of one data directory: publish to the cluster log on this NATS
                        (nats://host:port), so every instance of the cluster (npm start -- ingest
                        --nats URL) writes the days into its store, now or when it next starts
  --time-zone ZONE      the center's IANA zone the file's clock times are in (default: the
                        store's, or with --nats the cluster's, configured zone, else UTC)
Importing a day again, from this file or another, replaces it.`;

class UsageError extends Error {}

/** Where the command writes: stdout/stderr, or a test's sink. */
type Output = NodeJS.WritableStream & { isTTY?: boolean };

const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
	let store: Store | null = null;
	let cluster: ClusterImporter | null = null;
	try {
		const { values, positionals } = parseArgs({
			args: [...argv],
			allowPositionals: true,
			options: {
				format: { type: 'string' },
				date: { type: 'string' },
				data: { type: 'string' },
				nats: { type: 'string' },
				'time-zone': { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
		if (values.help) {
			out.write(`${USAGE}\n`);
			return 0;
		}
		const file = positionals[0];
		if (!file || positionals.length > 1) throw new UsageError(positionals.length > 1 ? 'one FILE at a time' : 'FILE is required');
		const format = (values.format ?? (/\.jsonl?$/i.test(extname(file)) ? 'sightline' : 'anonymous-bank')) as ImportFormat;
		if (!IMPORT_FORMATS.includes(format)) throw new UsageError(`--format must be ${IMPORT_FORMATS.join(' or ')}, got ${shown(String(values.format))}`);
		if (values.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || Number.isNaN(Date.parse(`${values.date}T00:00:00Z`))))
			throw new UsageError(`--date must be YYYY-MM-DD, got ${shown(values.date)}`);
		const nats = values.nats;
		if (nats !== undefined && values.data !== undefined) throw new UsageError('--nats writes every instance\'s store and --data one data directory: give one of them');
		if (nats !== undefined && !/^(nats|tls|wss?):\/\/[^\s]+$/.test(nats)) throw new UsageError(`--nats must be a URL like nats://127.0.0.1:4222, got ${shown(nats)}`);
		const zone = values['time-zone'];
		if (zone !== undefined && !isTimeZone(zone)) throw new UsageError(`--time-zone must be an IANA zone such as Asia/Jerusalem, got ${shown(zone)}`);
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (e) {
			throw new UsageError(`cannot read ${shown(file)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
		}
		const options = { format, ...(values.date ? { date: values.date } : {}) };
		if (nats !== undefined) {
			try {
				cluster = await ClusterImporter.open(nats);
			} catch (e) {
				err.write(`import: ${(e as Error).message}\n`);
				return 3;
			}
			const base = importConfigFrom(await cluster.floorConfig());
			const config = zone ? { ...base, timeZone: zone } : base;
			const t0 = performance.now();
			const prepared = prepareImport(text, { ...options, config });
			try {
				await cluster.publish(prepared, `${basename(file).slice(0, 200)} (${format})`, `${userInfo().username}@${hostname()} (npm run import)`);
			} catch (e) {
				err.write(`import: ${(e as Error).message}\n`);
				return 3;
			}
			reportPublished(prepared, (performance.now() - t0) / 1000, config.timeZone, nats, out, err);
			return 0;
		}
		store = new Store(resolve(values.data ?? SERVER_DEFAULTS.dataDir));
		const base = importConfig(store);
		const config = zone ? { ...base, timeZone: zone } : base;
		const bar = progressBar(err);
		const t0 = performance.now();
		const r = importText(store, text, { ...options, config, onProgress: bar.update });
		bar.done();
		report(r, (performance.now() - t0) / 1000, config.timeZone, out, err);
		return 0;
	} catch (e) {
		if (e instanceof UsageError || e instanceof ImportError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
			err.write(`import: ${(e as Error).message}\n`);
			if (e instanceof UsageError) err.write(`${USAGE}\n`);
			return 2;
		}
		throw e;
	} finally {
		store?.close();
		await cluster?.close();
	}
}

function report(r: ImportResult, seconds: number, timeZone: string, out: Output, err: Output): void {
	reportDays(r.errors, r.days, timeZone, out, err);
	const rate = seconds > 0 ? Math.round(r.records / seconds) : r.records;
	out.write(`imported ${r.records} records (${r.events} events, ${r.anomalies} anomalies) into ${r.days.length} day(s) in ${seconds.toFixed(1)} s (${rate} records/s)\n`);
}

function reportDays(errors: ImportResult['errors'], days: readonly ImportedDay[], timeZone: string, out: Output, err: Output): void {
	if (errors.length) err.write(`${errors.length} bad row(s) skipped:\n${formatTraceErrors(errors, 20)}\n`);
	out.write(`date        offered  answered  abandoned   (${timeZone})\n`);
	for (const d of days) out.write(`${d.date}  ${pad(d.offered, 7)}  ${pad(d.answered, 8)}  ${pad(d.abandoned, 9)}\n`);
}

/** What was published: the contacts offered per day (the instances' Floors count answered and abandoned). */
function reportPublished(p: PreparedImport, seconds: number, timeZone: string, url: string, out: Output, err: Output): void {
	out.write(`date        offered   (${timeZone})\n`);
	const offered = new Map<string, number>(p.dates.map((d) => [d, 0]));
	for (const e of p.events) {
		if (e.type !== 'contact.queued') continue;
		const d = dayKey(dayStart(e.ts, timeZone, p.config.resetTime), timeZone);
		offered.set(d, (offered.get(d) ?? 0) + 1);
	}
	if (p.errors.length) err.write(`${p.errors.length} bad row(s) skipped:\n${formatTraceErrors(p.errors, 20)}\n`);
	for (const [d, n] of offered) out.write(`${d}  ${pad(n, 7)}\n`);
	out.write(`published ${p.records} records (${p.events.length} events) for ${p.dates.length} day(s) to the cluster log at ${url} in ${seconds.toFixed(1)} s; every instance replaces these days of source import\n`);
}

const pad = (n: number, w: number) => String(n).padStart(w);

/** A progress bar on a terminal; nothing when stderr is a pipe or a file. */
function progressBar(stream: Output) {
	let last = -1;
	return {
		update: (done: number, total: number) => {
			if (!stream.isTTY || total === 0) return;
			const pct = Math.floor((done / total) * 100);
			if (pct === last) return;
			last = pct;
			const width = 30;
			const filled = Math.round((pct / 100) * width);
			stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${done}/${total} events`);
		},
		done: () => {
			if (stream.isTTY && last >= 0) stream.write('\n');
		}
	};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main(process.argv.slice(2));
