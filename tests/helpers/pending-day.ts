/**
 * Events of a day left pending: a call abandoned after 45 s at 10:00 (UTC) and an email queued at
 * 11:00 and never closed, so once ingested the day ends 'closing' (late outcomes may still
 * arrive) and its verdict so far is missed. `prefix` keeps event and contact ids apart per test.
 */
export function pendingDayEvents(date: string, prefix: string): Record<string, unknown>[] {
	const at = (hhmm: string) => Date.parse(`${date}T${hhmm}:00Z`);
	return [
		{ type: 'contact.queued', id: `${prefix}-1`, ts: at('10:00'), contact: `${prefix}c1`, queue: 'billing', channel: 'voice' },
		{ type: 'contact.abandoned', id: `${prefix}-2`, ts: at('10:00') + 45_000, contact: `${prefix}c1`, queue: 'billing' },
		{ type: 'contact.queued', id: `${prefix}-3`, ts: at('11:00'), contact: `${prefix}c2`, queue: 'email', channel: 'email' }
	];
}
