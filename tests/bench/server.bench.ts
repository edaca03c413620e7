/**
 * `npm run bench:server`: measures the live server on this machine (not a timed test).
 *
 * 1. Ingest: events per second acknowledged with durable commits (WAL, synchronous=FULL), with
 *    batches of 100 from 8 producers, and with single-event requests from 64 producers (group commit).
 * 2. Fan-out: 1,000 wallboard sockets, 500 events/s posted to the server; event-to-client latency
 *    p50/p99 (event creation at the producer → the delta that includes it, measured on 50 sampled
 *    clients), and the server's CPU time per delivered frame (from /proc of the server process).
 *    The same load then goes through a plain `ws` + JSON broadcast server (tests/bench/server-baseline.ts:
 *    same floor, same projection, same flush window, no storage) as the baseline.
 *
 * Server and baseline each run in their own child process; clients and producers run here (the
 * fan-out producer on a worker thread of its own, so both servers get the same 500 events/s however
 * busy the 1,000 clients keep this thread).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import type { FloorEvent } from '../../src/lib/domain/events';
import { createCodec, decodeHello, type Codec } from '../../src/lib/protocol/codec';
import type { ServerFrame } from '../../src/lib/protocol/frames';
import { cpuTimes, percentile, type CpuTimes } from './process-stats';
import { spawnServer } from '../helpers/server-process';

const ROOT = resolve(import.meta.dirname, '../..');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const SAMPLED = 50;
const RATE = 500; // events per second
const WARMUP_MS = 2000;
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const QUEUE = 'bench';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let idCounter = 0;
const queued = (ts: number): FloorEvent => ({
	type: 'contact.queued',
	id: `b${process.pid}-${++idCounter}`,
	ts,
	contact: `bc-${idCounter}`,
	queue: QUEUE,
	channel: 'voice'
});

async function post(url: string, token: string | null, events: FloorEvent[]): Promise<number> {
	const res = await fetch(`${url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: JSON.stringify(events)
	});
	await res.arrayBuffer();
	return res.status;
}

// ---------------------------------------------------------------- ingest

async function ingestRun(url: string, token: string, producers: number, batch: number, ms: number): Promise<number> {
	let acked = 0;
	const end = Date.now() + ms;
	await Promise.all(
		Array.from({ length: producers }, async () => {
			while (Date.now() < end) {
				const events = Array.from({ length: batch }, () => queued(Date.now()));
				if ((await post(url, token, events)) === 202) acked += batch;
			}
		})
	);
	return acked / (ms / 1000);
}

async function metric(url: string, name: string): Promise<number> {
	const text = await (await fetch(`${url}/metrics`)).text();
	const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
	return m ? Number(m[1]) : NaN;
}

// ---------------------------------------------------------------- fan-out

interface FanoutResult {
	readonly p50: number;
	readonly p99: number;
	readonly frames: number;
	/** User + system CPU seconds of the server in the window. */
	readonly cpu: number;
	/** The same split: user space, and kernel (for a socket send on loopback that includes the receiver's TCP path, run in softirq on the sender's time). */
	readonly times: CpuTimes;
	readonly cpuPerFrame: number;
	readonly latencies: number;
	readonly connected: number;
}

type Decode = (data: Buffer, client: { codec: Codec | null }) => number | null;

/** Offered count of the bench queue in a decoded frame, or null when the frame does not carry it. */
function offeredIn(frame: ServerFrame | { type: string; changes?: unknown; floor?: unknown }): number | null {
	const rows =
		frame.type === 'delta'
			? ((frame as { changes: { queues: { id: string; today: { offered: number } }[] | null } }).changes.queues ?? [])
			: frame.type === 'snapshot'
				? (frame as { floor: { queues: { id: string; today: { offered: number } }[] } }).floor.queues
				: [];
	const row = rows.find((q) => q.id === QUEUE);
	return row ? row.today.offered : null;
}

const decodeMsgpack: Decode = (data, client) => {
	const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	if (!client.codec) {
		client.codec = createCodec(decodeHello(bytes).structures);
		return null;
	}
	return offeredIn(client.codec.decode(bytes) as ServerFrame);
};
const decodeJson: Decode = (data) => offeredIn(JSON.parse(data.toString('utf8')) as ServerFrame);

