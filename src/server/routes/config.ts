import type { ConfigResponse, ConfigSaved } from '../../lib/api/types';
import type { QueueConfig } from '../../lib/domain/floor';
import { applyConfigInput } from '../floor-config';
import type { FloorSet } from '../floor-set';
import { HttpError, parseJsonBody, type HttpRouter } from '../http-router';
import { saveShared, type RouteDeps } from './deps';

/** The center config (viewer reads, admin changes it live; versioned; in a cluster only while NATS shares it) and the audit log (admin). */
export function registerConfigRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'floors' | 'store' | 'sink' | 'shareConfig'>): void {
	const { floors, store } = deps;
	router
		.route('get', '/api/config', (ctx) => ctx.json(200, currentConfig(floors)), { role: 'viewer' })
		.route(
			'put',
			'/api/config',
			async (ctx) => {
				const r = applyConfigInput(currentConfig(floors), parseJsonBody(await ctx.body()));
				if (!r.ok) throw new HttpError(400, 'invalid config', { errors: r.errors });
				const now = Date.now();
				const version = await saveShared(deps, { kind: 'floor', key: 'default', body: r.value, actor: 'admin', ts: now }, () => store.saveConfig('floor', 'default', r.value, 'admin', now));
				floors.configure(r.value);
				const body: ConfigSaved = { config: currentConfig(floors), version };
				ctx.json(200, body);
			},
			{ role: 'admin' }
		)
		.route('get', '/api/audit', (ctx) => ctx.json(200, { audit: store.auditLog() }), { role: 'admin' });
}

/** The center's config with every queue its floors know, including those added as events named them (first site's first). */
export function currentConfig(floors: FloorSet): ConfigResponse {
	const queues = new Map<string, QueueConfig>();
	for (const [, floor] of floors.entries()) for (const q of floor.queues.values()) if (!queues.has(q.config.id)) queues.set(q.config.id, q.config);
	return { ...floors.center, queues: [...queues.values()] };
}
