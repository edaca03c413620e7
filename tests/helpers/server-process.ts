import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { ReadyLine } from '../../src/server/main';

/**
 * The server as a separate process (`node --import tsx src/server/main.ts …`), for kill -9,
 * restarts, browsers and benchmarks. Readiness is the JSON line `main` prints once it listens
 * (`{"ready":true,"url":…,"tokens":…}`), never the human log text.
 */

/** A running server child. */
export interface ServerProcess {
	/** The current process (a new one after `restart`). */
	readonly proc: ChildProcess;
	readonly url: string;
	readonly port: number;
	/** Tokens printed on the first start (kept across restarts on the same data dir). */
	readonly tokens: Readonly<Record<string, string>>;
	/** Everything the process printed (the last 20,000 characters), for failure messages. */
	output(): string;
	/** Sends `signal` (SIGKILL by default) and waits for the exit; a graceful stop that hangs is killed after 5 s. */
	kill(signal?: NodeJS.Signals): Promise<void>;
	/** Starts it again with the same arguments (pass an explicit --port to keep the address). */
	restart(): Promise<void>;
}

/** Options of a spawned server. */
export interface SpawnOptions {
	readonly env?: Readonly<Record<string, string>>;
	readonly timeoutMs?: number;
	/** Options for node itself, before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
	readonly nodeArgs?: readonly string[];
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Spawns the server with `args` and resolves once it prints its ready line. */
export async function spawnServer(args: readonly string[], options: SpawnOptions = {}): Promise<ServerProcess> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	let out = '';
	let proc: ChildProcess | null = null;
	let ready: ReadyLine | null = null;
	let tokens: Record<string, string> = {};

	const launch = () =>
		new Promise<void>((resolvePromise, reject) => {
			// node itself with tsx as a loader (not the tsx wrapper), so a signal hits the server process.
			const c = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', resolve(ROOT, 'src/server/main.ts'), ...args], {
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'pipe'],
				env: { ...process.env, NODE_OPTIONS: '', ...options.env }
			});
			proc = c;
			let pending = '';
			const timer = setTimeout(() => {
				c.kill('SIGKILL');
				reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
			}, timeoutMs);
			c.stdout!.on('data', (d: Buffer) => {
				const text = d.toString();
				out = (out + text).slice(-20_000);
				if (ready) return;
				pending += text;
				const lines = pending.split('\n');
				pending = lines.pop() ?? '';
				for (const line of lines) {
					if (!line.startsWith('{"ready":true')) continue;
					ready = JSON.parse(line) as ReadyLine;
					if (ready.tokens) tokens = { ...ready.tokens };
					clearTimeout(timer);
					resolvePromise();
					return;
				}
			});
			c.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
			c.on('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
			});
		});

	const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
		const c = proc as ChildProcess | null;
		if (!c || c.exitCode !== null || c.signalCode !== null) return;
		await new Promise<void>((res) => {
			const force = signal === 'SIGKILL' ? null : setTimeout(() => c.kill('SIGKILL'), 5_000);
			c.once('exit', () => {
				if (force) clearTimeout(force);
				res();
			});
			c.kill(signal);
		});
	};

	await launch();
	const current = () => {
		if (!proc || !ready) throw new Error('server not started');
		return { proc, ready };
	};
	return {
		get proc() {
			return current().proc;
		},
		get url() {
			return current().ready.url;
		},
		get port() {
			return current().ready.port;
		},
		get tokens() {
			return tokens;
		},
		output: () => out,
		kill,
		async restart() {
			ready = null;
			await launch();
		}
	};
}

/** Resolves when the process has exited. */
export function exited(proc: ChildProcess): Promise<void> {
	if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
	return new Promise((r) => proc.once('exit', () => r()));
}
