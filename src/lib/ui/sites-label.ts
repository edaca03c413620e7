/**
 * What a wall says about the sites it shows (DESIGN.md, "Sites"): nothing for a board of the
 * default site only (a single-site center never sees the word), "All sites", or the sites named.
 */
export function sitesLabel(sites: readonly string[] | null | undefined): string | null {
	if (sites === undefined) return null;
	if (sites === null) return 'All sites';
	return `${sites.length === 1 ? 'Site' : 'Sites'}: ${sites.join(', ')}`;
}
