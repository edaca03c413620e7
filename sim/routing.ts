import type { RoutingPolicy } from './scenario';

/**
 * Routing policies, as the engine uses them: when a contact can go to more than one free agent,
 * the candidate whose group ranks highest for the contact's queue wins; among equal ranks, the
 * agent with the fewest contacts of that channel in hand, then the one idle longest at that
 * load. A policy is therefore a rank per (queue → group) entry of the skill graph, computed
 * once when the engine is built, so the hot loop never asks which policy is in force and a new
 * policy is one more entry in `POLICIES`.
 */

/** What a policy may look at: the queue → group entries of a compiled model. */
export interface RoutingEntries {
	/** Skill level of each entry (overflow groups: the level given with the overflow). */
	readonly qgLevel: Float64Array;
}

/** Rank per queue → group entry (higher is preferred). */
export type PolicyRanks = (m: RoutingEntries) => Float64Array;

/** Every policy by its scenario name (`routing.policy`). */
export const POLICIES: Readonly<Record<RoutingPolicy, PolicyRanks>> = {
	/** Every skilled group alike: the agent idle longest (at the lowest load) answers. */
	'longest-idle': (m) => new Float64Array(m.qgLevel.length),
	/** Highest skill level first, then as longest-idle. */
	'most-skilled': (m) => Float64Array.from(m.qgLevel)
};
