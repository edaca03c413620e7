import type { RecordedContact } from './day';

/**
 * Staffing of a day whose logins were not recorded (the Anonymous Bank files), estimated from the
 * calls alone. Counting every agent seen serving in an interval overstates who was available
 * (after-call work, breaks and specialists are invisible), and a replay on it is far too
 * optimistic. What the calls do show: while any call waits, nobody who could take it was free,
 * so the number busy then is the capacity; between waits, capacity was at least the most seen busy
 * in that stretch. This "effective availability" is averaged per interval.
 */

/** Name of the method, as reported with the figures. */
export const EFFECTIVE_AVAILABILITY =
	'effective availability: busy count while any call waits; between waits, the most busy in that stretch; time-averaged per interval';

/** Staffing per interval, with how it was found. */
export interface StaffingEstimate {
	readonly method: string;
	/** Seconds per interval. */
	readonly interval: number;
	/** Effective agents available, time-averaged per interval (fractional). */
	readonly available: readonly number[];
	/** Distinct agents seen answering in each interval (the naive count, for comparison). */
	readonly seen: readonly number[];
	/** Share of each interval during which some call waited. */
	readonly waitingShare: readonly number[];
	/**
	 * The estimate before averaging, as staffing steps (from `at` on, `count` available); absent
	 * when the staffing was recorded rather than estimated.
	 */
	readonly steps?: readonly StaffingStep[];
}

/** From `at` (seconds) on, `count` agents available. */
export interface StaffingStep {
	readonly at: number;
	readonly count: number;
}

interface Change {
	t: number;
	busy: number;
	waiting: number;
}

/** Distinct agents seen answering in each interval (by answer time; an unrecorded agent counts as one). */
export function seenAnswering(contacts: readonly RecordedContact[], horizon: number, interval: number): number[] {
	const I = Math.ceil(horizon / interval);
	const sets = Array.from({ length: I }, () => new Set<string>());
	for (const c of contacts) {
		if (c.outcome !== 'answered') continue;
		const iv = Math.min(I - 1, Math.max(0, Math.floor((c.at + c.wait) / interval)));
		sets[iv]?.add(c.agent ?? '?');
	}
	return sets.map((s) => s.size);
}

/**
 * Estimates staffing over `[0, horizon)` from the contacts' answer times, handle (+ wrap-up) and
 * waits. Contacts whose handle is unknown count as busy for no time.
 */
export function estimateStaffing(contacts: readonly RecordedContact[], horizon: number, interval: number): StaffingEstimate {
	const changes: Change[] = [];
	const I = Math.ceil(horizon / interval);
	// Times summed from parts (offer + wait + handle) are rounded to the record's millisecond, so an
	// agent's end and next start coincide instead of overlapping by a float's last bit (which
	// would count one agent twice at that instant).
	const ms = (x: number) => Math.round(x * 1000) / 1000;
	for (const c of contacts) {
		if (c.wait > 0) {
			changes.push({ t: ms(c.at), busy: 0, waiting: 1 }, { t: ms(c.at + c.wait), busy: 0, waiting: -1 });
		}
		if (c.outcome !== 'answered') continue;
		const start = ms(c.at + c.wait);
		const dur = (c.handle ?? 0) + (c.wrapup ?? 0);
		if (dur > 0) changes.push({ t: start, busy: 1, waiting: 0 }, { t: ms(start + dur), busy: -1, waiting: 0 });
	}
	changes.sort((a, b) => a.t - b.t);

	// Segments of constant (busy, waiting), then capacity per segment.
	const segStart: number[] = [];
	const segEnd: number[] = [];
	const segBusy: number[] = [];
	const segWaiting: boolean[] = [];
	let busy = 0;
	let waiting = 0;
	let t = 0;
	for (let i = 0; i < changes.length; ) {
		const at = changes[i]?.t ?? 0;
		if (at > t) {
			segStart.push(t);
			segEnd.push(at);
			segBusy.push(busy);
			segWaiting.push(waiting > 0);
			t = at;
		}
		while (i < changes.length && changes[i]?.t === at) {
			busy += changes[i]?.busy ?? 0;
			waiting += changes[i]?.waiting ?? 0;
			i++;
		}
	}
	if (t < horizon) {
		segStart.push(t);
		segEnd.push(horizon);
		segBusy.push(busy);
		segWaiting.push(waiting > 0);
	}
	const cap = segBusy.slice();
	for (let i = 0; i < cap.length; ) {
		if (segWaiting[i]) {
			i++;
			continue;
		}
		let j = i;
		let most = 0;
		while (j < cap.length && !segWaiting[j]) most = Math.max(most, segBusy[j++] ?? 0);
		for (let k = i; k < j; k++) cap[k] = most;
		i = j;
	}

	const available = new Array<number>(I).fill(0);
	const waitTime = new Array<number>(I).fill(0);
	for (let s = 0; s < cap.length; s++) {
		let a = Math.max(0, segStart[s] ?? 0);
		const b = Math.min(horizon, segEnd[s] ?? 0);
		while (a < b) {
			const iv = Math.floor(a / interval);
			const e = Math.min(b, (iv + 1) * interval);
			available[iv] = (available[iv] ?? 0) + (cap[s] ?? 0) * (e - a);
			if (segWaiting[s]) waitTime[iv] = (waitTime[iv] ?? 0) + (e - a);
			a = e;
		}
	}
	const steps: StaffingStep[] = [];
	for (let s = 0; s < cap.length; s++) {
		const at = Math.max(0, segStart[s] ?? 0);
		if (at >= horizon) break;
		const count = cap[s] ?? 0;
		const last = steps[steps.length - 1];
		if (last?.count === count) continue;
		if (last && last.at === at) steps[steps.length - 1] = { at, count };
		else steps.push({ at, count });
	}
	const len = (i: number) => Math.min(interval, horizon - i * interval);
	return {
		method: EFFECTIVE_AVAILABILITY,
		interval,
		available: available.map((x, i) => x / len(i)),
		seen: seenAnswering(contacts, horizon, interval),
		waitingShare: waitTime.map((x, i) => x / len(i)),
		steps
	};
}

/**
 * Fractional agents per interval as staffing steps: in an interval with 12.4 available, 13 for
 * its first (or, when the next interval has more, last) 40 % and 12 for the rest, so the count
 * time-averages to the estimate.
 */
export function averageSteps(available: readonly number[], interval: number, horizon: number): StaffingStep[] {
	const steps: StaffingStep[] = [];
	const push = (at: number, count: number) => {
		const last = steps[steps.length - 1];
		if (last?.count === count) return;
		if (last && last.at === at) steps[steps.length - 1] = { at, count };
		else steps.push({ at, count });
	};
	available.forEach((x, i) => {
		const start = i * interval;
		const len = Math.min(interval, horizon - start);
		const whole = Math.floor(x + 1e-9);
		const on = Math.max(0, x - whole) * len;
		if (on < 1) return push(start, whole);
		const early = (available[i - 1] ?? 0) >= (available[i + 1] ?? 0);
		if (early) {
			push(start, whole + 1);
			push(start + on, whole);
		} else {
			push(start, whole);
			push(start + len - on, whole + 1);
		}
	});
	return steps;
}
