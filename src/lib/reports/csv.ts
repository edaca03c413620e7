import { stringify } from 'csv-stringify/browser/esm/sync';
import { csvCell, csvHeader, type Table } from './tables';

/**
 * One table as CSV (RFC 4180 quoting by csv-stringify: fields with commas, quotes or line breaks
 * are quoted, quotes doubled), with the page's columns. Used by the page's one-click export and
 * by `?format=csv` on the API, so both give the same file. Starts with a UTF-8 BOM so spreadsheet
 * programs read "≤" and "−" right.
 */
export function tableCsv<R>(t: Table<R>): string {
	const header = t.columns.map((c) => csvHeader(c));
	const rows = t.rows.map((r) => t.columns.map((c) => csvCell(t, c, r)));
	return '\ufeff' + stringify([header, ...rows], { record_delimiter: '\r\n' });
}

/** File name for a table's CSV ("sightline-queues-2026-12-01.csv"). */
export function csvFileName(tableId: string, label: string): string {
	return `sightline-${tableId}-${label}.csv`.replace(/[^A-Za-z0-9._-]+/g, '_');
}
