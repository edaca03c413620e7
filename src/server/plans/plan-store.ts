import { randomBytes } from 'node:crypto';
import type { Scenario } from '../../../sim/scenario';
import type { DiffLine } from '../../lib/planner/diff';
import type { PlanDoc } from '../../lib/planner/plan-doc';
import type { PersonToken } from '../auth';
import type { Store } from '../store';

/**
 * Plans, the live plan and the outbound webhooks, kept as versioned configs in the store (each
 * save is a new version with its audit line, in one transaction). Kinds: `plan` (key: plan id),
 * `live-plan` (key: default), `webhooks` (key: default), `tokens` (key: people).
 */

/** A saved plan version. */
export interface SavedPlan {
	readonly id: string;
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly doc: PlanDoc;
	/** The baseline scenario, when it cannot be loaded again from its source (a file, a stored day). */
	readonly baseline?: Scenario;
}

/** What a live plan publishes: the routing and staffing of a scenario, from a date, on weekdays. */
export interface LivePlan {
	readonly planId: string;
	readonly planVersion: number;
	readonly name: string;
	/** First day it applies, YYYY-MM-DD. */
	readonly effective: string;
	/** ISO weekdays it covers, 1 = Monday … 7 = Sunday. */
	readonly weekdays: readonly number[];
	readonly routing: Scenario['routing'];
	readonly agents: Scenario['agents'];
	/** Per queue: what routing reads (priority, aging, overflow, SL settings). */
	readonly queues: readonly Pick<Scenario['queues'][number], 'id' | 'priority' | 'aging' | 'overflow' | 'sl'>[];
	/** The changes against the plan's baseline, in words. */
	readonly changes: readonly DiffLine[];
	/** Set when this version restores an earlier one. */
	readonly rollbackOf?: number;
}

/** A live plan version as stored. */
export interface LivePlanVersion {
	readonly version: number;
	readonly ts: number;
	readonly actor: string;
	readonly plan: LivePlan;
}

/** An outbound webhook. The secret signs deliveries and is never sent back to a client. */
export interface Webhook {
	readonly url: string;
	readonly secret: string;
}

/**
 * A plan or live-plan version to save, as the store keeps it: alone it is saved at once
 * (`PlanStore.saveVersion`); in a cluster it is appended to the cluster log first and stored on
 * every instance, under the same number, as each applies it.
 */
export interface VersionSave {
	readonly kind: 'plan' | 'live-plan';
	readonly key: string;
	readonly body: unknown;
	readonly actor: string;
	readonly ts: number;
}

/** A new version of plan `id`, or (id null) the first of a new plan under a new id. */
export function planVersion(id: string | null, doc: PlanDoc, baseline: Scenario | undefined, actor: string, now: number): VersionSave {
	return { kind: 'plan', key: id ?? randomBytes(6).toString('hex'), body: baseline ? { doc, baseline } : { doc }, actor, ts: now };
}

/** A new live plan version. */
export function liveVersion(plan: LivePlan, actor: string, now: number): VersionSave {
	return { kind: 'live-plan', key: 'default', body: plan, actor, ts: now };
}

/** Plans and the live plan over the store's versioned configs. */
export class PlanStore {
	constructor(private readonly store: Store) {}

	/** Latest version of every plan. */
	list(): { id: string; name: string; version: number; ts: number; actor: string }[] {
		return this.store
			.latestConfigs<{ doc: PlanDoc }>('plan')
			.map((c) => ({ id: c.key, name: c.body.doc.name, version: c.version, ts: c.ts, actor: c.actor }))
			.sort((a, b) => b.ts - a.ts);
	}

	/** A plan at a version (latest by default), or null. */
	get(id: string, version?: number): SavedPlan | null {
		const versions = this.store.configVersions<{ doc: PlanDoc; baseline?: Scenario }>('plan', id);
		const c = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
		return c ? { id, version: c.version, ts: c.ts, actor: c.actor, doc: c.body.doc, ...(c.body.baseline ? { baseline: c.body.baseline } : {}) } : null;
	}

	/** Saves a plan or live-plan version on this instance (with its audit line); returns its number. */
	saveVersion(v: VersionSave): number {
		return this.store.saveConfig(v.kind, v.key, v.body, v.actor, v.ts);
	}

	/** Every live plan version, newest first. */
	liveVersions(): LivePlanVersion[] {
		return this.store
			.configVersions<LivePlan>('live-plan', 'default')
			.map((c) => ({ version: c.version, ts: c.ts, actor: c.actor, plan: c.body }))
			.reverse();
	}

	/** Publishes a live plan version on this instance; returns its number. */
	publish(plan: LivePlan, actor: string, now: number): number {
		return this.saveVersion(liveVersion(plan, actor, now));
	}

	/** The configured webhooks. */
	webhooks(): Webhook[] {
		return this.store.latestConfig<Webhook[]>('webhooks', 'default')?.body ?? [];
	}

	/** Replaces the webhooks. */
	setWebhooks(hooks: readonly Webhook[], actor: string, now: number): number {
		return this.store.saveConfig('webhooks', 'default', hooks, actor, now);
	}

	/** Person tokens (hashes only). */
	people(): PersonToken[] {
		return this.store.latestConfig<PersonToken[]>('tokens', 'people')?.body ?? [];
	}

	/** Replaces the person tokens. */
	setPeople(people: readonly PersonToken[], actor: string, now: number): number {
		return this.store.saveConfig('tokens', 'people', people, actor, now);
	}
}
