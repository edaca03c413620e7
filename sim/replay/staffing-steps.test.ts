/**
 * Staffing steps (`agents[].staffing`), the form a replayed day's estimated staffing takes: how
 * many of a group's agents are logged in from each moment on. Checked against figures worked out
 * here: logged-in time equals the steps when agents are idle, and when everyone is busy a drop
 * is met by whoever finishes first (exponential handle times: the k-th departure after a drop
 * from n busy comes after an exponential of mean m / (n − k)), not by named agents finishing
 * their own contacts (mean m each).
 */
import { describe, expect, it } from 'vitest';
import { validateScenario, type Scenario } from '../scenario';
import { traceEvents } from '../trace';
import { staffingFromStates } from './recorded-staffing';

function scenario(s: unknown): Scenario {
	const v = validateScenario(s);
	if (!v.ok) throw new Error(JSON.stringify(v.errors));
	return v.scenario;
}

/** Logged-in agents per interval (time-averaged), from the run's agent.state events. */
function loggedIn(s: Scenario, seed: number, interval: number): number[] {
	const events = traceEvents(s, { seed, startTs: 0 });
	const states = events.flatMap((e) => (e.type === 'agent.state' ? [e] : []));
	return [...staffingFromStates(states, 0, s.horizon, interval).available];
}

describe('staffing steps', () => {
	it('idle agents follow the steps exactly', () => {
		const s = scenario({
			horizon: 3600,
			interval: 900,
			queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 0 }, handle: { dist: 'constant', value: 60 } }],
			agents: [{ group: 'g', count: 5, skills: { q: 1 }, staffing: [{ at: 0, count: 3 }, { at: 900, count: 5 }, { at: 1800, count: 2 }, { at: 2700, count: 0 }] }]
		});
		expect(loggedIn(s, 1, 900)).toEqual([3, 5, 2, 0]);
	});

	it('a drop while all are busy is met by the first to finish; a rise calls pending departures off', () => {
		const m = 100;
		const mk = () =>
			scenario({
				horizon: 2700,
				interval: 900,
				queues: [{ id: 'q', channel: 'voice', arrivals: { trace: Array(120).fill(0) }, handle: { dist: 'exponential', mean: m } }],
				agents: [{ group: 'g', count: 6, skills: { q: 1 }, staffing: [{ at: 0, count: 6 }, { at: 10, count: 2 }, { at: 1800, count: 6 }] }]
			});
		const s = mk();
		const excess: number[] = [];
		const R = 150;
		for (let seed = 1; seed <= R; seed++) {
			const on = loggedIn(s, seed, 900);
			// Agent-seconds logged in over [0, 1800) beyond the steps: the four leavers' overrun.
			excess.push((on[0]! + on[1]!) * 900 - (6 * 10 + 2 * 1790));
			// Back to 6 from 1800 on: the departures were long over, so all six are on again.
			expect(on[2]).toBeCloseTo(6, 9);
		}
		// First to finish leaves: Σ_{k=0..3} (4 − k) · m / (6 − k) = 2.1 m; each leaver finishing its own contact: 4 m.
		const expected = m * (4 / 6 + 3 / 5 + 2 / 4 + 1 / 3);
		const variance = m * m * ((4 / 6) ** 2 + (3 / 5) ** 2 + (2 / 4) ** 2 + (1 / 3) ** 2);
		const mean = excess.reduce((a, b) => a + b, 0) / R;
		expect(Math.abs(mean - expected)).toBeLessThan(4 * Math.sqrt(variance / R));
	});

	it('a rise during pending departures keeps the agents still on contacts', () => {
		// 6 busy, drop to 2 at t = 10, back to 6 at t = 11: barely anyone has finished, so the
		// departures are called off and the count over the rest of the first interval stays 6.
		const s = scenario({
			horizon: 900,
			interval: 900,
			queues: [{ id: 'q', channel: 'voice', arrivals: { trace: Array(60).fill(0) }, handle: { dist: 'constant', value: 300 } }],
			agents: [{ group: 'g', count: 6, skills: { q: 1 }, staffing: [{ at: 0, count: 6 }, { at: 10, count: 2 }, { at: 11, count: 6 }] }]
		});
		// Constant 300 s handles: nobody finishes between 10 and 11, nobody leaves.
		expect(loggedIn(s, 1, 900)[0]).toBeCloseTo(6, 9);
	});

	it('names what is wrong with steps', () => {
		const v = validateScenario({
			horizon: 900,
			queues: [{ id: 'q', channel: 'voice', arrivals: { perHour: 1 }, handle: { dist: 'constant', value: 60 } }],
			agents: [
				{ group: 'g', count: 2, skills: { q: 1 }, staffing: [{ at: 10, count: 1 }, { at: 5, count: 3 }] },
				{ group: 'h', count: 1, skills: { q: 1 }, shifts: [{ start: 0, end: 100 }], staffing: [{ at: 900, count: 1 }] }
			]
		});
		expect(v.ok).toBe(false);
		const errors = v.ok ? [] : v.errors.map((e) => `${e.path}: ${e.message}`);
		expect(errors).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/agents\[0\]\.staffing\[1\]\.at: steps must be in ascending order/),
				expect.stringMatching(/agents\[0\]\.staffing\[1\]\.count: more than the group's count \(2\)/),
				expect.stringMatching(/agents\[1\]\.staffing: give shifts or staffing, not both/),
				expect.stringMatching(/agents\[1\]\.staffing\[0\]\.at: must be before the horizon/)
			])
		);
	});
});
