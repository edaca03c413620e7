import { validateScenario } from '../../../sim/scenario';
import { api, historyTrace, type SavedPlanBody } from './api';
import { decodePlan, type PlanDoc } from './plan-doc';
import { baselineFor, type Baseline } from './sources';

/**
 * Opens the plan a /plan URL names: `?plan=<id>[&version=<n>]` (saved on the server) or
 * `#p=<encoded plan>` (shared in the link itself). Null when the URL names none.
 */
export async function openFromUrl(url: URL, token: string | null): Promise<{ baseline: Baseline; doc: PlanDoc; id: string | null; version: number | null } | null> {
	const fetchTrace = (date: string, source: string | undefined) => historyTrace(date, source, token);
	const id = url.searchParams.get('plan');
	if (id) {
		if (!/^[0-9a-f]{12}$/.test(id)) throw new Error('the plan id in this link is not one the server gives');
		const v = url.searchParams.get('version');
		const saved = await api<SavedPlanBody>('GET', `/api/plans/${id}${v && /^\d+$/.test(v) ? `?version=${v}` : ''}`, token);
		let baseline: Baseline;
		if (saved.baseline) {
			const s = validateScenario(saved.baseline);
			if (!s.ok) throw new Error('the saved plan carries an invalid baseline');
			const src = saved.doc.source;
			const label = src.kind === 'day' ? `stored day ${src.date}` : src.kind === 'file' ? `file ${src.name}` : src.kind === 'forecast' ? `forecast ${src.date}` : 'saved baseline';
			baseline = { scenario: s.scenario, source: saved.doc.source, label: `${label} (saved with the plan)`, dayStart: saved.doc.dayStart };
		} else baseline = await baselineFor(saved.doc.source, fetchTrace);
		return { baseline, doc: saved.doc, id: saved.id, version: saved.version };
	}
	const m = /(?:^#|&)p=([A-Za-z0-9_-]+)/.exec(url.hash);
	if (m) {
		const doc = decodePlan(m[1]!);
		return { baseline: await baselineFor(doc.source, fetchTrace), doc, id: null, version: null };
	}
	return null;
}
