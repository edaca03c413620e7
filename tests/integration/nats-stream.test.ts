import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import { messageId, NatsEventStream, siteToken, splitByKind, StreamUnavailableError, type StreamBatch } from '../../src/server/nats/event-stream';
import { startNats, type TestNats } from './helpers/nats';

/** The JetStream event stream against a real nats-server of the test's own. */

let nats: TestNats;
beforeAll(async () => {
	nats = await startNats();
});
afterAll(async () => {
	await nats?.dispose();
});

const queued = (n: number, ts = 1_000): FloorEvent => ({ type: 'contact.queued', id: `q${n}`, ts: ts + n, contact: `c${n}`, queue: 'billing', channel: 'voice' });
const state = (n: number): FloorEvent => ({ type: 'agent.state', id: `s${n}`, ts: 1_000 + n, agent: `a${n}`, state: 'available' });

/** Reads from the stream until `count` events arrived (or 5 s passed). */
async function readAll(s: NatsEventStream, start: Parameters<NatsEventStream['follow']>[0], count: number): Promise<StreamBatch[]> {
	const got: StreamBatch[] = [];
	let n = 0;
	let done!: () => void;
	const finished = new Promise<void>((r) => (done = r));
	const stop = await s.follow(
		start,
		async (b) => {
			got.push(b);
			n += b.events.length;
			if (n >= count) done();
		},
		(e) => {
			throw e;
		}
	);
	await Promise.race([finished, new Promise((r) => setTimeout(r, 5000))]);
	await stop();
	return got;
}

describe('NATS event stream', () => {
	it('splits a batch into runs of one kind, order kept, and names each run by its event ids', () => {
		const batch = [queued(1), queued(2), state(3), queued(4)];
		const runs = splitByKind(batch);
		expect(runs.map((r) => [r.kind, r.events.map((e) => e.id)])).toEqual([
			['contact', ['q1', 'q2']],
			['agent', ['s3']],
			['contact', ['q4']]
		]);
		expect(runs.map((r) => r.site)).toEqual(['main', 'main', 'main']);
		// A site change cuts a run too: each run goes to its site's subject.
		const ny = (e: FloorEvent): FloorEvent => ({ ...e, site: 'ny' });
		expect(splitByKind([queued(1), ny(queued(2)), ny(queued(3)), queued(4), ny(state(5))]).map((r) => [r.site, r.kind, r.events.map((e) => e.id)])).toEqual([
			['main', 'contact', ['q1']],
			['ny', 'contact', ['q2', 'q3']],
			['main', 'contact', ['q4']],
			['ny', 'agent', ['s5']]
		]);
		expect(siteToken('new-york_1')).toBe('new-york_1');
		expect(siteToken('a.b')).toMatch(/^=[A-Za-z0-9_-]{22}$/);
		expect(siteToken('a.b')).not.toBe(siteToken('a_b'));
		expect(siteToken('a.b')).not.toBe(siteToken('a b'));
		expect(messageId([queued(1), queued(2)])).toBe(messageId([queued(1), queued(2)]));
		expect(messageId([queued(1), queued(2)])).not.toBe(messageId([queued(2), queued(1)]));
	});

	it('stores published batches in order, drops a retried batch inside the duplicate window, and a follower reads them from any point', async () => {
		const s = await NatsEventStream.open({ url: nats.url, stream: 'T1', subjectPrefix: 't1' });
		const a = [queued(1), state(2), queued(3)];
		const b = [queued(4), queued(5)];
		expect(await s.publish(a)).toEqual({ duplicates: 0 });
		expect(await s.publish(b)).toEqual({ duplicates: 0 });
		// The producer retries b: JetStream drops it by message id.
		expect(await s.publish(b)).toEqual({ duplicates: 2 });
		expect(await s.lastSeq()).toBe(4); // three runs of a, one of b

		const all = await readAll(s, { afterSeq: 0 }, 5);
		expect(all.flatMap((x) => x.events.map((e) => e.id))).toEqual(['q1', 's2', 'q3', 'q4', 'q5']);
		expect(all.map((x) => x.seq)).toEqual([1, 2, 3, 4]);
		const tail = await readAll(s, { afterSeq: 3 }, 2);
		expect(tail.flatMap((x) => x.events.map((e) => e.id))).toEqual(['q4', 'q5']);
		await s.close();
	});

	it('publishes each site and kind on its own subject, and a follower reads every site in batch order', async () => {
		const s = await NatsEventStream.open({ url: nats.url, stream: 'T4', subjectPrefix: 't4' });
		const ny = (e: FloorEvent): FloorEvent => ({ ...e, site: 'ny' });
		await s.publish([queued(41), ny(queued(42)), ny(state(43)), queued(44)]);
		const { jetstreamManager } = await import('@nats-io/jetstream');
		const jsm = await jetstreamManager(s.connection);
		const subjects: string[] = [];
		for (let seq = 1; seq <= 4; seq++) subjects.push((await jsm.streams.getMessage('T4', { seq }))!.subject);
		expect(subjects).toEqual(['t4.main.contact', 't4.ny.contact', 't4.ny.agent', 't4.main.contact']);
		const all = await readAll(s, { afterSeq: 0 }, 4);
		expect(all.flatMap((x) => x.events.map((e) => [e.id, e.site ?? null]))).toEqual([
			['q41', null],
			['q42', 'ny'],
			['s43', 'ny'],
			['q44', null]
		]);
		await s.close();
	});

	it('refuses to publish at once while NATS is down, and resumes both publishing and following when it returns', async () => {
		const s = await NatsEventStream.open({ url: nats.url, stream: 'T2', subjectPrefix: 't2' });
		await s.publish([queued(10)]);
		const seen: string[] = [];
		const stop = await s.follow({ afterSeq: 0 }, async (b) => void seen.push(...b.events.map((e) => e.id)), () => undefined);
		const down = new Promise<void>((r) => s.onStatus((up) => !up && r()));
		await nats.stop();
		await down;
		await expect(s.publish([queued(11)])).rejects.toBeInstanceOf(StreamUnavailableError);
		const up = new Promise<void>((r) => s.onStatus((u) => u && r()));
		await nats.start();
		await up;
		await s.publish([queued(12)]);
		const deadline = Date.now() + 5000;
		while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		expect(seen).toEqual(['q10', 'q12']);
		await stop();
		await s.close();
	});

	it('names the URL when NATS is unreachable at start', async () => {
		await expect(NatsEventStream.open({ url: 'nats://127.0.0.1:1' })).rejects.toThrow(/NATS unreachable at nats:\/\/127\.0\.0\.1:1/);
	});
});

