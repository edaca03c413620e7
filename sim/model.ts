import { CHANNELS, EXCLUSIVE_CHANNELS, type Channel } from '../src/lib/domain/channels';
import { resolveSl, type SlFormula, type SlSettings } from '../src/lib/domain/service-level';
import { TraceContacts } from './contacts';
import { Sampler } from './distributions';
import { intervalCount, intervalOf, type Arrivals, type Scenario } from './scenario';

/**
 * A valid scenario compiled into the flat, index-based form the engine runs on: queues, groups
 * and channels become small integers, and the skill graph becomes two adjacency lists (queue →
 * groups that may answer it, group → queues it may take), each entry with the wait after which
 * it applies (0 for a skill, the overflow wait for an overflow group).
 */
export interface Model {
	readonly scenario: Scenario;
	readonly horizon: number;
	readonly interval: number;
	readonly intervals: number;
	readonly policy: 'longest-idle' | 'most-skilled';

	readonly queueIds: readonly string[];
	/** Channel index (into CHANNELS) per queue. */
	readonly queueChannel: Int32Array;
	readonly queuePriority: Float64Array;
	readonly queueAging: Float64Array;
	readonly queueSl: readonly SlSettings[];
	readonly queueArrivals: readonly Arrivals[];
	readonly handle: readonly Sampler[];
	readonly wrapup: readonly (Sampler | null)[];
	readonly patience: readonly (Sampler | null)[];
	/** Per-contact columns of trace arrivals, per queue (null for none). */
	readonly traceContacts: readonly (TraceContacts | null)[];
	/** Seconds of queue credit per contact priority level, per queue. */
	readonly queueCredit: Float64Array;
	/**
	 * Transfers per queue: receiving queue indexes, cumulative shares (a handled contact with a
	 * uniform draw below `transferCum[q][j]` and not below the one before goes to `transferTo[q][j]`),
	 * and the handle time of that leg.
	 */
	readonly transferTo: readonly Int32Array[];
	readonly transferCum: readonly Float64Array[];
	readonly transferHandle: readonly (readonly Sampler[])[];
	/** Overflow waits per queue (ascending), for scheduling the moments a contact widens. */
	readonly overflowWaits: readonly Float64Array[];

	readonly groupNames: readonly string[];
	/** First agent index and agent count per group; agents of a group are contiguous. */
	readonly groupFirst: Int32Array;
	readonly groupCount: Int32Array;
	/** Capacity per group and channel, `[g * 5 + ch]`; 0 where the group serves no queue of that channel. */
	readonly groupCap: Int32Array;
	/** Channels each group serves. */
	readonly groupChannels: readonly Int32Array[];
	/** Slots an agent of the group offers while logged in (capacity summed over the channels it serves). */
	readonly groupSlots: Float64Array;
	readonly groupShifts: readonly (readonly { start: number; end: number }[])[];
	/** Staffing steps per group (empty: the group follows its shifts). */
	readonly groupStaffing: readonly (readonly { at: number; count: number }[])[];

	/** Queue → groups: CSR offsets into qgGroup/qgLevel/qgWait. */
	readonly qgStart: Int32Array;
	readonly qgGroup: Int32Array;
	readonly qgLevel: Float64Array;
	readonly qgWait: Float64Array;
	/** Group → queues: CSR offsets into gqQueue/gqWait. */
	readonly gqStart: Int32Array;
	readonly gqQueue: Int32Array;
	readonly gqWait: Float64Array;
	/** Groups skilled (not by overflow; reserve groups are) for each queue: whose agent time makes the queue's occupancy. */
	readonly skilledGroups: readonly Int32Array[];

	readonly agents: number;
	readonly agentGroup: Int32Array;
	/** Largest capacity of any group on any channel (sizes the availability lists). */
	readonly maxCap: number;
	/** 1 for channels that hold an agent alone (voice). */
	readonly exclusive: Uint8Array;
	/** Channels that have at least one queue. */
	readonly channelsUsed: readonly Channel[];
	/** Service-level formula per queue, and for channels / total (the queues' common one, else the default). */
	readonly formulaOf: (queues: readonly number[]) => SlFormula;
}

/** Number of channels; index arrays use `x * NCH + channel`. */
export const NCH = CHANNELS.length;

