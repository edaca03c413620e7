import type { SimulationInfo, SimulationsResponse } from '../../lib/api/types';
import { preview } from '../../lib/domain/result';
import { HttpError, parseJsonBody, type HttpRouter } from '../http-router';
import type { Auth } from '../auth';
import { checkSimulationRequest } from '../simulation/simulation-request';
import { SimulationLimitError, type Simulations } from '../simulation/simulations';
import { actorOf } from './plans';

/**
 * "Play on the wallboard": start (supervisor), list (viewer) and stop (supervisor) simulated days
 * played on boards of their own. See DESIGN.md (API) and `src/server/simulation/`.
 */
export function registerSimulationRoutes(router: HttpRouter, deps: { readonly simulations: Simulations; readonly auth: Pick<Auth, 'identify'> }): void {
	const { simulations } = deps;
	const idOf = (params: readonly string[]) => params[0] ?? '';
	router
		.route(
			'post',
			'/api/simulations',
			async (ctx) => {
				const r = checkSimulationRequest(parseJsonBody(await ctx.body()));
				if (!r.ok) throw new HttpError(400, 'invalid simulation request', { errors: r.errors });
				let info: SimulationInfo;
				try {
					info = simulations.start(r.value, actorOf(deps.auth, ctx));
				} catch (e) {
					if (e instanceof SimulationLimitError) throw new HttpError(409, e.message);
					throw e;
				}
				ctx.json(201, info);
			},
			{ role: 'supervisor' }
		)
		.route(
			'get',
			'/api/simulations',
			(ctx) => {
				const body: SimulationsResponse = { simulations: simulations.list() };
				ctx.json(200, body);
			},
			{ role: 'viewer' }
		)
		.route(
			'get',
			'/api/simulations/:id',
			(ctx) => {
				const id = idOf(ctx.req.params);
				const info = simulations.get(id);
				if (!info) throw new HttpError(404, `no simulation ${preview(id)}`);
				ctx.json(200, info);
			},
			{ role: 'viewer' }
		)
		.route(
			'del',
			'/api/simulations/:id',
			(ctx) => {
				const id = idOf(ctx.req.params);
				const info = simulations.stop(id, actorOf(deps.auth, ctx));
				if (!info) throw new HttpError(404, `no simulation ${preview(id)}`);
				ctx.json(200, info);
			},
			{ role: 'supervisor' }
		);
}
