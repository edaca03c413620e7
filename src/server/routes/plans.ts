import { checkScenarioSize } from '../plans/limits';
import { validateScenario } from '../../../sim/scenario';
import { checkChanges } from '../../lib/planner/changes';
import { checkPlanDoc } from '../../lib/planner/plan-doc';
import { bearerToken, type Auth } from '../auth';
import { HttpError, parseJsonBody, type HttpContext, type HttpRouter } from '../http-router';
import { baselineOf, checkApply, isPlanFollower, livePlanOf } from '../plans/apply';
import { liveVersion, planVersion, type LivePlan, type PlanStore, type VersionSave } from '../plans/plan-store';
import { deliver, type RetryPolicy } from '../plans/webhooks';
import { NotAppliedYetError } from '../nats/cluster';
import { mustReachCluster as refuseUnshared, saveShared, type RouteDeps } from './deps';

/**
 * Plans (save versions, load, list: the planner), the live plan (apply with confirmation, versions,
 * roll back: supervisors; each an audited new version, POSTed to the outbound webhooks and
 * followed by the emulator at once) and the webhooks themselves (admin). In a cluster a plan or
 * live-plan version goes through the cluster log first and is answered once saved here from it.
 */

/** What the plan routes need. */
export interface PlanRouteDeps extends Pick<RouteDeps, 'store' | 'source' | 'log' | 'sink' | 'shareConfig'> {
	readonly auth: Pick<Auth, 'identify'>;
	readonly plans: PlanStore;
	/** Webhook retry policy (tests shorten it). */
	readonly retry?: RetryPolicy;
	/**
	 * In a cluster: whether NATS, which shares each saved version with the other instances, is
	 * reachable now. While it is not, saves are refused (503) rather than kept on this instance only,
	 * where its version numbers would part from the others' for good.
	 */
	readonly clusterReachable?: () => boolean;
	/**
	 * In a cluster: appends a plan or live-plan version to the cluster log and resolves to its number
	 * once this instance stored it from there (as every instance does); `applied` runs here when it is
	 * stored. Rejects with NotAppliedYetError when NATS may have it, or has it, but it is not stored
	 * here in time; with another Error when NATS did not take it (then it is saved nowhere).
	 */
	readonly shareVersion?: (v: VersionSave, applied?: (version: number) => void) => Promise<number>;
}

/** The name the audit log gives the request's token. */
export function actorOf(auth: Pick<Auth, 'identify'>, ctx: HttpContext): string {
	return auth.identify(bearerToken(ctx.req.authorization))?.name ?? 'local (no token)';
}

const ID = /^[0-9a-f]{12}$/;

function planId(ctx: HttpContext): string {
	const id = ctx.req.params[0] ?? '';
	if (!ID.test(id)) throw new HttpError(404, `no plan ${JSON.stringify(id.slice(0, 40))}`);
	return id;
}

