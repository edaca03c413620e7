import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from '../../helpers/server-process';

/**
 * Starts the real Sightline server (src/server/main.ts, serving build/) as a child process on a
 * fresh data dir and a fixed free port, so a test can kill -9 it and start it again at the same
 * address. Readiness and tokens come from the server's JSON ready line (tests/helpers/server-process).
 */

/** Tokens printed by the server on its first start in a fresh data dir. */
export type Tokens = Readonly<Record<string, string>>;

/** A running server child. */
export interface Sightline {
	readonly url: string;
	readonly port: number;
	readonly dataDir: string;
	readonly tokens: Tokens;
	/** Kills the process (SIGKILL by default) and waits for it to exit. */
	kill(signal?: NodeJS.Signals): Promise<void>;
	/** Starts it again on the same port and data dir. */
	restart(): Promise<void>;
	/** Stops it and removes the data dir. */
	stop(): Promise<void>;
	/** Everything the process printed, for failure messages. */
	output(): string;
}

/** Options of a test server. */
export interface SightlineOptions {
	/** Which source feeds the floor (default the emulator); `replay` needs `--trace` in extraArgs. */
	readonly mode?: 'emulator' | 'replay' | 'ingest';
	readonly speed?: number;
	readonly scenario?: string;
	readonly extraArgs?: readonly string[];
	readonly startTimeoutMs?: number;
}

/**
 * A fixed-offset IANA zone (`Etc/GMT±N`) in which the local time is now about `hour` o'clock: a test
 * that plays hours of a day ending now picks the zone so that no midnight reset falls inside.
 */
export function zoneAtHour(hour: number, now = Date.now()): string {
	let offset = hour - new Date(now).getUTCHours();
	if (offset > 14) offset -= 24;
	if (offset < -12) offset += 24;
	// POSIX sign convention: Etc/GMT-5 is five hours east of UTC.
	return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** A free TCP port on loopback (a restart must find the server at the same address). */
export async function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const s = createServer();
		s.unref();
		s.on('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			const port = typeof a === 'object' && a ? a.port : 0;
			s.close(() => res(port));
		});
	});
}

/** Starts a server with the emulator at `speed` on a fresh data dir and a free port. */
export async function startSightline(opts: SightlineOptions = {}): Promise<Sightline> {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'sightline-wall-'));
	const args = [
		opts.mode ?? 'emulator',
		'--port',
		String(port),
		'--data',
		dataDir,
		...(opts.mode === 'ingest' ? [] : ['--speed', String(opts.speed ?? 60)]),
		...((opts.mode ?? 'emulator') === 'emulator' ? ['--backfill', '0'] : []),
		...(opts.scenario ? ['--scenario', opts.scenario] : []),
		...(opts.extraArgs ?? [])
	];
	const server = await spawnServer(args, { env: { NODE_ENV: 'production' }, timeoutMs: opts.startTimeoutMs ?? 60_000 });
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		get tokens() {
			return server.tokens;
		},
		kill: (signal) => server.kill(signal),
		restart: () => server.restart(),
		async stop() {
			await server.kill('SIGTERM');
			rmSync(dataDir, { recursive: true, force: true });
		},
		output: () => server.output()
	};
}
