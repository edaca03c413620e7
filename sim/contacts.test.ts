import { describe, expect, it } from 'vitest';
import { validateScenario, type Scenario } from './scenario';
import { traceEvents } from './trace';

function scenario(s: unknown): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

/** Seconds from 0 of each event of a contact, by contact index (queued order). */
function timeline(s: Scenario) {
	const ev = traceEvents(s, { seed: 1, startTs: 0 });
	const order: string[] = [];
	const at = new Map<string, Record<string, number>>();
	for (const e of ev) {
		if (!('contact' in e)) continue;
		if (e.type === 'contact.queued') order.push(e.contact);
		at.set(e.contact, { ...at.get(e.contact), [e.type]: e.ts / 1000 });
	}
	return order.map((c) => at.get(c) ?? {});
}

describe('per-contact trace columns', () => {
	it('each contact keeps its own handle time and patience; priority credit moves it up', () => {
		const s = scenario({
			horizon: 3600,
			queues: [
				{
					id: 'q',
					channel: 'voice',
					priorityCredit: 90,
					arrivals: {
						trace: [0, 10, 20, 30],
						handle: [100, 50, 70, null],
						priority: [0, 0, 2, 0],
						patience: [null, null, null, 40]
					},
					handle: { dist: 'constant', value: 33 },
					patience: { dist: 'constant', value: 10_000 }
				}
			],
			agents: [{ group: 'g', count: 1, skills: { q: 1 } }]
		});
		const [a, b, c, d] = timeline(s);
		// a: answered at once, 100 s of its own handle.
		expect(a).toMatchObject({ 'contact.answered': 0, 'contact.wrapup': 100 });
		// c (priority 2, 180 s of credit) overtakes b although it came later.
		expect(c).toMatchObject({ 'contact.answered': 100, 'contact.wrapup': 170 });
		expect(b).toMatchObject({ 'contact.answered': 170, 'contact.wrapup': 220 });
		// d keeps its own patience of 40 s: it hangs up at 70.
		expect(d).toMatchObject({ 'contact.abandoned': 70 });
	});

	it('a contact known to have waited draws its patience above that wait', () => {
		const n = 200;
		const s = scenario({
			horizon: 7200,
			queues: [
				{
					id: 'q',
					channel: 'voice',
					arrivals: { trace: Array.from({ length: n }, (_, i) => i), waited: Array(n).fill(300) },
					handle: { dist: 'constant', value: 60 },
					patience: { dist: 'exponential', mean: 30 }
				}
			],
			// Nobody to answer: every contact abandons at its patience.
			agents: []
		});
		const t = timeline(s);
		const waits = t.map((x, i) => (x['contact.abandoned'] ?? 0) - i);
		expect(Math.min(...waits)).toBeGreaterThan(300);
		const mean = waits.reduce((a, b) => a + b, 0) / n;
		// Memoryless: 300 s plus a mean-30 s excess.
		expect(mean).toBeGreaterThan(320);
		expect(mean).toBeLessThan(340);
	});

	it('rejects columns whose length differs from the trace', () => {
		const v = validateScenario({
			horizon: 100,
			queues: [{ id: 'q', channel: 'voice', arrivals: { trace: [1, 2], handle: [5] }, handle: { dist: 'constant', value: 1 } }],
			agents: []
		});
		expect(v.ok).toBe(false);
		if (!v.ok) expect(v.errors).toContainEqual({ path: 'queues[0].arrivals.handle', message: 'has 1 entries; trace has 2' });
		const w = validateScenario({
			horizon: 100,
			queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 2, handle: [5] }, handle: { dist: 'constant', value: 1 } }],
			agents: []
		});
		expect(w.ok).toBe(false);
	});
});
