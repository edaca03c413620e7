import { describe, expect, it } from 'vitest';
import { agentTitle, cellAt, cellOrigin, gridColumns, gridHeight, groupAgents, isLong, shortName, slotMarks } from './agent-grid';
import { agent } from '../live/test/fixtures';

describe('agent grid geometry', () => {
	it('counts columns like a wrapping flex row with gaps', () => {
		expect(gridColumns(100, 10, 2)).toBe(8); // 8*10 + 7*2 = 94 ≤ 100; 9 cells need 106
		expect(gridColumns(5, 10, 2)).toBe(1);
	});

	it('measures whole rows without a trailing gap', () => {
		expect(gridHeight(0, 8, 10, 2)).toBe(0);
		expect(gridHeight(8, 8, 10, 2)).toBe(10);
		expect(gridHeight(9, 8, 10, 2)).toBe(22);
	});

	it('places cells row by row and finds them back from a point', () => {
		expect(cellOrigin(9, 8, 10, 2)).toEqual({ x: 12, y: 12 });
		for (let i = 0; i < 20; i++) {
			const { x, y } = cellOrigin(i, 8, 10, 2);
			expect(cellAt(x + 5, y + 5, 20, 8, 10, 2)).toBe(i);
		}
		expect(cellAt(11, 5, 20, 8, 10, 2)).toBe(-1); // in the gap
		expect(cellAt(5 + 12 * 4, 5 + 12 * 2, 20, 8, 10, 2)).toBe(-1); // past the last cell
		expect(cellAt(-1, 5, 20, 8, 10, 2)).toBe(-1);
	});
});

describe('groupAgents', () => {
	it('groups by team and sorts by state or by time in state', () => {
		const rows = [
			agent('1', { team: 'B', activity: 'offline', since: 5 }),
			agent('2', { team: 'A', activity: 'on-contact', since: 30 }),
			agent('3', { team: 'A', activity: 'available', since: 40 }),
			agent('4', { team: 'A', activity: 'on-contact', since: 10 })
		];
		const byState = groupAgents(rows, 'state');
		expect(byState.map((g) => g.team)).toEqual(['A', 'B']);
		expect(byState[0]!.agents.map((a) => a.id)).toEqual(['3', '4', '2']);
		expect(byState[0]!.counts).toEqual([1, 2, 0, 0, 0]);
		expect(groupAgents(rows, 'time')[0]!.agents.map((a) => a.id)).toEqual(['4', '2', '3']);
	});
});


describe('what a cell says', () => {
	const rule = { 'not-ready': 30, 'on-contact': 60, available: 0 };
	const since = 1_000_000;

	it('flags an agent once its minutes in the activity reach the board rule, and never where the rule is absent or 0', () => {
		const nr = agent('1', { activity: 'not-ready', since, reason: 'Break' });
		expect(isLong(nr, since + 30 * 60_000 - 1, rule)).toBe(false);
		expect(isLong(nr, since + 30 * 60_000, rule)).toBe(true);
		expect(isLong(agent('2', { activity: 'available', since }), since + 24 * 3600_000, rule)).toBe(false);
		expect(isLong(agent('3', { activity: 'wrap-up', since }), since + 24 * 3600_000, rule)).toBe(false);
	});

	it('one title for DOM and canvas cells: name, activity, reason, slots, and the flag with its rule', () => {
		const a = agent('1', { name: 'Ada Lovelace', activity: 'on-contact', since, slots: [1, 2, 0, 0, 0] });
		expect(agentTitle(a, since + 61 * 60_000, rule)).toBe('Ada Lovelace — On contact · slots VC2 · over 60 min in this state');
		expect(agentTitle(a, since + 59 * 60_000, rule)).toBe('Ada Lovelace — On contact · slots VC2');
		expect(agentTitle(agent('2', { name: 'Bo', activity: 'not-ready', reason: 'Lunch', since }), since, rule)).toBe('Bo — Not ready (Lunch)');
	});

	it('slot marks and short names', () => {
		expect(slotMarks([0, 0, 0, 0, 0])).toBe('');
		expect(slotMarks([1, 0, 3, 0, 1])).toBe('VE3M');
		expect(shortName(agent('1', { name: 'Ada Lovelace', team: 'sales' }))).toBe('Ada L.');
		expect(shortName(agent('2', { name: 'back-office-3', team: 'back-office' }))).toBe('#3');
	});
});
