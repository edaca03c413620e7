import type { FloorEvent } from './events';
import type { FloorConfig } from './floor';

/**
 * Sites of one contact center (DESIGN.md, "Sites"): each site has its own time zone and daily
 * reset, and its own Floor on the server. An event names its site in `site`; an event without one
 * belongs to the default site, so a single-site center never has to name it.
 */

/** The site of events that name none, and of configs stored before sites existed. */
export const DEFAULT_SITE = 'main';

/** Most sites one center config may hold: each is a Floor in memory, so the count is bounded. */
export const MAX_SITES = 32;

/** One site: where its day begins and ends. */
export interface SiteConfig {
	readonly id: string;
	readonly name: string;
	/** IANA time zone of the site. */
	readonly timeZone: string;
	/** Daily reset time, "HH:MM" local to the site. */
	readonly resetTime: string;
}

/**
 * The center's config: the floor settings every site shares (intervals, rolling window, queues)
 * and its sites. The top-level `timeZone`/`resetTime` are the default site's (`sites[0]`, always
 * `main`), so code that knows one time zone (reports, forecast) keeps reading the default site's.
 */
export interface CenterConfig extends FloorConfig {
	readonly sites: readonly SiteConfig[];
}

/** The site an event belongs to. */
export function siteOf(e: FloorEvent): string {
	return e.site ?? DEFAULT_SITE;
}

/**
 * A stored or default floor config as a center config: a config stored before sites existed (no
 * `sites`) becomes one default site with its time zone and reset; the default site is always
 * first and always follows the top-level `timeZone`/`resetTime`.
 */
export function toCenterConfig(config: FloorConfig & { readonly sites?: readonly SiteConfig[] }): CenterConfig {
	const others = (config.sites ?? []).filter((s) => s.id !== DEFAULT_SITE);
	const main = config.sites?.find((s) => s.id === DEFAULT_SITE);
	const { sites: _ignored, ...floor } = config;
	return { ...floor, sites: [{ id: DEFAULT_SITE, name: main?.name ?? 'Main site', timeZone: config.timeZone, resetTime: config.resetTime }, ...others] };
}

/** The config of one site's Floor: the center's shared settings on the site's clock. */
export function siteFloorConfig(center: CenterConfig, site: SiteConfig): FloorConfig {
	const { sites: _sites, ...shared } = center;
	return { ...shared, timeZone: site.timeZone, resetTime: site.resetTime };
}