async function fanout(
	name: string,
	httpUrl: string,
	liveQuery: string,
	token: string | null,
	pid: number,
	decode: Decode,
	baseOffered: number,
	clients = CLIENTS
): Promise<FanoutResult> {
	const wsUrl = `${httpUrl.replace('http', 'ws')}/live${liveQuery}`;
	const latencies: number[] = [];
	let sendTimes: Float64Array<ArrayBufferLike> = new Float64Array(0); // creation time of event k (0-based, counting from baseOffered), from the producer
	let measuring = false;
	let measureFrom = 0; // first event index counted
	let frames = 0;
	const sockets: WebSocket[] = [];
	for (let i = 0; i < clients; i += 100) {
		await Promise.all(
			Array.from({ length: Math.min(100, clients - i) }, (_, j) => {
				const sampled = i + j < SAMPLED;
				const client = { codec: null as Codec | null, delivered: -1, seenFirst: false };
				const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
				ws.binaryType = 'nodebuffer';
				sockets.push(ws);
				ws.on('message', (data: Buffer) => {
					if (measuring) frames++;
					if (!sampled && client.seenFirst) return;
					client.seenFirst = true;
					const offered = decode(data, client);
					if (offered === null || !sampled) return;
					const reached = offered - baseOffered;
					if (client.delivered < 0) {
						client.delivered = reached;
						return;
					}
					const now = Date.now();
					for (let k = client.delivered; k < reached; k++) if (measuring && k >= measureFrom && sendTimes[k]! > 0) latencies.push(now - sendTimes[k]!);
					client.delivered = Math.max(client.delivered, reached);
				});
				return new Promise<void>((res) => {
					ws.once('open', () => res());
					ws.once('error', () => res());
				});
			})
		);
	}
	const connected = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
	await sleep(500);

	// One producer, in order, on its own thread (so the clients' work here cannot slow the load it
	// offers): every 10 ms five events are created; each POST carries what piled up since the last.
	const producer = startProducer(httpUrl, token);
	sendTimes = producer.times;
	const created = () => Atomics.load(producer.count, 0);

	await sleep(WARMUP_MS);
	measureFrom = created();
	const cpu0 = cpuTimes(pid);
	measuring = true;
	await sleep(MEASURE_MS);
	const cpu1 = cpuTimes(pid);
	const times = { user: cpu1.user - cpu0.user, sys: cpu1.sys - cpu0.sys };
	const cpu = times.user + times.sys;
	const lastCounted = created();
	await producer.stop();
	// Let the last events of the window arrive before measuring stops.
	await sleep(500);
	measuring = false;
	for (const s of sockets) s.terminate();
	const counted = latencies.filter((l) => l >= 0);
	counted.sort((a, b) => a - b);
	const expected = (lastCounted - measureFrom) * Math.min(SAMPLED, clients);
	console.log(
		`  ${name}: ${connected}/${clients} clients connected; ${lastCounted - measureFrom} events in the window; ${counted.length}/${expected} deliveries timed on ${Math.min(SAMPLED, clients)} sampled clients`
	);
	return {
		p50: percentile(counted, 50),
		p99: percentile(counted, 99),
		frames,
		cpu,
		times,
		cpuPerFrame: frames ? cpu / frames : NaN,
		latencies: counted.length,
		connected
	};
}

/** The fan-out load's producer on a worker thread: creation time of event k in `times[k]`, events created so far in `count[0]`. */
function startProducer(url: string, token: string | null): { times: Float64Array; count: Int32Array; stop: () => Promise<void> } {
	const times = new Float64Array(new SharedArrayBuffer(8 * (RATE * (MEASURE_MS + WARMUP_MS + 5000)) / 1000));
	const count = new Int32Array(new SharedArrayBuffer(4));
	// Plain JS (no imports), so the worker needs no TypeScript loader.
	const code = `
		const { workerData, parentPort } = require('node:worker_threads');
		const { url, token, perTick, prefix, times, count } = workerData;
		let n = 0, pending = [], running = true;
		const tick = setInterval(() => {
			const now = Date.now();
			for (let i = 0; i < perTick && n < times.length; i++, n++) {
				times[n] = now;
				pending.push({ type: 'contact.queued', id: prefix + n, ts: now, contact: 'bc-' + prefix + n, queue: ${JSON.stringify(QUEUE)}, channel: 'voice' });
			}
			Atomics.store(count, 0, n);
		}, 10);
		const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
		const loop = (async () => {
			while (running) {
				if (!pending.length) { await sleep(1); continue; }
				const batch = pending;
				pending = [];
				const res = await fetch(url + '/api/events', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(batch) });
				await res.arrayBuffer();
			}
		})();
		parentPort.once('message', async () => { clearInterval(tick); running = false; await loop; parentPort.postMessage('stopped'); });
	`;
	const worker = new Worker(code, { eval: true, workerData: { url, token, perTick: RATE / 100, prefix: `b${process.pid}-${++idCounter}-`, times, count } });
	return {
		times,
		count,
		stop: async () => {
			const stopped = new Promise((r) => worker.once('message', r));
			worker.postMessage('stop');
			await stopped;
			await worker.terminate();
		}
	};
}

