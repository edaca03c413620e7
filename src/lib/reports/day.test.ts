import { describe, expect, it } from 'vitest';
import { countAbandoned, countAgentTime, countAnswered, countHandled, countOffered, emptyCounts, type KpiCounts } from '../domain/kpi';
import { resolveSl } from '../domain/service-level';
import { compareDays } from './compare';
import { buildDayReport } from './day';
import type { DayInput, IntervalInput } from './input';
import { buildRange } from './range';
import { tableCsv } from './csv';
import { channelGroupTable } from './tables';
import { DEFAULT_REPORT_SETTINGS, versionInForce, type ReportSettings } from './settings';

/** A contact as a test writes it down: queue, offer time (s after the day start), outcome, wait, handle. */
interface Raw {
	queue: keyof typeof CHANNEL;
	at: number;
	outcome: 'answered' | 'abandoned';
	wait: number;
	handle: number;
}

const DAY0 = Date.UTC(2026, 10, 30);
const IV = 15 * 60_000;
const CHANNEL = { billing: 'voice', sales: 'voice', chat: 'chat', inbox: 'email' } as const;

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
	// The SL thresholds of DESIGN.md's defaults: voice 20 s, chat 60 s, email 24 h.
	const T = (q: Raw['queue']) => ({ voice: 20, chat: 60, email: 86_400 })[CHANNEL[q]];
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
		const floor = (target: number): ReportSettings => ({ ...DEFAULT_REPORT_SETTINGS, metRule: 'floor-total', targets: { ...DEFAULT_REPORT_SETTINGS.targets, serviceLevel: target } });
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

describe('channel groups', () => {
	// Voice answered in seconds, email in hours: one floor-wide ASA would read minutes and judge neither.
	const voice = contacts(21, 1200).map((c) => ({ ...c, queue: 'billing' as const }));
	const email = contacts(22, 300).map((c, i) => ({ ...c, queue: 'inbox' as const, wait: 600 + ((i * 7919) % (9 * 3600)), outcome: i % 25 === 0 ? ('abandoned' as const) : ('answered' as const) }));
	const raw = [...voice, ...email];
	const r = buildDayReport(input(raw));
	const v = expected(voice);
	const e = expected(email);
	const groupOf = (g: string) => r.groups.find((x) => x.group === g);

	it('each group has its own figures, computed from its own contacts; the counts add up', () => {
		expect(r.groups.map((g) => g.group)).toEqual(['voice', 'email']);
		expect(groupOf('voice')?.kpis.asa).toBeCloseTo(v.asa, 9);
		expect(groupOf('voice')?.kpis.serviceLevel).toBeCloseTo(v.sl, 12);
		expect(groupOf('email')?.kpis.asa).toBeCloseTo(e.asa, 9);
		expect(groupOf('email')?.kpis.serviceLevel).toBeCloseTo(e.sl, 12);
		expect(groupOf('email')?.kpis.abandonRate).toBeCloseTo(e.abandonRate, 12);
		// Counts add up to the floor's; the floor's ASA is the mix that hid both.
		expect(r.groups.reduce((s, g) => s + g.kpis.offered, 0)).toBe(r.total.offered);
		expect(r.groups.reduce((s, g) => s + g.kpis.answered, 0)).toBe(r.total.answered);
		expect(r.total.asa).toBeCloseTo((v.asa * v.answered + e.asa * e.answered) / (v.answered + e.answered), 6);
		expect(v.asa).toBeLessThan(60);
		expect(e.asa).toBeGreaterThan(3600);
	});

	it('judges each group against its own targets: voice ASA in seconds, email in hours', () => {
		const asa = (g: string) => groupOf(g)?.judgements.find((j) => j.kpi === 'asa');
		// Defaults: voice 30 s (targets.asa), email 4 h.
		expect(asa('voice')).toMatchObject({ value: v.asa, target: 30, met: v.asa <= 30 });
		expect(asa('email')).toMatchObject({ target: 4 * 3600, met: e.asa <= 4 * 3600 });
		// A group's own setting wins over the default.
		const tight = buildDayReport(input(raw, { settings: { ...DEFAULT_REPORT_SETTINGS, groups: { email: { asa: e.asa - 1, serviceLevel: e.sl + 0.01 } } } }));
		const te = tight.groups.find((g) => g.group === 'email')!;
		expect(te.judgements.find((j) => j.kpi === 'asa')?.met).toBe(false);
		expect(te.met).toBe(false);
		expect(tight.groups.find((g) => g.group === 'voice')?.targets.serviceLevel).toBe(DEFAULT_REPORT_SETTINGS.targets.serviceLevel);
	});

	it('the day is met when every group with traffic reaches its SL target, and names the one that did not', () => {
		const at = (voiceTarget: number, emailTarget: number): ReportSettings => ({
			...DEFAULT_REPORT_SETTINGS,
			groups: { voice: { serviceLevel: voiceTarget }, email: { serviceLevel: emailTarget } }
		});
		expect(buildDayReport(input(raw, { settings: at(v.sl - 0.01, e.sl - 0.01) })).met).toMatchObject({ rule: 'every-group', met: true, text: 'met: all 2 channel groups at or above their targets' });
		const missed = buildDayReport(input(raw, { settings: at(v.sl - 0.01, e.sl + 0.01) })).met;
		expect(missed.met).toBe(false);
		expect(missed.text).toContain('Email');
		expect(missed.text).not.toContain('Voice');
	});

	it('the CSV of the groups has one row per group with its targets', () => {
		const t = channelGroupTable(r);
		const lines = tableCsv(t).replace('\ufeff', '').trim().split('\r\n');
		expect(lines[0]).toContain('Channel group,Offered');
		expect(lines[0]).toContain('ASA target (s)');
		expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['Voice', 'Email']);
		expect(lines[2]).toContain(`,${e.offered},`);
		expect(lines[2]).toContain(',14400,');
	});

	it("each group's interval figures come from its own contacts of that interval, and add up to the floor's", () => {
		const slotOf = (c: Raw) => Math.floor((c.at * 1000) / IV);
		for (const [g, list] of [['voice', voice], ['email', email]] as const) {
			const rowsOf = groupOf(g)?.intervals ?? [];
			expect(rowsOf).toHaveLength(96);
			const busy = [...new Set(list.map(slotOf))];
			expect(busy.length).toBeGreaterThan(20);
			for (const i of busy) {
				const want = expected(list.filter((c) => slotOf(c) === i));
				const got = rowsOf[i]?.kpis;
				expect(got?.offered).toBe(want.offered);
				expect(got?.abandoned).toBe(want.abandoned);
				if (want.answered > 0) expect(got?.asa).toBeCloseTo(want.asa, 9);
				else expect(got?.asa).toBeNull();
				// A group's interval carries no occupancy: an agent's time is not one channel group's.
				expect(got?.occupancy).toBeNull();
			}
		}
		r.intervals.forEach((row, i) => {
			expect(r.groups.reduce((s, g) => s + (g.intervals[i]?.counts.offered ?? 0), 0)).toBe(row.counts.offered);
			expect(r.groups.reduce((s, g) => s + (g.intervals[i]?.counts.answered ?? 0), 0)).toBe(row.counts.answered);
		});
	});

	it('a comparison has per-group differences', () => {
		const c = compareDays(r, buildDayReport(input(voice)));
		expect(c.groups.find((g) => g.key === 'voice')?.diffs.asa.diff).toBeCloseTo(0, 9);
		expect(c.groups.find((g) => g.key === 'email')?.diffs.asa).toMatchObject({ other: null, diff: null });
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

