import type { Scenario } from '../../../sim/scenario';
import { applyChanges, checkChanges } from '../../lib/planner/changes';
import { describeChanges } from '../../lib/planner/diff';
import { bundledBaseline } from '../../lib/planner/sources';
import type { LivePlan, SavedPlan } from './plan-store';

/**
 * Turns a saved plan into what goes live: the scenario's routing and staffing (its baseline with
 * its changes laid over), from an effective date on chosen weekdays, with the changes in words.
 */

/** Apply options as the request gives them. */
export interface ApplyRequest {
	readonly effective: string;
	readonly weekdays: readonly number[];
}

/** Checks the effective date and weekdays; returns an error message or null. */
export function checkApply(x: unknown): { ok: true; value: ApplyRequest } | { ok: false; error: string } {
	const o = (x ?? {}) as Record<string, unknown>;
	const effective = o.effective;
	if (typeof effective !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(effective) || Number.isNaN(Date.parse(`${effective}T00:00:00Z`))) {
		return { ok: false, error: 'effective: expected a date YYYY-MM-DD' };
	}
	const wd = o.weekdays ?? [1, 2, 3, 4, 5, 6, 7];
	if (!Array.isArray(wd) || wd.length === 0 || wd.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
		return { ok: false, error: 'weekdays: expected a non-empty list of ISO weekdays 1 (Monday) … 7 (Sunday)' };
	}
	return { ok: true, value: { effective, weekdays: [...new Set(wd as number[])].sort() } };
}

/** The baseline a saved plan stands on. */
export function baselineOf(p: SavedPlan): Scenario {
	if (p.baseline) return p.baseline;
	if (p.doc.source.kind === 'bundled') return bundledBaseline().scenario;
	throw new Error(`plan ${p.id} v${p.version} has no baseline stored (source ${p.doc.source.kind})`);
}

/** The live plan a saved plan publishes; throws with a readable message when its changes do not fit its baseline. */
export function livePlanOf(p: SavedPlan, req: ApplyRequest): LivePlan {
	const base = baselineOf(p);
	const c = checkChanges(base, p.doc.changes);
	if (!c.ok) throw new Error(`plan changes do not fit its baseline: ${c.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
	const s = applyChanges(base, c.changes, p.doc.name);
	return {
		planId: p.id,
		planVersion: p.version,
		name: p.doc.name,
		effective: req.effective,
		weekdays: req.weekdays,
		routing: s.routing ?? { policy: 'longest-idle' },
		agents: s.agents,
		queues: s.queues.map((q) => ({
			id: q.id,
			...(q.priority !== undefined ? { priority: q.priority } : {}),
			...(q.aging !== undefined ? { aging: q.aging } : {}),
			...(q.overflow ? { overflow: q.overflow } : {}),
			...(q.sl ? { sl: q.sl } : {})
		})),
		changes: describeChanges(base, c.changes, p.doc.dayStart)
	};
}

/** A source that can follow a published plan at once (the emulator). */
export interface PlanFollower {
	followPlan(plan: Pick<LivePlan, 'routing' | 'agents' | 'queues'>): void;
}

/** Whether a source follows plans. */
export function isPlanFollower(x: unknown): x is PlanFollower {
	return typeof (x as Partial<PlanFollower> | null)?.followPlan === 'function';
}
