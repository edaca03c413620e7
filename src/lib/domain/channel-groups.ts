import type { Channel } from './channels';

/**
 * Channel groups whose figures may be read together: voice waits seconds, messaging (chat, social,
 * SMS) minutes, email hours. A board's headline shows each group apart by default, so one group's
 * waits never hide in, or swamp, another's (#11).
 */
export const CHANNEL_GROUPS = ['voice', 'messaging', 'email'] as const;

/** A channel group. */
export type ChannelGroup = (typeof CHANNEL_GROUPS)[number];

/** The channels of each group. */
export const GROUP_CHANNELS: Readonly<Record<ChannelGroup, readonly Channel[]>> = {
	voice: ['voice'],
	messaging: ['chat', 'social', 'sms'],
	email: ['email']
};
