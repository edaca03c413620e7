import type { SiteFloor } from '../lib/domain/board';
import type { EventError, FloorEvent } from '../lib/domain/events';
import type { Floor, FloorConfig } from '../lib/domain/floor';
import { preview } from '../lib/domain/result';
import { DEFAULT_SITE, siteFloorConfig, siteOf, type CenterConfig, type SiteConfig } from '../lib/domain/sites';

/**
 * One Floor per site (DESIGN.md, "Sites"): the default site's floor exists from the start; another
 * configured site's is created on first need (its first event, or a board that shows it). Only
 * configured sites have floors, so the count is bounded by MAX_SITES: an event naming a site that
 * is not configured is refused at ingest (`unknownSite`), never given a floor of its own, since a
 * producer's typo must not grow memory and a floor needs a time zone nobody gave.
 */
export class FloorSet {
	readonly #floors = new Map<string, Floor>();
	readonly #onFloor: ((site: string, floor: Floor) => void)[] = [];
	#center: CenterConfig;

	constructor(
		center: CenterConfig,
		/** Makes the floor of a site (its clock settings already in `config`). */
		private readonly create: (config: FloorConfig, site: SiteConfig) => Floor
	) {
		this.#center = center;
		this.floor(DEFAULT_SITE);
	}

	/** The center's config as last applied. */
	get center(): CenterConfig {
		return this.#center;
	}

	/** The default site's floor (the one of events that name no site). */
	get main(): Floor {
		return this.#floors.get(DEFAULT_SITE)!;
	}

	/** The floor of a configured site, created on first need; undefined for a site not configured. */
	floor(site: string): Floor | undefined {
		const existing = this.#floors.get(site);
		if (existing) return existing;
		const config = this.#center.sites.find((s) => s.id === site);
		if (!config) return undefined;
		const floor = this.create(siteFloorConfig(this.#center, config), config);
		this.#floors.set(site, floor);
		for (const fn of this.#onFloor) fn(site, floor);
		return floor;
	}

	/** Calls `fn` for every floor now and for each one made later, before it applies anything (history observes them). */
	onFloor(fn: (site: string, floor: Floor) => void): void {
		this.#onFloor.push(fn);
		for (const [site, floor] of this.#floors) fn(site, floor);
	}

	/**
	 * The floors a board shows: `sites` absent, the default site's; null, every configured site's;
	 * a list, those of its sites that are configured (the default site's when none is).
	 */
	shown(sites: readonly string[] | null | undefined): SiteFloor[] {
		const ids = sites === undefined ? [DEFAULT_SITE] : sites === null ? this.#center.sites.map((s) => s.id) : sites;
		const out: SiteFloor[] = [];
		for (const site of ids) {
			const floor = this.floor(site);
			if (floor) out.push({ site, floor });
		}
		return out.length ? out : [{ site: DEFAULT_SITE, floor: this.main }];
	}

	/** The floor an event goes to; undefined when its site is not configured (ingest refused it). */
	floorOf(e: FloorEvent): Floor | undefined {
		return this.floor(siteOf(e));
	}

	/** The floors that exist now, by site id (the default site's first). */
	entries(): IterableIterator<[string, Floor]> {
		return this.#floors.entries();
	}

	/** Moves every floor's clock to `now` (each rolls its day at its own site's reset). */
	advance(now: number): void {
		for (const f of this.#floors.values()) f.advance(now);
	}

	/** Applies a new center config to every floor (each on its own site's clock settings). */
	configure(center: CenterConfig): void {
		this.#center = center;
		for (const [id, floor] of this.#floors) {
			const site = center.sites.find((s) => s.id === id);
			if (site) floor.configure(siteFloorConfig(center, site));
		}
	}

	/** A contact's phase on whichever floor holds it (contact ids are the producers', unique across the center). */
	contactPhase(contact: string): ReturnType<Floor['contactPhase']> {
		for (const f of this.#floors.values()) {
			const p = f.contactPhase(contact);
			if (p !== null) return p;
		}
		return null;
	}

	/** The first event naming a site that is not configured, as a batch error naming the site; or null. */
	unknownSite(events: readonly FloorEvent[]): EventError | null {
		for (let i = 0; i < events.length; i++) {
			const site = siteOf(events[i]!);
			if (!this.#center.sites.some((s) => s.id === site))
				return { index: i, path: '/site', message: `unknown site ${preview(site)}; configured: ${this.#center.sites.map((s) => preview(s.id)).join(', ')}` };
		}
		return null;
	}

	/** Each site's daily id limits (Floor.checkIdLimits) over its own events of the batch; the first event past one, or null. */
	checkIdLimits(events: readonly FloorEvent[]): EventError | null {
		const bySite = new Map<string, { events: FloorEvent[]; index: number[] }>();
		events.forEach((e, i) => {
			const site = siteOf(e);
			let part = bySite.get(site);
			if (!part) bySite.set(site, (part = { events: [], index: [] }));
			part.events.push(e);
			part.index.push(i);
		});
		let first: EventError | null = null;
		for (const [site, part] of bySite) {
			const over = this.floor(site)?.checkIdLimits(part.events);
			if (over && (!first || part.index[over.index]! < first.index)) first = { ...over, index: part.index[over.index]! };
		}
		return first;
	}
}
