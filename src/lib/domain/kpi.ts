import type { SlFormula, SlSettings } from './service-level';

/**
 * The KPI definitions of DESIGN.md, in one place for the live floor, the replay and the simulator.
 *
 * KPIs are computed from additive counts (`KpiCounts`), so a queue's intervals add up to its day,
 * queues add up to their channel and channels to the total, with no KPI ever averaged twice.
 * A contact is attributed to the interval in which it was offered. Times are seconds.
 */
export interface KpiCounts {
	/** Contacts queued (a transfer offers the contact again to the receiving queue). */
	offered: number;
	answered: number;
	abandoned: number;
	/** Abandons with wait under the queue's short-abandon cut-off. */
	shortAbandoned: number;
	/** Contacts that left the queue by transfer while waiting. */
	transferred: number;
	/** Answered with wait ≤ the queue's threshold T. */
	answeredWithinT: number;
	/** Abandoned with wait ≤ T. */
	abandonedWithinT: number;
	/** Sum of waits of answered contacts (for ASA). */
	answeredWaitSum: number;
	/** Contacts whose handling (talk + hold + after-contact work) finished, and the sum of it (for AHT). */
	handled: number;
	handleSum: number;
	/** Longest wait of any contact attributed here, answered, abandoned or still waiting. */
	longestWait: number;
	/** Agent-seconds on contacts incl. wrap-up, and available idle agent-seconds (for occupancy). */
	busyTime: number;
	idleTime: number;
	/** Slot-seconds in use and slot-seconds offered by logged-in agents (for slot utilisation). */
	busySlotTime: number;
	offeredSlotTime: number;
	/** Survey answers, and those of 4 or 5 (for CSAT). */
	csatAnswers: number;
	csatPositive: number;
}

/** The KPIs shown on a board or reported by the simulator. `null` where the denominator is zero. */
export interface Kpis {
	readonly offered: number;
	readonly answered: number;
	readonly abandoned: number;
	readonly shortAbandoned: number;
	readonly transferred: number;
	readonly serviceLevel: number | null;
	readonly asa: number | null;
	readonly aht: number | null;
	readonly abandonRate: number | null;
	readonly occupancy: number | null;
	readonly slotUtilisation: number | null;
	readonly longestWait: number;
	readonly csat: number | null;
}

/** Fresh all-zero counts. */
export function emptyCounts(): KpiCounts {
	return {
		offered: 0,
		answered: 0,
		abandoned: 0,
		shortAbandoned: 0,
		transferred: 0,
		answeredWithinT: 0,
		abandonedWithinT: 0,
		answeredWaitSum: 0,
		handled: 0,
		handleSum: 0,
		longestWait: 0,
		busyTime: 0,
		idleTime: 0,
		busySlotTime: 0,
		offeredSlotTime: 0,
		csatAnswers: 0,
		csatPositive: 0
	};
}

/** Counts a contact offered to a queue. */
export function countOffered(c: KpiCounts): void {
	c.offered += 1;
}

/** Counts a contact answered after `wait` seconds in a queue with settings `sl`. */
export function countAnswered(c: KpiCounts, wait: number, sl: SlSettings): void {
	c.answered += 1;
	c.answeredWaitSum += wait;
	if (wait <= sl.threshold) c.answeredWithinT += 1;
	if (wait > c.longestWait) c.longestWait = wait;
}

/** Counts a contact that abandoned after `wait` seconds. */
export function countAbandoned(c: KpiCounts, wait: number, sl: SlSettings): void {
	c.abandoned += 1;
	if (wait < sl.shortAbandon) c.shortAbandoned += 1;
	if (wait <= sl.threshold) c.abandonedWithinT += 1;
	if (wait > c.longestWait) c.longestWait = wait;
}

/** Counts a contact that left the queue by transfer after `wait` seconds. */
export function countTransferred(c: KpiCounts, wait: number): void {
	c.transferred += 1;
	if (wait > c.longestWait) c.longestWait = wait;
}

/** Counts a finished handling of `handle` seconds (talk + hold + after-contact work). */
export function countHandled(c: KpiCounts, handle: number): void {
	c.handled += 1;
	c.handleSum += handle;
}