describe('shared config bucket', () => {
	it('hands a version put by one instance to the others (not back to itself), and a new instance gets the latest on start', async () => {
		const { SharedConfig, bucketKey } = await import('../../src/server/nats/shared-config');
		const s = await NatsEventStream.open({ url: nats.url, stream: 'T3', subjectPrefix: 't3' });
		const a = await SharedConfig.open(s.connection, 'instance-a', 'cfg-test');
		const b = await SharedConfig.open(s.connection, 'instance-b', 'cfg-test');
		const seenA: string[] = [];
		const seenB: string[] = [];
		await a.watch((v) => seenA.push(`${v.kind}/${v.key}@${v.version}`), (e) => { throw e; });
		await b.watch((v) => seenB.push(`${v.kind}/${v.key}@${v.version}`), (e) => { throw e; });
		await a.put({ kind: 'board', key: 'wall 1/ä', version: 2, ts: 1, actor: 'ann', body: { title: 'x' } });
		const deadline = Date.now() + 3000;
		while (!seenB.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
		expect(seenB).toEqual(['board/wall 1/ä@2']);
		expect(seenA).toEqual([]);
		const late = await SharedConfig.open(s.connection, 'instance-c', 'cfg-test');
		const seenC: string[] = [];
		await late.watch((v) => seenC.push(`${v.kind}/${v.key}@${v.version}`), (e) => { throw e; });
		expect(seenC).toEqual(['board/wall 1/ä@2']);
		expect(bucketKey('board', 'wall 1/ä')).toMatch(/^board\.[A-Za-z0-9_-]+$/);
		a.stop();
		b.stop();
		late.stop();
		await s.close();
	});
});
