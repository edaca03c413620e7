import type { AgentActivity } from '../domain/agent-activity';
import type { Channel } from '../domain/channels';
import type { ChannelGroup } from '../domain/channel-groups';

/** Labels of agent activities, as the legend and cells say them. */
export const ACTIVITY_LABEL: Readonly<Record<AgentActivity, string>> = {
	available: 'Available',
	'on-contact': 'On contact',
	'wrap-up': 'Wrap-up',
	'not-ready': 'Not ready',
	offline: 'Offline'
};

/**
 * A glyph per activity, drawn in every cell and the legend: the grid must read in greyscale and
 * for colour-blind supervisors, not by hue alone.
 */
export const ACTIVITY_GLYPH: Readonly<Record<AgentActivity, string>> = {
	available: '●',
	'on-contact': '◆',
	'wrap-up': '✎',
	'not-ready': '‖',
	offline: '○'
};

/** CSS custom property holding the colour of each activity (see theme.css). */
export const ACTIVITY_COLOR: Readonly<Record<AgentActivity, string>> = {
	available: 'var(--st-available)',
	'on-contact': 'var(--st-on-contact)',
	'wrap-up': 'var(--st-wrap-up)',
	'not-ready': 'var(--st-not-ready)',
	offline: 'var(--st-offline)'
};

/** One-letter channel marks for slot pips, CHANNELS order. */
export const CHANNEL_MARK: Readonly<Record<Channel, string>> = { voice: 'V', chat: 'C', email: 'E', social: 'S', sms: 'M' };

/** Display names of channels. */
export const CHANNEL_LABEL: Readonly<Record<Channel, string>> = {
	voice: 'Voice',
	chat: 'Chat',
	email: 'Email',
	social: 'Social',
	sms: 'SMS'
};

/** Display names of channel groups (headline tiles name the group they cover). */
export const GROUP_LABEL: Readonly<Record<ChannelGroup, string>> = { voice: 'Voice', messaging: 'Messaging', email: 'Email' };
