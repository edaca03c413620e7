import { LOWER_IS_WORSE, type Breach, type Level, type ThresholdKpi, type ThresholdWindow } from '../domain/thresholds';
import { formatCount, formatDuration, formatPercent } from './format';

/**
 * How thresholds read on the wall and the admin page: names, units, sentences and icons. The
 * judging itself is domain logic (src/lib/domain/thresholds.ts).
 */


/** Human names of the threshold KPIs, as the banner and the admin page say them. */
export const KPI_LABEL: Readonly<Record<ThresholdKpi, string>> = {
	serviceLevel: 'Service level',
	asa: 'ASA',
	abandonRate: 'Abandon rate',
	longestWait: 'Longest wait',
	waiting: 'In queue',
	occupancy: 'Occupancy'
};

/** What unit a KPI's rule is written in, so forms and banners agree with the wire. */
export const KPI_UNIT: Readonly<Record<ThresholdKpi, 'fraction' | 'seconds' | 'count'>> = {
	serviceLevel: 'fraction',
	asa: 'seconds',
	abandonRate: 'fraction',
	longestWait: 'seconds',
	waiting: 'count',
	occupancy: 'fraction'
};

/** Formats a value of `kpi` in its unit. */
export function formatKpi(kpi: ThresholdKpi, value: number | null): string {
	switch (KPI_UNIT[kpi]) {
		case 'fraction':
			return formatPercent(value);
		case 'seconds':
			return formatDuration(value);
		case 'count':
			return formatCount(value);
	}
}



/** How a period reads next to a value: "" for today (what the tiles show first), "last 30 min". */
export function windowLabel(window: ThresholdWindow | null, rollingMs: number): string {
	return window === 'rolling' ? `last ${Math.round(rollingMs / 60_000)} min` : '';
}

/**
 * One sentence naming a breach: "Service level 62% (Billing) below 70%", or with a rolling rule
 * "Service level last 30 min 55% below 70%".
 */
export function describeBreach(b: Breach, rollingMs = 30 * 60_000): string {
	const dir = LOWER_IS_WORSE.has(b.kpi) ? 'below' : 'above';
	const where = b.scope === 'Total' ? '' : ` (${b.scope})`;
	const period = windowLabel(b.window, rollingMs);
	const limit = formatKpi(b.kpi, b.limit);
	return `${KPI_LABEL[b.kpi]}${period ? ` ${period}` : ''} ${breachValue(b, limit)}${where} ${dir} ${limit}`;
}

/**
 * A breached value as it reads beside its limit. A breach is strict, so a value that rounds to the
 * limit ("Occupancy 95% above 95%", seen on the emulator's wall at 95.3%) is shown finer: a
 * percentage with as many decimals as tell it apart (95.3%), seconds rounded away from the limit.
 */
function breachValue(b: Breach, limit: string): string {
	const plain = formatKpi(b.kpi, b.value);
	if (plain !== limit || b.value === null) return plain;
	// Durations print in whole seconds, rounded down: only an "above" can land on its limit.
	if (KPI_UNIT[b.kpi] === 'seconds') return formatDuration(Math.ceil(b.value));
	if (KPI_UNIT[b.kpi] !== 'fraction') return plain;
	for (let digits = 1; digits <= 3; digits++) {
		const finer = `${(b.value * 100).toFixed(digits)}%`;
		if (Number.parseFloat(finer) !== b.limit * 100) return finer;
	}
	return plain;
}

/** The icon that goes with a level, so colour is never the only signal. */
export const LEVEL_ICON: Readonly<Record<Level, string>> = { ok: '✓', warn: '▲', alert: '■', none: '' };

/** The word that goes with a level, for screen readers and labels. */
export const LEVEL_TEXT: Readonly<Record<Level, string>> = { ok: 'OK', warn: 'Warning', alert: 'Alert', none: '' };
