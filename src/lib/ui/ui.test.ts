import { describe, expect, it } from 'vitest';
import type { BoardConfig } from '../domain/board-config';
import { boardBreaches, commonTarget, scopeValues, slTargetText, secondsSince } from './board-values';
import { formatDuration, formatPercent, formatShortDuration } from './format';
import { fitCellSize, teamsThatFit } from './agent-grid';
import { describeBreach } from './thresholds';
import { breachesOf, levelOf, rulesFor } from '../domain/thresholds';
import { nextBoard, parseWallParams } from './wall-params';
import { kpis, queue, view } from '../live/test/fixtures';
import { fromDraft, setRule, toDraft } from './admin.svelte';

const board: BoardConfig = {
	id: 'b',
	name: 'B',
	queues: null,
	channels: null,
	slFormula: 'abandons-count-against',
	thresholds: {
		default: [
			{ kpi: 'serviceLevel', warn: 0.8, alert: 0.7 },
			{ kpi: 'waiting', warn: 5, alert: 10 }
		],
		queues: { vip: [{ kpi: 'serviceLevel', warn: 0.9, alert: 0.85 }] }
	}
};

describe('thresholds', () => {
	it('judges lower-is-worse service level and higher-is-worse counts, strictly past the level', () => {
		const rules = rulesFor(board, null);
		expect(levelOf('serviceLevel', 0.8, rules.get('serviceLevel'))).toBe('ok');
		expect(levelOf('serviceLevel', 0.75, rules.get('serviceLevel'))).toBe('warn');
		expect(levelOf('serviceLevel', 0.69, rules.get('serviceLevel'))).toBe('alert');
		expect(levelOf('waiting', 11, rules.get('waiting'))).toBe('alert');
		expect(levelOf('waiting', 6, rules.get('waiting'))).toBe('warn');
		expect(levelOf('waiting', null, rules.get('waiting'))).toBe('none');
		expect(levelOf('asa', 100, rules.get('asa'))).toBe('none');
	});

	it('lets a queue override a KPI and keeps the other defaults', () => {
		const vip = rulesFor(board, 'vip');
		expect(vip.get('serviceLevel')!.alert).toBe(0.85);
		expect(vip.get('waiting')!.alert).toBe(10);
	});

	it('names breaches, alerts first', () => {
		const b = breachesOf('Billing', { serviceLevel: 0.6, asa: null, abandonRate: null, longestWait: 0, waiting: 7, occupancy: null }, rulesFor(board, null));
		expect(b.map((x) => x.level)).toEqual(['alert', 'warn']);
		expect(describeBreach(b[0]!)).toBe('Service level 60% (Billing) below 70%');
		expect(describeBreach(b[1]!)).toBe('In queue 7 (Billing) above 5');
	});

	it.each([
		{ kpi: 'occupancy' as const, value: 0.9532, limit: 0.95, text: 'Occupancy 95.3% (chat) above 95%' },
		{ kpi: 'occupancy' as const, value: 0.95004, limit: 0.95, text: 'Occupancy 95.004% (chat) above 95%' },
		{ kpi: 'serviceLevel' as const, value: 0.6962, limit: 0.7, text: 'Service level 69.6% (chat) below 70%' },
		{ kpi: 'asa' as const, value: 30.4, limit: 30, text: 'ASA 0:31 (chat) above 0:30' },
		{ kpi: 'occupancy' as const, value: 0.97, limit: 0.95, text: 'Occupancy 97% (chat) above 95%' }
	])('never names a breached value as equal to its limit ($text)', ({ kpi, value, limit, text }) => {
		const b = breachesOf('chat', { serviceLevel: null, asa: null, abandonRate: null, longestWait: null, waiting: null, occupancy: null, [kpi]: value }, new Map([[kpi, { kpi, warn: limit, alert: limit }]]));
		expect(b.map((x) => describeBreach(x))).toEqual([text]);
	});

	// A queue whose day went well (SL 90% today) and whose last half hour did not (55%).
	const goodDayBadHour = queue('billing', {
		today: { ...kpis, serviceLevel: 0.9, abandonRate: 0.02 },
		rolling: { ...kpis, serviceLevel: 0.55, abandonRate: 0.2 }
	});
	const withRules = (rules: BoardConfig['thresholds']['default']) =>
		view({ queues: [goodDayBadHour], board: { ...board, thresholds: { default: rules, queues: {} } } });

	it.each([
		{ window: undefined, sl: 0.9, ab: 0.02, banner: [] },
		{ window: 'today' as const, sl: 0.9, ab: 0.02, banner: [] },
		{
			window: 'rolling' as const,
			sl: 0.55,
			ab: 0.2,
			banner: ['Service level last 30 min 55% (billing) below 70%', 'Abandon rate last 30 min 20% (billing) above 10%']
		}
	])('judges rates over the period the rule names ($window)', ({ window, sl, ab, banner }) => {
		const rules = [
			{ kpi: 'serviceLevel' as const, warn: 0.8, alert: 0.7, ...(window ? { window } : {}) },
			{ kpi: 'abandonRate' as const, warn: 0.05, alert: 0.1, ...(window ? { window } : {}) }
		];
		const v = scopeValues(goodDayBadHour, 0, rulesFor(withRules(rules).board, 'billing'));
		expect([v.serviceLevel, v.abandonRate]).toEqual([sl, ab]);
		const breaches = boardBreaches(withRules(rules), 0).filter((b) => b.scope === 'billing');
		expect(breaches.map((b) => describeBreach(b, 30 * 60_000))).toEqual(banner);
	});

	it('keeps a rule\'s period when its levels are edited, and stores none for today', () => {
		const r = setRule([], 'serviceLevel', { warn: 0.8, alert: 0.7, window: 'rolling' });
		expect(r).toEqual([{ kpi: 'serviceLevel', warn: 0.8, alert: 0.7, window: 'rolling' }]);
		expect(setRule(r, 'serviceLevel', { ...r[0]!, warn: 0.85 })[0]).toEqual({ kpi: 'serviceLevel', warn: 0.85, alert: 0.7, window: 'rolling' });
		expect(setRule(r, 'serviceLevel', { warn: 0.8, alert: 0.7, window: 'today' })[0]).toEqual({ kpi: 'serviceLevel', warn: 0.8, alert: 0.7 });
		// And a board goes through the admin form's draft and back with its periods.
		const withWindows: BoardConfig = { ...board, thresholds: { default: r, queues: { vip: [{ kpi: 'asa', warn: 30, alert: 60, window: 'rolling' }] } } };
		expect(fromDraft(toDraft(withWindows))).toEqual(withWindows);
	});
});

