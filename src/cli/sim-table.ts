/**
 * The simulator command line's human-readable tables: levels as "mean ±half-width", times as
 * m:ss, and in a comparison signed differences with rates in percentage points, so a planner
 * never reads "+2.1%" and wonders whether it is relative or absolute.
 */
import { formatDuration } from '../lib/ui/format';
import type { Comparison, KpiSummary, Summary, SummaryKpi } from '../../sim/replicate';

/** How one KPI is written: a count, a rate (fraction) or a duration in seconds. */
type Kind = 'count' | 'rate' | 'time';

const COLUMNS: readonly (readonly [header: string, key: SummaryKpi, kind: Kind])[] = [
	['offered', 'offered', 'count'],
	['answered', 'answered', 'count'],
	['abandoned', 'abandoned', 'count'],
	['SL', 'serviceLevel', 'rate'],
	['ASA', 'asa', 'time'],
	['AHT', 'aht', 'time'],
	['aband.', 'abandonRate', 'rate'],
	['occup.', 'occupancy', 'rate']
];

/** Seconds as m:ss, to the nearest second (a mean of 0.6 s is "0:01", not "0:00"). */
const clock = (seconds: number) => formatDuration(Math.round(seconds));

/** A level: "123.4", "84.2%", "1:05". */
function level(kind: Kind, x: number): string {
	if (kind === 'rate') return `${(x * 100).toFixed(1)}%`;
	if (kind === 'time') return clock(x);
	return x.toFixed(1);
}

/** The size of a half-width or a difference, without sign or unit: "2.1", "1.3" (points), "0:04". */
function magnitude(kind: Kind, x: number): string {
	if (kind === 'rate') return (x * 100).toFixed(1);
	if (kind === 'time') return clock(x);
	return x.toFixed(1);
}

/** A signed difference: "+2.0", "−1.3", "+0:12" (a true minus sign); rounded to nothing, no sign. */
function signed(kind: Kind, x: number): string {
	const m = magnitude(kind, Math.abs(x));
	return /^[0:.]+$/.test(m) ? m : `${x < 0 ? '−' : '+'}${m}`;
}

function cell(k: KpiSummary, key: SummaryKpi, kind: Kind, diff: boolean): string {
	const v = k[key];
	if (v === null) return '—';
	const ci = k.ci95[key];
	const half = ci ? ` ±${magnitude(kind, (ci[1] - ci[0]) / 2)}` : '';
	if (!diff) return `${level(kind, v)}${half}`;
	// A difference of rates is in percentage points, never a relative "%".
	return `${signed(kind, v)}${half}${kind === 'rate' ? ' pp' : ''}`;
}

/** Rows of one summary or comparison: each queue, each channel, then the total. */
function scopes(s: Pick<Summary, 'total' | 'queues' | 'channels'>): [string, KpiSummary][] {
	const rows: [string, KpiSummary][] = Object.entries(s.queues).map(([id, k]) => [`queue ${id}`, k]);
	for (const [ch, k] of Object.entries(s.channels)) if (k) rows.push([`channel ${ch}`, k]);
	rows.push(['total', s.total]);
	return rows;
}

/** An aligned text table of a summary (levels) or a comparison (`diff`: signed differences). */
export function kpiTable(s: Pick<Summary, 'total' | 'queues' | 'channels'> | Comparison, diff = false): string {
	const head = ['scope', ...COLUMNS.map((c) => c[0])];
	const body = scopes(s).map(([name, k]) => [name, ...COLUMNS.map(([, key, kind]) => cell(k, key, kind, diff))]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join('  ');
	return [line(head), ...body.map(line)].join('\n');
}

/**
 * Names for the two sides of a comparison that a reader can tell apart: the scenario's name,
 * with its file added when both sides carry the same name (or none), and the full path when
 * even the file names agree.
 */
export function sideLabels(base: { name: string; file: string }, alt: { name: string; file: string }): [string, string] {
	const fileName = (f: string) => f.split(/[\\/]/).pop() ?? f;
	if (base.name && alt.name && base.name !== alt.name) return [base.name, alt.name];
	const [fb, fa] = fileName(base.file) === fileName(alt.file) ? [base.file, alt.file] : [fileName(base.file), fileName(alt.file)];
	const with_ = (name: string, f: string) => (name ? `${name} (${f})` : f);
	return [with_(base.name, fb), with_(alt.name, fa)];
}
