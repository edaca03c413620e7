import { describe, expect, it } from 'vitest';
import { parseEventsTrace } from './events-trace';

describe('parseEventsTrace', () => {
	it('reads valid events, skips blanks and comments', () => {
		const text = [
			'# a trace',
			'{"type":"contact.queued","id":"e1","ts":1000,"contact":"c1","queue":"sales","channel":"voice","priority":2}',
			'',
			'{"type":"contact.answered","id":"e2","ts":2000,"contact":"c1","queue":"sales","agent":"a1"}'
		].join('\n');
		const p = parseEventsTrace(text);
		expect(p.errors).toEqual([]);
		expect(p.events.map((e) => e.id)).toEqual(['e1', 'e2']);
	});

	it('names the line and field of bad events', () => {
		const text = [
			'{"type":"contact.queued","id":"e1","ts":1000,"contact":"c1","queue":"sales","channel":"voice"}',
			'{"type":"contact.queued","id":"e2","ts":-5,"contact":"c1","queue":"sales","channel":"voice"}',
			'not json',
			'{"type":"contact.exploded","id":"e3","ts":1}',
			'{"type":"contact.queued","id":"e4","ts":1,"contact":"c1","queue":"sales","channel":"fax"}'
		].join('\n');
		const p = parseEventsTrace(text);
		expect(p.events.map((e) => e.id)).toEqual(['e1']);
		expect(p.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
		expect(p.errors[0]?.field).toBe('/ts');
		expect(p.errors[1]?.message).toMatch(/^not JSON/);
		expect(p.errors[2]).toMatchObject({ field: '/type' });
		expect(p.errors[3]?.field).toBe('/channel');
	});
});
