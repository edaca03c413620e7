import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAnonymousBank } from '../lib/domain/traces/anonymous-bank';
import { bankContacts } from '../lib/forecast/bank';
import { backtest, type Backtest } from '../lib/forecast/backtest';
import { dateOf, dayNumber } from '../lib/forecast/calendar';
import { ForecastError, forecastSeries } from '../lib/forecast/forecast';
import { rowsFromHistoryDays } from '../lib/forecast/history-days';
import { overrideError, type Override } from '../lib/forecast/overrides';
import { HistoryError, lastDay, seriesFromContacts, seriesFromRows, type Series } from '../lib/forecast/series';
import { forecastJson, type ForecastJson } from '../lib/forecast/wire';
import { DEFAULT_FLOOR_CONFIG, type FloorConfig } from '../lib/domain/floor';
import { HttpError } from '../server/http-router';
import { ReportService } from '../server/reports/report-service';
import { forecastFromStore, parseRequest } from '../server/routes/forecast';
import { DB_FILE, Store } from '../server/store';

/**
 * `npm run forecast -- --history FILE [--format anonymous-bank|sightline] [--start YYYY-MM-DD]
 *  [--days N] [--interval 900|3600] [--json] [--backtest [WEEKS]] [--closed DATE,...]
 *  [--overrides FILE]`
 *
 * Bad input: exit code 2 and one line on stderr.
 */

const USAGE = `usage: npm run forecast -- --history FILE | --data DIR [options]
  --data DIR            a Sightline data directory: its store's history (instead of --history)
  --history FILE        past traffic: the Anonymous Bank call log (.csv), or Sightline history
                        day documents (.json: a list, {days:[...]}, or one per line) as
                        GET /api/history/days/:date returns them
  --format F            anonymous-bank | sightline (default: by the file's extension)
  --start YYYY-MM-DD    first day to forecast (default: the day after the history ends)
  --days N              days to forecast, 1-28 (default 7)
  --interval S          900 or 3600 seconds (default 900)
  --closed D1,D2        holidays / closed dates: left out of the fit, forecast as zero
  --overrides FILE      JSON list of {dates:[...], queues?:[...], percent, note?} (known events)
  --backtest [WEEKS]    forecast each of the last WEEKS x 7 days one day ahead and score it
                        hourly against seasonal naive (default 2 weeks)
  --json                machine-readable output`;

class UsageError extends Error {}

/** A value from the command line or a file, cut short and escaped for an error line. */
function shown(v: string): string {
	return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
}

