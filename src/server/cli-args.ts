import type { ServerOptions, SourceOption } from './server';

/**
 * Command line of `npm start` / `tsx src/server/main.ts`:
 *
 *   [emulator | replay | ingest] [--trace FILE | --day YYYY-MM-DD] [--speed N] [--seed N]
 *   [--scenario FILE] [--from HH:MM] [--host H] [--port N] [--data DIR] [--flush-ms N] [--static DIR]
 *   [--time-zone TZ] [--reset-time HH:MM]
 *
 * PORT in the environment is used when --port is not given.
 */

export const USAGE = `usage: npm start -- [emulator|replay|ingest] [options]
  sources:
    emulator (default)         the simulator's multi-channel day at wall-clock pace, looping
    replay --trace FILE        a JSONL events trace, or the Anonymous Bank call log (.csv)
    replay --day YYYY-MM-DD    a day from the store
    ingest                     only events posted to /api/events or sent on /ingest
  options:
    --speed N          playback speed (default 1)
    --seed N           emulator seed (default 1)
    --scenario FILE    emulator scenario (default sim/scenarios/multichannel-day.json)
    --from HH:MM       start the emulated day this far in; what came before plays at once,
                       so boards open with the day's history (default 00:00)
    --host H           listen address (default 127.0.0.1; any other needs tokens for everything)
    --port N           port (default $PORT or 8080)
    --data DIR         data directory: SQLite store and tokens (default ./data)
    --flush-ms N       delta flush window in ms (default 50)
    --static DIR       built web app (default build)
    --time-zone TZ     the center's IANA time zone (default: this machine's)
    --reset-time HH:MM daily KPI reset (default 00:00)`;

/** Parses argv (without node and script); throws an Error naming the bad argument. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServerOptions & { help: boolean } {
	const flags = new Map<string, string>();
	let mode: string | null = null;
	let help = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i]!;
		if (a === '--help' || a === '-h') {
			help = true;
			continue;
		}
		if (a.startsWith('--')) {
			const eq = a.indexOf('=');
			const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
			const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
			if (value === undefined) throw new Error(`--${name} needs a value`);
			if (!KNOWN.has(name)) throw new Error(`unknown option --${name}`);
			flags.set(name, value);
		} else if (mode === null) {
			mode = a;
		} else {
			throw new Error(`unexpected argument ${JSON.stringify(a)}`);
		}
	}
	const num = (name: string, min: number, max: number): number | undefined => {
		const v = flags.get(name);
		if (v === undefined) return undefined;
		const n = Number(v);
		if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in ${min}..${max}, got ${JSON.stringify(v)}`);
		return n;
	};
	const speed = num('speed', 0.01, 10_000);
	if (flags.has('from') && (mode ?? 'emulator') !== 'emulator') throw new Error('--from applies to the emulator only');
	let source: SourceOption;
	switch (mode ?? 'emulator') {
		case 'emulator':
			source = { kind: 'emulator', scenario: flags.get('scenario'), seed: num('seed', 0, 0xffffffff), speed, from: elapsed(flags.get('from')) };
			break;
		case 'replay':
			if (!flags.has('trace') === !flags.has('day')) throw new Error('replay needs exactly one of --trace FILE or --day YYYY-MM-DD');
			source = { kind: 'replay', trace: flags.get('trace'), day: flags.get('day'), speed };
			break;
		case 'ingest':
			source = { kind: 'none' };
			break;
		default:
			throw new Error(`unknown source ${JSON.stringify(mode)}; expected emulator, replay or ingest`);
	}
	const portText = flags.get('port') ?? env.PORT;
	const port = portText === undefined ? 8080 : Number(portText);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer 0..65535, got ${JSON.stringify(portText)}`);
	return {
		help,
		source,
		port,
		host: flags.get('host') ?? '127.0.0.1',
		dataDir: flags.get('data') ?? './data',
		staticDir: flags.get('static') ?? 'build',
		flushMs: num('flush-ms', 5, 5000),
		timeZone: flags.get('time-zone'),
		resetTime: flags.get('reset-time')
	};
}

/** `--from HH:MM` (hours may exceed 23: scenario days can be longer) in seconds. */
function elapsed(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const m = /^(\d{1,3}):([0-5]\d)$/.exec(v);
	if (!m) throw new Error(`--from must be HH:MM into the emulated day, got ${JSON.stringify(v)}`);
	return (Number(m[1]) * 60 + Number(m[2])) * 60;
}

const KNOWN = new Set(['trace', 'day', 'speed', 'seed', 'scenario', 'from', 'host', 'port', 'data', 'flush-ms', 'static', 'time-zone', 'reset-time']);
