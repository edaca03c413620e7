import type { Kpis } from '../domain/kpi';
import type { IntervalAccuracy, IssuedAccuracy } from '../forecast/accuracy';
import { SL_FORMULA_LABEL } from '../domain/service-level';
import { formatDuration, formatHourMinute } from '../ui/format';
import { COMPARED_KPIS, type ComparedKpi, type ComparedRow, type Comparison, type Difference } from './compare';
import type { AgentRow, ChannelGroupRow, DayReport, GroupRow, IntervalRow, Judgement } from './day';
import type { RangeDay, RangeReport } from './range';
import { rangeVerdictText, type DayMark } from './status';

/**
 * The report's tables, defined once: the page renders these columns and the CSV export (page and
 * API) writes exactly them, so a download always matches what the manager saw.
 */

/** How a column's values read: counts, fractions shown as %, seconds, or text; `signed` for differences. */
export type ColumnKind = 'text' | 'count' | 'rate' | 'seconds';

/** Why a cell is empty: nothing to divide by, or a figure the source never recorded. */
export const NOT_RECORDED = 'not recorded';

/** One column. `get` returns null where there is no value; `needs` names what the source must have recorded. */
export interface Column<R> {
	readonly key: string;
	readonly label: string;
	readonly kind: ColumnKind;
	readonly signed?: boolean;
	readonly needs?: 'agentTime' | 'csat';
	/** For columns whose rows differ in kind (a KPI per row). */
	readonly kindOf?: (row: R) => ColumnKind;
	readonly get: (row: R) => string | number | null;
}

/** A table ready to render or export. */
export interface Table<R = unknown> {
	readonly id: string;
	readonly title: string;
	readonly columns: readonly Column<R>[];
	readonly rows: readonly R[];
	/** What the source recorded (for "not recorded" cells). */
	readonly recorded: { readonly agentTime: boolean; readonly csat: boolean };
}

const KPI_LABEL: Readonly<Record<ComparedKpi, string>> = {
	offered: 'Offered',
	answered: 'Answered',
	abandoned: 'Abandoned',
	shortAbandoned: 'Short abandons',
	serviceLevel: 'Service level',
	abandonRate: 'Abandon rate',
	asa: 'ASA',
	aht: 'AHT',
	occupancy: 'Occupancy',
	longestWait: 'Longest wait',
	csat: 'CSAT'
};

const KPI_KIND: Readonly<Record<ComparedKpi, ColumnKind>> = {
	offered: 'count',
	answered: 'count',
	abandoned: 'count',
	shortAbandoned: 'count',
	serviceLevel: 'rate',
	abandonRate: 'rate',
	asa: 'seconds',
	aht: 'seconds',
	occupancy: 'rate',
	longestWait: 'seconds',
	csat: 'rate'
};

const NEEDS: Partial<Record<ComparedKpi, 'agentTime' | 'csat'>> = { occupancy: 'agentTime', csat: 'csat' };

/** Human name of a KPI. */
export function kpiLabel(k: ComparedKpi): string {
	return KPI_LABEL[k];
}

/** How a KPI's values read. */
export function kpiKind(k: ComparedKpi): ColumnKind {
	return KPI_KIND[k];
}

function kpiColumns<R>(of: (r: R) => Kpis, keys: readonly ComparedKpi[]): Column<R>[] {
	return keys.map((k) => ({ key: k, label: KPI_LABEL[k], kind: KPI_KIND[k], needs: NEEDS[k], get: (r: R) => of(r)[k] }));
}

const GROUP_KPIS: readonly ComparedKpi[] = ['offered', 'answered', 'abandoned', 'shortAbandoned', 'abandonRate', 'serviceLevel', 'asa', 'aht', 'longestWait', 'csat'];

const verdictWord = (met: boolean | null) => (met === null ? 'no traffic' : met ? 'met' : 'missed');
/** A judgement in a word: no target set, nothing to judge, met or missed. */
const judgedWord = (j: Judgement | undefined) => (!j || j.target === null ? 'no target' : j.met === null ? '' : j.met ? 'met' : 'missed');