function readText(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (e) {
		throw new UsageError(`cannot read ${shown(path)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
	}
}

function parseJsonDocs(text: string, path: string): unknown[] {
	const trimmed = text.trim();
	try {
		if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
		if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
			const one = JSON.parse(trimmed) as { days?: unknown };
			return Array.isArray(one.days) && one.days.length && typeof one.days[0] === 'object' && one.days[0] !== null && 'intervals' in one.days[0]
				? one.days
				: [one];
		}
	} catch (e) {
		throw new UsageError(`${shown(path)}: not valid JSON (${(e as Error).message.slice(0, 80)})`);
	}
	return trimmed.split('\n').flatMap((line, i) => {
		if (!line.trim()) return [];
		try {
			return [JSON.parse(line) as unknown];
		} catch {
			throw new UsageError(`${shown(path)} line ${i + 1}: not valid JSON`);
		}
	});
}

function loadSeries(path: string, format: string, intervalSec: number): Series {
	const text = readText(path);
	if (format === 'anonymous-bank') {
		const parsed = parseAnonymousBank(text);
		const first = parsed.errors[0];
		if (first) throw new UsageError(`${shown(path)} line ${first.line}, ${first.field}: ${first.message.slice(0, 120)}`);
		return seriesFromContacts(bankContacts(parsed.calls), intervalSec);
	}
	const { rows, dates } = rowsFromHistoryDays(parseJsonDocs(text, path));
	return seriesFromRows(rows, intervalSec, dates);
}

function loadOverrides(path: string | undefined): Override[] {
	if (!path) return [];
	const text = readText(path);
	let v: unknown;
	try {
		v = JSON.parse(text);
	} catch {
		throw new UsageError(`${shown(path)}: not valid JSON`);
	}
	if (!Array.isArray(v)) throw new UsageError(`${shown(path)}: must be a JSON list of overrides`);
	v.forEach((o, i) => {
		const err = overrideError(o, `overrides[${i}]`);
		if (err) throw new UsageError(err);
	});
	return v as Override[];
}

/** `--backtest` may come without a value: it means 2 weeks. */
function withBacktestDefault(argv: readonly string[]): string[] {
	const out = [...argv];
	const i = out.indexOf('--backtest');
	if (i >= 0 && (i + 1 >= out.length || (out[i + 1] ?? '').startsWith('--'))) out.splice(i + 1, 0, '2');
	return out;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');

function printBacktest(bt: Backtest): string {
	const lines = ['stretch                    offered  WAPE    naive WAPE  ratio  80% coverage (hours)'];
	for (const [i, w] of bt.weeks.entries()) {
		lines.push(
			`week ${i + 1} ${w.from}..${w.to.slice(5)}  ${String(w.actual).padStart(7)}  ${pct(w.wape).padStart(6)}  ${pct(w.naiveWape).padStart(10)}  ${w.ratio.toFixed(2).padStart(5)}  ${pct(w.coverage).padStart(6)} (${w.hours})`
		);
	}
	const o = bt.overall;
	lines.push(`all    ${o.from}..${o.to.slice(5)}  ${String(o.actual).padStart(7)}  ${pct(o.wape).padStart(6)}  ${pct(o.naiveWape).padStart(10)}  ${o.ratio.toFixed(2).padStart(5)}  ${pct(o.coverage).padStart(6)} (${o.hours})`);
	lines.push('', 'day             offered  forecast  naive  WAPE    naive WAPE  in 80% band');
	for (const d of bt.days) {
		lines.push(
			`${d.date} ${d.weekday}  ${String(d.actual).padStart(7)}  ${d.forecast.toFixed(0).padStart(8)}  ${String(d.naive).padStart(5)}  ${pct(d.actual ? d.absError / d.actual : NaN).padStart(6)}  ${pct(d.actual ? d.naiveAbsError / d.actual : NaN).padStart(10)}  ${d.covered}/${d.hours}`
		);
	}
	return lines.join('\n');
}

function printForecast(fc: ForecastJson): string {
	const lines = [...fc.method, ''];
	for (const d of fc.days) {
		lines.push(`${d.date} ${d.weekday}: ${d.closed ? `closed (${d.closed})` : `${d.offered.toFixed(0)} offered (80%: ${d.low.toFixed(0)}-${d.high.toFixed(0)})`}`);
		for (const iv of d.intervals) {
			if (iv.offered < 0.05) continue;
			lines.push(`  ${iv.start}  ${iv.offered.toFixed(1).padStart(7)}  [${iv.low.toFixed(0)}-${iv.high.toFixed(0)}]  AHT ${iv.aht === null ? '-' : iv.aht.toFixed(0)} s`);
		}
	}
	return lines.join('\n');
}

/** The forecast from a Sightline data directory (the server's store), as `GET /api/forecast` gives it. */
function fromStore(dir: string, values: { start?: string; days: string; interval: string; closed?: string; overrides?: string; backtest?: string; json: boolean }): string {
	if (values.backtest !== undefined) throw new UsageError('--backtest reads --history FILE (export days with GET /api/history/days/:date)');
	if (!existsSync(join(dir, DB_FILE))) throw new UsageError(`--data ${shown(dir)}: no Sightline store there (${DB_FILE})`);
	const overrides = loadOverrides(values.overrides);
	const store = new Store(dir);
	try {
		const stored = store.latestConfig<FloorConfig>('floor', 'default')?.body;
		const cfg: FloorConfig = { ...DEFAULT_FLOOR_CONFIG, ...stored, timeZone: stored?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
		const fields: Record<string, string | undefined> = { start: values.start, days: values.days, interval: values.interval, closed: values.closed };
		const deps = { reports: new ReportService({ store, floorConfig: () => cfg }), store, floorConfig: () => cfg };
		const fc = forecastFromStore(deps, { ...parseRequest((n) => fields[n] ?? null), overrides });
		return values.json ? JSON.stringify(fc) : printForecast(fc);
	} catch (e) {
		if (e instanceof HttpError) throw new UsageError(e.message);
		throw e;
	} finally {
		store.close();
	}
}

function main(argv: readonly string[]): string {
	const { values } = parseArgs({
		args: withBacktestDefault(argv),
		options: {
			history: { type: 'string' },
			data: { type: 'string' },
			format: { type: 'string' },
			start: { type: 'string' },
			days: { type: 'string', default: '7' },
			interval: { type: 'string', default: '900' },
			closed: { type: 'string' },
			overrides: { type: 'string' },
			backtest: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		},
		strict: true,
		allowPositionals: false
	});
	if (values.help) return USAGE;
	if (values.data !== undefined && values.history !== undefined) throw new UsageError('give --history FILE or --data DIR, not both');
	if (values.data !== undefined) return fromStore(values.data, values);
	if (!values.history) throw new UsageError('--history FILE or --data DIR is required (npm run forecast -- --help)');
	const format = values.format ?? (['.json', '.jsonl'].includes(extname(values.history).toLowerCase()) ? 'sightline' : 'anonymous-bank');
	if (format !== 'anonymous-bank' && format !== 'sightline') throw new UsageError(`--format must be anonymous-bank or sightline (got ${shown(format)})`);
	const interval = Number(values.interval);
	if (interval !== 900 && interval !== 3600) throw new UsageError(`--interval must be 900 or 3600 (got ${shown(values.interval)})`);
	if (!/^\d{1,2}$/.test(values.days)) throw new UsageError(`--days must be a whole number from 1 to 28 (got ${shown(values.days)})`);
	const days = Number(values.days);
	if (days < 1 || days > 28) throw new UsageError(`--days must be a whole number from 1 to 28 (got ${shown(values.days)})`);
	if (values.start !== undefined && dayNumber(values.start) === null) throw new UsageError(`--start must be a date YYYY-MM-DD (got ${shown(values.start)})`);
	const closedDates = values.closed ? values.closed.split(',').map((d) => d.trim()) : [];
	const overrides = loadOverrides(values.overrides);
	const series = loadSeries(values.history, format, interval);
	if (values.backtest !== undefined) {
		if (!/^\d{1,2}$/.test(values.backtest)) throw new UsageError(`--backtest must be a number of weeks (got ${shown(values.backtest)})`);
		const bt = backtest(series, Number(values.backtest), { closedDates });
		return values.json ? JSON.stringify(bt) : printBacktest(bt);
	}
	const start = values.start ?? dateOf(lastDay(series) + 1);
	const fc = forecastSeries(series, start, days, { closedDates, overrides });
	const out = forecastJson(fc);
	return values.json ? JSON.stringify(out) : printForecast(out);
}

/** Runs the command line on `argv` (without node and script): exit code and what it prints. */
export function forecastCli(argv: readonly string[]): { code: number; stdout: string; stderr: string } {
	try {
		return { code: 0, stdout: main(argv) + '\n', stderr: '' };
	} catch (e) {
		const msg = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 300);
		// Bad input (arguments, files, a request the method cannot serve) is 2; anything else is a bug.
		const code = (e as { code?: unknown }).code;
		const input =
			e instanceof UsageError || e instanceof HistoryError || e instanceof ForecastError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
		return { code: input ? 2 : 1, stdout: '', stderr: `forecast: ${msg}\n` };
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const r = forecastCli(process.argv.slice(2));
	process.stdout.write(r.stdout);
	process.stderr.write(r.stderr);
	process.exitCode = r.code;
}
