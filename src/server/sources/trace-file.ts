import { readFileSync } from 'node:fs';
import { eventErrors, type FloorEvent } from '../../lib/domain/events';

/**
 * Reads an events trace: JSON Lines, one event per line (blank lines and lines starting with `#`
 * skipped). The whole file is validated like an ingest batch; errors name the line and field.
 */
export function readTraceFile(path: string): FloorEvent[] {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (e) {
		throw new Error(`cannot read trace ${path}: ${(e as Error).message}`);
	}
	return parseTrace(text, path);
}

/** Parses JSONL trace text; throws listing up to 10 bad lines. */
export function parseTrace(text: string, name = 'trace'): FloorEvent[] {
	const events: FloorEvent[] = [];
	const problems: string[] = [];
	text.split('\n').forEach((raw, i) => {
		const line = raw.trim();
		if (!line || line.startsWith('#') || problems.length >= 10) return;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (e) {
			problems.push(`${name}:${i + 1}: not JSON (${(e as Error).message})`);
			return;
		}
		const errs = eventErrors(value, i);
		if (errs.length) problems.push(...errs.slice(0, 3).map((er) => `${name}:${i + 1}: ${er.path || '/'} ${er.message}`));
		else events.push(value as FloorEvent);
	});
	if (problems.length) throw new Error(`invalid trace:\n  ${problems.slice(0, 10).join('\n  ')}`);
	return events;
}
