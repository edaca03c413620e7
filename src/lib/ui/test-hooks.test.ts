import { describe, expect, it } from 'vitest';
import { wantsTestHooks } from './test-hooks';

describe('test hooks', () => {
	it('are asked for only by test-hooks=1 in the query', () => {
		expect(wantsTestHooks('?test-hooks=1')).toBe(true);
		expect(wantsTestHooks('?kiosk=1&test-hooks=1')).toBe(true);
		expect(wantsTestHooks('')).toBe(false);
		expect(wantsTestHooks('?kiosk=1')).toBe(false);
		expect(wantsTestHooks('?test-hooks=0')).toBe(false);
		expect(wantsTestHooks('?test-hooks')).toBe(false);
	});
});
