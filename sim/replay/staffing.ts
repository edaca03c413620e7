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
}

interface Change {
	t: number;
	busy: number;
	waiting: number;
}

/**
 * Estimates staffing over `[0, horizon)` from the contacts' answer times, handle (+ wrap-up) and
 * waits. Contacts whose handle is unknown count as busy for no time.
 */
export function estimateStaffing(contacts: readonly RecordedContact[], horizon: number, interval: number): StaffingEstimate {
	const changes: Change[] = [];
	const seenSets: Set<string>[] = [];
	const I = Math.ceil(horizon / interval);
	for (let i = 0; i < I; i++) seenSets.push(new Set());
	for (const c of contacts) {
		if (c.wait > 0) {
			changes.push({ t: c.at, busy: 0, waiting: 1 }, { t: c.at + c.wait, busy: 0, waiting: -1 });
		}
		if (c.outcome !== 'answered') continue;
		const start = c.at + c.wait;
		const dur = (c.handle ?? 0) + (c.wrapup ?? 0);
		if (dur > 0) changes.push({ t: start, busy: 1, waiting: 0 }, { t: start + dur, busy: -1, waiting: 0 });
		const iv = Math.min(I - 1, Math.max(0, Math.floor(start / interval)));
		seenSets[iv]?.add(c.agent ?? '?');
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
	const len = (i: number) => Math.min(interval, horizon - i * interval);
	return {
		method: EFFECTIVE_AVAILABILITY,
		interval,
		available: available.map((x, i) => x / len(i)),
		seen: seenSets.map((s) => s.size),
		waitingShare: waitTime.map((x, i) => x / len(i))
	};
}

/** One agent group's logged-in periods. */
export interface Shift {
	readonly start: number;
	readonly end: number;
}

/**
 * Turns fractional agents per interval into whole agents with shifts: in an interval with 12.4
 * available, agents 1–12 are on all of it and agent 13 for its first 40 %. Returns per agent its
 * merged shifts (agents never on are left out), so the capacity time-averages to the estimate.
 */
export function agentShifts(available: readonly number[], interval: number, horizon: number): Shift[][] {
	const most = Math.ceil(Math.max(0, ...available) - 1e-9);
	const agents: Shift[][] = [];
	for (let k = 0; k < most; k++) {
		const shifts: Shift[] = [];
		const share = (i: number) => Math.min(1, Math.max(0, (available[i] ?? 0) - k));
		available.forEach((_, i) => {
			const start = i * interval;
			const len = Math.min(interval, horizon - start);
			const on = share(i) * len;
			if (on < 1) return;
			// A part-interval goes next to a neighbour the agent is on for, so shifts are few: every
			// shift end lets an agent run on with a contact in hand, which adds capacity.
			const atStart = share(i - 1) >= share(i + 1);
			const a = atStart ? start : start + len - on;
			const b = a + on;
			const last = shifts[shifts.length - 1];
			if (last && last.end >= a - 1e-9) shifts[shifts.length - 1] = { start: last.start, end: b };
			else shifts.push({ start: a, end: b });
		});
		if (shifts.length) agents.push(shifts);
	}
	return agents;
}
