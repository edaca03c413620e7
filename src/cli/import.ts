import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isTimeZone } from '../server/floor-config';
import { IMPORT_FORMATS, ImportError, importConfig, importText, type ImportFormat, type ImportResult } from '../server/history/import';
import { SERVER_DEFAULTS } from '../server/defaults';
import { Store } from '../server/store';
import { formatTraceErrors } from '../lib/domain/traces/trace-error';

/**
 * `npm run import -- FILE [--format anonymous-bank|sightline] [--date YYYY-MM-DD] [--data DIR]
 *  [--time-zone ZONE]`: loads past traffic into the store as days of source `import`.
 * Exit codes: 0 imported (bad rows, if any, listed and skipped), 2 bad usage or nothing importable.
 */

const USAGE = `usage: npm run import -- FILE [options]
  FILE                  an Anonymous Bank call log (.csv, with or without a date column)
                        or a Sightline JSONL events trace (.jsonl)
  --format F            anonymous-bank | sightline (default: by the file's extension)
  --date YYYY-MM-DD     the date of an undated call log (default 2010-08-01, the one-day file's
                        day); for a dated log, import only that day
  --data DIR            data directory (default ${SERVER_DEFAULTS.dataDir})
  --time-zone ZONE      the center's IANA zone the file's clock times are in (default: the
                        store's configured zone, else UTC)
Importing a day again, from this file or another, replaces it.`;

class UsageError extends Error {}

/** Where the command writes: stdout/stderr, or a test's sink. */
type Output = NodeJS.WritableStream & { isTTY?: boolean };

const shown = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);

/** Runs the command line; returns the exit code. */
export function main(argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): number {
	let store: Store | null = null;
	try {
		const { values, positionals } = parseArgs({
			args: [...argv],
			allowPositionals: true,
			options: {
				format: { type: 'string' },
				date: { type: 'string' },
				data: { type: 'string' },
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
		const zone = values['time-zone'];
		if (zone !== undefined && !isTimeZone(zone)) throw new UsageError(`--time-zone must be an IANA zone such as Asia/Jerusalem, got ${shown(zone)}`);
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (e) {
			throw new UsageError(`cannot read ${shown(file)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
		}
		store = new Store(resolve(values.data ?? SERVER_DEFAULTS.dataDir));
		const base = importConfig(store);
		const config = zone ? { ...base, timeZone: zone } : base;
		const bar = progressBar(err);
		const t0 = performance.now();
		const r = importText(store, text, { format, ...(values.date ? { date: values.date } : {}), config, onProgress: bar.update });
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
	}
}

function report(r: ImportResult, seconds: number, timeZone: string, out: Output, err: Output): void {
	if (r.errors.length) {
		err.write(`${r.errors.length} bad row(s) skipped:\n${formatTraceErrors(r.errors, 20)}\n`);
	}
	out.write(`date        offered  answered  abandoned   (${timeZone})\n`);
	for (const d of r.days) out.write(`${d.date}  ${pad(d.offered, 7)}  ${pad(d.answered, 8)}  ${pad(d.abandoned, 9)}\n`);
	const rate = seconds > 0 ? Math.round(r.records / seconds) : r.records;
	out.write(`imported ${r.records} records (${r.events} events, ${r.anomalies} anomalies) into ${r.days.length} day(s) in ${seconds.toFixed(1)} s (${rate} records/s)\n`);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
