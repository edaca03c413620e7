/**
 * The words of the floor's agent state, shared by the reducer, the board projection and the wall.
 */

/** An agent's activity as shown: presence refined by what the agent is doing. */
export const AGENT_ACTIVITIES = ['available', 'on-contact', 'wrap-up', 'not-ready', 'offline'] as const;
/** An agent's activity. */
export type AgentActivity = (typeof AGENT_ACTIVITIES)[number];
