import type { Scenario } from '../../../sim/scenario';
import { validateScenario, formatErrors } from '../../../sim/scenario';
import type { SlSettings } from '../domain/service-level';
import { resolveSl } from '../domain/service-level';
import type { ForecastDay } from '../forecast/forecast';
import { dayScenario, erlangStaffing, type DayStaffing, type GroupStaffing, type StaffingGroup, type StaffingQueue, type StaffingTarget } from '../forecast/staffing';
import { forecastDayFromJson, type ForecastJson } from '../forecast/wire';
import type { Baseline } from './sources';

/**
 * "Plan a future day": a day of `GET /api/forecast` as what the staffing functions take (the
 * forecast day, its queues with their own SL targets and patience, the agent groups to staff),
 * and the scenarios the planner loads from it: Erlang A's staffing as the first answer, the
 * simulation search's once it has run. Both are ordinary scenarios, editable like any baseline.
 */

/** What `GET /api/forecast` answers (src/server/routes/forecast.ts): the forecast JSON plus each queue's SL settings and patience. */
export interface ForecastAnswer extends ForecastJson {
	readonly sl: Readonly<Record<string, SlSettings>>;
	readonly patience: Readonly<Record<string, number | null>>;
}

/** The inputs of the staffing functions for one forecast day. */
export interface ForecastPlanInput {
	readonly day: ForecastDay;
	readonly intervalSec: number;
	readonly queues: readonly StaffingQueue[];
	/** The day's target: the strictest queue's (queues keep their own). */
	readonly target: StaffingTarget;
	/** Groups to staff (skills and capacity); absent: one pool skilled for every queue. */
	readonly groups?: readonly StaffingGroup[];
}

/**
 * The staffing inputs of `date` in a forecast answer. `template` (the live or bundled center)
 * gives the agent groups to staff when its groups serve every forecast queue; their skills are
 * cut to the forecast's queues.
 */
export function forecastPlanInput(answer: ForecastAnswer, date: string, template?: Pick<Scenario, 'agents'>): ForecastPlanInput {
	const json = answer.days.find((d) => d.date === date);
	if (!json) throw new Error(`the forecast has no day ${date.slice(0, 10)} (it covers ${answer.days.map((d) => d.date).join(', ')})`);
	if (json.closed) throw new Error(`${date} is a ${json.closed}: nothing to staff`);
	const day = forecastDayFromJson(json, answer.days.indexOf(json) + 1);
	const queues: StaffingQueue[] = answer.queues.map((q) => {
		const sl = resolveSl(q.channel, answer.sl[q.id]);
		const p = answer.patience[q.id];
		return {
			id: q.id,
			channel: q.channel,
			patienceMean: p === null || p === undefined ? Infinity : p,
			target: { threshold: sl.threshold, target: sl.target, shortAbandon: sl.shortAbandon, formula: sl.formula }
		};
	});
	const strictest = queues.map((q) => q.target!).sort((a, b) => b.target - a.target || a.threshold - b.threshold)[0];
	if (!strictest) throw new Error('the forecast names no queues');
	const ids = new Set(queues.map((q) => q.id));
	const groups = (template?.agents ?? []).flatMap((g): StaffingGroup[] => {
		const skills = Object.fromEntries(Object.entries(g.skills).filter(([q]) => ids.has(q)));
		return Object.keys(skills).length ? [{ id: g.group, skills, ...(g.capacity ? { capacity: g.capacity } : {}) }] : [];
	});
	const served = new Set(groups.flatMap((g) => Object.keys(g.skills)));
	const covered = queues.every((q) => served.has(q.id));
	return { day, intervalSec: answer.interval, queues, target: strictest, ...(covered && groups.length ? { groups } : {}) };
}

function checked(s: Scenario): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(`the forecast day does not make a valid scenario: ${formatErrors(v.errors).slice(0, 400)}`);
	return v.scenario;
}

/** Erlang A's staffing per group and interval (the first answer, before any simulation). */
export function erlangPlan(input: ForecastPlanInput): { staffing: DayStaffing; baseline: Baseline } {
	const staffing = erlangStaffing(input.day, input.intervalSec, input.queues, input.target, input.groups);
	const ids = input.groups ? input.groups.map((g) => g.id) : null;
	const agents: readonly number[] | GroupStaffing = ids
		? Object.fromEntries(ids.map((id) => [id, staffing.intervals.map((iv) => iv.groups[id]?.erlangA ?? 0)]))
		: staffing.intervals.map((iv) => (iv.offered > 0 ? Math.max(1, iv.erlangA) : 0));
	const scenario = checked(dayScenario(input.day, input.intervalSec, input.queues, input.target, agents, 1, input.groups));
	return { staffing, baseline: forecastBaseline(input, scenario, 'staffing by Erlang A (first answer, not simulated)') };
}

/** The searched staffing's scenario as a baseline. */
export function searchedBaseline(input: ForecastPlanInput, result: DayStaffing): Baseline {
	if (!result.scenario) throw new Error('the staffing search gave no scenario');
	return forecastBaseline(input, checked(result.scenario), `staffing by simulation search (${result.rounds} rounds × ${result.replications} replications)`);
}

function forecastBaseline(input: ForecastPlanInput, scenario: Scenario, how: string): Baseline {
	return {
		scenario: { ...scenario, name: `forecast ${input.day.date}` },
		source: { kind: 'forecast', date: input.day.date },
		label: `forecast ${input.day.date} (${input.day.weekday}, ${Math.round(input.day.offered)} contacts expected); ${how}`,
		dayStart: 0
	};
}
