import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * A NATS server with JetStream of the test's own (Debian's `nats-server`), on a free loopback port
 * and a temporary store directory, so tests never depend on, or disturb, a shared server.
 */
export interface TestNats {
	readonly url: string;
	readonly port: number;
	/** Process id of the running server (for CPU readings). */
	readonly pid: number;
	/**
	 * Holds it (SIGSTOP): connected clients see nothing wrong, it answers nothing. Resolves once it
	 * is stopped: kill only queues the signal, and a busy machine may let it run on a moment.
	 */
	pause(): Promise<void>;
	/** Lets it run again (SIGCONT). */
	resume(): void;
	/** Stops it (SIGTERM, or SIGKILL) and waits for the exit; the store directory is kept. */
	stop(signal?: NodeJS.Signals): Promise<void>;
	/** Starts it again on the same port and store. */
	start(): Promise<void>;
	/** Stops it and removes the store. */
	dispose(): Promise<void>;
}

const BIN = process.env.SIGHTLINE_NATS_SERVER ?? 'nats-server';

/** Starts a JetStream-enabled nats-server; resolves once it accepts clients. */
export async function startNats(): Promise<TestNats> {
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'sightline-nats-'));
	let proc: ChildProcess | null = null;
	const start = () =>
		new Promise<void>((resolve, reject) => {
			const p = spawn(BIN, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
			proc = p;
			let out = '';
			const timer = setTimeout(() => {
				p.kill('SIGKILL');
				reject(new Error(`nats-server did not start within 10 s:\n${out}`));
			}, 10_000);
			const onData = (d: Buffer) => {
				out += d.toString();
				if (out.includes('Server is ready')) {
					clearTimeout(timer);
					resolve();
				}
			};
			p.stdout!.on('data', onData);
			p.stderr!.on('data', onData);
			p.on('error', (e) => {
				clearTimeout(timer);
				reject(new Error(`could not run ${BIN} (apt-get install nats-server): ${e.message}`));
			});
			p.on('exit', (code) => {
				clearTimeout(timer);
				if (!out.includes('Server is ready')) reject(new Error(`nats-server exited with ${code}:\n${out}`));
			});
		});
	const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
		const p = proc as ChildProcess | null;
		if (!p || p.exitCode !== null || p.signalCode !== null) return;
		await new Promise<void>((r) => {
			p.once('exit', () => r());
			p.kill(signal);
		});
	};
	await start();
	return {
		url: `nats://127.0.0.1:${port}`,
		port,
		get pid() {
			return (proc as ChildProcess | null)?.pid ?? -1;
		},
		async pause() {
			const pid = (proc as ChildProcess | null)?.pid ?? -1;
			process.kill(pid, 'SIGSTOP');
			// The state letter after the command name in /proc/PID/stat: T once it is stopped.
			const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
			for (const end = Date.now() + 5000; state() !== 'T'; ) {
				if (Date.now() > end) throw new Error(`nats-server ${pid} did not stop within 5 s of SIGSTOP`);
				await new Promise((r) => setTimeout(r, 5));
			}
		},
		resume() {
			const p = proc as ChildProcess | null;
			// Only a running process: one that exited (killed by the test) has nothing to resume.
			if (p?.pid && p.exitCode === null && p.signalCode === null) process.kill(p.pid, 'SIGCONT');
		},
		stop,
		start,
		async dispose() {
			await stop('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Deletes a JetStream stream behind the instances' backs (they stay connected): what NATS refuses from then on. */
export async function deleteStream(url: string, stream: string): Promise<void> {
	const nc = await connect({ servers: url });
	try {
		await (await jetstreamManager(nc)).streams.delete(stream);
	} finally {
		await nc.close();
	}
}

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			const port = typeof a === 'object' && a ? a.port : 0;
			s.close(() => resolve(port));
		});
	});
}
