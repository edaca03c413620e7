import type { Scenario } from '../../sim/scenario';

/** Scenarios of the simulator benchmark. */

/** One M/M/n+M queue sized to offer about `contacts` contacts. */
export function mmnm(contacts: number): Scenario {
	const agents = 100;
	const aht = 180;
	const perHour = ((agents * 0.95) / aht) * 3600;
	return {
		name: 'M/M/n+M bench',
		horizon: Math.round((contacts / perHour) * 3600),
		interval: 86400,
		queues: [
			{
				id: 'q',
				channel: 'voice',
				arrivals: { perHour },
				handle: { dist: 'exponential', mean: aht },
				patience: { dist: 'exponential', mean: 120 }
			}
		],
		agents: [{ group: 'g', count: agents, skills: { q: 1 } }]
	};
}

/**
 * A multi-skill day: 20 queues over 5 channels, 300 agents in 12 groups with 2–5 skills,
 * shifts, chat concurrency, overflow and an intraday profile; about 60,000 contacts in 12 hours.
 */
export function multiSkillDay(): Scenario {
	const I = 48;
	const shape = Array.from({ length: I }, (_, i) => {
		const h = 8 + i / 4;
		return 0.3 + Math.exp(-((h - 10.5) ** 2) / 3) + 0.8 * Math.exp(-((h - 14.5) ** 2) / 5);
	});
	const sum = shape.reduce((a, b) => a + b, 0);
	const profile = (daily: number) => shape.map((x) => (1.06 * daily * x) / sum);
	const spec: [string, 'voice' | 'chat' | 'email' | 'social' | 'sms', number, number][] = [
		...Array.from({ length: 8 }, (_, i) => [`voice-${i}`, 'voice', 3900, 200] as [string, 'voice', number, number]),
		...Array.from({ length: 5 }, (_, i) => [`chat-${i}`, 'chat', 3000, 420] as [string, 'chat', number, number]),
		...Array.from({ length: 3 }, (_, i) => [`email-${i}`, 'email', 2000, 240] as [string, 'email', number, number]),
		...Array.from({ length: 2 }, (_, i) => [`social-${i}`, 'social', 800, 200] as [string, 'social', number, number]),
		...Array.from({ length: 2 }, (_, i) => [`sms-${i}`, 'sms', 1300, 150] as [string, 'sms', number, number])
	];
	const queues = spec.map(([id, channel, daily, aht], i) => ({
		id,
		channel,
		priority: i % 3,
		aging: 0.05,
		arrivals: { perInterval: profile(daily) },
		handle: i % 2 ? { dist: 'lognormal' as const, mean: aht, sd: aht * 0.6 } : { dist: 'exponential' as const, mean: aht },
		wrapup: channel === 'voice' ? { dist: 'constant' as const, value: 15 } : undefined,
		patience: channel === 'email' ? undefined : { dist: 'exponential' as const, mean: channel === 'voice' ? 120 : 600 },
		overflow: channel === 'voice' ? [{ after: 40, groups: [`voice-team-${(i + 1) % 6}`] }] : undefined
	}));
	const early = [{ start: 0, end: 28800 }];
	const late = [{ start: 14400, end: 43200 }];
	const agents = [
		...Array.from({ length: 6 }, (_, g) => ({
			group: `voice-team-${g}`,
			count: 30,
			skills: Object.fromEntries([0, 1, 2].map((k) => [`voice-${(g + k) % 8}`, 3 - k])),
			shifts: g % 2 ? late : early
		})),
		...Array.from({ length: 3 }, (_, g) => ({
			group: `chat-team-${g}`,
			count: 20,
			skills: Object.fromEntries([0, 1, 2, 3].map((k) => [`chat-${(g + k) % 5}`, 4 - k])),
			capacity: { chat: 3 }
		})),
		{ group: 'blended', count: 20, skills: { 'voice-0': 1, 'voice-1': 1, 'chat-0': 1, 'chat-1': 1, 'email-0': 1 }, capacity: { chat: 2 } },
		{ group: 'back-office-a', count: 30, skills: { 'email-0': 2, 'email-1': 2, 'email-2': 1, 'social-0': 1 }, capacity: { email: 2, social: 2 } },
		{ group: 'back-office-b', count: 10, skills: { 'social-0': 2, 'social-1': 2, 'sms-0': 2, 'sms-1': 2, 'email-2': 1 }, capacity: { social: 2, sms: 3 } }
	];
	return { name: 'multi-skill day bench', horizon: 43200, interval: 900, queues, agents, routing: { policy: 'most-skilled' } } as Scenario;
}
