import { CHANNELS, type Channel } from '../domain/channels';
import { emptyCounts, type KpiCounts } from '../domain/kpi';
import type { SlFormula } from '../domain/service-level';
import type { RunResult, ScopeCounts } from '../../../sim/results';

/**
 * Replication results packed into one Float64Array, so they cross from a worker to the page and
 * on to the analysing worker as a transfer (no copy, no object graph for the page thread to
 * rebuild). The layout (scopes, formulas, sizes) is the same for every replication of a scenario.
 */

/** The count fields in packing order. */
const FIELDS = Object.keys(emptyCounts()) as (keyof KpiCounts)[];

/** What the numbers mean. */
export interface PackLayout {
	readonly name: string;
	readonly interval: number;
	readonly intervals: number;
	/** Scope keys in order: "total", "q:<id>", "c:<channel>". */
	readonly scopes: readonly string[];
	readonly formulas: readonly SlFormula[];
}

/** Replications packed: per replication [contacts, events, then scope × interval × field]. */
export interface PackedRuns {
	readonly layout: PackLayout;
	readonly data: Float64Array;
	readonly count: number;
}

function scopesOf(r: RunResult): [string, ScopeCounts][] {
	return [
		['total', r.total],
		...Object.entries(r.queues).map(([k, v]) => [`q:${k}`, v] as [string, ScopeCounts]),
		...CHANNELS.flatMap((c) => (r.channels[c] ? [[`c:${c}`, r.channels[c]!] as [string, ScopeCounts]] : []))
	];
}

/** Packs replications of one scenario. */
export function packRuns(runs: readonly RunResult[]): PackedRuns {
	const first = runs[0];
	if (!first) throw new RangeError('nothing to pack');
	const scopes = scopesOf(first);
	const per = 2 + scopes.length * first.intervals * FIELDS.length;
	const data = new Float64Array(per * runs.length);
	let o = 0;
	for (const r of runs) {
		data[o++] = r.contacts;
		data[o++] = r.events;
		for (const [, s] of scopesOf(r)) for (const c of s.intervals) for (const f of FIELDS) data[o++] = c[f];
	}
	return {
		layout: { name: first.name, interval: first.interval, intervals: first.intervals, scopes: scopes.map(([k]) => k), formulas: scopes.map(([, s]) => s.formula) },
		data,
		count: runs.length
	};
}

/** The replications back as RunResults. */
export function unpackRuns(p: PackedRuns): RunResult[] {
	const { layout: L, data } = p;
	let o = 0;
	const out: RunResult[] = [];
	for (let r = 0; r < p.count; r++) {
		const contacts = data[o++] ?? 0;
		const events = data[o++] ?? 0;
		const queues: Record<string, ScopeCounts> = {};
		const channels: Partial<Record<Channel, ScopeCounts>> = {};
		let total: ScopeCounts | null = null;
		L.scopes.forEach((key, s) => {
			const intervals: KpiCounts[] = [];
			for (let i = 0; i < L.intervals; i++) {
				const c = emptyCounts();
				for (const f of FIELDS) c[f] = data[o++] ?? 0;
				intervals.push(c);
			}
			const sc: ScopeCounts = { formula: L.formulas[s] ?? 'abandons-count-against', intervals };
			if (key === 'total') total = sc;
			else if (key.startsWith('q:')) queues[key.slice(2)] = sc;
			else channels[key.slice(2) as Channel] = sc;
		});
		out.push({ name: L.name, interval: L.interval, intervals: L.intervals, total: total!, queues, channels, contacts, events });
	}
	return out;
}
