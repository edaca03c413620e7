/**
 * Entry point of `npm start`: parses the command line, starts the server and logs where to open
 * the wallboard. Tokens are printed here, once, when the data directory gets them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCliArgs, USAGE } from './cli-args';
import { startBackfillThreads } from './history/backfill-threads';
import { DB_FILE } from './store';

/** The last line `main` prints once it listens (JSON on one line of stdout). */
export interface ReadyLine {
	readonly ready: true;
	readonly url: string;
	readonly port: number;
	/** Plaintext tokens when this start created them, else null. */
	readonly tokens: Readonly<Record<string, string>> | null;
}

async function main(): Promise<void> {
	let args;
	try {
		args = parseCliArgs(process.argv.slice(2), process.env);
	} catch (e) {
		console.error(`${(e as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (args.help) {
		console.log(USAGE);
		return;
	}
	// A fresh start of the emulator backfills: its worker threads load their code while this thread
	// loads the server's (dynamic import below), instead of after it (bench:history, start).
	const fresh = args.source?.kind === 'emulator' && (args.backfillDays ?? 0) > 0 && !existsSync(join(resolve(args.dataDir), DB_FILE));
	const backfillThreads = fresh ? startBackfillThreads() : undefined;
	const { startServer } = await import('./server');
	const server = await startServer({ ...args, ...(backfillThreads ? { backfillThreads } : {}) });
	if (server.createdTokens) {
		console.log('Access tokens were created (shown this once; only their hashes are kept in the data dir):');
		for (const [role, token] of Object.entries(server.createdTokens)) console.log(`  ${role.padEnd(10)} ${token}`);
	}
	if (server.source) console.log(`source: ${server.source.description}`);
	console.log(`Sightline wallboard: ${server.url}/wall/default`);
	// One machine-readable line for launchers (tests, supervisors): they read this, not the prose above.
	const ready: ReadyLine = { ready: true, url: server.url, port: server.port, tokens: server.createdTokens };
	console.log(JSON.stringify(ready));
	const stop = () => {
		void server.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
	console.error(`Sightline could not start: ${(e as Error)?.message ?? String(e)}`);
	process.exit(1);
});
