import { CHANNELS } from '../../domain/channels';
import { computeKpis, emptyCounts } from '../../domain/kpi';
import { resolveSl } from '../../domain/service-level';
import { agentCounts, agentRow, queueRow, rollupRow, trendPoint, type AgentRow, type BoardView, type QueueRow } from '../../domain/views';

/** Test rows built with the domain factories, so they encode exactly like the server's. */
export const kpis = computeKpis(emptyCounts(), 'abandons-count-against');

export function agent(id: string, over: Partial<AgentRow> = {}): AgentRow {
	return agentRow({
		id,
		name: `Agent ${id}`,
		team: 'A',
		activity: 'available',
		reason: null,
		since: 1000,
		slots: CHANNELS.map(() => 0),
		capacity: CHANNELS.map(() => 1),
		...over
	});
}

export function queue(id: string, over: Partial<QueueRow> = {}): QueueRow {
	return queueRow({
		id,
		name: id,
		channel: 'voice',
		sl: resolveSl('voice'),
		waiting: 0,
		oldestSince: null,
		staffed: 1,
		available: 1,
		today: kpis,
		rolling: kpis,
		...over
	});
}

export function view(over: Partial<BoardView> = {}): BoardView {
	const counts = agentCounts({ available: 1, onContact: 0, wrapUp: 0, notReady: 0, offline: 0, onContactByChannel: [0, 0, 0, 0, 0], notReadyByReason: {} });
	return {
		board: { id: 'main', name: 'Main', queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} } },
		dayStart: 0,
		intervalMs: 900_000,
		rollingMs: 1_800_000,
		lastEventAt: null,
		total: rollupRow({ scope: 'total', waiting: 0, oldestSince: null, today: kpis, rolling: kpis, agents: counts }),
		channels: [],
		queues: [queue('billing')],
		agents: [agent('a1'), agent('a2')],
		trend: [trendPoint({ start: 0, offered: 1, answered: 1, abandoned: 0, serviceLevel: 1, waitingMax: 1 })],
		groups: [],
		...over
	};
}
