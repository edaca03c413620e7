/** The five channels a contact can arrive on. */
export const CHANNELS = ['voice', 'chat', 'email', 'social', 'sms'] as const;

/** A contact channel. */
export type Channel = (typeof CHANNELS)[number];

/**
 * Default service-level threshold per channel, seconds. Voice, chat and email follow DESIGN.md;
 * social and SMS are asynchronous-but-expected-soon channels, so they sit between chat and email.
 */
export const DEFAULT_SL_THRESHOLD: Readonly<Record<Channel, number>> = {
	voice: 20,
	chat: 60,
	email: 24 * 3600,
	social: 3600,
	sms: 900
};

/**
 * Default number of simultaneous contacts an agent holds per channel: voice is exclusive,
 * the text channels take one each unless a profile or scenario raises it.
 */
export const DEFAULT_CAPACITY: Readonly<Record<Channel, number>> = {
	voice: 1,
	chat: 1,
	email: 1,
	social: 1,
	sms: 1
};

/** Channels that occupy the agent exclusively: while on one, no other contact is offered. */
export const EXCLUSIVE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['voice']);
