import { fromZonedTime } from 'date-fns-tz';
import type { Scenario } from '../../../sim/scenario';
import type { OpeningHours } from '../../lib/protocol/frames';

/**
 * One calendar day of the emulated center: the emulator's scenario with its arrivals scaled by a
 * weekly pattern and a seeded day-to-day variation, opening at 08:00 local. The live emulator
 * (following the calendar) and the backfill of past days both play days from here, so today
 * looks like the weeks before it, and the same date always gives the same day (the same events
 * and ids), which is what lets a restart continue today instead of counting it twice.
 */

/** Relative volume per weekday, Sunday first: a business week with quiet weekends. */
export const WEEKDAY_VOLUME: readonly number[] = [0.45, 1.1, 1.0, 0.97, 0.95, 0.85, 0.5];

/** Local time at which the emulated center's day opens. */
export const EMULATED_OPENING = '08:00';

/**
 * The emulated center's opening hours: from the opening for the scenario's length (the bundled
 * day: 08:00–20:00). Null when the day runs to midnight or past it (never closed).
 */
export function emulatedHours(s: Pick<Scenario, 'horizon'>, timeZone: string): OpeningHours | null {
	const [h, m] = EMULATED_OPENING.split(':').map(Number) as [number, number];
	const close = h * 60 + m + Math.round(s.horizon / 60);
	if (close >= 24 * 60) return null;
	const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
	return { open: EMULATED_OPENING, close: hhmm(close), timeZone };
}

/** The scenario with every queue's arrivals scaled by `factor`. */
export function scaleArrivals(s: Scenario, factor: number): Scenario {
	return {
		...s,
		queues: s.queues.map((q) => {
			const a = q.arrivals;
			if ('perHour' in a) return { ...q, arrivals: { perHour: a.perHour * factor } };
			if ('perInterval' in a) return { ...q, arrivals: { perInterval: a.perInterval.map((x) => x * factor) } };
			return q; // a recorded trace keeps its own arrivals
		})
	};
}

/** A small deterministic hash of a date and seed, in [0, 1): the day's variation. */
function unit(date: string, seed: number): number {
	let h = 2166136261 ^ seed;
	for (let i = 0; i < date.length; i++) h = Math.imul(h ^ date.charCodeAt(i), 16777619);
	return (h >>> 0) / 2 ** 32;
}

/** The emulated day of `date` (YYYY-MM-DD in `timeZone`): its scenario, simulation seed and start (epoch ms). */
export function emulatedDay(scenario: Scenario, date: string, seed: number, timeZone: string): { scenario: Scenario; seed: number; startTs: number; volume: number } {
	const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
	const volume = (WEEKDAY_VOLUME[weekday] ?? 1) * (0.9 + 0.2 * unit(date, seed));
	return {
		scenario: scaleArrivals(scenario, volume),
		seed: Math.floor(unit(date, seed + 1) * 2 ** 31),
		startTs: fromZonedTime(`${date}T${EMULATED_OPENING}:00`, timeZone).getTime(),
		volume
	};
}
