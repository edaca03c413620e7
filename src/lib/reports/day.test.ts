import { describe, expect, it } from 'vitest';
import { countAbandoned, countAgentTime, countAnswered, countHandled, countOffered, emptyCounts, type KpiCounts } from '../domain/kpi';
import { resolveSl } from '../domain/service-level';
import { compareDays } from './compare';
import { buildDayReport } from './day';
import type { DayInput, IntervalInput } from './input';
import { buildRange } from './range';
import { DEFAULT_REPORT_SETTINGS, versionInForce, type ReportSettings } from './settings';

/** A contact as a test writes it down: queue, offer time (s after the day start), outcome, wait, handle. */
interface Raw {
	queue: 'billing' | 'sales' | 'chat';
	at: number;
	outcome: 'answered' | 'abandoned';
	wait: number;
	handle: number;
}

const DAY0 = Date.UTC(2026, 10, 30);
const IV = 15 * 60_000;
const CHANNEL = { billing: 'voice', sales: 'voice', chat: 'chat' } as const;

/** Seeded contacts (mulberry32), so the test is the same every run. */
function contacts(seed: number, n: number): Raw[] {
	let a = seed >>> 0;
	const rnd = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const queues = ['billing', 'sales', 'chat'] as const;
	return Array.from({ length: n }, () => ({
		queue: queues[Math.floor(rnd() * 3)] ?? 'billing',
		at: Math.floor(8 * 3600 + rnd() * 10 * 3600),
		outcome: rnd() < 0.8 ? 'answered' : 'abandoned',
		wait: Math.floor(rnd() * 90),
		handle: 60 + Math.floor(rnd() * 400)
	}));
}

/** Interval rows as the history writes them (per queue, counted with the KPI module, by offer interval). */
function rows(raw: readonly Raw[]): IntervalInput[] {
	const map = new Map<string, IntervalInput & { counts: KpiCounts }>();
	for (const c of raw) {
		const start = DAY0 + Math.floor((c.at * 1000) / IV) * IV;
		const key = `${start}|${c.queue}`;
		const row = map.get(key) ?? { start, queue: c.queue, channel: CHANNEL[c.queue], counts: emptyCounts() };
		map.set(key, row);
		const sl = resolveSl(CHANNEL[c.queue]);
		countOffered(row.counts);
		if (c.outcome === 'answered') {
			countAnswered(row.counts, c.wait, sl);
			countHandled(row.counts, c.handle);
		} else countAbandoned(row.counts, c.wait, sl);
	}
	return [...map.values()];
}

function input(raw: readonly Raw[], over: Partial<DayInput> = {}): DayInput {
	return {
		date: '2026-11-30',
		source: 'ingest',
		timeZone: 'UTC',
		intervalMs: IV,
		dayStart: DAY0,
		dayEnd: DAY0 + 86_400_000,
		intervals: rows(raw),
		agents: null,
		recorded: { agentStates: false, csat: false },
		queues: [],
		settings: DEFAULT_REPORT_SETTINGS,
		configVersion: null,
		settingsVersion: null,
		...over
	};
}

/** The figures of a set of contacts, straight from the list (no KPI module). */
function expected(raw: readonly Raw[]) {
	const T = (q: Raw['queue']) => (CHANNEL[q] === 'voice' ? 20 : 60);
	const ans = raw.filter((c) => c.outcome === 'answered');
	const ab = raw.filter((c) => c.outcome === 'abandoned');
	const short = ab.filter((c) => c.wait < 5).length;
	const within = ans.filter((c) => c.wait <= T(c.queue)).length;
	return {
		offered: raw.length,
		answered: ans.length,
		abandoned: ab.length,
		short,
		sl: within / (ans.length + ab.length - short),
		asa: ans.reduce((s, c) => s + c.wait, 0) / ans.length,
		aht: ans.reduce((s, c) => s + c.handle, 0) / ans.length,
		abandonRate: (ab.length - short) / (raw.length - short),
		longest: Math.max(...raw.map((c) => c.wait))
	};
}

