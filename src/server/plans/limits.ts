import { HttpError } from '../http-router';

/** Largest baseline a saved plan may carry (a replayed day with per-contact arrivals fits). */
export const MAX_BASELINE_CONTACTS = 200_000;

/** Refuses a baseline with more trace arrivals than a day could plausibly have. */
export function checkScenarioSize(x: unknown): void {
	const queues = (x as { queues?: unknown } | null)?.queues;
	if (!Array.isArray(queues)) return;
	let n = 0;
	for (const q of queues) {
		const t = (q as { arrivals?: { trace?: unknown } } | null)?.arrivals?.trace;
		if (Array.isArray(t)) n += t.length;
	}
	if (n > MAX_BASELINE_CONTACTS) throw new HttpError(413, `baseline has ${n} trace arrivals; at most ${MAX_BASELINE_CONTACTS}`);
}
