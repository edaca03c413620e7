import type { Scenario } from '../../../sim/scenario';
import { intervalOf } from '../../../sim/scenario';
import type { PlanChanges } from './changes';
import { channelsOf } from './changes';
import { intervalsOf, staffingOf } from './staffing';
import { clockOfDay as clock } from './format';

/**
 * The changes of a plan in words, one line per change, against the baseline: what a planner
 * reads before running and what a supervisor confirms before applying.
 */

/** One readable change. */
export interface DiffLine {
	/** What it is about: "Staffing · chat", "billing", "Routing". */
	readonly subject: string;
	/** Baseline → scenario in words. */
	readonly text: string;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const pct = (x: number) => `${x > 0 ? '+' : ''}${num(x)} %`;
const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${num(Math.abs(x))}`;

/** Consecutive intervals with the same value, as [from, to) index runs. */
function runs<T>(xs: readonly T[], same: (a: T, b: T) => boolean): { from: number; to: number; value: T }[] {
	const out: { from: number; to: number; value: T }[] = [];
	xs.forEach((x, i) => {
		const last = out.at(-1);
		if (last && last.to === i && same(last.value, x)) last.to = i + 1;
		else out.push({ from: i, to: i + 1, value: x });
	});
	return out;
}

/** Every change of `c` against `base`, in words; `dayStart` is the clock time of second 0. */
export function describeChanges(base: Scenario, c: PlanChanges, dayStart = 0): DiffLine[] {
	const out: DiffLine[] = [];
	const iv = intervalOf(base);
	const n = intervalsOf(base);
	const span = (from: number, to: number) => (from === 0 && to === n ? 'all day' : `${clock(dayStart + from * iv)}–${clock(dayStart + to * iv)}`);

	for (const g of base.agents) {
		const heads = c.staffing?.[g.group];
		if (!heads) continue;
		const was = staffingOf(base, g);
		const d = heads.map((h, i) => ({ from: was[i] ?? 0, to: h }));
		for (const r of runs(d, (a, b) => a.from === b.from && a.to === b.to)) {
			if (r.value.from === r.value.to) continue;
			out.push({
				subject: `Staffing · ${g.group}`,
				text: `${span(r.from, r.to)}: ${num(r.value.from)} → ${num(r.value.to)} agents (${signed(r.value.to - r.value.from)})`
			});
		}
	}
	if (c.shrinkage) out.push({ subject: 'Shrinkage', text: `0 % → ${num(c.shrinkage * 100)} % of scheduled agents unavailable` });
	for (const g of base.agents) {
		const sk = c.skills?.[g.group];
		if (!sk) continue;
		const parts: string[] = [];
		for (const q of new Set([...Object.keys(g.skills), ...Object.keys(sk)])) {
			const a = g.skills[q];
			const b = sk[q];
			if (a === b) continue;
			parts.push(a === undefined ? `adds ${q} (level ${b})` : b === undefined ? `drops ${q}` : `${q} level ${a} → ${b}`);
		}
		if (parts.length) out.push({ subject: `Skills · ${g.group}`, text: parts.join('; ') });
	}
	for (const [ch, cap] of Object.entries(c.concurrency ?? {})) {
		const was = [...new Set(base.agents.filter((g) => channelsOf(base, g).has(ch as never)).map((g) => g.capacity?.[ch as 'chat'] ?? 1))];
		out.push({ subject: `Concurrency · ${ch}`, text: `${was.join('/') || '1'} → ${cap} at a time per agent` });
	}
	if (c.routing && c.routing !== (base.routing?.policy ?? 'longest-idle')) {
		out.push({ subject: 'Routing', text: `${base.routing?.policy ?? 'longest-idle'} → ${c.routing}` });
	}
	for (const q of base.queues) {
		const qc = c.queues?.[q.id];
		if (!qc) continue;
		const sub = q.id;
		if (qc.slTarget !== undefined && qc.slTarget !== (q.sl?.target ?? 0.8)) out.push({ subject: sub, text: `SL target ${num((q.sl?.target ?? 0.8) * 100)} % → ${num(qc.slTarget * 100)} %` });
		if (qc.slThreshold !== undefined && qc.slThreshold !== q.sl?.threshold) out.push({ subject: sub, text: `SL threshold ${q.sl?.threshold ?? 'default'} s → ${qc.slThreshold} s` });
		if (qc.priority !== undefined && qc.priority !== (q.priority ?? 0)) out.push({ subject: sub, text: `priority ${q.priority ?? 0} → ${qc.priority}` });
		if (qc.aging !== undefined && qc.aging !== (q.aging ?? 0)) out.push({ subject: sub, text: `aging ${q.aging ?? 0} → ${qc.aging} points per second waited` });
		if (qc.overflow !== undefined) {
			const fmt = (o: readonly { after: number; groups: readonly string[] }[] | undefined) =>
				o?.length ? o.map((x) => `after ${x.after} s to ${x.groups.join(', ')}`).join('; ') : 'no overflow';
			const a = fmt(q.overflow);
			const b = fmt(qc.overflow);
			if (a !== b) out.push({ subject: sub, text: `overflow ${a} → ${b}` });
		}
		if (typeof qc.volumePct === 'number' && qc.volumePct !== 0) out.push({ subject: sub, text: `volume ${pct(qc.volumePct)} all day` });
		else if (Array.isArray(qc.volumePct)) {
			for (const r of runs(qc.volumePct, (a, b) => a === b)) if (r.value !== 0) out.push({ subject: sub, text: `volume ${pct(r.value)} ${span(r.from, r.to)}` });
		}
		if (qc.ahtPct) out.push({ subject: sub, text: `handle time ${pct(qc.ahtPct)}` });
	}
	return out;
}
