import bundledJson from '../../../sim/scenarios/multichannel-day.json';
import { formatErrors, validateScenario, type Scenario } from '../../../sim/scenario';
import type { BaselineSource } from './plan-doc';
import { loadTraceDay } from '../../../sim/replay/load';
import { prepareReplay, traceReplay } from '../../../sim/replay/replay';
import type { Actual } from '../../../sim/replay/actual';
import { RECORDED_LOGINS } from '../../../sim/replay/recorded-staffing';
import type { HistoryTraceResponse } from '../domain/history';

/**
 * Where a baseline comes from: the bundled multi-channel day, a scenario file the planner opens,
 * or (with the history of issue 10/12) a stored day. Each returns a validated scenario, a label
 * in words and the clock time of the day's start.
 */

/** A loaded baseline. */
export interface Baseline {
	readonly scenario: Scenario;
	readonly source: BaselineSource;
	readonly label: string;
	/** Clock time of second 0, seconds after midnight. */
	readonly dayStart: number;
	/** For a recorded day: what it recorded (the calibration compares the replay with it) and how its staffing was found. */
	readonly recorded?: RecordedBaseline;
}

/** What a recorded day brings besides its scenario. */
export interface RecordedBaseline {
	readonly actual: Actual;
	/** The staffing method(s) in words, as the estimate states them. */
	readonly staffing: string;
	/** True when the staffing was estimated from the contacts, not recorded from agent states. */
	readonly estimated: boolean;
}

/** The bundled day (08:00–20:00). */
export function bundledBaseline(): Baseline {
	const v = validateScenario(bundledJson);
	if (!v.ok) throw new Error(`the bundled scenario is invalid: ${formatErrors(v.errors)}`);
	return { scenario: v.scenario, source: { kind: 'bundled', id: 'multichannel-day' }, label: 'bundled multi-channel day (08:00–20:00)', dayStart: 8 * 3600 };
}

/** A scenario JSON file (the simulator's format); errors name the field. */
export function scenarioFileBaseline(name: string, text: string): Baseline {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw new Error(`${name.slice(0, 100)} is not JSON: ${(e as Error).message.slice(0, 200)}`);
	}
	const v = validateScenario(value);
	if (!v.ok) throw new Error(`${name.slice(0, 100)} is not a valid scenario: ${formatErrors(v.errors).slice(0, 600)}`);
	return { scenario: v.scenario, source: { kind: 'file', name: name.slice(0, 200) }, label: `file ${name.slice(0, 100)}`, dayStart: 0 };
}

/**
 * A recorded day from a trace file (Anonymous Bank call log or Sightline JSONL events; `day`
 * picks one of a multi-day file): the replay scenario with its own recorded or estimated
 * staffing, the label saying which and how.
 */
export function traceFileBaseline(name: string, text: string, day?: string): Baseline {
	const loaded = loadTraceDay(text, day ? { day } : {});
	if (!loaded.ok) throw new Error(`${name.slice(0, 100)}: ${loaded.message.replace(/--day/g, 'the day field').slice(0, 400)}`);
	const r = prepareReplay(loaded);
	const methods = [...new Set(Object.values(r.staffing).map((s) => s.method))];
	const label = `${loaded.day.date ?? 'day'} from ${name.slice(0, 60)} (${loaded.format}); staffing ${methods.join('; ') || 'recorded'}`;
	return { scenario: r.scenario, source: { kind: 'file', name: name.slice(0, 200) }, label, dayStart: 0, recorded: recordedOf(r.actual, methods) };
}

function recordedOf(actual: Actual, methods: readonly string[]): RecordedBaseline {
	return { actual, staffing: methods.join('; ') || RECORDED_LOGINS, estimated: methods.some((m) => m !== RECORDED_LOGINS) };
}

/**
 * A stored day (`GET /api/history/days/:date/trace`) as a baseline: the replay module's converter
 * and day scenario, with the day's recorded staffing when it has agent states, else estimated
 * from its contacts; second 0 is the day's local midnight.
 */
export function storedDayBaseline(trace: HistoryTraceResponse): Baseline {
	if (!trace.contacts.some((c) => c.outcome !== 'open')) throw new Error(`the stored day ${trace.date} (${trace.source}) has no finished contacts to replay`);
	const built = traceReplay(trace, { name: `${trace.date} (${trace.source})` });
	const methods = [...new Set(Object.values(built.staffing).map((s) => s.method))];
	const rec = recordedOf(built.actual, methods);
	const label = `${trace.date} from history (${trace.source}); staffing ${rec.estimated ? 'estimated' : 'recorded'}`;
	return { scenario: built.scenario, source: { kind: 'day', date: trace.date, source: trace.source }, label, dayStart: 0, recorded: rec };
}

/** Fetches a stored day's trace (`GET /api/history/days/:date/trace`). */
export type TraceFetcher = (date: string, source: string | undefined) => Promise<HistoryTraceResponse>;

/** The baseline a saved or shared plan names, when it can be loaded again without the user. */
export async function baselineFor(src: BaselineSource, fetchTrace: TraceFetcher): Promise<Baseline> {
	switch (src.kind) {
		case 'bundled':
			return bundledBaseline();
		case 'day':
			return storedDayBaseline(await fetchTrace(src.date, src.source));
		case 'forecast':
			throw new Error(`this plan starts from the forecast of ${src.date}: plan that day again (Plan a future day), or open the plan saved on the server, which keeps its baseline`);
		case 'file':
			throw new Error(`this plan was made on the file ${src.name.slice(0, 100)}: open that file, then load the plan again`);
	}
}
