import { DEFAULT_SITE, type SiteConfig } from '../../lib/domain/sites';
import { HttpError, type HttpContext } from '../http-router';

/**
 * The `?site=` of a history or report request: absent or empty, the default site (so every
 * client written before sites keeps its meaning); a site not configured is a 400 naming it
 * (capped) and the configured ones.
 */
export function siteParam(ctx: HttpContext, sites: readonly SiteConfig[]): string {
	const site = ctx.req.query.get('site');
	if (site === null || site === '') return DEFAULT_SITE;
	if (!sites.some((s) => s.id === site)) {
		const shown = JSON.stringify(site.length > 64 ? `${site.slice(0, 64)}…` : site);
		throw new HttpError(400, `unknown site ${shown}; site must be one of ${sites.map((s) => s.id).join(', ')}`);
	}
	return site;
}
