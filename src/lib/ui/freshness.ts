import type { OpeningHours, SourceInfo } from '../protocol/frames';
import type { LiveStatus } from '../live/connection.svelte';

/**
 * What the wall may claim about its numbers. The socket being up is not enough: an ingest floor
 * whose producers went quiet is connected and still old. So freshness follows the last event the
 * floor took in, measured in real seconds (a replay at 30× that is quiet for a floor-minute has
 * been quiet for two real seconds), against the board's limit.
 */

/**
 * - `live`: events are arriving.
 * - `quiet`: connected, but nothing arrived for a while (the badge says for how long).
 * - `data-stale`: nothing arrived for longer than the board's limit: every value is old.
 * - `ended`: a replay played its last event; the floor stays as it ended.
 * - `after-hours`: the center is closed (outside the source's opening hours): quiet is expected,
 *   not a fault, so no alarm; a source that goes quiet during opening hours is still stale.
 * - the connection's own states when the stream itself is not live.
 */
export type WallFreshness = 'live' | 'quiet' | 'data-stale' | 'ended' | 'after-hours' | Exclude<LiveStatus, 'live'>;

/** Real seconds without an event after which a live badge says "no events for …". */
export const QUIET_AFTER_SECONDS = 30;

/** The wall's freshness, and how many real seconds ago the floor last took in an event (null: unknown). */
export function wallFreshness(
	status: LiveStatus,
	source: SourceInfo | null,
	lastEventAt: number | null,
	serverNow: number,
	staleAfterSeconds: number
): { readonly state: WallFreshness; readonly quietSeconds: number | null } {
	if (status !== 'live') return { state: status, quietSeconds: null };
	if (source?.kind === 'replay' && source.ended) return { state: 'ended', quietSeconds: null };
	if (source?.kind === 'emulator' && source.hours && !isOpen(source.hours, serverNow)) return { state: 'after-hours', quietSeconds: null };
	// A cluster instance cut off from the shared event stream learns nothing new: its floor is old now.
	if (source?.kind === 'ingest' && source.upstream === 'unreachable') {
		return { state: 'data-stale', quietSeconds: lastEventAt === null ? null : Math.max(0, (serverNow - lastEventAt) / 1000) };
	}
	const speed = source && source.kind !== 'ingest' ? Math.max(source.speed, 1e-9) : 1;
	const quietSeconds = lastEventAt === null ? null : Math.max(0, (serverNow - lastEventAt) / 1000 / speed);
	// No event since the server started counts as quiet from the start, never as fresh.
	if (quietSeconds === null || quietSeconds > staleAfterSeconds) return { state: 'data-stale', quietSeconds };
	return { state: quietSeconds >= QUIET_AFTER_SECONDS ? 'quiet' : 'live', quietSeconds };
}

const localClocks = new Map<string, Intl.DateTimeFormat>();

/** Whether `now` (epoch ms) falls within the opening hours, on the center's local clock. */
export function isOpen(hours: OpeningHours, now: number): boolean {
	let f = localClocks.get(hours.timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		localClocks.set(hours.timeZone, f);
	}
	const local = f.format(now); // "HH:MM": compares as text
	return local >= hours.open && local < hours.close;
}

/** True when the numbers on screen may be read as current (they are not dimmed): a closed center's are the day's last. */
export function isCurrent(state: WallFreshness): boolean {
	return state === 'live' || state === 'quiet' || state === 'ended' || state === 'after-hours';
}

const SPEED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * The header's name for the source: `live` is plain, anything else is a badge to be read from
 * across the room ("REPLAY · 1999-08-01 · 30×").
 */
export function sourceBadge(source: SourceInfo | null): { readonly kind: SourceInfo['kind'] | 'unknown'; readonly text: string; readonly title: string } {
	if (source === null) return { kind: 'unknown', text: '', title: '' };
	switch (source.kind) {
		case 'ingest':
			return source.upstream === 'unreachable'
				? { kind: 'ingest', text: 'Event stream unreachable', title: 'This server lost its connection to the shared event stream (NATS); the figures are as they were when it was lost' }
				: { kind: 'ingest', text: 'Live', title: 'Live events from the contact center' };
		case 'emulator':
			return {
				kind: 'emulator',
				text: `Emulator${source.speed === 1 ? '' : ` · ${SPEED.format(source.speed)}×`}`,
				title: `Not real traffic: the built-in emulator playing “${source.scenario}” at ${SPEED.format(source.speed)}× speed`
			};
		case 'replay':
			return {
				kind: 'replay',
				text: `${source.ended ? 'Replay ended' : 'Replay'} · ${source.day} · ${SPEED.format(source.speed)}×`,
				title: `Not live: a replay of ${source.day} at ${SPEED.format(source.speed)}× speed${source.ended ? ', played to its end' : ''}`
			};
		case 'simulation':
			return {
				kind: 'simulation',
				text: `${source.ended ? 'Simulation ended' : 'Simulation'} · ${source.plan}`,
				title: `Not real traffic: a simulation of plan “${source.plan}” at ${SPEED.format(source.speed)}× speed${source.ended ? ', played to the end of its day' : ''}`
			};
		default: {
			const unknown: never = source;
			return unknown;
		}
	}
}

/** "45 s", "12 min", "3 h 5 min": how long nothing arrived, in words a room reads at once. */
export function formatQuiet(seconds: number): string {
	const s = Math.floor(seconds);
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}
