import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BoardProjector } from '../../src/lib/domain/board';
import { DEFAULT_BOARD } from '../../src/lib/domain/board-config';
import { Floor, DEFAULT_FLOOR_CONFIG, type QueueConfig } from '../../src/lib/domain/floor';
import { resolveSl } from '../../src/lib/domain/service-level';
import { runReplication } from '../../sim/replicate';
import { scopeKpis } from '../../sim/results';
import { validateScenario } from '../../sim/scenario';
import { traceEvents } from '../../sim/trace';

/**
 * One event schema, one floor reducer, one KPI module: the simulator's own figures for a run and
 * the live floor fed with that run's event trace must agree, so a what-if result is comparable
 * with the live board by construction.
 */
describe('simulator and live floor agree on the same run', () => {
	const raw = JSON.parse(readFileSync(new URL('../../sim/scenarios/multichannel-day.json', import.meta.url), 'utf8'));
	const checked = validateScenario(raw);
	if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
	const scenario = checked.scenario;
	const seed = 7;
	const startTs = Date.parse('2026-03-10T00:00:00Z');
	const sim = runReplication(scenario, seed, 0);
	const events = traceEvents(scenario, { seed, rep: 0, startTs });

	const queues: QueueConfig[] = scenario.queues.map((q) => ({
		id: q.id,
		name: q.id,
		channel: q.channel,
		sl: resolveSl(q.channel, q.sl)
	}));
	const floor = new Floor({ ...DEFAULT_FLOOR_CONFIG, queues }, startTs);
	for (const e of events) {
		const r = floor.apply(e);
		if (r.kind !== 'applied') throw new Error(`${e.type} ${e.id}: ${r.kind} ${'reason' in r ? r.reason : ''}`);
	}
	const view = new BoardProjector(DEFAULT_BOARD).view(floor);

	it('replays every traced event without an anomaly and leaves nothing in flight', () => {
		expect(floor.stats).toEqual({ applied: events.length, duplicates: 0, anomalies: 0 });
		expect(floor.contactsInFlight).toBe(0);
	});

	it.each(scenario.queues.map((q) => q.id))('queue %s: same counts and KPIs', (id) => {
		const s = scopeKpis(sim.queues[id]!);
		const f = view.queues.find((q) => q.id === id)!.today;
		expect(f.offered).toBeGreaterThan(0);
		expect([f.offered, f.answered, f.abandoned]).toEqual([s.offered, s.answered, s.abandoned]);
		// Event times are whole milliseconds, so waits differ from the engine's by under 1 ms.
		expect(Math.abs(f.shortAbandoned - s.shortAbandoned)).toBeLessThanOrEqual(1);
		expect(f.serviceLevel! - s.serviceLevel!).toBeCloseTo(0, 2);
		expect(f.asa! - s.asa!).toBeCloseTo(0, 2);
		expect(f.aht! - s.aht!).toBeCloseTo(0, 2);
		expect(f.longestWait - s.longestWait).toBeCloseTo(0, 2);
	});
});