/** Registers the plan routes. */
export function registerPlanRoutes(router: HttpRouter, deps: PlanRouteDeps): void {
	const { plans, store, auth, log } = deps;
	/** Checked right before each save, after the body was read (NATS may have gone meanwhile). */
	const mustReachCluster = () => refuseUnshared(deps.clusterReachable);

	/**
	 * Saves a plan or live-plan version and resolves to its number; `applied` runs once it is saved
	 * here. Alone: at once. In a cluster: on every instance or on none, under the same number (503
	 * when NATS did not take it, 504 when it may have or did but this instance has not saved it in time).
	 */
	const saveVersion = async (v: VersionSave, applied?: (version: number) => void): Promise<number> => {
		mustReachCluster();
		if (!deps.shareVersion) {
			const version = plans.saveVersion(v);
			applied?.(version);
			return version;
		}
		try {
			return await deps.shareVersion(v, applied);
		} catch (e) {
			if (e instanceof NotAppliedYetError) throw new HttpError(504, e.message);
			throw new HttpError(503, `the save could not be shared with the other instances (NATS: ${((e as Error)?.message ?? String(e)).slice(0, 200)}): nothing was saved; retry when NATS is back`);
		}
	};

	/**
	 * Publishes a live plan version. Its audit line, the emulator following it and the webhooks come
	 * from the instance that saved it, once (in a cluster: when it stored it from the log; the other
	 * instances store the version only).
	 */
	const publish = (plan: LivePlan, actor: string, action: string): Promise<number> => {
		const now = Date.now();
		return saveVersion(liveVersion(plan, actor, now), (version) => {
			store.audit(actor, action, 'live-plan', { version, plan: plan.planId, planVersion: plan.planVersion, effective: plan.effective, weekdays: plan.weekdays, changes: plan.changes.map((c) => `${c.subject}: ${c.text}`) }, now);
			if (isPlanFollower(deps.source)) {
				try {
					deps.source.followPlan(plan);
				} catch (e) {
					log(`the emulator could not follow live plan v${version}: ${(e as Error).message}`);
				}
			}
			const hooks = plans.webhooks();
			if (hooks.length) {
				void deliver(hooks, 'plan.published', { version, ...plan }, (a) => store.audit('webhook', 'webhook.delivery', a.url.slice(0, 200), { ...a, liveVersion: version }, Date.now()), deps.retry);
			}
		});
	};

	const readBody = async (ctx: HttpContext) => {
		const body = parseJsonBody(await ctx.body()) as { doc?: unknown; baseline?: unknown } | null;
		const d = checkPlanDoc(body?.doc);
		if (!d.ok) throw new HttpError(400, 'invalid plan', { errors: d.errors });
		let baseline;
		if (body?.baseline !== undefined) {
			checkScenarioSize(body.baseline);
			const v = validateScenario(body.baseline);
			if (!v.ok) throw new HttpError(400, 'invalid baseline scenario', { errors: v.errors.slice(0, 10) });
			baseline = v.scenario;
		} else if (d.doc.source.kind !== 'bundled') {
			throw new HttpError(400, `a plan on a ${d.doc.source.kind} needs its baseline scenario in the body`);
		}
		const base = baseline ?? baselineOf({ id: '', version: 0, ts: 0, actor: '', doc: d.doc });
		const c = checkChanges(base, d.doc.changes);
		if (!c.ok) throw new HttpError(400, 'plan changes do not fit the baseline', { errors: c.errors.map((e) => `${e.path}: ${e.message}`) });
		return { doc: d.doc, baseline };
	};

	router
		.route('get', '/api/plans', (ctx) => ctx.json(200, { plans: plans.list() }), { role: 'viewer' })
		.route(
			'post',
			'/api/plans',
			async (ctx) => {
				const { doc, baseline } = await readBody(ctx);
				const v = planVersion(null, doc, baseline, actorOf(auth, ctx), Date.now());
				ctx.json(201, { id: v.key, version: await saveVersion(v) });
			},
			{ role: 'supervisor' }
		)
		.route(
			'get',
			'/api/plans/:id',
			(ctx) => {
				const id = planId(ctx);
				const v = ctx.req.query.get('version');
				const p = plans.get(id, v === null ? undefined : Number(v));
				if (!p) throw new HttpError(404, `no plan ${id}${v ? ` version ${Number(v)}` : ''}`);
				ctx.json(200, p);
			},
			{ role: 'viewer' }
		)
		.route(
			'put',
			'/api/plans/:id',
			async (ctx) => {
				const id = planId(ctx);
				if (!plans.get(id)) throw new HttpError(404, `no plan ${id}`);
				const { doc, baseline } = await readBody(ctx);
				// No base version: each save is the next version of the plan (in a cluster, next in log order).
				const v = planVersion(id, doc, baseline, actorOf(auth, ctx), Date.now());
				ctx.json(200, { id, version: await saveVersion(v) });
			},
			{ role: 'supervisor' }
		)
		.route(
			'post',
			'/api/plans/:id/apply',
			async (ctx) => {
				const id = planId(ctx);
				const body = parseJsonBody(await ctx.body()) as { version?: unknown } | null;
				const p = plans.get(id, typeof body?.version === 'number' ? body.version : undefined);
				if (!p) throw new HttpError(404, `no plan ${id}`);
				const a = checkApply(body);
				if (!a.ok) throw new HttpError(400, a.error);
				let live: LivePlan;
				try {
					live = livePlanOf(p, a.value);
				} catch (e) {
					throw new HttpError(400, (e as Error).message.slice(0, 500));
				}
				ctx.json(200, { version: await publish(live, actorOf(auth, ctx), 'plan.apply'), plan: live });
			},
			{ role: 'supervisor' }
		)
		.route('get', '/api/live-plan', (ctx) => ctx.json(200, { versions: plans.liveVersions() }), { role: 'viewer' })
		.route(
			'post',
			'/api/live-plan/rollback',
			async (ctx) => {
				const body = parseJsonBody(await ctx.body()) as { version?: unknown } | null;
				const target = plans.liveVersions().find((v) => v.version === body?.version);
				if (!target) throw new HttpError(404, `no live plan version ${JSON.stringify(body?.version ?? null).slice(0, 20)}`);
				const plan: LivePlan = { ...target.plan, rollbackOf: target.version };
				ctx.json(200, { version: await publish(plan, actorOf(auth, ctx), 'plan.rollback'), plan });
			},
			{ role: 'supervisor' }
		)
		.route('get', '/api/webhooks', (ctx) => ctx.json(200, { webhooks: plans.webhooks().map((h) => ({ url: h.url, secret: h.secret ? 'set' : '' })) }), { role: 'admin' })
		.route(
			'put',
			'/api/webhooks',
			async (ctx) => {
				const body = parseJsonBody(await ctx.body()) as { webhooks?: unknown } | null;
				const list = body?.webhooks;
				if (!Array.isArray(list) || list.length > 20) throw new HttpError(400, 'webhooks: expected a list of at most 20 { url, secret }');
				const old = new Map(plans.webhooks().map((h) => [h.url, h.secret]));
				const hooks = list.map((h: { url?: unknown; secret?: unknown }, i) => {
					let url: URL;
					try {
						url = new URL(String(h?.url ?? ''));
					} catch {
						throw new HttpError(400, `webhooks[${i}].url: not a URL`);
					}
					if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError(400, `webhooks[${i}].url: http or https only`);
					// "set" (as the list shows it) keeps the stored secret.
					const secret = h?.secret === 'set' ? (old.get(url.href) ?? '') : String(h?.secret ?? '');
					if (secret.length < 16 || secret.length > 256) throw new HttpError(400, `webhooks[${i}].secret: 16 to 256 characters`);
					return { url: url.href, secret };
				});
				// Shared first (the bucket), saved here only once NATS took it: on every instance or on none.
				const actor = actorOf(auth, ctx);
				const now = Date.now();
				await saveShared(deps, { kind: 'webhooks', key: 'default', body: hooks, actor, ts: now }, () => plans.setWebhooks(hooks, actor, now));
				ctx.json(200, { webhooks: hooks.map((h) => ({ url: h.url, secret: 'set' })) });
			},
			{ role: 'admin' }
		);
}
