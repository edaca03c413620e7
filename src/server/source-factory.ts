import { DEFAULT_SCENARIO, EmulatorSource } from './sources/emulator';
import { ReplaySource } from './sources/replay';
import type { Source } from './sources/source';
import type { Store } from './store';

/** Which playback source feeds the floor (ingest is always on). */
export type SourceOption =
	| { readonly kind: 'none' }
	| {
			readonly kind: 'emulator';
			readonly scenario?: string;
			readonly seed?: number;
			readonly speed?: number;
			/** Seconds into the emulated day at start; the events before play at once. */
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
		case 'emulator':
			return new EmulatorSource({
				scenarioPath: spec.scenario ?? DEFAULT_SCENARIO,
				seed: spec.seed ?? 1,
				speed: spec.speed ?? 1,
				start: ctx.now,
				from: spec.from ?? 0,
				// Real time with no demo offset: the center's own calendar, so a restart continues today.
				calendar: (spec.speed ?? 1) === 1 && spec.from === undefined ? { timeZone: ctx.timeZone, resetTime: ctx.resetTime } : undefined
			});
		case 'replay':
			return new ReplaySource(
				{ trace: spec.trace, day: spec.day, speed: spec.speed ?? 1, timeZone: ctx.timeZone, resetTime: ctx.resetTime, now: ctx.now },
				ctx.store,
				ctx.log
			);
	}
}
