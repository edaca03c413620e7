/**
 * `npm run bench:abuse`: the probes of issue #9 against a real server process, with figures
 * printed against a baseline taken in the same run:
 * - RSS of the server idle, then under 1,000 held connections that send the headers of a 1 MiB
 *   POST with no token and 64 KiB of its body, then keep the connection open;
 * - fuzz: bad bodies (random bytes, truncations, BigInt and 5,000-deep types, lone surrogates)
 *   posted, and whether the process survived them;
 * - one event stamped two hours ahead: its status, and offered today before and after.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack } from 'msgpackr';
import { spawnServer } from '../helpers/server-process';

const HELD = Number(process.env.ABUSE_CONNECTIONS ?? 1000);
const FUZZ = Number(process.env.ABUSE_FUZZ ?? 3000);

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'sightline-abuse-'));
	const s = await spawnServer(['ingest', '--port', '0', '--data', dir]);
	const pid = s.proc.pid!;
	const port = s.port;
	try {
		await sleep(1000);
		const idle = rssMiB(pid);

		// 1,000 unauthenticated uploads held open.
		const sockets: Socket[] = [];
		let closedByServer = 0;
		const chunk = Buffer.alloc(64 * 1024, 0x5b);
		for (let i = 0; i < HELD; i++) {
			const sock = connect(port, '127.0.0.1');
			sock.on('error', () => {});
			sock.on('end', () => closedByServer++);
			sock.resume(); // read (and drop) the answer, so 'end' is seen
			sock.write(`POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
			sock.write(chunk);
			sockets.push(sock);
			if (i % 100 === 99) await sleep(20);
		}
		await sleep(2000);
		const held = rssMiB(pid);
		for (const sock of sockets) sock.destroy();
		await sleep(500);

		// Fuzz bodies.
		const bigint = Buffer.from([0x91, 0x81, 0xa4, ...Buffer.from('type'), 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
		const deep = `[{"type":${'['.repeat(5000)}${']'.repeat(5000)}}]`;
		const surrogate = '[{"type":"contact.queued","id":"s","ts":1,"contact":"c","queue":"\\ud800","channel":"voice"}]';
		const shapes: [Uint8Array | string, string][] = [
			[bigint, 'application/msgpack'],
			[deep, 'application/json'],
			[surrogate, 'application/json'],
			[pack([{ type: 'contact.queued', ts: 1e308 }]), 'application/msgpack'],
			['['.repeat(9000), 'application/json']
		];
		const statuses = new Map<number, number>();
		for (let i = 0; i < FUZZ; i++) {
			const [body, type] =
				i % 2 === 0 ? (shapes[i % shapes.length] ?? shapes[0]!) : ([crypto.getRandomValues(new Uint8Array(1 + (i % 500))), i % 4 === 1 ? 'application/msgpack' : 'application/json'] as const);
			try {
				const r = await fetch(`${s.url}/api/events`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${s.tokens.ingest}` }, body: body as BodyInit });
				await r.arrayBuffer();
				statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
			} catch {
				statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
			}
		}
		const alive = s.proc.exitCode === null && (await fetch(`${s.url}/healthz`)).ok;

		// The future-stamped event.
		const offered = async () => {
			const r = (await (await fetch(`${s.url}/metrics`)).text()).match(/^sightline_events_accepted_total (\d+)/m);
			return Number(r?.[1] ?? 0);
		};
		const post = (ts: number, id: string) =>
			fetch(`${s.url}/api/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.ingest}` },
				body: JSON.stringify([{ type: 'agent.state', id, ts, agent: 'abuse', state: 'available' }])
			});
		const before = await offered();
		const ahead = await post(Date.now() + 2 * 3600_000, 'abuse-ahead');
		const after = await offered();

		console.log('bench:abuse (issue #9 probes, one server process)');
		console.log(`  RSS idle                                   ${idle.toFixed(0)} MiB   (baseline)`);
		console.log(`  RSS, ${HELD} held unauthenticated uploads   ${held.toFixed(0)} MiB   (+${(held - idle).toFixed(0)} MiB; ${closedByServer} closed by the server at once)`);
		console.log(`  fuzz: ${FUZZ} bad bodies -> statuses ${JSON.stringify(Object.fromEntries(statuses))}; server alive after: ${alive}; crashes: ${alive ? 0 : 1}`);
		console.log(`  event stamped 2 h ahead: HTTP ${ahead.status}; events accepted before/after: ${before}/${after}`);
	} finally {
		await s.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((e: unknown) => {
	console.error(e);
	process.exit(1);
});
