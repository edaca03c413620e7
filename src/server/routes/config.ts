import type { ConfigResponse, ConfigSaved } from '../../lib/api/types';
import type { Floor } from '../../lib/domain/floor';
import { applyConfigInput } from '../floor-config';
import { HttpError, parseJsonBody, type HttpRouter } from '../http-router';
import type { RouteDeps } from './deps';

/** The floor config (viewer reads, admin changes it live; versioned) and the audit log (admin). */
export function registerConfigRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'floor' | 'store'>): void {
	const { floor, store } = deps;
	router
		.route('get', '/api/config', (ctx) => ctx.json(200, currentConfig(floor)), { role: 'viewer' })
		.route(
			'put',
			'/api/config',
			async (ctx) => {
				const r = applyConfigInput(currentConfig(floor), parseJsonBody(await ctx.body()));
				if (!r.ok) throw new HttpError(400, 'invalid config', { errors: r.errors });
				const version = store.saveConfig('floor', 'default', r.value, 'admin', Date.now());
				floor.configure(r.value);
				const body: ConfigSaved = { config: currentConfig(floor), version };
				ctx.json(200, body);
			},
			{ role: 'admin' }
		)
		.route('get', '/api/audit', (ctx) => ctx.json(200, { audit: store.auditLog() }), { role: 'admin' });
}

/** The floor's config with every queue it knows, including those added as events named them. */
export function currentConfig(floor: Floor): ConfigResponse {
	return { ...floor.config, queues: [...floor.queues.values()].map((q) => q.config) };
}
