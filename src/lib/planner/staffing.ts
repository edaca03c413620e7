import type { AgentGroupSpec, Scenario } from '../../../sim/scenario';
import { averageSteps } from '../../../sim/replay/staffing';
import { intervalCount, intervalOf } from '../../../sim/scenario';

/**
 * Staffing as a planner reads it: heads per interval and group. The simulator takes a group as
 * `count` agents working `shifts`; the planner edits a step curve per group. These two functions
 * convert between the two, so an edited curve becomes ordinary scenario groups again.
 */

/** Number of intervals of a scenario. */
export function intervalsOf(s: Pick<Scenario, 'horizon' | 'interval'>): number {
	return intervalCount(s.horizon, intervalOf(s));
}

/**
 * Heads of `group` per interval: count × the share of the interval its shifts cover (a shift
 * that ends mid-interval gives a fraction there, which the table shows as it is).
 */
export function staffingOf(s: Pick<Scenario, 'horizon' | 'interval'>, group: AgentGroupSpec): number[] {
	const iv = intervalOf(s);
	const n = intervalsOf(s);
	if (group.staffing) return stepsPerInterval(group.staffing, iv, n, s.horizon);
	const shifts = group.shifts ?? [{ start: 0, end: s.horizon }];
	const out = new Array<number>(n).fill(0);
	for (let i = 0; i < n; i++) {
		const a = i * iv;
		const b = Math.min(s.horizon, a + iv);
		let covered = 0;
		for (const sh of shifts) covered += Math.max(0, Math.min(b, sh.end) - Math.max(a, sh.start));
		out[i] = Math.round(((group.count * covered) / (b - a)) * 100) / 100;
	}
	return out;
}

/** Staffing steps (`agents[].staffing`) time-averaged per interval. */
function stepsPerInterval(steps: readonly { at: number; count: number }[], iv: number, n: number, horizon: number): number[] {
	const out = new Array<number>(n).fill(0);
	steps.forEach((st, k) => {
		const end = Math.min(horizon, steps[k + 1]?.at ?? horizon);
		for (let a = st.at; a < end; ) {
			const i = Math.floor(a / iv);
			const b = Math.min(end, (i + 1) * iv);
			out[i] = (out[i] ?? 0) + (st.count * (b - a)) / (Math.min(horizon, (i + 1) * iv) - i * iv);
			a = b;
		}
	});
	return out.map((x) => Math.round(x * 100) / 100);
}

/** Name of the n-th layer (n ≥ 2) of a group whose curve was split into several shift patterns. */
export function layerName(group: string, n: number): string {
	return `${group}~${n}`;
}

/**
 * Groups that staff `heads` (whole agents per interval; fractions are rounded) with the other
 * properties of `template`. The curve is cut in horizontal layers: all intervals with at least k
 * heads form layer k, and consecutive layers with the same intervals merge into one group of
 * that many agents, so a flat curve stays one group and a step adds one group per distinct level.
 * The first layer keeps the group's name, so overflow rules that name it still apply. A group
 * given as staffing steps (a replayed day) stays one group with steps, fractions kept as the
 * replay keeps them, so the what-if lets agents go as the baseline does (the first to finish
 * leaves) and an interval of 69.4 heads plus 10 is 79.4.
 */
export function groupsForStaffing(
	s: Pick<Scenario, 'horizon' | 'interval'>,
	template: AgentGroupSpec,
	heads: readonly number[]
): AgentGroupSpec[] {
	const iv = intervalOf(s);
	const level = heads.map((h) => Math.max(0, Math.round(h)));
	const levels = [...new Set(level.filter((h) => h > 0))].sort((a, b) => a - b);
	const { shifts: _drop, staffing: steps, ...rest } = template;
	if (levels.length === 0) return [{ ...rest, count: 0 }];
	if (steps) {
		// Fractions kept: an interval of 69.4 heads has 70 for 40 % of it, as the replay's own steps.
		const curve = averageSteps(heads.map((h) => Math.max(0, h)), iv, s.horizon);
		return [{ ...rest, count: Math.max(...curve.map((x) => x.count)), staffing: curve.map((x) => ({ ...x })) }];
	}
	const out: AgentGroupSpec[] = [];
	let below = 0;
	for (const lv of levels) {
		const shifts: { start: number; end: number }[] = [];
		for (let i = 0; i < level.length; i++) {
			if ((level[i] ?? 0) < lv) continue;
			const start = i * iv;
			const end = Math.min(s.horizon, start + iv);
			const last = shifts.at(-1);
			if (last && last.end === start) last.end = end;
			else shifts.push({ start, end });
		}
		const whole = shifts.length === 1 && shifts[0]!.start === 0 && shifts[0]!.end >= s.horizon;
		out.push({
			...rest,
			group: out.length === 0 ? template.group : layerName(template.group, out.length + 1),
			count: lv - below,
			...(whole ? {} : { shifts })
		});
		below = lv;
	}
	return out;
}

/** Scheduled agent-hours of a curve. */
export function agentHours(heads: readonly number[], intervalSeconds: number): number {
	let sum = 0;
	for (const h of heads) sum += h;
	return (sum * intervalSeconds) / 3600;
}
