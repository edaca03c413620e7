import type { ForecastDay, ForecastInterval, ForecastQueueCell } from './forecast';

/**
 * Planner adjustments for known events: a campaign (+30 % on Monday for billing), a closed day
 * (−100 %). Applied after the statistical forecast, per queue, and listed on the day so the
 * planner sees what was changed by hand.
 */
export interface Override {
	/** Dates 'YYYY-MM-DD' it applies to. */
	readonly dates: readonly string[];
	/** Queue ids it applies to; all queues when omitted or empty. */
	readonly queues?: readonly string[];
	/** Change of expected offered, percent (−100 closes). */
	readonly percent: number;
	readonly note?: string;
}

/** Checks one override as received (from a request or a config file); returns an error or null. */
export function overrideError(o: unknown, where: string): string | null {
	if (typeof o !== 'object' || o === null) return `${where}: must be an object`;
	const v = o as Record<string, unknown>;
	if (!Array.isArray(v.dates) || v.dates.length === 0 || !v.dates.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d))) {
		return `${where}.dates: must be a non-empty list of YYYY-MM-DD dates`;
	}
	if (v.queues !== undefined && (!Array.isArray(v.queues) || !v.queues.every((q) => typeof q === 'string' && q.length > 0 && q.length <= 128))) {
		return `${where}.queues: must be a list of queue ids`;
	}
	if (typeof v.percent !== 'number' || !Number.isFinite(v.percent) || v.percent < -100 || v.percent > 1000) {
		return `${where}.percent: must be a number from -100 to 1000`;
	}
	if (v.note !== undefined && typeof v.note !== 'string') return `${where}.note: must be text`;
	return null;
}

function scaleCell<T extends ForecastQueueCell>(c: T, k: number): T {
	return { ...c, offered: c.offered * k, low: c.low * k, high: c.high * k };
}

/** The day with every matching override applied (multiplicatively, in order). */
export function applyOverrides(day: ForecastDay, overrides: readonly Override[]): ForecastDay {
	const mine = overrides.filter((o) => o.dates.includes(day.date));
	if (mine.length === 0) return day;
	const intervals = day.intervals.map((iv): ForecastInterval => {
		const queues: Record<string, ForecastQueueCell> = {};
		let offered = 0;
		for (const [id, cell] of Object.entries(iv.queues)) {
			let k = 1;
			for (const o of mine) if (!o.queues?.length || o.queues.includes(id)) k *= 1 + o.percent / 100;
			const c = scaleCell(cell, k);
			queues[id] = c;
			offered += c.offered;
		}
		// The interval's band moves with its expected volume.
		const ratio = iv.offered > 0 ? offered / iv.offered : 0;
		return { ...iv, queues, offered, low: iv.low * ratio, high: iv.high * ratio };
	});
	return { ...day, intervals, adjustments: mine };
}
