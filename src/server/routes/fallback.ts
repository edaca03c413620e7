import { preview } from '../../lib/domain/result';
import { HttpError, type HttpRouter } from '../http-router';
import type { RouteDeps } from './deps';

/**
 * What no API route matched: a JSON 404 under `/api/`, the web app for other GETs, 405 for other
 * methods. Registered last; none of these reads a request body (the connection closes instead).
 */
export function registerFallbackRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'statics'>): void {
	router
		.route('any', '/api/*', (ctx) => {
			throw new HttpError(404, `no API route ${ctx.req.method.toUpperCase()} ${preview(ctx.req.path)}`);
		})
		.route('get', '/*', (ctx) => {
			if (!deps.statics.serve(ctx, ctx.req.path)) throw new HttpError(404, `not found: ${preview(ctx.req.path)}`);
		})
		.route('any', '/*', (ctx) => {
			throw new HttpError(405, `${ctx.req.method.toUpperCase().slice(0, 16)} is not allowed on ${preview(ctx.req.path)}`);
		});
}