/** Counts a customer-satisfaction answer (1..5). */
export function countCsat(c: KpiCounts, score: number): void {
	c.csatAnswers += 1;
	if (score >= 4) c.csatPositive += 1;
}

/**
 * Adds agent time: `busy` seconds on contacts (incl. wrap-up), `idle` seconds available with
 * nothing to do, `busySlots`/`offeredSlots` slot-seconds (capacity × time logged in).
 */
export function countAgentTime(
	c: KpiCounts,
	busy: number,
	idle: number,
	busySlots: number,
	offeredSlots: number
): void {
	c.busyTime += busy;
	c.idleTime += idle;
	c.busySlotTime += busySlots;
	c.offeredSlotTime += offeredSlots;
}

/**
 * Adds `from` into `into` (sums, and the max of longest waits). Spelled out field by field: a
 * loop over the keys cost 1.0 of 13 s CPU of a 28-day backfill (bench:history), where history
 * merges one contact's counts at a time; kpi.test.ts checks every field of KpiCounts is summed.
 */
export function mergeCounts(into: KpiCounts, from: Readonly<KpiCounts>): KpiCounts {
	into.offered += from.offered;
	into.answered += from.answered;
	into.abandoned += from.abandoned;
	into.shortAbandoned += from.shortAbandoned;
	into.transferred += from.transferred;
	into.answeredWithinT += from.answeredWithinT;
	into.abandonedWithinT += from.abandonedWithinT;
	into.answeredWaitSum += from.answeredWaitSum;
	into.handled += from.handled;
	into.handleSum += from.handleSum;
	if (from.longestWait > into.longestWait) into.longestWait = from.longestWait;
	into.busyTime += from.busyTime;
	into.idleTime += from.idleTime;
	into.busySlotTime += from.busySlotTime;
	into.offeredSlotTime += from.offeredSlotTime;
	into.csatAnswers += from.csatAnswers;
	into.csatPositive += from.csatPositive;
	return into;
}

/** Sum of many counts. */
export function sumCounts(all: Iterable<Readonly<KpiCounts>>): KpiCounts {
	const out = emptyCounts();
	for (const c of all) mergeCounts(out, c);
	return out;
}

function ratio(num: number, den: number): number | null {
	return den > 0 ? num / den : null;
}

/** Service level of `c` under `formula` (DESIGN.md); null when nothing counts yet. */
export function serviceLevel(c: Readonly<KpiCounts>, formula: SlFormula): number | null {
	switch (formula) {
		case 'abandons-count-against':
			return ratio(c.answeredWithinT, c.answered + c.abandoned - c.shortAbandoned);
		case 'answered-only':
			return ratio(c.answeredWithinT, c.answered);
		case 'offered':
			return ratio(c.answeredWithinT + c.abandonedWithinT, c.offered);
	}
}

/** Abandon rate: (abandoned − short) / (offered − short). */
export function abandonRate(c: Readonly<KpiCounts>): number | null {
	return ratio(c.abandoned - c.shortAbandoned, c.offered - c.shortAbandoned);
}

/** Occupancy: time on contacts (incl. wrap-up) / (that + available idle time). */
export function occupancy(c: Readonly<KpiCounts>): number | null {
	return ratio(c.busyTime, c.busyTime + c.idleTime);
}

/** All KPIs of `c`, service level under `formula`. */
export function computeKpis(c: Readonly<KpiCounts>, formula: SlFormula): Kpis {
	return {
		offered: c.offered,
		answered: c.answered,
		abandoned: c.abandoned,
		shortAbandoned: c.shortAbandoned,
		transferred: c.transferred,
		serviceLevel: serviceLevel(c, formula),
		asa: ratio(c.answeredWaitSum, c.answered),
		aht: ratio(c.handleSum, c.handled),
		abandonRate: abandonRate(c),
		occupancy: occupancy(c),
		slotUtilisation: ratio(c.busySlotTime, c.offeredSlotTime),
		longestWait: c.longestWait,
		csat: ratio(c.csatPositive, c.csatAnswers)
	};
}
