/** One problem in a trace file: the line (1-based; 0 when not tied to a line), the field, what is wrong. */
export interface TraceError {
	readonly line: number;
	/** Column or JSON pointer of the bad value; '' when the whole line is wrong. */
	readonly field: string;
	readonly message: string;
}

/** Formats up to `max` errors as one line each, `line N, field: message`. */
export function formatTraceErrors(errors: readonly TraceError[], max = 10): string {
	const shown = errors.slice(0, max).map((e) => `line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`);
	if (errors.length > max) shown.push(`… and ${errors.length - max} more`);
	return shown.join('\n');
}
