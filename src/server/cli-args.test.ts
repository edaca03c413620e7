import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';

describe('server command line', () => {
	it('takes the history retention and the daily id limits, leaving out what was not given', () => {
		const a = parseCliArgs(['ingest', '--retention', '30', '--max-new-queues', '50']);
		expect(a.retentionDays).toBe(30);
		expect(a.floorLimits).toEqual({ newQueuesPerDay: 50 });
		const b = parseCliArgs([]);
		expect(b.retentionDays).toBeUndefined();
		expect(b.floorLimits).toEqual({});
		expect(parseCliArgs(['--retention', '0']).retentionDays).toBe(0);
	});
	it('takes the hours after which a past day is final, naming a bad value', () => {
		expect(parseCliArgs(['--final-after', '24']).finalAfterHours).toBe(24);
		expect(parseCliArgs([]).finalAfterHours).toBeUndefined();
		expect(() => parseCliArgs(['--final-after', 'soon'])).toThrow(/--final-after must be a number in 0\.\.8784, got "soon"/);
	});
	it('takes the per-address connection cap (0 turns it off)', () => {
		expect(parseCliArgs(['--max-connections-per-address', '50']).maxConnectionsPerAddress).toBe(50);
		expect(parseCliArgs(['--max-connections-per-address', '0']).maxConnectionsPerAddress).toBe(0);
		expect(parseCliArgs([]).maxConnectionsPerAddress).toBeUndefined();
		expect(() => parseCliArgs(['--max-connections-per-address', 'lots'])).toThrow(/--max-connections-per-address must be a number in 0\.\.1000000, got "lots"/);
	});
	it('names a bad value', () => {
		expect(() => parseCliArgs(['--retention', 'forever'])).toThrow(/--retention must be a number in 0\.\.100000, got "forever"/);
		expect(() => parseCliArgs(['--max-new-agents', '0'])).toThrow(/--max-new-agents must be a number/);
		expect(() => parseCliArgs(['emulator', '--nats', 'nats://127.0.0.1:4222'])).toThrow(/--nats runs the ingest source/);
	});
});
