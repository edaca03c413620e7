import type { Channel } from '../domain/channels';
import { clockOf, WEEKDAY_NAMES } from './calendar';
import type { Forecast, ForecastCell, ForecastDay } from './forecast';
import type { Override } from './overrides';

/**
 * The forecast as JSON: what `npm run forecast -- --json` prints and `GET /api/forecast`
 * returns. Interval starts are local 'HH:MM'; counts rounded to 0.01, AHT to 0.1 s.
 */

/** Offered with its 80 % interval, and AHT in seconds (null when nothing is expected). */
export interface ForecastCellJson {
	readonly offered: number;
	readonly low: number;
	readonly high: number;
	readonly aht: number | null;
}

export interface ForecastIntervalJson extends ForecastCellJson {
	/** 'HH:MM', local time. */
	readonly start: string;
	readonly queues: Readonly<Record<string, ForecastCellJson & { readonly channel: Channel }>>;
}

export interface ForecastDayJson {
	readonly date: string;
	readonly weekday: string;
	/** 'holiday' or 'closed weekday' when nothing is expected, else null. */
	readonly closed: string | null;
	readonly offered: number;
	readonly low: number;
	readonly high: number;
	readonly adjustments: readonly Override[];
	readonly intervals: readonly ForecastIntervalJson[];
}

/** The whole answer. */
export interface ForecastJson {
	/** Interval length, seconds. */
	readonly interval: number;
	readonly history: { readonly from: string; readonly to: string; readonly days: number };
	readonly queues: readonly { readonly id: string; readonly channel: Channel }[];
	/** What the method did, in sentences. */
	readonly method: readonly string[];
	readonly days: readonly ForecastDayJson[];
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const cell = (c: ForecastCell): ForecastCellJson => ({
	offered: r2(c.offered),
	low: r2(c.low),
	high: r2(c.high),
	aht: c.aht === null ? null : Math.round(c.aht * 10) / 10
});

/** The JSON form of a forecast. */
export function forecastJson(fc: Forecast): ForecastJson {
	return {
		interval: fc.intervalSec,
		history: fc.history,
		queues: fc.queues.map((q) => ({ id: q.id, channel: q.channel })),
		method: fc.method.summary,
		days: fc.days.map((d) => ({
			date: d.date,
			weekday: d.weekday,
			closed: d.closed,
			offered: r2(d.offered),
			low: r2(d.low),
			high: r2(d.high),
			adjustments: d.adjustments,
			intervals: d.intervals.map((iv) => ({
				start: clockOf(iv.start),
				...cell(iv),
				queues: Object.fromEntries(Object.entries(iv.queues).map(([id, q]) => [id, { channel: q.channel, ...cell(q) }]))
			}))
		}))
	};
}

/**
 * A day of the JSON form back as the forecast day the staffing functions take (`erlangStaffing`,
 * `searchStaffing`): what the planner does with `GET /api/forecast`'s answer in the browser.
 */
export function forecastDayFromJson(d: ForecastDayJson, lead = 1): ForecastDay {
	const toSeconds = (hhmm: string) => {
		const [h, m] = hhmm.split(':');
		return Number(h) * 3600 + Number(m) * 60;
	};
	return {
		date: d.date,
		weekday: (WEEKDAY_NAMES.find((w) => w === d.weekday) ?? 'Sun'),
		closed: d.closed,
		lead,
		offered: d.offered,
		low: d.low,
		high: d.high,
		adjustments: d.adjustments,
		intervals: d.intervals.map((iv) => ({ ...iv, start: toSeconds(iv.start), queues: iv.queues }))
	};
}
