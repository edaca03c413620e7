import { emptyCounts, type KpiCounts } from '../../lib/domain/kpi';

/** Every KpiCounts field, stored one column each (`longestWait` merges by max, the rest by sum). */
export const KPI_COLUMNS: readonly (keyof KpiCounts)[] = Object.keys(emptyCounts()) as (keyof KpiCounts)[];

/** SQL that sums a row set's counts into KpiCounts-named columns. */
export const SUM_COUNTS_SQL = KPI_COLUMNS.map((k) => (k === 'longestWait' ? `max("${k}") AS "${k}"` : `sum("${k}") AS "${k}"`)).join(', ');

/** KpiCounts from a row that has the KPI columns (missing or null columns read as 0). */
export function countsOf(row: Readonly<Record<string, unknown>>): KpiCounts {
	const c = emptyCounts();
	for (const k of KPI_COLUMNS) {
		const v = row[k];
		c[k] = typeof v === 'number' ? v : 0;
	}
	return c;
}
