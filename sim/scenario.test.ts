import { describe, expect, it } from 'vitest';
import { formatErrors, parseScenario, pointerToPath, validateScenario } from './scenario';
import mmn from './scenarios/mmn.json';
import day from './scenarios/multichannel-day.json';

/** A small valid scenario to break one field at a time. */
function base(): Record<string, any> {
	return {
		horizon: 3600,
		interval: 900,
		queues: [
			{
				id: 'billing',
				channel: 'voice',
				arrivals: { perHour: 100 },
				handle: { dist: 'exponential', mean: 120 },
				patience: { dist: 'exponential', mean: 60 }
			},
			{ id: 'web', channel: 'chat', arrivals: { perInterval: [1, 2, 3, 4] }, handle: { dist: 'lognormal', mean: 300, sd: 100 } }
		],
		agents: [{ group: 'tier1', count: 3, skills: { billing: 1, web: 2 }, capacity: { chat: 3 } }]
	};
}

describe('validateScenario', () => {
	it('accepts the bundled scenarios and the base case', () => {
		for (const s of [base(), mmn, day]) {
			const v = validateScenario(s);
			expect(v.ok ? [] : v.errors).toEqual([]);
		}
	});

	const bad: [string, string, RegExp, (s: Record<string, any>) => void][] = [
		['missing horizon', 'horizon', /Expected required property/, (s) => delete s.horizon],
		['negative horizon', 'horizon', /greater than 0/, (s) => (s.horizon = -5)],
		['unknown top-level key', 'hrizon', /Unexpected property/, (s) => (s.hrizon = 1)],
		['no queues', 'queues', /length to be greater or equal to 1/, (s) => (s.queues = [])],
		['bad channel', 'queues[0].channel', /./, (s) => (s.queues[0].channel = 'fax')],
		['negative rate', 'queues[0].arrivals.perHour', /greater or equal to 0/, (s) => (s.queues[0].arrivals.perHour = -1)],
		['two arrival kinds', 'queues[0].arrivals', /exactly one/, (s) => (s.queues[0].arrivals = { perHour: 1, perInterval: [1] })],
		['perInterval wrong length', 'queues[1].arrivals.perInterval', /needs 4/, (s) => (s.queues[1].arrivals.perInterval = [1, 2])],
		['negative perInterval entry', 'queues[1].arrivals.perInterval[2]', /greater or equal/, (s) => (s.queues[1].arrivals.perInterval[2] = -3)],
		['trace beyond horizon', 'queues[0].arrivals.trace[1]', /horizon/, (s) => (s.queues[0].arrivals = { trace: [1, 5000] })],
		['unknown distribution', 'queues[0].handle.dist', /exponential, lognormal/, (s) => (s.queues[0].handle = { dist: 'gamma', mean: 1 })],
		['distribution not an object', 'queues[0].handle', /distribution/, (s) => (s.queues[0].handle = 120)],
		['zero mean', 'queues[0].handle.mean', /greater than 0/, (s) => (s.queues[0].handle.mean = 0)],
		['lognormal without sd', 'queues[1].handle.sd', /required/, (s) => delete s.queues[1].handle.sd],
		['empirical weights mismatch', 'queues[0].handle.weights', /one weight per value/, (s) => (s.queues[0].handle = { dist: 'empirical', values: [1, 2], weights: [1] })],
		['bad patience', 'queues[0].patience.mean', /greater than 0/, (s) => (s.queues[0].patience = { dist: 'exponential', mean: -60 })],
		['bad wrap-up', 'queues[0].wrapup.value', /greater or equal/, (s) => (s.queues[0].wrapup = { dist: 'constant', value: -1 })],
		['duplicate queue id', 'queues[1].id', /duplicate/, (s) => (s.queues[1].id = 'billing')],
		['unknown queue in skills', 'agents[0].skills.biling', /unknown queue "biling"/, (s) => (s.agents[0].skills.biling = 1)],
		['zero skill level', 'agents[0].skills.billing', /greater than 0/, (s) => (s.agents[0].skills.billing = 0)],
		['fractional agent count', 'agents[0].count', /integer/, (s) => (s.agents[0].count = 2.5)],
		['unknown capacity channel', 'agents[0].capacity.fax', /Unexpected property/, (s) => (s.agents[0].capacity = { fax: 2 })],
		['zero capacity', 'agents[0].capacity.chat', /greater or equal to 1/, (s) => (s.agents[0].capacity = { chat: 0 })],
		['shift ends before start', 'agents[0].shifts[0].end', /after start/, (s) => (s.agents[0].shifts = [{ start: 100, end: 50 }])],
		['overlapping shifts', 'agents[0].shifts[1].start', /overlap/, (s) => (s.agents[0].shifts = [{ start: 0, end: 500 }, { start: 400, end: 900 }])],
		['duplicate group', 'agents[1].group', /duplicate/, (s) => s.agents.push({ ...s.agents[0] })],
		['unknown overflow group', 'queues[0].overflow[0].groups[0]', /unknown agent group/, (s) => (s.queues[0].overflow = [{ after: 30, groups: ['tier9'] }])],
		['negative overflow wait', 'queues[0].overflow[0].after', /greater or equal/, (s) => (s.queues[0].overflow = [{ after: -1, groups: ['tier1'] }])],
		['bad routing policy', 'routing.policy', /./, (s) => (s.routing = { policy: 'random' })],
		['bad sl formula', 'queues[0].sl.formula', /./, (s) => (s.queues[0].sl = { formula: 'magic' })],
		['sl target above 1', 'queues[0].sl.target', /less or equal to 1/, (s) => (s.queues[0].sl = { target: 80 })]
	];

	it.each(bad)('%s → names %s', (_, path, message, breakIt) => {
		const s = base();
		breakIt(s);
		const v = validateScenario(s);
		expect(v.ok).toBe(false);
		if (v.ok) return;
		const hit = v.errors.find((e) => e.path === path);
		expect(hit, `errors: ${JSON.stringify(v.errors)}`).toBeDefined();
		expect(hit!.message).toMatch(message);
	});

	it.each([
		['null', 'null'],
		['an array', '[]'],
		['a string', '"x"'],
		['broken JSON', '{"horizon": '],
		['deeply wrong', '{"queues": [{"arrivals": []}], "agents": {}}']
	])('never throws on %s', (_, text) => {
		const v = parseScenario(text);
		expect(v.ok).toBe(false);
		if (!v.ok) expect(formatErrors(v.errors)).not.toBe('');
	});
});

describe('pointerToPath', () => {
	it.each([
		['/queues/0/arrivals/perHour', 'queues[0].arrivals.perHour'],
		['/horizon', 'horizon'],
		['/agents/2/skills/a~1b', 'agents[2].skills.a/b'],
		['', '']
	])('%s → %s', (p, want) => expect(pointerToPath(p)).toBe(want));
});
