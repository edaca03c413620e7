import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import type { RecordedContact, RecordedDay } from './day';
import { staffingFromStates } from './recorded-staffing';
import { seenAnswering, type StaffingEstimate } from './staffing';

/**
 * A day trace (`GET /api/history/days/:date/trace`, or a JSONL events trace played through the
 * Floor into the same shape: `eventsTraces`) as a recorded day, with its recorded staffing
 * when the day has agent-state rows. One record per stay in a queue: a stay ended by transfer is
 * an answered contact passed on (`transferredTo`, its talk the first leg's handle time), and the
 * contact's later stays are marked `transferredFrom` the queue before, so the replay re-queues them
 * with the simulator's transfer model instead of as arrivals. Stays still open are left out.
 */
export function historyDay(
	trace: HistoryTraceResponse,
	horizon: number,
	interval: number
): { day: RecordedDay; staffing: StaffingEstimate | null } {
	const contacts: RecordedContact[] = [];
	// The queue each contact was last passed on from, following its stays in the order offered.
	const passedOn = new Map<string, string>();
	const stays = [...trace.contacts].sort((a, b) => a.offered - b.offered);
	for (const c of stays) {
		const from = passedOn.get(c.contact);
		passedOn.delete(c.contact);
		if (c.outcome === 'transferred' && c.transferredTo !== null) passedOn.set(c.contact, c.queue);
		if (c.wait === null || (c.outcome !== 'handled' && c.outcome !== 'abandoned' && c.outcome !== 'transferred')) continue;
		const answered = c.outcome !== 'abandoned';
		const transfer = c.outcome === 'transferred' && c.transferredTo !== null ? { transferredTo: c.transferredTo } : {};
		contacts.push({
			...transfer,
			...(from !== undefined ? { transferredFrom: from } : {}),
			queue: c.queue,
			channel: c.channel,
			at: (c.offered - trace.dayStart) / 1000,
			priority: c.priority,
			outcome: answered ? 'answered' : 'abandoned',
			wait: c.wait,
			handle: answered ? c.talk : null,
			// The transferring leg has no after-contact work (the simulator's transfer model).
			wrapup: answered && c.outcome === 'handled' ? c.afterContactWork : null,
			agent: answered ? c.agent : null
		});
	}
	contacts.sort((a, b) => a.at - b.at);
	const used = new Set(contacts.map((c) => c.queue));
	const queues = trace.queues.filter((q) => used.has(q.id)).map((q) => ({ id: q.id, channel: q.channel }));
	for (const c of contacts) if (!queues.some((q) => q.id === c.queue)) queues.push({ id: c.queue, channel: c.channel });
	const staffing =
		trace.recorded.agentStates && trace.agentStates.length ? { ...staffingFromStates(trace.agentStates, trace.dayStart, horizon, interval), seen: seenAnswering(contacts, horizon, interval) } : null;
	return { day: { date: trace.date, queues, contacts }, staffing };
}
