import type { HealthResponse } from '../../lib/api/types';
import type { HttpRouter } from '../http-router';
import type { RouteDeps } from './deps';

/** `GET /healthz` (anyone) and `GET /metrics` (viewer, Prometheus text). */
export function registerHealthRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'metrics' | 'source' | 'clock' | 'startedAt'>): void {
	const { metrics } = deps;
	router
		.route('get', '/healthz', (ctx) => {
			const body: HealthResponse = {
				status: 'ok',
				uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
				source: deps.source?.description ?? 'ingest only',
				serverTime: deps.clock(),
				clients: metrics.clientsConnected()
			};
			ctx.json(200, body);
		})
		.route(
			'get',
			'/metrics',
			async (ctx) => {
				const text = await metrics.render();
				ctx.send(200, text, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
			},
			{ role: 'viewer' }
		);
}