describe('formatting', () => {
	it('formats rates, clocks and short durations, with a dash for no value', () => {
		expect(formatPercent(null)).toBe('—');
		expect(formatPercent(0.834)).toBe('83%');
		expect(formatDuration(7)).toBe('0:07');
		expect(formatDuration(3729)).toBe('1:02:09');
		expect(formatShortDuration(42)).toBe('42s');
		expect(formatShortDuration(600)).toBe('10m');
		expect(formatShortDuration(7200)).toBe('2h');
		expect(secondsSince(null, 5000)).toBe(0);
		expect(secondsSince(1000, 500)).toBe(0);
		expect(secondsSince(1000, 31_000)).toBe(30);
	});

	it('states the SL target of the board’s queues', () => {
		const a = queue('a');
		const b = queue('b', { sl: { ...a.sl, target: 0.9, threshold: 30 } });
		expect(slTargetText([a])).toBe('Target 80% in 0:20');
		expect(slTargetText([a, b])).toBe('Target 80%–90% in each queue’s T');
		expect(commonTarget([a])).toBe(0.8);
		expect(commonTarget([a, b])).toBeNull();
	});
});

describe('wall params', () => {
	it('reads kiosk, rotation (with a floor), theme and sort', () => {
		const p = parseWallParams(new URLSearchParams('kiosk=1&rotate=2&theme=light&sort=time'));
		expect(p).toMatchObject({ kiosk: true, rotate: 5, theme: 'light', sort: 'time' });
		expect(parseWallParams(new URLSearchParams(''))).toMatchObject({ kiosk: false, rotate: null, theme: 'dark', sort: 'state' });
		expect(nextBoard(['a', 'b', 'c'], 'c')).toBe('a');
		expect(nextBoard(['a', 'b'], 'gone')).toBe('a');
	});
});

describe('fitCellSize', () => {
	it('shrinks cells until every team fits the box', () => {
		const big = fitCellSize(1000, 800, [40], 27, 3);
		const small = fitCellSize(1000, 800, [400, 300, 300], 27, 3);
		expect(big).toBeGreaterThan(small);
		const cols = Math.floor((1000 + 3) / (small + 3));
		const rows = Math.ceil(400 / cols) + Math.ceil(300 / cols) * 2;
		expect(rows * (small + 3) + 3 * 27).toBeLessThanOrEqual(800);
	});
});

describe('teamsThatFit', () => {
	it('keeps every team when they fit, else the leading teams that fit above the note', () => {
		// 1000 px wide, 10 px cells, 3 px gap: 76 columns; a team of 100 takes 2 rows = 26 px plus a 27 px header.
		expect(teamsThatFit(1000, 3 * 53, [100, 100, 100], 27, 3, 10, 40)).toBe(3);
		// One px short of three teams: the note's 40 px leave room for two (40 + 2 × 53 = 146 ≤ 158).
		expect(teamsThatFit(1000, 3 * 53 - 1, [100, 100, 100], 27, 3, 10, 40)).toBe(2);
		// Not even the first team fits above the note: none shown, all counted.
		expect(teamsThatFit(1000, 60, [100, 100], 27, 3, 10, 40)).toBe(0);
	});
});
