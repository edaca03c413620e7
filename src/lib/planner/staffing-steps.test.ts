/**
 * A replayed day's staffing comes as steps (`agents[].staffing`, first to finish leaves); the
 * planner reads it as heads per interval and writes an edited curve back as steps, so a what-if
 * keeps the baseline's way of letting agents go.
 */
import { describe, expect, it } from 'vitest';
import { validateScenario, type AgentGroupSpec } from '../../../sim/scenario';
import { groupsForStaffing, staffingOf } from './staffing';

const s = { horizon: 3600, interval: 900 };
const group: AgentGroupSpec = {
	group: 'staff',
	count: 5,
	skills: { q: 1 },
	staffing: [
		{ at: 0, count: 2 },
		{ at: 450, count: 3 },
		{ at: 1800, count: 5 },
		{ at: 3150, count: 0 }
	]
};

describe('planner staffing from steps', () => {
	it('reads steps as heads per interval (time-averaged)', () => {
		// 2 then 3 for half each; 3; 5; 5 for half then 0.
		expect(staffingOf(s, group)).toEqual([2.5, 3, 5, 2.5]);
	});

	it('writes an edited curve back as one group with steps', () => {
		const out = groupsForStaffing(s, group, [2, 3, 15, 3.4]);
		// 3.4 after a higher 15: the fourth head stays for the interval's first 40 %.
		expect(out).toEqual([
			{
				group: 'staff',
				count: 15,
				skills: { q: 1 },
				staffing: [
					{ at: 0, count: 2 },
					{ at: 900, count: 3 },
					{ at: 1800, count: 15 },
					{ at: 2700, count: 4 },
					{ at: 3060, count: 3 }
				]
			}
		]);
		const v = validateScenario({ ...s, queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 10 }, handle: { dist: 'constant', value: 60 } }], agents: out });
		expect(v.ok).toBe(true);
		expect(staffingOf(s, out[0]!)).toEqual([2, 3, 15, 3.4]);
	});
});
