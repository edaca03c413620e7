import { ROLES, issuePersonToken, type Auth, type Role } from '../auth';
import { HttpError, parseJsonBody, type HttpRouter } from '../http-router';
import type { PlanStore } from '../plans/plan-store';
import { saveShared, type RouteDeps } from './deps';
import { actorOf } from './plans';

/**
 * Tokens per person (admin): create a named token with a role (its plaintext shown once), list
 * them (names, roles, dates; never hashes), revoke. The first-start tokens stay as the bootstrap. In a cluster a change is
 * refused (503) while NATS, which gives it to the other instances, is unreachable. A saved list
 * takes effect through the store (startServer has `auth` follow every saved list), not here.
 */
export function registerTokenRoutes(router: HttpRouter, deps: Pick<RouteDeps, 'store' | 'sink' | 'shareConfig'> & { auth: Auth; plans: PlanStore }): void {
	const { auth, plans, store } = deps;
	const listed = () => plans.people().map(({ sha256: _h, ...rest }) => rest);
	router
		.route('get', '/api/tokens', (ctx) => ctx.json(200, { tokens: listed() }), { role: 'admin' })
		.route(
			'post',
			'/api/tokens',
			async (ctx) => {
				const body = parseJsonBody(await ctx.body()) as { name?: unknown; role?: unknown } | null;
				const name = typeof body?.name === 'string' ? body.name.trim() : '';
				if (!name || name.length > 80 || /[\u0000-\u001f]/.test(name)) throw new HttpError(400, 'name: 1 to 80 printable characters');
				if (!ROLES.includes(body?.role as Role)) throw new HttpError(400, `role: one of ${ROLES.join(', ')}`);
				const actor = actorOf(auth, ctx);
				const now = Date.now();
				const { token, record } = issuePersonToken(name, body!.role as Role, actor, now);
				const people = [...plans.people(), record];
				await saveShared(deps, { kind: 'tokens', key: 'people', body: people, actor, ts: now }, () => {
					plans.setPeople(people, actor, now);
					store.audit(actor, 'token.create', record.id, { name, role: record.role }, now);
				});
				const { sha256: _h, ...shown } = record;
				ctx.json(201, { token, record: shown });
			},
			{ role: 'admin' }
		)
		.route(
			'del',
			'/api/tokens/:id',
			async (ctx) => {
				const id = ctx.req.params[0] ?? '';
				const people = plans.people();
				const t = people.find((p) => p.id === id);
				if (!t) throw new HttpError(404, `no token ${JSON.stringify(id.slice(0, 20))}`);
				if (t.revoked) throw new HttpError(409, `token ${id} of ${t.name} is already revoked`);
				const actor = actorOf(auth, ctx);
				const now = Date.now();
				const next = people.map((p) => (p.id === id ? { ...p, revoked: now, revokedBy: actor } : p));
				await saveShared(deps, { kind: 'tokens', key: 'people', body: next, actor, ts: now }, () => {
					plans.setPeople(next, actor, now);
					store.audit(actor, 'token.revoke', id, { name: t.name, role: t.role }, now);
				});
				ctx.json(200, { revoked: id });
			},
			{ role: 'admin' }
		);
}
