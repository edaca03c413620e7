import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type ServerProcess } from '../../helpers/server-process';

/** Server processes of one cluster (`ingest --nats URL`), each on a temporary data dir of its own. */
export class TestCluster {
	readonly #servers: ServerProcess[] = [];
	readonly #dirs: string[] = [];

	/** Starts an instance following the NATS at `url`, on a fresh data dir; `args` are added (`--time-zone ZONE`). */
	async instance(url: string, ...args: string[]): Promise<ServerProcess> {
		const dir = mkdtempSync(join(tmpdir(), 'sightline-cluster-'));
		this.#dirs.push(dir);
		const s = await spawnServer(['ingest', '--nats', url, '--data', dir, '--port', '0', ...args]);
		this.#servers.push(s);
		return s;
	}

	/** Kills every instance and removes their data dirs. */
	async stop(): Promise<void> {
		for (const s of this.#servers) await s.kill('SIGKILL');
		for (const d of this.#dirs) rmSync(d, { recursive: true, force: true });
	}
}
