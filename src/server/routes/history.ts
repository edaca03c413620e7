import { HttpError, type HttpContext, type HttpRouter } from '../http-router';
import type { RouteDeps } from './deps';

/** Stored contacts and interval counts over a time range (supervisor). */
export function registerHistoryRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'store'>): void {
	const { store } = deps;
	router
		.route(
			'get',
			'/api/history/contacts',
			(ctx) => {
				const [from, to] = range(ctx);
				ctx.json(200, { from, to, contacts: store.contacts(from, to) });
			},
			{ role: 'supervisor' }
		)
		.route(
			'get',
			'/api/history/intervals',
			(ctx) => {
				const [from, to] = range(ctx);
				ctx.json(200, { from, to, intervals: store.intervals(from, to) });
			},
			{ role: 'supervisor' }
		);
}

/** `?from=&to=` epoch ms, defaulting to the last 24 hours. */
function range(ctx: HttpContext): [number, number] {
	const to = Number(ctx.req.query.get('to') ?? Date.now());
	const from = Number(ctx.req.query.get('from') ?? to - 86_400_000);
	if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) throw new HttpError(400, 'from and to must be epoch milliseconds with from ≤ to');
	return [from, to];
}
