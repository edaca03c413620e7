import { parseArgs } from 'node:util';
import { parseClock } from '../lib/domain/time';
import { FLUSH_MS_RANGE, SERVER_DEFAULTS, SKEW_SECONDS_RANGE } from './defaults';
import type { ServerOptions } from './server';
import type { SourceOption } from './source-factory';

/**
 * Command line of `npm start` / `tsx src/server/main.ts`, parsed with `node:util` parseArgs.
 * PORT in the environment is used when --port is not given.
 */

const D = SERVER_DEFAULTS;

export const USAGE = `usage: npm start -- [emulator|replay|ingest] [options]
  sources:
    emulator (default)         the emulated multi-channel center on the calendar of --time-zone:
                               each date its own day (weekly pattern, opening 08:00), so a
                               restart continues today; with --speed or --from, a demo day
                               that starts now and loops
    replay --trace FILE        a JSONL events trace, or the Anonymous Bank call log (.csv)
    replay --day YYYY-MM-DD    a day from the store
    ingest                     only events posted to /api/events or sent on /ingest
  options:
    --speed N          playback speed (default 1)
    --seed N           emulator seed (default 1)
    --scenario FILE    emulator scenario (default sim/scenarios/multichannel-day.json)
    --backfill DAYS    on an empty data dir, the emulator first stores this many past days
                       of the emulated center (default 28; 0 turns it off)
    --from HH:MM       a clock time: a demo day whose clock starts today at HH:MM (the
                       center's time zone; the center opens at 08:00 as on the calendar);
                       its hours since opening play at once, as they would at 1x, so
                       boards open with the day's trend
    --host H           listen address (default ${D.host}; any other needs tokens for everything)
    --port N           port (default $PORT or ${D.port})
    --data DIR         data directory: SQLite store and tokens (default ${D.dataDir})
    --flush-ms N       delta flush window in ms, ${FLUSH_MS_RANGE.min}..${FLUSH_MS_RANGE.max} (default ${D.flushMs})
    --static DIR       built web app (default ${D.staticDir})
    --time-zone TZ     the center's IANA time zone (default: this machine's)
    --reset-time HH:MM daily KPI reset (default 00:00)
    --max-skew S       ingest refuses events stamped more than S seconds ahead of the
                       server clock (default ${D.maxSkewSeconds})
    --body-budget MB   request bodies all clients together may hold in memory (default ${D.bodyBudgetBytes / 1024 / 1024})
    --max-connections-per-address N
                       WebSocket connections (/live and /ingest) one address may hold open;
                       past it an upgrade gets 429 (default ${D.maxConnectionsPerAddress}; 0 turns it off)
    --origin URL       also accept browsers from this origin (repeatable; e.g. the public
                       https://wall.example.com of a reverse proxy); by default only the
                       server's own address is accepted
    --max-new-queues N, --max-new-agents N
                       new queue / agent ids events may create per day (default 1000 / 10000);
                       past them a batch is refused with 400 naming the event
    --retention DAYS   days of recorded history kept (default 400; 0 keeps everything);
                       imported days are kept until deleted
    --final-after HOURS
                       a past day's snapshot is final (frozen) once its last contact closed,
                       or this long after the day ended (default 48; an email answered later
                       no longer changes it)
    --nats URL         run as one instance of a cluster on NATS JetStream (with ingest):
                       ingest publishes to one durable event stream that every instance
                       applies; boards and config are shared ($SIGHTLINE_NATS_URL)`;

const OPTIONS = {
	help: { type: 'boolean', short: 'h' },
	trace: { type: 'string' },
	day: { type: 'string' },
	speed: { type: 'string' },
	seed: { type: 'string' },
	scenario: { type: 'string' },
	from: { type: 'string' },
	backfill: { type: 'string' },
	host: { type: 'string' },
	port: { type: 'string' },
	data: { type: 'string' },
	'flush-ms': { type: 'string' },
	static: { type: 'string' },
	'time-zone': { type: 'string' },
	'reset-time': { type: 'string' },
	'max-skew': { type: 'string' },
	'body-budget': { type: 'string' },
	'max-connections-per-address': { type: 'string' },
	origin: { type: 'string', multiple: true },
	nats: { type: 'string' },
	'max-new-queues': { type: 'string' },
	'max-new-agents': { type: 'string' },
	retention: { type: 'string' },
	'final-after': { type: 'string' }
} as const;

