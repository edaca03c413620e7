/**
 * `npm run bench:cluster`: two server instances behind one NATS JetStream (`--nats`) against one
 * embedded instance, in the same run, on this machine (not a timed test).
 *
 * 1. Ingest: events/s acknowledged (batches of 100 from 8 producers, 5 s): embedded = durable
 *    SQLite commit; cluster = JetStream's ack (every instance then applies it from the stream).
 * 2. End to end: one producer posts 500 events/s to instance A; wallboards are connected to
 *    instance B (the cluster) or to the one embedded instance; latency from the event's creation at
 *    the producer to the delta that carries it (p50/p99 over sampled clients), and each process's
 *    CPU per delivered frame (on 2 shared cores the absolute figures are contention-bound; CPU
 *    per frame is what carries over to sizing a deployment).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { FloorEvent } from '../../src/lib/domain/events';
import { createCodec, decodeHello, type Codec } from '../../src/lib/protocol/codec';
import type { ServerFrame } from '../../src/lib/protocol/frames';
import { cpuSeconds, percentile } from './process-stats';
import { spawnServer, type ServerProcess } from '../helpers/server-process';
import { startNats } from '../integration/helpers/nats';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SAMPLED = 50;
const RATE = 500;
const WARMUP_MS = 2000;
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const QUEUE = 'bench';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let idCounter = 0;
const queued = (ts: number): FloorEvent => ({ type: 'contact.queued', id: `cb${process.pid}-${++idCounter}`, ts, contact: `cbc-${idCounter}`, queue: QUEUE, channel: 'voice' });

async function post(s: ServerProcess, events: FloorEvent[]): Promise<number> {
	const res = await fetch(`${s.url}/api/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.ingest}` },
		body: JSON.stringify(events)
	});
	await res.arrayBuffer();
	return res.status;
}

async function ingest(s: ServerProcess, ms: number): Promise<number> {
	let acked = 0;
	const end = Date.now() + ms;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			while (Date.now() < end) {
				const events = Array.from({ length: 100 }, () => queued(Date.now()));
				if ((await post(s, events)) === 202) acked += 100;
			}
		})
	);
	return acked / (ms / 1000);
}

/** Offered count of the bench queue in a frame, or null. */
function offeredIn(frame: ServerFrame): number | null {
	const rows = frame.type === 'delta' ? (frame.changes.queues ?? []) : frame.type === 'snapshot' ? frame.floor.queues : [];
	return rows.find((q) => q.id === QUEUE)?.today.offered ?? null;
}

interface EndToEnd {
	readonly p50: number;
	readonly p99: number;
	readonly frames: number;
	readonly cpu: Record<string, number>;
}

/** Producer → `writer`; `CLIENTS` wallboards on `reader`; CPU of each named process over the window. */
async function endToEnd(writer: ServerProcess, reader: ServerProcess, pids: Record<string, number>): Promise<EndToEnd> {
	const sendTimes: number[] = [];
	const latencies: number[] = [];
	let measuring = false;
	let measureFrom = 0;
	let frames = 0;
	let base = -1;
	const sockets: WebSocket[] = [];
	for (let i = 0; i < CLIENTS; i++) {
		const sampled = i < SAMPLED;
		const client = { codec: null as Codec | null, delivered: -1 };
		const ws = new WebSocket(`${reader.url.replace('http', 'ws')}/live?board=default`, { perMessageDeflate: false });
		ws.binaryType = 'nodebuffer';
		sockets.push(ws);
		ws.on('message', (data: Buffer) => {
			if (measuring) frames++;
			if (!sampled) return;
			const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			if (!client.codec) {
				client.codec = createCodec(decodeHello(bytes).structures);
				return;
			}
			const offered = offeredIn(client.codec.decode(bytes) as ServerFrame);
			if (offered === null) return;
			if (base < 0) base = offered;
			const reached = offered - base;
			const now = Date.now();
			if (client.delivered >= 0) for (let k = client.delivered; k < reached; k++) if (measuring && k >= measureFrom && sendTimes[k] !== undefined) latencies.push(now - sendTimes[k]!);
			client.delivered = Math.max(client.delivered, reached);
		});
		await new Promise<void>((r) => {
			ws.once('open', () => r());
			ws.once('error', () => r());
		});
	}
	await sleep(500);
	let pending: FloorEvent[] = [];
	let running = true;
	const tick = setInterval(() => {
		const now = Date.now();
		for (let i = 0; i < RATE / 100; i++) {
			sendTimes.push(now);
			pending.push(queued(now));
		}
	}, 10);
	const producer = (async () => {
		while (running) {
			if (!pending.length) {
				await sleep(1);
				continue;
			}
			const batch = pending;
			pending = [];
			await post(writer, batch);
		}
	})();
	await sleep(WARMUP_MS);
	measureFrom = sendTimes.length;
	const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
	measuring = true;
	await sleep(MEASURE_MS);
	const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) - cpu0[k]!]));
	clearInterval(tick);
	await sleep(500);
	measuring = false;
	running = false;
	await producer;
	for (const s of sockets) s.terminate();
	latencies.sort((a, b) => a - b);
	return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), frames, cpu };
}

