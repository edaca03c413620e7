import { describe, expect, it } from 'vitest';
import { EVENT_JSON_SCHEMA, eventErrors, validateBatch } from './events';

const base = { id: 'e1', ts: 1_700_000_000_000 };

describe('event schema', () => {
	it.each([
		{ ...base, type: 'contact.queued', contact: 'c1', queue: 'billing', channel: 'voice' },
		{ ...base, type: 'contact.queued', contact: 'c1', queue: 'billing', channel: 'chat', priority: 5 },
		{ ...base, type: 'contact.answered', contact: 'c1', queue: 'billing', agent: 'a1' },
		{ ...base, type: 'contact.abandoned', contact: 'c1', queue: 'billing' },
		{ ...base, type: 'contact.transferred', contact: 'c1', fromQueue: 'billing', toQueue: 'sales' },
		{ ...base, type: 'contact.wrapup', contact: 'c1', agent: 'a1' },
		{ ...base, type: 'contact.ended', contact: 'c1', agent: 'a1', resolved: true, csat: 5 },
		{ ...base, type: 'agent.state', agent: 'a1', state: 'not-ready', reason: 'lunch' },
		{ ...base, site: 'berlin', type: 'contact.abandoned', contact: 'c1', queue: 'billing' },
		{
			...base,
			type: 'agent.profile',
			agent: 'a1',
			name: 'Ada',
			team: 'Blue',
			skills: { billing: 2, sales: 1 },
			capacity: { chat: 3 }
		}
	])('accepts a valid $type', (e) => {
		expect(eventErrors(e)).toEqual([]);
	});

	it.each<[string, unknown, string]>([
		['not an object', 42, ''],
		['unknown type', { ...base, type: 'contact.exploded', contact: 'c1' }, '/type'],
		['missing queue', { ...base, type: 'contact.queued', contact: 'c1', channel: 'voice' }, '/queue'],
		['unknown channel', { ...base, type: 'contact.queued', contact: 'c1', queue: 'q', channel: 'fax' }, '/channel'],
		['negative ts', { ...base, ts: -1, type: 'contact.abandoned', contact: 'c1', queue: 'q' }, '/ts'],
		['ts past year 9999', { ...base, ts: 1e308, type: 'contact.abandoned', contact: 'c1', queue: 'q' }, '/ts'],
		['empty id', { ...base, id: '', type: 'contact.abandoned', contact: 'c1', queue: 'q' }, '/id'],
		['csat out of range', { ...base, type: 'contact.ended', contact: 'c', agent: 'a', csat: 9 }, '/csat'],
		['unknown state', { ...base, type: 'agent.state', agent: 'a', state: 'asleep' }, '/state'],
		['empty site', { ...base, site: '', type: 'contact.abandoned', contact: 'c1', queue: 'q' }, '/site'],
		['site over 128 chars', { ...base, site: 'x'.repeat(129), type: 'agent.state', agent: 'a', state: 'available' }, '/site'],
		['site not a string', { ...base, site: 7, type: 'contact.abandoned', contact: 'c1', queue: 'q' }, '/site'],
		['extra field', { ...base, type: 'contact.abandoned', contact: 'c1', queue: 'q', colour: 'red' }, '/colour'],
		[
			'capacity of an unknown channel',
			{ ...base, type: 'agent.profile', agent: 'a', name: 'n', team: 't', skills: {}, capacity: { fax: 2 } },
			'/capacity/fax'
		]
	])('rejects %s, naming %s', (_name, value, path) => {
		const errors = eventErrors(value);
		expect(errors.length).toBeGreaterThan(0);
		expect(errors.map((e) => e.path)).toContain(path);
	});
});

describe('batch validation', () => {
	const good = { ...base, type: 'contact.abandoned', contact: 'c1', queue: 'q' };

	it('passes a good batch through whole', () => {
		const r = validateBatch([good, { ...good, id: 'e2' }]);
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.value).toHaveLength(2);
	});

	it('one bad event rejects the batch and every bad index is named', () => {
		const r = validateBatch([good, { ...good, queue: 7 }, good, { type: 'nope' }]);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect([...new Set(r.errors.map((e) => e.index))]).toEqual([1, 3]);
			expect(r.errors.find((e) => e.index === 1)?.path).toBe('/queue');
		}
	});

	it('rejects a non-array batch', () => {
		expect(validateBatch({ events: [] }).ok).toBe(false);
	});

	it('publishes a JSON Schema of the union', () => {
		expect((EVENT_JSON_SCHEMA as { anyOf: unknown[] }).anyOf).toHaveLength(8);
	});
});
