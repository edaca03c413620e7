import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { computeKpis, emptyCounts } from '../domain/kpi';
import { tableCsv } from './csv';
import type { GroupRow } from './day';
import { NOT_RECORDED, type Table } from './tables';

function row(name: string, offered: number): GroupRow {
	const counts = { ...emptyCounts(), offered, answered: offered, answeredWithinT: offered, answeredWaitSum: 12.34 * offered };
	return { key: name, name, channel: 'voice', counts, kpis: computeKpis(counts, 'answered-only'), slFormula: 'answered-only', slThreshold: 20, slTarget: 0.8, met: true };
}

const table: Table<GroupRow> = {
	id: 'queues',
	title: 't',
	recorded: { agentTime: false, csat: false },
	rows: [row('Billing, "VIP"\nline two', 3), row('plain', 0)],
	columns: [
		{ key: 'queue', label: 'Queue, name', kind: 'text', get: (q) => q.name },
		{ key: 'offered', label: 'Offered', kind: 'count', get: (q) => q.kpis.offered },
		{ key: 'sl', label: 'Service level', kind: 'rate', get: (q) => q.kpis.serviceLevel },
		{ key: 'asa', label: 'ASA', kind: 'seconds', get: (q) => q.kpis.asa },
		{ key: 'occ', label: 'Occupancy', kind: 'rate', needs: 'agentTime', get: (q) => q.kpis.occupancy }
	]
};

describe('table CSV', () => {
	const text = tableCsv(table);

	it('quotes commas, quotes and newlines (RFC 4180)', () => {
		expect(text.startsWith('\ufeff')).toBe(true);
		expect(text).toContain('"Queue, name"');
		expect(text).toContain('"Billing, ""VIP""\nline two"');
		expect(text.split('\r\n')[0]).toBe('\ufeff"Queue, name",Offered,Service level (%),ASA (s),Occupancy (%)');
	});

	it('round-trips through csv-parse with the values intact', () => {
		const back = parse(text, { bom: true }) as string[][];
		expect(back).toEqual([
			['Queue, name', 'Offered', 'Service level (%)', 'ASA (s)', 'Occupancy (%)'],
			['Billing, "VIP"\nline two', '3', '100', '12.3', NOT_RECORDED],
			// Nothing offered: no service level or ASA (empty), never 0.
			['plain', '0', '', '', NOT_RECORDED]
		]);
	});
});
