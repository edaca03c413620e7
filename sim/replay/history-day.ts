import type { HistoryTraceResponse } from '../../src/lib/domain/history';
import type { RecordedContact, RecordedDay } from './day';
import { staffingFromStates } from './events-day';
import type { StaffingEstimate } from './staffing';

/**
 * A stored day (`GET /api/history/days/:date/trace`) as a recorded day, with its recorded staffing
 * when the day has agent-state rows. One contact per stay in a queue: a stay ended by transfer is
 * left out and the receiving queue's stay arrives when it was offered there (the transfer itself
 * is not replayed as such); stays still open are left out.
 */
export function historyDay(
	trace: HistoryTraceResponse,
	horizon: number,
	interval: number
): { day: RecordedDay; staffing: StaffingEstimate | null } {
	const contacts: RecordedContact[] = [];
	for (const c of trace.contacts) {
		if (c.wait === null || (c.outcome !== 'handled' && c.outcome !== 'abandoned')) continue;
		const answered = c.outcome === 'handled';
		contacts.push({
			queue: c.queue,
			channel: c.channel,
			at: (c.offered - trace.dayStart) / 1000,
			priority: c.priority,
			outcome: answered ? 'answered' : 'abandoned',
			wait: c.wait,
			handle: answered ? c.talk : null,
			wrapup: answered ? c.afterContactWork : null,
			agent: answered ? c.agent : null
		});
	}
	contacts.sort((a, b) => a.at - b.at);
	const used = new Set(contacts.map((c) => c.queue));
	const queues = trace.queues.filter((q) => used.has(q.id)).map((q) => ({ id: q.id, channel: q.channel }));
	for (const c of contacts) if (!queues.some((q) => q.id === c.queue)) queues.push({ id: c.queue, channel: c.channel });
	const staffing = trace.recorded.agentStates && trace.agentStates.length ? staffingFromStates(trace.agentStates, trace.dayStart, horizon, interval) : null;
	return { day: { date: trace.date, queues, contacts }, staffing };
}
