import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Starts the real Sightline server (src/server/main.ts, serving build/) as a child process, so a
 * test can kill -9 it and start it again on the same port and data directory.
 */

/** Tokens printed by the server on its first start in a fresh data dir. */
export type Tokens = Record<string, string>;

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

const ROOT = resolve(import.meta.dirname, '../../..');

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

/** A free TCP port on loopback. */
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
	const tokens: Tokens = {};
	let out = '';
	let child: ChildProcess | null = null;
	// node itself with tsx as a loader (not the tsx wrapper), so SIGKILL hits the server process.
	const args = [
		'--import',
		'tsx',
		'src/server/main.ts',
		opts.mode ?? 'emulator',
		'--port',
		String(port),
		'--data',
		dataDir,
		...(opts.mode === 'ingest' ? [] : ['--speed', String(opts.speed ?? 60)]),
		...(opts.scenario ? ['--scenario', opts.scenario] : []),
		...(opts.extraArgs ?? [])
	];

	const launch = () =>
		new Promise<void>((res, rej) => {
			const c = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
			child = c;
			const timer = setTimeout(() => rej(new Error(`server did not start within ${opts.startTimeoutMs ?? 60_000} ms:\n${out}`)), opts.startTimeoutMs ?? 60_000);
			const onData = (buf: Buffer) => {
				const text = buf.toString();
				out = (out + text).slice(-20_000);
				for (const m of text.matchAll(/^\s+(admin|viewer|supervisor|ingest)\s+(\S+)\s*$/gm)) tokens[m[1]!] = m[2]!;
				if (/Sightline wallboard:/.test(out)) {
					clearTimeout(timer);
					res();
				}
			};
			c.stdout!.on('data', onData);
			c.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20_000)));
			c.on('exit', (code) => {
				clearTimeout(timer);
				rej(new Error(`server exited with ${code}:\n${out}`));
			});
		});

	const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
		const c = child as ChildProcess | null;
		if (!c || c.exitCode !== null || c.signalCode !== null) return;
		await new Promise<void>((res) => {
			// A graceful stop that hangs must not leave a server behind: SIGKILL after 5 s.
			const force = signal === 'SIGKILL' ? null : setTimeout(() => c.kill('SIGKILL'), 5_000);
			c.once('exit', () => {
				if (force) clearTimeout(force);
				res();
			});
			c.kill(signal);
		});
		child = null;
	};

	await launch();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		tokens,
		kill,
		restart: launch,
		async stop() {
			await kill('SIGTERM');
			rmSync(dataDir, { recursive: true, force: true });
		},
		output: () => out
	};
}
