import { describe, expect, it } from 'vitest';
import { cellAt, cellOrigin, gridColumns, gridHeight } from './grid-fit';

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