describe('day report', () => {
	const raw = contacts(7, 3000);
	const r = buildDayReport(input(raw));

	it('daily figures equal those computed from the contacts', () => {
		const e = expected(raw);
		expect(r.total.offered).toBe(e.offered);
		expect(r.total.answered).toBe(e.answered);
		expect(r.total.abandoned).toBe(e.abandoned);
		expect(r.total.shortAbandoned).toBe(e.short);
		expect(r.total.serviceLevel).toBeCloseTo(e.sl, 12);
		expect(r.total.asa).toBeCloseTo(e.asa, 9);
		expect(r.total.aht).toBeCloseTo(e.aht, 9);
		expect(r.total.abandonRate).toBeCloseTo(e.abandonRate, 12);
		expect(r.total.longestWait).toBe(e.longest);
	});

	it('has 96 intervals, each equal to its own contacts', () => {
		expect(r.intervals).toHaveLength(96);
		for (const [i, row] of r.intervals.entries()) {
			const mine = raw.filter((c) => Math.floor((c.at * 1000) / IV) === i);
			expect(row.start).toBe(DAY0 + i * IV);
			expect(row.kpis.offered).toBe(mine.length);
			if (mine.length === 0) {
				expect(row.kpis.serviceLevel).toBeNull();
				continue;
			}
			const e = expected(mine);
			expect(row.kpis.answered).toBe(e.answered);
			if (e.answered + e.abandoned - e.short > 0) expect(row.kpis.serviceLevel).toBeCloseTo(e.sl, 12);
		}
	});

	it('per queue and per channel equal their contacts', () => {
		for (const q of ['billing', 'sales', 'chat'] as const) {
			const e = expected(raw.filter((c) => c.queue === q));
			const row = r.queues.find((x) => x.key === q);
			expect(row?.kpis.offered).toBe(e.offered);
			expect(row?.kpis.serviceLevel).toBeCloseTo(e.sl, 12);
		}
		const voice = expected(raw.filter((c) => CHANNEL[c.queue] === 'voice'));
		expect(r.channels.find((x) => x.key === 'voice')?.kpis.asa).toBeCloseTo(voice.asa, 9);
	});

	it('says occupancy and CSAT were not recorded instead of 0', () => {
		expect(r.recorded).toEqual({ agentTime: false, csat: false });
		expect(r.total.occupancy).toBeNull();
		expect(r.total.csat).toBeNull();
		expect(r.agents).toBeNull();
	});

	it('judges the floor total or every queue, as configured', () => {
		const e = expected(raw);
		const floor = (target: number): ReportSettings => ({ ...DEFAULT_REPORT_SETTINGS, targets: { ...DEFAULT_REPORT_SETTINGS.targets, serviceLevel: target } });
		expect(buildDayReport(input(raw, { settings: floor(e.sl - 0.01) })).met.met).toBe(true);
		expect(buildDayReport(input(raw, { settings: floor(e.sl + 0.01) })).met.met).toBe(false);
		// Every queue: the chat queue (T = 60 s, waits up to 90 s) is far better than the voice queues (T = 20 s).
		const chatSl = expected(raw.filter((c) => c.queue === 'chat')).sl;
		const billingSl = expected(raw.filter((c) => c.queue === 'billing')).sl;
		expect(chatSl).toBeGreaterThan(billingSl);
		const target = (chatSl + billingSl) / 2;
		const every: ReportSettings = { ...DEFAULT_REPORT_SETTINGS, metRule: 'every-queue' };
		const queues = (['billing', 'sales', 'chat'] as const).map((id) => ({ id, name: id, channel: CHANNEL[id], sl: { ...resolveSl(CHANNEL[id]), target } }));
		const v = buildDayReport(input(raw, { settings: every, queues })).met;
		expect(v.met).toBe(false);
		expect(v.text).toContain('billing');
		expect(v.text).not.toContain('chat');
	});

	it('a day without traffic is no traffic, not missed', () => {
		const empty = buildDayReport(input([]));
		expect(empty.traffic).toBe(false);
		expect(empty.met.met).toBeNull();
		expect(empty.met.text).toBe('no traffic');
	});

	it('uses total rows (with agent time) when the history gives them', () => {
		const withTotals = input(raw.slice(0, 50), { recorded: { agentStates: true, csat: false } });
		const total = emptyCounts();
		for (const row of withTotals.intervals) {
			for (const k of Object.keys(total) as (keyof KpiCounts)[]) if (k !== 'longestWait') total[k] += row.counts[k];
		}
		countAgentTime(total, 3000, 1000, 3000, 4000);
		const r2 = buildDayReport({ ...withTotals, intervals: [...withTotals.intervals, { start: DAY0 + 40 * IV, queue: '*', channel: '*', counts: total }] });
		expect(r2.total.occupancy).toBeCloseTo(0.75, 12);
		expect(r2.total.offered).toBe(50);
	});
});

describe('comparison', () => {
	it('differences are day − other, per headline KPI and per interval', () => {
		const a = contacts(1, 800);
		const b = contacts(2, 500);
		const ra = buildDayReport(input(a));
		const rb = buildDayReport(input(b, { date: '2026-11-23', dayStart: DAY0 - 7 * 86_400_000, dayEnd: DAY0 - 6 * 86_400_000, intervals: rows(b).map((r) => ({ ...r, start: r.start - 7 * 86_400_000 })) }));
		const c = compareDays(ra, rb);
		const ea = expected(a);
		const eb = expected(b);
		expect(c.headline.offered.diff).toBe(300);
		expect(c.headline.serviceLevel.diff).toBeCloseTo(ea.sl - eb.sl, 12);
		expect(c.headline.asa.diff).toBeCloseTo(ea.asa - eb.asa, 9);
		expect(c.headline.occupancy).toEqual({ value: null, other: null, diff: null });
		const i40 = c.intervals[40];
		const inA = a.filter((x) => Math.floor((x.at * 1000) / IV) === 40).length;
		const inB = b.filter((x) => Math.floor((x.at * 1000) / IV) === 40).length;
		expect(i40?.diffs.offered.diff).toBe(inA - inB);
		expect(i40?.otherStart).toBe(DAY0 - 7 * 86_400_000 + 40 * IV);
	});
});

describe('range', () => {
	it('sums counts over days instead of averaging rates, and lists missing days', () => {
		const d1 = contacts(3, 1000);
		const d2 = contacts(4, 100);
		const r1 = buildDayReport(input(d1, { date: '2026-11-01' }));
		const r2 = buildDayReport(input(d2, { date: '2026-11-03' }));
		const range = buildRange('2026-11-01', '2026-11-04', [r2, r1]);
		expect(range.days.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-03']);
		expect(range.missing).toEqual(['2026-11-02', '2026-11-04']);
		expect(range.total.serviceLevel).toBeCloseTo(expected([...d1, ...d2]).sl, 12);
		expect(range.days[0]?.weekday).toBe(0); // 2026-11-01 is a Sunday
	});
});

describe('settings in force', () => {
	it('is the last version saved before the day ended, else the defaults', () => {
		const v = [
			{ version: 1, ts: 100, body: 'a' },
			{ version: 2, ts: 200, body: 'b' }
		];
		expect(versionInForce(v, 150)?.body).toBe('a');
		expect(versionInForce(v, 201)?.body).toBe('b');
		expect(versionInForce(v, 50)).toBeNull();
	});
});