/** Per-interval table of a day (all queues together). */
export function intervalTable(r: DayReport): Table<IntervalRow> {
	return {
		id: 'intervals',
		title: `Intervals of ${r.date}`,
		recorded: r.recorded,
		rows: r.intervals,
		columns: [
			{ key: 'interval', label: 'Interval', kind: 'text', get: (i) => formatHourMinute(i.start, r.timeZone) },
			...kpiColumns<IntervalRow>((i) => i.kpis, ['offered', 'answered', 'abandoned', 'shortAbandoned', 'abandonRate', 'serviceLevel', 'asa', 'aht', 'occupancy', 'longestWait'])
		]
	};
}

const metColumn = <R extends GroupRow>(): Column<R> => ({ key: 'met', label: 'Target met', kind: 'text', get: (q) => verdictWord(q.met) });

/** A per-queue or per-channel table: its key columns, the KPIs, then its target columns. */
function groupTable<R extends GroupRow>(id: string, title: string, r: DayReport, rows: readonly R[], head: Column<R>[], tail: Column<R>[]): Table<R> {
	return { id, title, recorded: r.recorded, rows, columns: [...head, ...kpiColumns<R>((q) => q.kpis, GROUP_KPIS), ...tail] };
}

/** Per-queue table of a day. */
export function queueTable(r: DayReport): Table<GroupRow> {
	return groupTable(
		'queues',
		`Queues on ${r.date}`,
		r,
		r.queues,
		[
			{ key: 'queue', label: 'Queue', kind: 'text', get: (q) => q.name },
			{ key: 'channel', label: 'Channel', kind: 'text', get: (q) => q.channel }
		],
		[
			{ key: 'slThreshold', label: 'SL threshold', kind: 'seconds', get: (q) => q.slThreshold },
			{ key: 'slTarget', label: 'SL target', kind: 'rate', get: (q) => q.slTarget },
			metColumn(),
			{ key: 'slFormula', label: 'SL formula', kind: 'text', get: (q) => SL_FORMULA_LABEL[q.slFormula] }
		]
	);
}

/** Per-channel table of a day (service level by the report's formula, against the floor target). */
export function channelTable(r: DayReport): Table<GroupRow> {
	return groupTable('channels', `Channels on ${r.date}`, r, r.channels, [{ key: 'channel', label: 'Channel', kind: 'text', get: (q) => q.channel }], [metColumn()]);
}

/**
 * Per-channel-group table of a day (voice; messaging = chat, social, SMS; email): the headline's
 * figures, each group's service level and ASA against the group's own targets.
 */
export function channelGroupTable(r: DayReport): Table<ChannelGroupRow> {
	return groupTable(
		'channel-groups',
		`Channel groups on ${r.date}`,
		r,
		r.groups,
		[{ key: 'group', label: 'Channel group', kind: 'text', get: (g) => g.name }],
		[
			{ key: 'slTarget', label: 'SL target', kind: 'rate', get: (g) => g.targets.serviceLevel },
			metColumn(),
			{ key: 'asaTarget', label: 'ASA target', kind: 'seconds', get: (g) => g.targets.asa },
			{ key: 'asaMet', label: 'ASA target met', kind: 'text', get: (g) => judgedWord(g.judgements.find((j) => j.kpi === 'asa')) }
		]
	);
}