/** Parses argv (without node and script); throws an Error naming the bad argument. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServerOptions & { help: boolean } {
	let parsed;
	try {
		parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
	} catch (e) {
		throw new Error(cliMessage(e));
	}
	const { values: flags, positionals } = parsed;
	if (positionals.length > 1) throw new Error(`unexpected argument ${JSON.stringify(positionals[1])}`);
	const mode = positionals[0] ?? 'emulator';
	const num = (name: keyof typeof OPTIONS, min: number, max: number): number | undefined => {
		const v = flags[name];
		if (v === undefined) return undefined;
		const n = Number(v);
		if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
			throw new Error(`--${name} must be a number in ${min}..${max}, got ${JSON.stringify(v)}`);
		}
		return n;
	};
	const speed = num('speed', 0.01, 10_000);
	if (flags.from !== undefined && mode !== 'emulator') throw new Error('--from applies to the emulator only');
	let source: SourceOption;
	switch (mode) {
		case 'emulator':
			source = { kind: 'emulator', scenario: flags.scenario, seed: num('seed', 0, 0xffffffff), speed, from: clockTime(flags.from) };
			break;
		case 'replay':
			if ((flags.trace === undefined) === (flags.day === undefined)) throw new Error('replay needs exactly one of --trace FILE or --day YYYY-MM-DD');
			source = { kind: 'replay', trace: flags.trace, day: flags.day, speed };
			break;
		case 'ingest':
			source = { kind: 'none' };
			break;
		default:
			throw new Error(`unknown source ${JSON.stringify(mode)}; expected emulator, replay or ingest`);
	}
	const natsUrl = flags.nats ?? (env.SIGHTLINE_NATS_URL || undefined);
	// A playback source plays on one instance only; a cluster's events come from producers.
	if (natsUrl !== undefined && mode !== 'ingest') throw new Error(`--nats runs the ingest source: npm start -- ingest --nats ${natsUrl.slice(0, 200)}`);
	if (natsUrl !== undefined && !/^(nats|tls|wss?):\/\/[^\s]+$/.test(natsUrl)) throw new Error(`--nats must be a URL like nats://127.0.0.1:4222, got ${JSON.stringify(natsUrl.slice(0, 200))}`);
	const portText = flags.port ?? env.PORT;
	const port = portText === undefined ? D.port : Number(portText);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer 0..65535, got ${JSON.stringify(portText)}`);
	const budgetMb = num('body-budget', 1, 64 * 1024);
	const origins = flags.origin ?? [];
	for (const o of origins) if (!isOrigin(o)) throw new Error(`--origin must be scheme://host[:port], got ${JSON.stringify(o)}`);
	return {
		help: flags.help ?? false,
		source,
		port,
		host: flags.host ?? D.host,
		dataDir: flags.data ?? D.dataDir,
		staticDir: flags.static ?? D.staticDir,
		flushMs: num('flush-ms', FLUSH_MS_RANGE.min, FLUSH_MS_RANGE.max),
		timeZone: flags['time-zone'],
		resetTime: flags['reset-time'],
		maxSkewSeconds: num('max-skew', SKEW_SECONDS_RANGE.min, SKEW_SECONDS_RANGE.max),
		maxConnectionsPerAddress: num('max-connections-per-address', 0, 1_000_000),
		bodyBudgetBytes: budgetMb === undefined ? undefined : Math.round(budgetMb * 1024 * 1024),
		allowedOrigins: origins.length ? origins : undefined,
		nats: natsUrl === undefined ? undefined : { url: natsUrl },
		retentionDays: num('retention', 0, 100_000),
		finalAfterHours: num('final-after', 0, 24 * 366),
		floorLimits: floorLimits(num('max-new-queues', 1, 1_000_000), num('max-new-agents', 1, 10_000_000)),
		backfillDays: mode === 'emulator' ? (num('backfill', 0, 366) ?? 28) : 0
	};
}

/** parseArgs' own messages, reworded as this tool speaks ("unknown option --x", "--x needs a value"). */
function cliMessage(e: unknown): string {
	const err = e as { code?: string; message?: string };
	const opt = /'(-[^']*)'/.exec(err.message ?? '')?.[1]?.split(' ')[0];
	if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${opt ?? ''}`.trim();
	if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${opt ?? 'an option'} needs a value`;
	return err.message ?? String(e);
}

/** `scheme://host[:port]` with nothing after. */
function isOrigin(s: string): boolean {
	try {
		const u = new URL(s);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s.replace(/\/$/, '');
	} catch {
		return false;
	}
}

/** `--from HH:MM`, a clock time of the center's day, in seconds after its midnight. */
function clockTime(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const s = parseClock(v);
	if (s === null) throw new Error(`--from must be a clock time HH:MM (00:00..23:59), got ${JSON.stringify(v.slice(0, 40))}`);
	return s;
}

/** The limits given (a limit left out keeps the floor's default). */
function floorLimits(queues: number | undefined, agents: number | undefined): { newQueuesPerDay?: number; newAgentsPerDay?: number } {
	return { ...(queues === undefined ? {} : { newQueuesPerDay: queues }), ...(agents === undefined ? {} : { newAgentsPerDay: agents }) };
}
