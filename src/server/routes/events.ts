import type { EventsAccepted } from '../../lib/api/types';
import { EVENT_JSON_SCHEMA } from '../../lib/domain/events';
import { HttpError, type HttpRouter } from '../http-router';
import { countRejected, decodeBatch, encodingOf } from '../ingest';
import { CommitFailedError } from '../intake';
import type { RouteDeps } from './deps';

/** `POST /api/events` (ingest: 202 once durable, 400 naming each bad index and field) and the event JSON Schema. */
export function registerEventRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'sink' | 'metrics' | 'batchClock'>): void {
	const { metrics, sink } = deps;
	router
		.route(
			'post',
			'/api/events',
			async (ctx) => {
				const encoding = encodingOf(ctx.req.contentType);
				if (!encoding) {
					countRejected(metrics, null);
					throw new HttpError(415, `unsupported Content-Type ${JSON.stringify(ctx.req.contentType.slice(0, 100))}; send application/json or application/msgpack`);
				}
				const batch = decodeBatch(await ctx.body(), encoding, deps.batchClock());
				if (!batch.ok) {
					countRejected(metrics, batch);
					throw new HttpError(400, batch.message, batch.errors.length ? { errors: batch.errors } : undefined);
				}
				try {
					const r = await sink.submit(batch.events);
					const body: EventsAccepted = { accepted: r.accepted, duplicates: r.duplicates, anomalies: r.anomalies, held: r.held };
					ctx.json(202, body);
				} catch (e) {
					if (e instanceof CommitFailedError) throw new HttpError(503, e.message);
					throw e;
				}
			},
			{ role: 'ingest' }
		)
		.route('get', '/api/events/schema', (ctx) => ctx.json(200, EVENT_JSON_SCHEMA));
}