/** Per-agent table of a day (supervisor data). */
export function agentTable(r: DayReport, agents: readonly AgentRow[]): Table<AgentRow> {
	return {
		id: 'agents',
		title: `Agents on ${r.date}`,
		recorded: r.recorded,
		rows: agents,
		columns: [
			{ key: 'agent', label: 'Agent', kind: 'text', get: (a) => a.name || a.agent },
			{ key: 'team', label: 'Team', kind: 'text', get: (a) => a.team },
			{ key: 'handled', label: 'Handled', kind: 'count', get: (a) => a.handled },
			{ key: 'aht', label: 'AHT', kind: 'seconds', get: (a) => a.aht },
			{ key: 'occupancy', label: 'Occupancy', kind: 'rate', needs: 'agentTime', get: (a) => a.occupancy },
			{ key: 'available', label: 'Available', kind: 'seconds', needs: 'agentTime', get: (a) => a.available },
			{ key: 'onContact', label: 'On contact', kind: 'seconds', get: (a) => a.onContact },
			{ key: 'wrapUp', label: 'Wrap-up', kind: 'seconds', get: (a) => a.wrapUp },
			{ key: 'notReady', label: 'Not ready', kind: 'seconds', needs: 'agentTime', get: (a) => a.notReady },
			{ key: 'offline', label: 'Offline', kind: 'seconds', needs: 'agentTime', get: (a) => a.offline }
		]
	};
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/**
 * Daily figures of a range. With the days' `marks` (rangeFinality), a day not final reads its mark
 * and its verdict so far ('◔ so far: missed'), on the page and in the API's CSV alike; without them every day as judged.
 */
export function rangeTable(r: RangeReport, marks?: ReadonlyMap<string, DayMark>): Table<RangeDay> {
	const recorded = { agentTime: r.days.some((d) => d.recorded.agentTime), csat: r.days.some((d) => d.recorded.csat) };
	return {
		id: 'range',
		title: `Days from ${r.from} to ${r.to}`,
		recorded,
		rows: r.days,
		columns: [
			{ key: 'date', label: 'Date', kind: 'text', get: (d) => d.date },
			{ key: 'weekday', label: 'Weekday', kind: 'text', get: (d) => WEEKDAYS[d.weekday] ?? '' },
			{ key: 'met', label: 'Target met', kind: 'text', get: (d) => (marks?.has(d.date) ? rangeVerdictText(marks.get(d.date)!) : verdictWord(d.met.met)) },
			...kpiColumns<RangeDay>((d) => d.kpis, COMPARED_KPIS).map((c) =>
				// A day without agent states has no occupancy even when others in the range do.
				c.needs === 'agentTime' ? { ...c, get: (d: RangeDay) => (d.recorded.agentTime ? d.kpis.occupancy : NOT_RECORDED) } : c
			)
		]
	};
}

/** Headline KPIs of two days side by side with their signed differences. */
export function comparisonTable(c: Comparison): Table<{ kpi: ComparedKpi; d: Difference }> {
	const recorded = {
		agentTime: c.day.recorded.agentTime && c.other.recorded.agentTime,
		csat: c.day.recorded.csat && c.other.recorded.csat
	};
	type Row = { kpi: ComparedKpi; d: Difference };
	const lacks = (x: Row) => {
		const need = NEEDS[x.kpi];
		return need !== undefined && !recorded[need];
	};
	const kindOf = (x: Row) => KPI_KIND[x.kpi];
	const unit: Record<ColumnKind, string> = { count: 'count', rate: '% (difference in points)', seconds: 's', text: '' };
	return {
		id: 'comparison',
		title: `${c.day.date} compared with ${c.other.date}`,
		recorded,
		rows: COMPARED_KPIS.map((kpi) => ({ kpi, d: c.headline[kpi] })),
		columns: [
			{ key: 'kpi', label: 'KPI', kind: 'text', get: (x) => KPI_LABEL[x.kpi] },
			{ key: 'unit', label: 'Unit', kind: 'text', get: (x) => unit[KPI_KIND[x.kpi]] },
			{ key: 'day', label: c.day.date, kind: 'count', kindOf, get: (x) => (lacks(x) ? NOT_RECORDED : x.d.value) },
			{ key: 'other', label: c.other.date, kind: 'count', kindOf, get: (x) => (lacks(x) ? NOT_RECORDED : x.d.other) },
			{ key: 'difference', label: 'Difference', kind: 'count', kindOf, signed: true, get: (x) => (lacks(x) ? NOT_RECORDED : x.d.diff) }
		]
	};
}

/** Per-interval differences of a comparison. */
export function comparedIntervalTable(c: Comparison): Table<ComparedRow & { start: number }> {
	const keys: ComparedKpi[] = ['offered', 'answered', 'abandoned', 'serviceLevel', 'asa', 'occupancy'];
	return {
		id: 'compared-intervals',
		title: `Intervals: ${c.day.date} − ${c.other.date}`,
		recorded: { agentTime: c.day.recorded.agentTime && c.other.recorded.agentTime, csat: false },
		rows: c.intervals,
		columns: [
			{ key: 'interval', label: 'Interval', kind: 'text', get: (i) => formatHourMinute(i.start, c.day.timeZone) },
			...keys.map(
				(k): Column<ComparedRow & { start: number }> => ({
					key: `${k}Diff`,
					label: `${KPI_LABEL[k]} Δ`,
					kind: KPI_KIND[k],
					signed: true,
					needs: NEEDS[k],
					get: (i) => i.diffs[k].diff
				})
			)
		]
	};
}

const MINUS = '−';

/** A value for the page: counts with separators, rates as "84.3%" (differences in points), seconds as m:ss. */
export function formatValue(v: number | string | null, kind: ColumnKind, signed = false): string {
	if (v === null) return '—';
	if (typeof v === 'string') return v;
	if (!Number.isFinite(v)) return '—';
	const sign = signed ? (v > 0 ? '+' : v < 0 ? MINUS : '±') : v < 0 ? MINUS : '';
	const a = Math.abs(v);
	switch (kind) {
		case 'count':
			return sign + Math.round(a).toLocaleString('en-US');
		case 'rate':
			return signed ? `${sign}${(a * 100).toFixed(1)} pp` : `${sign}${(a * 100).toFixed(1)}%`;
		case 'seconds':
			return sign + formatDuration(Math.round(a));
		case 'text':
			return sign + String(v);
	}
}

/** A cell as the page shows it: "not recorded" where the source lacks the figure, else the formatted value. */
export function displayCell<R>(t: Table<R>, col: Column<R>, row: R): string {
	if (col.needs && !t.recorded[col.needs]) return NOT_RECORDED;
	return formatValue(col.get(row), col.kindOf?.(row) ?? col.kind, col.signed);
}

/**
 * A cell as the CSV holds it: numbers a spreadsheet reads (rates in percent with one decimal,
 * seconds with one decimal, counts whole), "" where nothing counts, "not recorded" where the
 * source lacks the figure.
 */
export function csvCell<R>(t: Table<R>, col: Column<R>, row: R): string | number {
	if (col.needs && !t.recorded[col.needs]) return NOT_RECORDED;
	const v = col.get(row);
	if (v === null) return '';
	if (typeof v === 'string') return v;
	if (!Number.isFinite(v)) return '';
	const kind = col.kindOf?.(row) ?? col.kind;
	if (kind === 'rate') return Math.round(v * 1000) / 10;
	if (kind === 'seconds') return Math.round(v * 10) / 10;
	return v;
}

/** Header of a CSV column: the page's label, with the unit the CSV uses. */
export function csvHeader<R>(col: Column<R>): string {
	if (col.kindOf) return col.label;
	if (col.kind === 'rate') return `${col.label} (%${col.signed ? ' points' : ''})`;
	if (col.kind === 'seconds') return `${col.label} (s)`;
	return col.label;
}

/** Sort key of a cell (numbers before text; empty cells last). */
export function sortKey<R>(col: Column<R>, row: R): number | string | null {
	const v = col.get(row);
	return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

/** Rows sorted by a column, empty cells last whatever the direction. */
export function sortRows<R>(rows: readonly R[], col: Column<R>, dir: 1 | -1): R[] {
	return [...rows].sort((a, b) => {
		const x = sortKey(col, a);
		const y = sortKey(col, b);
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
		if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
		return String(x).localeCompare(String(y)) * dir;
	});
}

/** Forecast against actual per interval of an issued forecast. */
export function forecastAccuracyTable(a: IssuedAccuracy): Table<IntervalAccuracy> {
	return {
		id: 'forecast-vs-actual',
		title: `Forecast vs actual, ${a.date}`,
		recorded: { agentTime: true, csat: true },
		// Only the hours that expected or saw something; the night stays out of the way.
		rows: a.rows.filter((r) => r.inside !== null),
		columns: [
			{ key: 'interval', label: 'Interval', kind: 'text', get: (r) => r.start },
			{ key: 'forecast', label: 'Forecast', kind: 'count', get: (r) => r.forecast },
			{ key: 'low', label: '80% low', kind: 'count', get: (r) => r.low },
			{ key: 'high', label: '80% high', kind: 'count', get: (r) => r.high },
			{ key: 'actual', label: 'Actual', kind: 'count', get: (r) => r.actual },
			{ key: 'error', label: 'Actual − forecast', kind: 'count', signed: true, get: (r) => r.actual - r.forecast },
			{ key: 'inside', label: 'In 80% band', kind: 'text', get: (r) => (r.inside ? 'yes' : 'no') },
			{ key: 'ahtForecast', label: 'AHT forecast', kind: 'seconds', get: (r) => r.ahtForecast },
			{ key: 'ahtActual', label: 'AHT actual', kind: 'seconds', get: (r) => r.ahtActual }
		]
	};
}
