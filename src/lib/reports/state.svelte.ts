import type { IssuedAccuracy } from '../forecast/accuracy';
import { fetchAgents, fetchComparison, fetchDay, fetchDayStatuses, fetchForecastAccuracy, fetchRange, fetchSites, ReportApiError, type ReportSite, type ComparisonJson, type DayReportJson } from './api';
import type { AgentRow } from './day';
import type { HistoryDayStatus } from '../domain/history';
import { addDays, compareDate, isDate, todayIn } from './dates';
import type { RangeReport } from './range';

/**
 * The /reports page's state: which day (or range) is shown, what it is compared with, and what
 * the API answered. Plain methods load; the page only binds and calls them.
 */

/** localStorage key of the supervisor token (per-agent figures), kept on this browser only. */
export const SUPERVISOR_TOKEN_KEY = 'sightline.supervisorToken';

/** What a day is compared with: nothing, the day before, the same weekday a week before, or a chosen date. */
export type CompareChoice = 'none' | 'previous' | 'last-week' | 'date';

/** Day view or a week or month of daily figures. */
export type ReportView = 'day' | 'week' | 'month';

/** First and last date of the calendar month holding `date`. */
export function monthOf(date: string): { from: string; to: string } {
	const from = `${date.slice(0, 7)}-01`;
	const next = new Date(Date.parse(`${from}T00:00:00Z`));
	next.setUTCMonth(next.getUTCMonth() + 1);
	return { from, to: addDays(next.toISOString().slice(0, 10), -1) };
}

/** The seven days ending on `date`. */
export function weekEnding(date: string): { from: string; to: string } {
	return { from: addDays(date, -6), to: date };
}

/** The page's state. */
export class ReportsState {
	timeZone = $state('UTC');
	/** The site whose days are shown (`?site=`), and the center's sites. */
	site = $state('main');
	sites = $state.raw<readonly ReportSite[]>([]);
	date = $state('');
	view = $state<ReportView>('day');
	compare = $state<CompareChoice>('none');
	compareWith = $state('');
	report = $state.raw<DayReportJson | null>(null);
	comparison = $state.raw<ComparisonJson | null>(null);
	range = $state.raw<RangeReport | null>(null);
	/** The calendar month's days, for met/missed marks. */
	calendar = $state.raw<RangeReport | null>(null);
	calendarMonth = $state('');
	/** Each stored day's status by `statusKey(date, source)` (open: running now; closing: late outcomes may still arrive; final). */
	statuses = $state.raw<ReadonlyMap<string, HistoryDayStatus>>(new Map());
	/** Today in the center's time zone (`todayIn`), read at each load: later days are to come, not without data. */
	today = $state('');
	/** The forecast issued for the day against what happened; null when none was issued. */
	accuracy = $state.raw<IssuedAccuracy | null>(null);
	accuracyMessage = $state('');
	agents = $state.raw<readonly AgentRow[] | null>(null);
	agentsMessage = $state('');
	token = $state('');
	loading = $state(false);
	error = $state('');
	#seq = 0;

	/** The date compared with, or null. */
	get otherDate(): string | null {
		if (!this.date || this.compare === 'none') return null;
		if (this.compare === 'date') return isDate(this.compareWith) ? this.compareWith : null;
		return compareDate(this.date, this.compare);
	}

	/** Reads the URL (or opens on yesterday in the center's time zone) and loads. */
	async init(params: URLSearchParams): Promise<void> {
		if (typeof localStorage !== 'undefined') this.token = localStorage.getItem(SUPERVISOR_TOKEN_KEY) ?? '';
		try {
			this.sites = await fetchSites();
		} catch {
			// Viewer data needs no token on loopback; elsewhere the day loads will say what is wrong.
		}
		const site = this.sites.find((x) => x.id === params.get('site'));
		if (site) this.site = site.id;
		this.timeZone = this.sites.find((x) => x.id === this.site)?.timeZone ?? 'UTC';
		const d = params.get('date');
		this.date = d && isDate(d) ? d : addDays(todayIn(this.timeZone), -1);
		const v = params.get('view');
		if (v === 'week' || v === 'month') this.view = v;
		const c = params.get('compare');
		if (c === 'previous' || c === 'last-week') this.compare = c;
		else if (c && isDate(c)) {
			this.compare = 'date';
			this.compareWith = c;
		}
		await this.load();
	}

