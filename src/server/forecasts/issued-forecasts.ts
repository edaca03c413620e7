import type { ForecastDayJson } from '../../lib/forecast/wire';
import type { Store } from '../store';

/**
 * Issued forecasts (table `forecast_issued`, migration 3): what a planner issued for each date, as
 * issued, so the day can be held against it once it has happened. Issuing again adds a version;
 * the latest issued is the one compared.
 */

/** One issued forecast day. */
export interface IssuedForecast {
	readonly date: string;
	/** Epoch ms it was issued. */
	readonly issuedAt: number;
	readonly intervalSec: number;
	/** Who issued it (the token's name). */
	readonly actor: string;
	readonly day: ForecastDayJson;
}

interface Row {
	date: string;
	issued_at: number;
	interval_sec: number;
	actor: string;
	day: string;
}

/** The repository of issued forecasts on the store's SQLite file. */
export class IssuedForecasts {
	readonly #insert;
	readonly #latest;

	constructor(store: Pick<Store, 'db'>) {
		this.#insert = store.db.prepare<[string, number, number, string, string]>(
			'INSERT OR REPLACE INTO forecast_issued (date, issued_at, interval_sec, actor, day) VALUES (?, ?, ?, ?, ?)'
		);
		this.#latest = store.db.prepare<[string], Row>('SELECT date, issued_at, interval_sec, actor, day FROM forecast_issued WHERE date = ? ORDER BY issued_at DESC LIMIT 1');
	}

	/** Stores every day of a forecast as issued at `issuedAt`, all or none. */
	issue(days: readonly ForecastDayJson[], intervalSec: number, actor: string, issuedAt: number): void {
		const db = this.#insert.database;
		db.transaction(() => {
			for (const d of days) this.#insert.run(d.date, issuedAt, intervalSec, actor, JSON.stringify(d));
		})();
	}

	/** The latest forecast issued for `date`, or null. */
	latest(date: string): IssuedForecast | null {
		const r = this.#latest.get(date);
		if (!r) return null;
		return { date: r.date, issuedAt: r.issued_at, intervalSec: r.interval_sec, actor: r.actor, day: JSON.parse(r.day) as ForecastDayJson };
	}
}
