import { DEFAULT_SCENARIO, EmulatorSource } from './sources/emulator';
import { ReplaySource } from './sources/replay';
import type { Source } from './sources/source';
import type { Store } from './store';
import { clockTimeOn, dayKey, dayStart, formatClock, parseClock } from '../lib/domain/time';
import { EMULATED_OPENING } from './sources/emulated-day';

/** Which playback source feeds the floor (ingest is always on). */
export type SourceOption =
	| { readonly kind: 'none' }
	| {
			readonly kind: 'emulator';
			readonly scenario?: string;
			readonly seed?: number;
			readonly speed?: number;
			/**
			 * `--from`: the clock time (seconds after the center's midnight) at which a demo day's clock
			 * starts today; the day's events since midnight play at once.
			 */
			readonly from?: number;
	  }
	| { readonly kind: 'replay'; readonly trace?: string; readonly day?: string; readonly speed?: number };

/** What building a source may need besides its option. */
export interface SourceContext {
	readonly store: Store;
	readonly timeZone: string;
	readonly resetTime: string;
	readonly now: number;
	readonly log: (line: string) => void;
}

/** Builds the playback source an option names (null for ingest only); throws naming a bad scenario or trace. */
export function createSource(spec: SourceOption, ctx: SourceContext): Source | null {
	switch (spec.kind) {
		case 'none':
			return null;
		case 'emulator': {
			// --from is a clock time: the emulated clock reads it at start, on today's date, and the
			// scenario's day opens at the emulated center's opening time, as on the calendar and in
			// the backfilled days (so 16:00 means eight hours of the day played in).
			const today = dayKey(dayStart(ctx.now, ctx.timeZone), ctx.timeZone);
			const openingSeconds = parseClock(EMULATED_OPENING) ?? 0;
			const opening = clockTimeOn(today, openingSeconds, ctx.timeZone);
			const start = spec.from === undefined ? ctx.now : clockTimeOn(today, spec.from, ctx.timeZone);
			if (spec.from !== undefined && spec.from < openingSeconds)
				throw new Error(`--from ${formatClock(spec.from)} is before the emulated center opens (${EMULATED_OPENING})`);
			return new EmulatorSource({
				scenarioPath: spec.scenario ?? DEFAULT_SCENARIO,
				seed: spec.seed ?? 1,
				speed: spec.speed ?? 1,
				start,
				from: spec.from === undefined ? 0 : (start - opening) / 1000,
				// Real time with no demo offset: the center's own calendar, so a restart continues today.
				calendar: (spec.speed ?? 1) === 1 && spec.from === undefined ? { timeZone: ctx.timeZone, resetTime: ctx.resetTime } : undefined
			});
		}
		case 'replay':
			return new ReplaySource(
				{ trace: spec.trace, day: spec.day, speed: spec.speed ?? 1, timeZone: ctx.timeZone, resetTime: ctx.resetTime, now: ctx.now },
				ctx.store,
				ctx.log
			);
	}
}

