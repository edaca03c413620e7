import type { FloorConfig, QueueConfig } from '../../lib/domain/floor';
import { compareDays, type Comparison } from '../../lib/reports/compare';
import { dayBounds } from '../../lib/reports/dates';
import { datesBetween } from '../../lib/reports/range';
import { buildDayReport, type DayReport } from '../../lib/reports/day';
import type { DayInput, IntervalInput } from '../../lib/reports/input';
import { buildRange, type RangeReport } from '../../lib/reports/range';
import { DEFAULT_REPORT_SETTINGS, parseReportSettings, versionInForce, type ReportSettings } from '../../lib/reports/settings';
import { DEFAULT_SITE, type SiteConfig } from '../../lib/domain/sites';
import type { HistoryDayStatus } from '../../lib/domain/history';
import { statusKey } from '../../lib/reports/status';
import { HistoryQueries } from '../history/queries';
import type { Store } from '../store';

/**
 * Assembles reports from the store: a day's interval rows (what the Floor decided), the floor
 * config and report settings in force that day (both versioned), into the pure report builders.
 */

/** Longest range one request may ask for. */
export const MAX_RANGE_DAYS = 366;

/** Config kind and key of the report settings. */
const SETTINGS_KIND = 'reports';
const SETTINGS_KEY = 'default';

/** What the service reads. */
export interface ReportServiceDeps {
	readonly store: Store;
	/** The live center's config (time zone, reset, interval length, queues including those events added, sites). */
	readonly floorConfig: () => FloorConfig & { readonly sites?: readonly SiteConfig[] };
}

/** Day, range and comparison reports from the store. */
export class ReportService {
	constructor(private readonly deps: ReportServiceDeps) {}

	/** The report settings in force now, and their version (null: defaults). */
	currentSettings(): { settings: ReportSettings; version: number | null } {
		const v = this.deps.store.latestConfig<ReportSettings>(SETTINGS_KIND, SETTINGS_KEY);
		return v ? { settings: v.body, version: v.version } : { settings: DEFAULT_REPORT_SETTINGS, version: null };
	}

	/** Validates and saves new settings (a new version, audited). */
	saveSettings(input: unknown, actor: string, now: number): { ok: true; version: number; settings: ReportSettings } | { ok: false; errors: string[] } {
		const r = parseReportSettings(input);
		if (!r.ok) return r;
		const version = this.deps.store.saveConfig(SETTINGS_KIND, SETTINGS_KEY, r.settings, actor, now);
		return { ok: true, version, settings: r.settings };
	}

	/** What the day's report of `site` (default: the default site) is built from; null when the store holds nothing for that day. */
	dayInput(date: string, site: string = DEFAULT_SITE): DayInput | null {
		const center = this.deps.floorConfig();
		const live = onSite(center, site, center);
		// The day's bounds come from the site's live time zone; the config in force that day is then read back.
		const approx = dayBounds(date, live.timeZone, live.resetTime);
		const floorV = versionInForce(this.deps.store.configVersions<FloorConfig & { readonly sites?: readonly SiteConfig[] }>('floor', 'default'), approx.end);
		const cfg: FloorConfig = floorV ? onSite({ ...center, ...floorV.body }, site, live) : live;
		const { start, end } = dayBounds(date, cfg.timeZone, cfg.resetTime);
		// The history API's day (what the site's Floor decided), from the preferred source of that date.
		const day = new HistoryQueries(this.deps.store.db, site).day(date, undefined, { agents: true });
		if (!day || day.intervals.length === 0) return null;
		// Queues as the history recorded them that day, then the config in force, then the live floor's.
		const queues = mergeQueues(mergeQueues(day.queues, cfg.queues), live.queues);
		const settingsV = versionInForce(this.deps.store.configVersions<ReportSettings>(SETTINGS_KIND, SETTINGS_KEY), end);
		// Per-queue, per-channel and total rows alike: the total rows carry the agent time (occupancy).
		const intervals: readonly IntervalInput[] = day.intervals;
		return {
			date,
			source: day.source,
			timeZone: cfg.timeZone,
			intervalMs: cfg.intervalMs,
			dayStart: start,
			dayEnd: end,
			intervals,
			// Agent rows are supervisor data: the routes leave them out for viewers.
			agents: day.snapshot.agents ?? null,
			recorded: { agentStates: day.recorded.agentStates, csat: day.recorded.csat },
			queues,
			settings: settingsV?.body ?? DEFAULT_REPORT_SETTINGS,
			configVersion: floorV?.version ?? null,
			settingsVersion: settingsV?.version ?? null
		};
	}

	/** A day's report of `site`, or null when the store holds nothing for it. */
	day(date: string, site: string = DEFAULT_SITE): DayReport | null {
		const input = this.dayInput(date, site);
		return input ? buildDayReport(input) : null;
	}

	/** Daily figures of `site` from `from` to `to` inclusive. */
	range(from: string, to: string, site: string = DEFAULT_SITE): RangeReport {
		const reports = datesBetween(from, to)
			.map((d) => this.day(d, site))
			.filter((r): r is DayReport => r !== null);
		return buildRange(from, to, reports);
	}

	/**
	 * Whether each stored day of `site` from `from` to `to` is running, closing or final, by
	 * `statusKey(date, source)`: what the page reads from `GET /api/history/days` for the same marks.
	 */
	dayStatuses(from: string, to: string, site: string = DEFAULT_SITE): ReadonlyMap<string, HistoryDayStatus> {
		return new Map(new HistoryQueries(this.deps.store.db, site).dayStatuses(from, to).map((d) => [statusKey(d.date, d.source), d.status]));
	}

	/** `day` against `other`; null (with which one) when either has no history. */
	compare(day: string, other: string, site: string = DEFAULT_SITE): { ok: true; comparison: Comparison } | { ok: false; missing: string } {
		const a = this.day(day, site);
		if (!a) return { ok: false, missing: day };
		const b = this.day(other, site);
		if (!b) return { ok: false, missing: other };
		return { ok: true, comparison: compareDays(a, b) };
	}
}

/**
 * `config` on the clock of `site`: its own time zone and reset as that config lists them; when it
 * does not list the site (a version stored before the site was added), `fallback`'s.
 */
function onSite<C extends FloorConfig & { readonly sites?: readonly SiteConfig[] }>(config: C, site: string, fallback: FloorConfig): FloorConfig {
	if (site === DEFAULT_SITE) return config;
	const s = config.sites?.find((x) => x.id === site);
	return { ...config, timeZone: s?.timeZone ?? fallback.timeZone, resetTime: s?.resetTime ?? fallback.resetTime };
}

/** Queues of the config in force, then any the live floor knows that it did not name. */
function mergeQueues(inForce: readonly QueueConfig[], live: readonly QueueConfig[]): QueueConfig[] {
	const ids = new Set(inForce.map((q) => q.id));
	return [...inForce, ...live.filter((q) => !ids.has(q.id))];
}
