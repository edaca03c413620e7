import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor } from '../../src/lib/domain/floor';
import { LiveHistory } from '../../src/server/history/live';
import { Store } from '../../src/server/store';

/**
 * History retention per site on a real SQLite store: three sites' floors (UTC, 14 h ahead, 11 h
 * behind) write nine days of traffic through the live history writer; a retention of 3 days then
 * keeps, of each site, exactly its own last 3 days before its own today, counted on its own calendar.
 * At the chosen instant the three sites are on three different dates, so cutting every site at
 * the default site's date would keep a day too many of one and remove a day too many of the other.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RETENTION = 3;
// 10:30 UTC: 00:30 on the next date at Kiritimati (UTC+14), 23:30 on the previous one at Pago Pago (UTC-11).
const NOW = Date.parse('2026-03-10T10:30:00Z');
const ZONES = { main: 'UTC', kiri: 'Pacific/Kiritimati', pago: 'Pacific/Pago_Pago' } as const;
type Site = keyof typeof ZONES;
const SITES = Object.keys(ZONES) as Site[];

/** A site's calendar date of an instant, read with Intl here rather than the code's dayKey. */
const localDate = (ts: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ts);
/** `date` moved by `n` calendar days. */
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const root = mkdtempSync(join(tmpdir(), 'sightline-retention-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let stores = 0;
const newStore = () => new Store(join(root, `s${++stores}`));

describe('history retention', () => {
	it('counts each site\'s days on its own calendar: N days before the site\'s own today, whatever the default site\'s date', () => {
		// The premise: at NOW the three sites are on three different dates.
		const today = Object.fromEntries(SITES.map((s) => [s, localDate(NOW, ZONES[s])])) as Record<Site, string>;
		expect(today).toEqual({ main: '2026-03-10', kiri: '2026-03-11', pago: '2026-03-09' });

		const store = newStore();
		try {
			const start = NOW - 9 * DAY;
			const floors = Object.fromEntries(SITES.map((s) => [s, new Floor({ ...DEFAULT_FLOOR_CONFIG, timeZone: ZONES[s], resetTime: '00:00' }, start, { rollDayOnEventTime: false })])) as Record<Site, Floor>;
			const history = new LiveHistory(store, floors.main, { source: 'ingest', retentionDays: RETENTION, log: () => {} });
			for (const s of SITES) if (s !== 'main') history.addSite(s, floors[s]);
			// Every 3 hours, and 10 minutes before NOW (Kiritimati's today began 30 minutes before it),
			// on every site, a contact that waits 30 s and hangs up: every local day holds some.
			const times: number[] = [];
			for (let t = start; t < NOW - 10 * 60_000; t += 3 * HOUR) times.push(t);
			times.push(NOW - 10 * 60_000);
			for (const [n, t] of times.entries()) {
				for (const s of SITES) {
					const f = floors[s];
					f.advance(t);
					const contact = `${s}-c${n}`;
					const events: FloorEvent[] = [
						{ type: 'contact.queued', id: `${contact}-q`, ts: t, site: s, contact, queue: 'billing', channel: 'voice' },
						{ type: 'contact.abandoned', id: `${contact}-a`, ts: t + 30_000, site: s, contact, queue: 'billing' }
					];
					for (const e of events) f.apply(e);
				}
				history.flush();
			}
			for (const s of SITES) floors[s].advance(NOW);
			const datesOf = (s: Site) => (history.queriesOf(s)!.days().map((d) => d.date) as string[]).sort();
			// Every site has each of its local days from the start to today before retention runs.
			for (const s of SITES) {
				const first = localDate(start, ZONES[s]);
				expect(datesOf(s)).toEqual(Array.from({ length: 10 }, (_, i) => plusDays(first, i)).filter((d) => d <= today[s]));
			}

			history.tick(NOW);
			for (const s of SITES) {
				const keptFrom = plusDays(today[s], -RETENTION);
				expect(datesOf(s), s).toEqual(Array.from({ length: RETENTION + 1 }, (_, i) => plusDays(keptFrom, i)));
				// Every table, not only the day list: no interval row of a removed day is left.
				const left = store.db.prepare('SELECT count(*) AS n FROM h_counts WHERE site = ? AND date < ?').get(s, keptFrom) as { n: number };
				expect(left.n, s).toBe(0);
				const kept = store.db.prepare('SELECT count(*) AS n FROM h_counts WHERE site = ? AND date = ?').get(s, keptFrom) as { n: number };
				expect(kept.n, s).toBeGreaterThan(0);
			}
			// The default site's cutoff would have kept Kiritimati's 03-07 and removed Pago Pago's 03-06.
			expect(datesOf('kiri')[0]).toBe('2026-03-08');
			expect(datesOf('pago')[0]).toBe('2026-03-06');
		} finally {
			store.close();
		}
	});
	it('counts a configured site that has no floor yet (no event since start-up) on its own calendar too', () => {
		const store = newStore();
		try {
			const start = NOW - 9 * DAY;
			// A first run writes every site's days through its floor.
			const before = Object.fromEntries(SITES.map((s) => [s, new Floor({ ...DEFAULT_FLOOR_CONFIG, timeZone: ZONES[s], resetTime: '00:00' }, start, { rollDayOnEventTime: false })])) as Record<Site, Floor>;
			const first = new LiveHistory(store, before.main, { source: 'ingest', retentionDays: 0, log: () => {} });
			for (const s of SITES) if (s !== 'main') first.addSite(s, before[s]);
			for (let t = start, n = 0; t < NOW - HOUR; t += 3 * HOUR, n++) {
				for (const s of SITES) {
					before[s].advance(t);
					before[s].apply({ type: 'contact.queued', id: `${s}-${n}-q`, ts: t, site: s, contact: `${s}-${n}`, queue: 'billing', channel: 'voice' });
					before[s].apply({ type: 'contact.abandoned', id: `${s}-${n}-a`, ts: t + 30_000, site: s, contact: `${s}-${n}`, queue: 'billing' });
				}
				first.flush();
			}
			// After a restart only the default site has a floor; the other two are in the config only.
			const main = new Floor({ ...DEFAULT_FLOOR_CONFIG, timeZone: ZONES.main, resetTime: '00:00' }, NOW, { rollDayOnEventTime: false });
			const sites = () => SITES.map((id) => ({ id, name: id, timeZone: ZONES[id], resetTime: '00:00' }));
			const history = new LiveHistory(store, main, { source: 'ingest', retentionDays: RETENTION, sites, log: () => {} });
			history.tick(NOW);
			const firstKept = (s: Site) => (store.db.prepare('SELECT min(date) AS d FROM h_counts WHERE site = ?').get(s) as { d: string }).d;
			for (const s of SITES) expect(firstKept(s), s).toBe(plusDays(localDate(NOW, ZONES[s]), -RETENTION));
		} finally {
			store.close();
		}
	});
});
