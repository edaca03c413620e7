import { eventErrors, type FloorEvent } from '../events';
import type { TraceError } from './trace-error';

/**
 * Parser of an events trace: JSON Lines, one event of DESIGN.md's schema per line. Blank lines and
 * lines starting with `#` are skipped. Every event is validated like an ingest batch; bad lines are
 * listed by line and field (JSON pointer) and left out, so a caller refuses the file when `errors`
 * is not empty rather than applying part of it.
 */

/** What `parseEventsTrace` returns. */
export interface EventsTraceParse {
	/** Valid events in file order. */
	readonly events: FloorEvent[];
	readonly errors: TraceError[];
}

/** Longest line accepted (1 MiB): an event is a few hundred bytes. */
const MAX_LINE = 1 << 20;

/** Parses JSONL trace text. */
export function parseEventsTrace(text: string, options: { maxErrors?: number } = {}): EventsTraceParse {
	const maxErrors = options.maxErrors ?? 100;
	const events: FloorEvent[] = [];
	const errors: TraceError[] = [];
	const add = (e: TraceError) => {
		if (errors.length < maxErrors) errors.push(e);
	};
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = (lines[i] ?? '').trim();
		if (!line || line.startsWith('#')) continue;
		if (line.length > MAX_LINE) {
			add({ line: i + 1, field: '', message: `line longer than ${MAX_LINE} characters` });
			continue;
		}
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (e) {
			add({ line: i + 1, field: '', message: `not JSON (${String((e as Error).message).slice(0, 120)})` });
			continue;
		}
		const errs = eventErrors(value, i);
		if (errs.length) for (const er of errs.slice(0, 3)) add({ line: i + 1, field: er.path || '/', message: er.message });
		else events.push(value as FloorEvent);
	}
	return { events, errors };
}
