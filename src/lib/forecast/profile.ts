import { weekdayOf } from './calendar';
import type { Series } from './series';

/**
 * How a day's volume spreads over intervals and queues, and how long contacts take.
 *
 * - Intraday shape per weekday: each day's share per interval, averaged over past days of the
 *   same weekday with weights halving every three weeks. Weekdays of the same kind (full days:
 *   a weekday factor at least half the largest) also lend each other one day's worth of shape,
 *   so two or three weeks of history do not make a jagged profile.
 * - Queue mix per weekday and interval: the share of each queue in that interval, pulled toward
 *   the queue's share of the whole day by a prior worth a few contacts (sparse queues).
 * - AHT per queue and interval: handle-time sum / handled over recent days (half-life two
 *   weeks), pulled toward the queue's AHT over the same days by a prior worth 20 contacts.
 */

export interface Profiles {
	/** Share of the day per interval, per weekday (sums to 1, or all 0 for a closed weekday). */
	readonly shape: readonly Float64Array[];
	/** Share of each queue per interval, per weekday: [w][q * intervals + i]; Σ over q = 1. */
	readonly queueShare: readonly Float64Array[];
	/** Expected AHT per queue and interval, seconds (NaN when a queue never had a handled contact). */
	readonly aht: Float64Array;
	/** Weekdays that borrowed shape from each other. */
	readonly pooled: readonly number[];
}

const SHAPE_HALF_LIFE_DAYS = 21;
const AHT_HALF_LIFE_DAYS = 14;
/** Days' worth of pooled shape mixed into each full weekday's own. */
const SHAPE_POOL_DAYS = 1;
/** Contacts' worth of the day-level queue mix mixed into each interval's mix. */
const MIX_PRIOR = 5;
/** Handled contacts' worth of the queue's AHT mixed into each interval's AHT. */
const AHT_PRIOR = 20;

/** Estimates profiles from the usable days of `s`; `factors` tell full days from short ones. */
export function fitProfiles(s: Series, usable: readonly boolean[], factors: readonly number[]): Profiles {
	const I = s.intervals;
	const Q = s.queues.length;
	const n = s.offered.length;
	const own = Array.from({ length: 7 }, () => new Float64Array(I));
	const ownWeight = new Array<number>(7).fill(0);
	const mixNum = Array.from({ length: 7 }, () => new Float64Array(Q * I));
	const mixDen = Array.from({ length: 7 }, () => new Float64Array(I));
	const dayMix = Array.from({ length: 7 }, () => new Float64Array(Q));
	const handled = new Float64Array(Q * I);
	const handleSum = new Float64Array(Q * I);
	const qHandled = new Float64Array(Q);
	const qSum = new Float64Array(Q);
	const totalPerInterval = new Float64Array(I);
	for (let d = 0; d < n; d++) {
		if (!usable[d]) continue;
		const o = s.offered[d];
		const h = s.handled[d];
		const hs = s.handleSum[d];
		if (!o || !h || !hs) continue;
		const w = weekdayOf(s.firstDay + d);
		const age = n - 1 - d;
		const ws = Math.pow(0.5, age / SHAPE_HALF_LIFE_DAYS);
		const wa = Math.pow(0.5, age / AHT_HALF_LIFE_DAYS);
		totalPerInterval.fill(0);
		let total = 0;
		for (let q = 0; q < Q; q++) {
			for (let i = 0; i < I; i++) {
				const k = q * I + i;
				const v = o[k] ?? 0;
				totalPerInterval[i] = (totalPerInterval[i] ?? 0) + v;
				total += v;
				mixNum[w]![k] = (mixNum[w]![k] ?? 0) + ws * v;
				dayMix[w]![q] = (dayMix[w]![q] ?? 0) + ws * v;
				handled[k] = (handled[k] ?? 0) + wa * (h[k] ?? 0);
				handleSum[k] = (handleSum[k] ?? 0) + wa * (hs[k] ?? 0);
				qHandled[q] = (qHandled[q] ?? 0) + wa * (h[k] ?? 0);
				qSum[q] = (qSum[q] ?? 0) + wa * (hs[k] ?? 0);
			}
		}
		if (total <= 0) continue;
		for (let i = 0; i < I; i++) {
			own[w]![i] = (own[w]![i] ?? 0) + (ws * (totalPerInterval[i] ?? 0)) / total;
			mixDen[w]![i] = (mixDen[w]![i] ?? 0) + ws * (totalPerInterval[i] ?? 0);
		}
		ownWeight[w] = (ownWeight[w] ?? 0) + ws;
	}
	const maxFactor = Math.max(...factors);
	const pooled = factors.map((f, w) => (f > 0 && f >= maxFactor / 2 ? w : -1)).filter((w) => w >= 0);
	const pool = new Float64Array(I);
	let poolWeight = 0;
	for (const w of pooled) {
		for (let i = 0; i < I; i++) pool[i] = (pool[i] ?? 0) + (own[w]![i] ?? 0);
		poolWeight += ownWeight[w] ?? 0;
	}
	const shape = own.map((acc, w) => {
		const out = new Float64Array(I);
		if ((factors[w] ?? 0) <= 0) return out;
		const ow = ownWeight[w] ?? 0;
		const inPool = pooled.includes(w) && poolWeight > 0;
		const k = inPool ? (ow > 0 ? SHAPE_POOL_DAYS : 1) : 0;
		let sum = 0;
		for (let i = 0; i < I; i++) {
			const mine = ow > 0 ? (acc[i] ?? 0) / ow : 0;
			const theirs = inPool ? (pool[i] ?? 0) / poolWeight : 0;
			const v = ow + k > 0 ? (ow * mine + k * theirs) / (ow + k) : 0;
			out[i] = v;
			sum += v;
		}
		if (sum > 0) for (let i = 0; i < I; i++) out[i] = (out[i] ?? 0) / sum;
		return out;
	});
	// Day-level queue mix over all weekdays, the prior of weekdays with little history of their own.
	const allMix = new Float64Array(Q);
	for (const m of dayMix) for (let q = 0; q < Q; q++) allMix[q] = (allMix[q] ?? 0) + (m[q] ?? 0);
	const allSum = allMix.reduce((a, b) => a + b, 0);
	const queueShare = mixNum.map((num, w) => {
		const dm = dayMix[w]!;
		const dmSum = dm.reduce((a, b) => a + b, 0);
		const prior = Float64Array.from({ length: Q }, (_, q) =>
			dmSum > 0 ? (dm[q] ?? 0) / dmSum : allSum > 0 ? (allMix[q] ?? 0) / allSum : 1 / Math.max(1, Q)
		);
		const out = new Float64Array(Q * I);
		for (let i = 0; i < I; i++) {
			const den = (mixDen[w]![i] ?? 0) + MIX_PRIOR;
			for (let q = 0; q < Q; q++) out[q * I + i] = ((num[q * I + i] ?? 0) + MIX_PRIOR * (prior[q] ?? 0)) / den;
		}
		return out;
	});
	const aht = new Float64Array(Q * I);
	for (let q = 0; q < Q; q++) {
		const qa = (qHandled[q] ?? 0) > 0 ? (qSum[q] ?? 0) / (qHandled[q] ?? 1) : NaN;
		for (let i = 0; i < I; i++) {
			const k = q * I + i;
			aht[k] = Number.isNaN(qa) ? NaN : ((handleSum[k] ?? 0) + AHT_PRIOR * qa) / ((handled[k] ?? 0) + AHT_PRIOR);
		}
	}
	return { shape, queueShare, aht, pooled };
}
