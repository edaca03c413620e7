import type { Channel } from '../domain/channels';
import type { SlFormula, SlSettings } from '../domain/service-level';
import type { AgentActivity } from '../domain/agent-activity';
import type { BoardConfig, Density } from '../domain/board-config';
import type { ThresholdKpi, ThresholdRule, ThresholdWindow } from '../domain/thresholds';
import { getConfig, listBoards, putBoard, putConfig, TOKEN_KEY } from './api';

/** A queue as the config API lists it. */
export interface AdminQueue {
	id: string;
	name: string;
	channel: Channel;
	sl: { threshold: number; target: number; shortAbandon: number; formula: SlFormula };
}

/** An editable copy of a board (plain arrays so inputs can bind to them). */
export interface BoardDraft {
	id: string;
	name: string;
	queues: string[] | null;
	channels: Channel[] | null;
	slFormula: SlFormula;
	thresholds: { default: ThresholdRule[]; queues: Record<string, ThresholdRule[]> };
	/** Layout and self-warnings; empty keeps every default. */
	display: { density?: Density; staleAfterSeconds?: number; longState?: Partial<Record<AgentActivity, number>> };
}

/**
 * A rule as it is stored: its levels, and its period only when that is the rolling window (today
 * is the default), with nothing else a form may have added.
 */
function storedRule(kpi: ThresholdKpi, r: { warn: number; alert: number; window?: ThresholdWindow }): ThresholdRule {
	return r.window === 'rolling' ? { kpi, warn: r.warn, alert: r.alert, window: 'rolling' } : { kpi, warn: r.warn, alert: r.alert };
}

/** Deep copy of a board into a draft. */
export function toDraft(b: BoardConfig): BoardDraft {
	return {
		id: b.id,
		name: b.name,
		queues: b.queues ? [...b.queues] : null,
		channels: b.channels ? [...b.channels] : null,
		slFormula: b.slFormula,
		thresholds: {
			default: b.thresholds.default.map((r) => ({ ...r })),
			queues: Object.fromEntries(Object.entries(b.thresholds.queues).map(([q, rs]) => [q, rs.map((r) => ({ ...r }))]))
		},
		display: { ...b.display, ...(b.display?.longState ? { longState: { ...b.display.longState } } : {}) }
	};
}

/** A draft back as the plain board the API takes (drops empty per-queue override lists). */
export function fromDraft(d: BoardDraft): BoardConfig {
	const queues: Record<string, ThresholdRule[]> = {};
	for (const [q, rs] of Object.entries(d.thresholds.queues)) if (rs.length) queues[q] = rs.map((r) => storedRule(r.kpi, r));
	return {
		id: d.id,
		name: d.name,
		queues: d.queues ? [...d.queues] : null,
		channels: d.channels ? [...d.channels] : null,
		slFormula: d.slFormula,
		thresholds: { default: d.thresholds.default.map((r) => storedRule(r.kpi, r)), queues },
		...(Object.keys(d.display).length ? { display: { ...d.display } } : {})
	};
}

/** Sets or clears one rule in a list (null clears), keeping its period when it has one. */
export function setRule(
	rules: ThresholdRule[],
	kpi: ThresholdKpi,
	rule: { warn: number; alert: number; window?: ThresholdWindow } | null
): ThresholdRule[] {
	const rest = rules.filter((r) => r.kpi !== kpi);
	return rule ? [...rest, storedRule(kpi, rule)] : rest;
}

/**
 * The admin page's state: the token (kept in localStorage on this browser only), the boards and
 * queues as the server has them, and the outcome of the last save.
 */
export class AdminState {
	token = $state('');
	boards = $state.raw<BoardConfig[]>([]);
	queues = $state.raw<AdminQueue[]>([]);
	loading = $state(false);
	message = $state<{ kind: 'ok' | 'error'; text: string } | null>(null);

	constructor() {
		if (typeof localStorage !== 'undefined') this.token = localStorage.getItem(TOKEN_KEY) ?? '';
	}

	/** Remembers the token for the next visit. */
	saveToken(token: string): void {
		this.token = token.trim();
		if (typeof localStorage !== 'undefined') {
			if (this.token) localStorage.setItem(TOKEN_KEY, this.token);
			else localStorage.removeItem(TOKEN_KEY);
		}
	}

	/** Takes a token from the form: a message about the previous one (e.g. a 401) no longer applies. */
	useToken(token: string): Promise<void> {
		this.saveToken(token);
		this.message = null;
		return this.load();
	}

	/** Loads boards and queues; a load that works clears an error left by one that did not. */
	async load(): Promise<void> {
		this.loading = true;
		try {
			const [boards, config] = await Promise.all([listBoards(this.token), getConfig(this.token)]);
			this.boards = boards;
			this.queues = [...config.queues].sort((a, b) => a.channel.localeCompare(b.channel) || a.name.localeCompare(b.name));
			if (this.message?.kind === 'error' && this.message.text.startsWith('Could not load')) this.message = null;
		} catch (e) {
			this.message = { kind: 'error', text: `Could not load: ${errText(e)}` };
		} finally {
			this.loading = false;
		}
	}

	/** Saves a board; it applies to every wall showing it with the next frame. */
	async saveBoard(d: BoardDraft): Promise<boolean> {
		try {
			await putBoard(fromDraft(d), this.token);
			this.message = { kind: 'ok', text: `Board “${d.name}” saved — walls update within a second.` };
			await this.load();
			return true;
		} catch (e) {
			this.message = { kind: 'error', text: `Board not saved: ${errText(e)}` };
			return false;
		}
	}

	/** Saves service-level settings of queues. */
	async saveQueues(queues: readonly { id: string; sl: SlSettings }[]): Promise<boolean> {
		try {
			await putConfig({ queues: queues.map((q) => ({ id: q.id, sl: { ...q.sl } })) }, this.token);
			this.message = { kind: 'ok', text: `Service-level settings of ${queues.length} queue${queues.length === 1 ? '' : 's'} saved.` };
			await this.load();
			return true;
		} catch (e) {
			this.message = { kind: 'error', text: `Queue settings not saved: ${errText(e)}` };
			return false;
		}
	}
}

function errText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}
