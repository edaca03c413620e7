import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The server as a separate process (`tsx src/server/main.ts …`), for kill -9 and for benchmarks. */
export interface ChildServer {
	readonly proc: ChildProcess;
	readonly url: string;
	/** Tokens printed on first start (empty when the data dir already had them). */
	readonly tokens: Record<string, string>;
	readonly output: () => string;
}

const ROOT = resolve(import.meta.dirname, '../../..');

/** Spawns the server with `args` (port 0 unless given) and resolves once it logs its URL. */
export function spawnServer(args: readonly string[], timeoutMs = 30_000): Promise<ChildServer> {
	const proc = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/server/main.ts'), ...args], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, NODE_OPTIONS: '' }
	});
	let out = '';
	return new Promise((resolvePromise, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
		}, timeoutMs);
		const onData = (d: Buffer) => {
			out += d.toString();
			const m = /Sightline wallboard: (http:\/\/[^/\s]+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				const tokens: Record<string, string> = {};
				for (const t of out.matchAll(/^\s+(viewer|supervisor|admin|ingest)\s+(\S+)$/gm)) tokens[t[1]!] = t[2]!;
				resolvePromise({ proc, url: m[1]!, tokens, output: () => out });
			}
		};
		proc.stdout!.on('data', onData);
		proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		proc.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before starting:\n${out}`));
		});
	});
}

/** Resolves when the process has exited. */
export function exited(proc: ChildProcess): Promise<void> {
	if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
	return new Promise((r) => proc.once('exit', () => r()));
}
