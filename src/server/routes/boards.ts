import type { BoardSaved, BoardsResponse } from '../../lib/api/types';
import { preview } from '../../lib/domain/result';
import { HttpError, parseJsonBody, type HttpRouter } from '../http-router';
import { saveShared, type RouteDeps } from './deps';

/** Board configs: list and read (viewer), save (admin; versioned, audited, applied live; in a cluster only while NATS shares it). */
export function registerBoardRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'boards' | 'hub' | 'sink' | 'shareConfig'>): void {
	const { boards, hub } = deps;
	router
		.route(
			'get',
			'/api/boards',
			(ctx) => {
				const body: BoardsResponse = { boards: boards.list() };
				ctx.json(200, body);
			},
			{ role: 'viewer' }
		)
		.route(
			'get',
			'/api/boards/:id',
			(ctx) => {
				const id = ctx.req.params[0] ?? '';
				const b = boards.get(id);
				if (!b) throw new HttpError(404, `no board ${preview(id)}`);
				ctx.json(200, b);
			},
			{ role: 'viewer' }
		)
		.route(
			'put',
			'/api/boards/:id',
			async (ctx) => {
				const id = ctx.req.params[0] ?? '';
				if (hub.hasFloorBoard(id)) throw new HttpError(409, `board ${preview(id)} is a simulation's; stop it first`);
				const r = boards.check(id, parseJsonBody(await ctx.body()));
				if (!r.ok) throw new HttpError(400, 'invalid board config', { errors: r.errors });
				const now = Date.now();
				const version = await saveShared(deps, { kind: 'board', key: r.board.id, body: r.board, actor: 'admin', ts: now }, () => boards.save(r.board, 'admin', now));
				hub.setBoard(r.board);
				const body: BoardSaved = { board: r.board, version };
				ctx.json(200, body);
			},
			{ role: 'admin' }
		);
}