	/** The URL query that reopens this view. */
	query(): string {
		const q = new URLSearchParams({ date: this.date });
		if (this.site !== 'main') q.set('site', this.site);
		if (this.view !== 'day') q.set('view', this.view);
		const other = this.compare === 'date' ? this.compareWith : this.compare;
		if (this.compare !== 'none' && other) q.set('compare', other);
		return q.toString();
	}

	/** Shows `site`'s days (the same date, its own local day). */
	pickSite(site: string): Promise<void> {
		const s = this.sites.find((x) => x.id === site);
		if (!s || s.id === this.site) return Promise.resolve();
		this.site = s.id;
		this.timeZone = s.timeZone;
		// The calendar was the other site's.
		this.calendar = null;
		return this.load();
	}

	/** Moves by `n` days (keyboard stepping). */
	step(n: number): Promise<void> {
		return this.pick(addDays(this.date, n));
	}

	/** Shows `date`. */
	pick(date: string): Promise<void> {
		if (!isDate(date)) return Promise.resolve();
		this.date = date;
		return this.load();
	}

	/** Loads what the view needs; a late answer for an older choice is dropped. */
	async load(): Promise<void> {
		const seq = ++this.#seq;
		this.loading = true;
		this.error = '';
		try {
			const month = monthOf(this.date);
			const calendar = month.from === this.calendarMonth && this.calendar ? Promise.resolve(this.calendar) : fetchRange(month.from, month.to, this.site);
			const other = this.otherDate;
			// Asked afresh each time: today turns from open to closing to final while the page is open.
			const statuses = fetchDayStatuses(this.site);
			// Read at each load: midnight passes while the page is open, like the statuses change.
			const today = todayIn(this.timeZone);
			if (this.view === 'day') {
				const [report, comparison, cal, st] = await Promise.all([fetchDay(this.date, this.site), other ? fetchComparison(this.date, other, this.site) : Promise.resolve(null), calendar, statuses]);
				if (seq !== this.#seq) return;
				this.statuses = st;
				this.today = today;
				this.report = report;
				this.comparison = comparison;
				this.range = null;
				this.#setCalendar(month.from, cal);
				await Promise.all([this.loadAgents(seq), this.loadAccuracy(seq)]);
			} else {
				const span = this.view === 'week' ? weekEnding(this.date) : month;
				const [range, cal, st] = await Promise.all([fetchRange(span.from, span.to, this.site), calendar, statuses]);
				if (seq !== this.#seq) return;
				this.statuses = st;
				this.today = today;
				this.range = range;
				this.#setCalendar(month.from, cal);
			}
		} catch (e) {
			if (seq === this.#seq) this.error = e instanceof Error ? e.message : String(e);
		} finally {
			if (seq === this.#seq) this.loading = false;
		}
	}

	#setCalendar(month: string, cal: RangeReport): void {
		this.calendarMonth = month;
		this.calendar = cal;
	}

	/** Loads the forecast issued for the day, if any; a failure says so in the section only. */
	async loadAccuracy(seq: number): Promise<void> {
		this.accuracy = null;
		this.accuracyMessage = '';
		// The forecast is the default site's.
		if (!this.report || this.site !== 'main') return;
		try {
			const a = await fetchForecastAccuracy(this.date);
			if (seq === this.#seq) this.accuracy = a;
		} catch (e) {
			if (seq === this.#seq) this.accuracyMessage = e instanceof Error ? e.message : String(e);
		}
	}

	/** Saves the token on this browser and loads the agent table. */
	async useToken(token: string): Promise<void> {
		this.token = token.trim();
		if (typeof localStorage !== 'undefined') {
			if (this.token) localStorage.setItem(SUPERVISOR_TOKEN_KEY, this.token);
			else localStorage.removeItem(SUPERVISOR_TOKEN_KEY);
		}
		await this.loadAgents(this.#seq);
	}

	/** Loads per-agent rows when a token is set. */
	async loadAgents(seq: number): Promise<void> {
		this.agents = null;
		this.agentsMessage = '';
		if (!this.token || !this.report) return;
		try {
			const agents = await fetchAgents(this.date, this.token, this.site);
			if (seq !== this.#seq) return;
			this.agents = agents;
			if (!agents) this.agentsMessage = `The source of ${this.date} (${this.report.source}) recorded no agent figures.`;
		} catch (e) {
			if (seq !== this.#seq) return;
			this.agentsMessage = e instanceof ReportApiError && (e.status === 401 || e.status === 403) ? `Token refused: ${e.message}` : String(e);
		}
	}
}