/** Compiles a valid scenario. */
export function compile(s: Scenario): Model {
	const horizon = s.horizon;
	const interval = intervalOf(s);
	const intervals = intervalCount(horizon, interval);
	const Q = s.queues.length;
	const G = s.agents.length;
	const qIndex = new Map(s.queues.map((q, i) => [q.id, i]));
	const gIndex = new Map(s.agents.map((g, i) => [g.group, i]));
	const queueChannel = Int32Array.from(s.queues, (q) => CHANNELS.indexOf(q.channel));

	// Entries (queue, group, level, wait): skills first (a reserve skill waits for its threshold),
	// then overflow stages not already covered.
	const entries: { q: number; g: number; level: number; wait: number; skill: boolean }[] = [];
	s.agents.forEach((g, gi) => {
		for (const [qid, level] of Object.entries(g.skills)) {
			entries.push({ q: qIndex.get(qid)!, g: gi, level, wait: g.reserve?.[qid] ?? 0, skill: true });
		}
	});
	s.queues.forEach((q, qi) => {
		for (const o of q.overflow ?? []) {
			for (const name of o.groups) {
				const gi = gIndex.get(name)!;
				const existing = entries.find((e) => e.q === qi && e.g === gi);
				if (existing) existing.wait = Math.min(existing.wait, o.after);
				else entries.push({ q: qi, g: gi, level: o.level ?? 1, wait: o.after, skill: false });
			}
		}
	});

	const qgStart = new Int32Array(Q + 1);
	const byQueue = Array.from({ length: Q }, (_, q) =>
		entries.filter((e) => e.q === q).sort((a, b) => b.level - a.level || a.g - b.g)
	);
	const qgGroup: number[] = [];
	const qgLevel: number[] = [];
	const qgWait: number[] = [];
	byQueue.forEach((list, q) => {
		qgStart[q] = qgGroup.length;
		for (const e of list) {
			qgGroup.push(e.g);
			qgLevel.push(e.level);
			qgWait.push(e.wait);
		}
	});
	qgStart[Q] = qgGroup.length;

	const gqStart = new Int32Array(G + 1);
	const gqQueue: number[] = [];
	const gqWait: number[] = [];
	for (let g = 0; g < G; g++) {
		gqStart[g] = gqQueue.length;
		for (const e of entries.filter((x) => x.g === g).sort((a, b) => a.q - b.q)) {
			gqQueue.push(e.q);
			gqWait.push(e.wait);
		}
	}
	gqStart[G] = gqQueue.length;

	const groupCap = new Int32Array(G * NCH);
	const groupChannels: Int32Array[] = [];
	const groupSlots = new Float64Array(G);
	let maxCap = 1;
	s.agents.forEach((g, gi) => {
		const chans = [...new Set(entries.filter((e) => e.g === gi).map((e) => queueChannel[e.q]!))].sort();
		groupChannels.push(Int32Array.from(chans));
		let slots = 0;
		for (const ch of chans) {
			const cap = EXCLUSIVE_CHANNELS.has(CHANNELS[ch]!) ? 1 : (g.capacity?.[CHANNELS[ch]!] ?? 1);
			groupCap[gi * NCH + ch] = cap;
			slots += cap;
			maxCap = Math.max(maxCap, cap);
		}
		groupSlots[gi] = slots;
	});

	const groupFirst = new Int32Array(G);
	const groupCount = new Int32Array(G);
	let agents = 0;
	s.agents.forEach((g, gi) => {
		groupFirst[gi] = agents;
		groupCount[gi] = g.count;
		agents += g.count;
	});
	const agentGroup = new Int32Array(agents);
	for (let g = 0; g < G; g++) agentGroup.fill(g, groupFirst[g]!, groupFirst[g]! + groupCount[g]!);

	const queueSl = s.queues.map((q) => resolveSl(q.channel, q.sl));
	const patience = s.queues.map((q) => (q.patience ? Sampler.of(q.patience) : null));
	const handle = s.queues.map((q) => Sampler.of(q.handle));
	const transfers = s.queues.map((q) => q.transfers ?? []);
	const channelsUsed = CHANNELS.filter((c) => s.queues.some((q) => q.channel === c));

	return {
		scenario: s,
		horizon,
		interval,
		intervals,
		policy: s.routing?.policy ?? 'longest-idle',
		queueIds: s.queues.map((q) => q.id),
		queueChannel,
		queuePriority: Float64Array.from(s.queues, (q) => q.priority ?? 0),
		queueAging: Float64Array.from(s.queues, (q) => q.aging ?? 0),
		queueSl,
		queueArrivals: s.queues.map((q) => q.arrivals),
		handle,
		wrapup: s.queues.map((q) => (q.wrapup ? Sampler.of(q.wrapup) : null)),
		patience,
		traceContacts: s.queues.map((q, i) => TraceContacts.of(q.arrivals, q.patience, patience[i] ?? null)),
		queueCredit: Float64Array.from(s.queues, (q) => q.priorityCredit ?? 0),
		transferTo: transfers.map((ts) => Int32Array.from(ts, (t) => qIndex.get(t.to)!)),
		transferCum: transfers.map((ts) => {
			let acc = 0;
			return Float64Array.from(ts, (t) => (acc += t.share));
		}),
		transferHandle: transfers.map((ts) => ts.map((t) => (t.handle ? Sampler.of(t.handle) : handle[qIndex.get(t.to)!]!))),
		overflowWaits: s.queues.map((_, qi) =>
			Float64Array.from(new Set(byQueue[qi]!.map((e) => e.wait).filter((w) => w > 0))).sort()
		),
		groupNames: s.agents.map((g) => g.group),
		groupFirst,
		groupCount,
		groupCap,
		groupChannels,
		groupSlots,
		groupShifts: s.agents.map((g) => (g.staffing ? [] : (g.shifts ?? [{ start: 0, end: horizon }]))),
		groupStaffing: s.agents.map((g) => g.staffing ?? []),
		qgStart,
		qgGroup: Int32Array.from(qgGroup),
		qgLevel: Float64Array.from(qgLevel),
		qgWait: Float64Array.from(qgWait),
		gqStart,
		gqQueue: Int32Array.from(gqQueue),
		gqWait: Float64Array.from(gqWait),
		// Reserve groups are skilled for the queue: their held-back time counts in its occupancy.
		skilledGroups: s.queues.map((_, qi) => Int32Array.from(entries.filter((e) => e.q === qi && (e.wait === 0 || e.skill)).map((e) => e.g))),
		agents,
		agentGroup,
		maxCap,
		exclusive: Uint8Array.from(CHANNELS, (c) => (EXCLUSIVE_CHANNELS.has(c) ? 1 : 0)),
		channelsUsed,
		formulaOf: (qs) => {
			const f = new Set(qs.map((q) => queueSl[q]!.formula));
			return f.size === 1 ? [...f][0]! : 'abandons-count-against';
		}
	};
}