async function main(): Promise<void> {
	const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });
	console.log(`Sightline cluster benchmark — ${CLIENTS} wallboards, ${RATE} events/s, ${MEASURE_MS / 1000} s windows`);
	const dirs: string[] = [];
	const dir = () => {
		const d = mkdtempSync(join(tmpdir(), 'sightline-cluster-bench-'));
		dirs.push(d);
		return d;
	};
	const nats = await startNats();
	try {
		const embedded = await spawnServer(['ingest', '--port', '0', '--data', dir()]);
		const a = await spawnServer(['ingest', '--port', '0', '--data', dir(), '--nats', nats.url]);
		const b = await spawnServer(['ingest', '--port', '0', '--data', dir(), '--nats', nats.url]);

		console.log('\nIngest, batches of 100 from 8 producers, 5 s:');
		const e1 = await ingest(embedded, 5000);
		const c1 = await ingest(a, 5000);
		console.log(`  embedded (202 after the SQLite commit):   ${fmt(e1, 0)} events/s`);
		console.log(`  cluster  (202 after JetStream's ack):     ${fmt(c1, 0)} events/s  (${fmt(c1 / e1, 2)}×)`);

		console.log('\nEnd to end (event created at the producer → delta at a wallboard, incl. the 50 ms flush window):');
		const one = await endToEnd(embedded, embedded, { embedded: embedded.proc.pid! });
		const two = await endToEnd(a, b, { 'instance A (ingest)': a.proc.pid!, 'instance B (walls)': b.proc.pid!, 'nats-server': nats.pid });
		const row = (name: string, r: EndToEnd) =>
			`  ${name.padEnd(34)} p50 ${fmt(r.p50, 0).padStart(4)} ms   p99 ${fmt(r.p99, 0).padStart(4)} ms   frames ${fmt(r.frames, 0).padStart(7)}`;
		console.log(row('embedded, one instance', one));
		console.log(row('cluster, producer→A, walls on B', two));
		console.log('\nCPU per delivered frame (process CPU in the window / frames delivered to walls):');
		for (const [k, v] of Object.entries(one.cpu)) console.log(`  embedded: ${k.padEnd(22)} ${fmt(v, 2)} s = ${fmt((v / one.frames) * 1e6, 1)} µs/frame`);
		for (const [k, v] of Object.entries(two.cpu)) console.log(`  cluster:  ${k.padEnd(22)} ${fmt(v, 2)} s = ${fmt((v / two.frames) * 1e6, 1)} µs/frame`);
		const bCpu = two.cpu['instance B (walls)']!;
		console.log(
			`\nRatios (cluster / embedded): p50 ${fmt(two.p50 / one.p50, 2)}×, p99 ${fmt(two.p99 / one.p99, 2)}×, wall instance CPU per frame ${fmt(bCpu / two.frames / (one.cpu.embedded! / one.frames), 2)}×`
		);
		for (const s of [embedded, a, b]) await s.kill('SIGKILL');
	} finally {
		await nats.dispose();
		for (const d of dirs) rmSync(d, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(e: unknown) => {
		console.error(e);
		process.exit(1);
	}
);