function spawnBaseline(): Promise<{ proc: ChildProcess; url: string }> {
	const proc = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'tests/bench/server-baseline.ts'), '50'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((res, rej) => {
		let out = '';
		proc.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /listening (\d+)/.exec(out);
			if (m) res({ proc, url: `http://127.0.0.1:${m[1]}` });
		});
		proc.on('exit', (c) => rej(new Error(`baseline exited with ${c}`)));
	});
}

async function main(): Promise<void> {
	const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });
	console.log(`Sightline server benchmark — ${CLIENTS} clients, ${RATE} events/s, ${MEASURE_MS / 1000} s windows`);

	// 1. Ingest throughput, durable.
	const dir1 = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
	const s1 = await spawnServer(['ingest', '--port', '0', '--data', dir1]);
	const batched = await ingestRun(s1.url, s1.tokens.ingest!, 8, 100, 5000);
	const commitsA = await metric(s1.url, 'sightline_store_commit_seconds_count');
	const single = await ingestRun(s1.url, s1.tokens.ingest!, 64, 1, 5000);
	const commits = (await metric(s1.url, 'sightline_store_commit_seconds_count')) - commitsA;
	const commitSum = await metric(s1.url, 'sightline_store_commit_seconds_sum');
	const commitCount = await metric(s1.url, 'sightline_store_commit_seconds_count');
	s1.proc.kill('SIGKILL');
	rmSync(dir1, { recursive: true, force: true });
	console.log('\nIngest, 202 only after a durable commit (WAL, synchronous=FULL):');
	console.log(`  batches of 100, 8 producers:     ${fmt(batched, 0)} events/s`);
	console.log(`  single events, 64 producers:     ${fmt(single, 0)} events/s (${fmt(single * 5, 0)} requests in 5 s, ${fmt(commits, 0)} commits: group commit)`);
	console.log(`  mean commit latency:             ${fmt((commitSum / commitCount) * 1000, 2)} ms`);

	// 2. Fan-out through Sightline (uWS + msgpack, encoded once per board), then the same load with no
	// clients, so the CPU of ingest and projection can be told apart from the CPU of the fan-out itself.
	console.log('\nFan-out:');
	const dir2 = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
	// BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there (node --cpu-prof) when it stops.
	const profDir = process.env.BENCH_CPU_PROF;
	const s2 = await spawnServer(['ingest', '--port', '0', '--data', dir2, '--flush-ms', '50'], profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${resolve(profDir)}`] } : {});
	const uws = await fanout('sightline (uWS + msgpack)', s2.url, '?board=default', s2.tokens.ingest!, s2.proc.pid!, decodeMsgpack, 0);
	const commitMax = await metric(s2.url, 'sightline_store_commit_max_seconds');
	const tickMax = await metric(s2.url, 'sightline_tick_max_seconds');
	const commitMean = (await metric(s2.url, 'sightline_store_commit_seconds_sum')) / (await metric(s2.url, 'sightline_store_commit_seconds_count'));
	const uwsIdle = await fanout('sightline, no clients', s2.url, '?board=default', s2.tokens.ingest!, s2.proc.pid!, decodeMsgpack, 0, 0);
	await s2.kill(profDir ? 'SIGTERM' : 'SIGKILL');
	rmSync(dir2, { recursive: true, force: true });

	// 3. The baseline, same load.
	const b = await spawnBaseline();
	const base = await fanout('baseline (ws + JSON)', b.url, '', null, b.proc.pid!, decodeJson, 0);
	const baseIdle = await fanout('baseline, no clients', b.url, '', null, b.proc.pid!, decodeJson, 0, 0);
	b.proc.kill('SIGKILL');

	const row = (name: string, r: FanoutResult) =>
		`  ${name.padEnd(28)} p50 ${fmt(r.p50, 0).padStart(4)} ms   p99 ${fmt(r.p99, 0).padStart(4)} ms   frames ${fmt(r.frames, 0).padStart(8)}   server CPU ${fmt(r.cpu, 2)} s = ${fmt(r.cpuPerFrame * 1e6, 2)} µs/frame`;
	const fanoutOnly = (r: FanoutResult, idle: FanoutResult) => ((r.cpu - idle.cpu) / r.frames) * 1e6;
	console.log('\nResults (event created at the producer → delta at the client, incl. the 50 ms flush window):');
	console.log(row('sightline (uWS + msgpack)', uws));
	console.log(row('baseline (ws + JSON)', base));
	console.log(
		`  same load, no clients: sightline ${fmt(uwsIdle.cpu, 2)} s CPU (ingest with fsync + projection), baseline ${fmt(baseIdle.cpu, 2)} s (ingest in memory + projection)`
	);
	console.log(`  fan-out alone (CPU above the no-client run, per frame): sightline ${fmt(fanoutOnly(uws, uwsIdle), 2)} µs, baseline ${fmt(fanoutOnly(base, baseIdle), 2)} µs`);
	console.log(
		`  sightline during the 1,000-client run: commit mean ${fmt(commitMean * 1000, 2)} ms, max ${fmt(commitMax * 1000, 1)} ms; flush tick max ${fmt(tickMax * 1000, 1)} ms`
	);
	// User and system time apart: on loopback a send's system time includes the receiving side's TCP path
	// (softirq, charged to the sender), so the kernel's share is what no user-space change can reach.
	const perFrame = (s: number, r: FanoutResult) => fmt((s / r.frames) * 1e6, 2);
	const split = (name: string, r: FanoutResult, frames: FanoutResult | null) =>
		`  ${name.padEnd(28)} user ${fmt(r.times.user, 2)} s${frames ? ` = ${perFrame(r.times.user, frames)} µs/frame` : ''}   system ${fmt(r.times.sys, 2)} s${frames ? ` = ${perFrame(r.times.sys, frames)} µs/frame` : ''}`;
	const above = (r: FanoutResult, idle: FanoutResult, k: keyof CpuTimes) => ((r.times[k] - idle.times[k]) / r.frames) * 1e6;
	console.log('\nServer CPU, user and system (utime/stime of /proc/<pid>/stat):');
	console.log(split('sightline (uWS + msgpack)', uws, uws));
	console.log(split('baseline (ws + JSON)', base, base));
	console.log(split('sightline, no clients', uwsIdle, null));
	console.log(split('baseline, no clients', baseIdle, null));
	console.log(
		`  fan-out alone per frame: sightline user ${fmt(above(uws, uwsIdle, 'user'), 2)} µs + system ${fmt(above(uws, uwsIdle, 'sys'), 2)} µs; baseline user ${fmt(above(base, baseIdle, 'user'), 2)} µs + system ${fmt(above(base, baseIdle, 'sys'), 2)} µs`
	);
	const ratio = (a: number, b: number) => fmt(a / b, 2);
	console.log('\nRatios (sightline / baseline):');
	console.log(
		`  p50 latency ${ratio(uws.p50, base.p50)}×, p99 latency ${ratio(uws.p99, base.p99)}×, CPU per delivered frame ${ratio(uws.cpuPerFrame, base.cpuPerFrame)}×, fan-out CPU per frame ${ratio(fanoutOnly(uws, uwsIdle), fanoutOnly(base, baseIdle))}×`
	);
	console.log(
		`  per delivered frame: user ${ratio(uws.times.user / uws.frames, base.times.user / base.frames)}×, system ${ratio(uws.times.sys / uws.frames, base.times.sys / base.frames)}×; fan-out alone: user ${ratio(above(uws, uwsIdle, 'user'), above(base, baseIdle, 'user'))}×, system ${ratio(above(uws, uwsIdle, 'sys'), above(base, baseIdle, 'sys'))}×`
	);
	console.log(
		`  no clients (same load): CPU ${ratio(uwsIdle.cpu, baseIdle.cpu)}×, user ${ratio(uwsIdle.times.user, baseIdle.times.user)}×, system ${ratio(uwsIdle.times.sys, baseIdle.times.sys)}×`
	);
	const cpuRatio = uws.cpuPerFrame / base.cpuPerFrame;
	console.log(`\nTargets: p99 < 100 ms: ${uws.p99 < 100 ? 'met' : 'NOT met'}; CPU per frame at most 0.5× the baseline's: ${cpuRatio <= 0.5 ? 'met' : 'NOT met'} (${fmt(cpuRatio, 2)}×)`);
}

main().then(
	() => process.exit(0),
	(e: unknown) => {
		console.error(e);
		process.exit(1);
	}
);
