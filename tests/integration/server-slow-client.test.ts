import { afterEach, describe, expect, it } from 'vitest';
import type { FloorEvent } from '../../src/lib/domain/events';
import type { DeltaFrame } from '../../src/lib/protocol/frames';
import { LiveClient } from './helpers/live-client';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

/**
 * Slow wallboards: a client that stops reading must cost the server bounded memory, go stale,
 * and get a snapshot when it reads again; past the hard limit it is closed. Traffic is many
 * agents with long names changing state every tick, so each delta is a few hundred kB and the
 * kernel's socket buffers fill within seconds.
 */

const AGENTS = 1500;
let t: TestServer | null = null;
afterEach(async () => {
	await t?.stop();
	t = null;
});

async function seedAgents(s: TestServer): Promise<void> {
	const batch: FloorEvent[] = [];
	for (let i = 0; i < AGENTS; i++) batch.push(ev.profile(`slow-${i}`, `Agent ${i} ${'n'.repeat(100)}`));
	await postEvents(s.url, s.tokens.ingest, batch);
}

/** Flips every agent's state every `ms` until stopped; every delta then carries every agent row. */
function churn(s: TestServer, ms = 60): () => Promise<void> {
	let on = true;
	let flip = false;
	const loop = (async () => {
		while (on) {
			flip = !flip;
			const batch = Array.from({ length: AGENTS }, (_, i) => ev.state(`slow-${i}`, flip ? 'available' : 'not-ready', Date.now(), flip ? undefined : 'break'));
			await postEvents(s.url, s.tokens.ingest, batch);
			await new Promise((r) => setTimeout(r, ms));
		}
	})();
	return async () => {
		on = false;
		await loop;
	};
}

describe('slow clients', () => {
	it('go stale over the soft limit with bounded buffers, then get a snapshot on drain; others keep getting deltas', async () => {
		const softLimit = 512 * 1024;
		t = await startTestServer({ softLimitBytes: softLimit, hardLimitBytes: 64 * 1024 * 1024, flushMs: 50 });
		await seedAgents(t);
		const slow = await LiveClient.connect(t.url);
		const good = await LiveClient.connect(t.url);
		await slow.until(() => slow.ofType('snapshot').length === 1, 5000, 'snapshot');
		slow.ws.pause();
		const stop = churn(t);
		const rssBefore = process.memoryUsage().rss;
		let maxBuffered = 0;
		const sample = setInterval(() => (maxBuffered = Math.max(maxBuffered, t!.server.hub.bufferedBytes())), 20);
		try {
			const deadline = Date.now() + 30_000;
			while (t.server.metrics.clientsStale() < 1) {
				if (Date.now() > deadline) throw new Error('the paused client never went stale');
				await new Promise((r) => setTimeout(r, 50));
			}
			const bytesAtStale = t.server.metrics.bytesSent;
			const goodDeltas = good.ofType('delta').length;
			// Keep the traffic going while it is stale: the server must not buffer for it.
			await new Promise((r) => setTimeout(r, 2000));
			expect(t.server.metrics.clientsStale()).toBe(1);
			expect(good.ofType('delta').length).toBeGreaterThan(goodDeltas + 5);
			expect(t.server.metrics.bytesSent - bytesAtStale).toBeGreaterThan(2 * softLimit);
			const frameMax = Math.max(...good.ofType('delta').map((d) => JSON.stringify(d).length));
			expect(maxBuffered).toBeLessThan(softLimit + 2 * frameMax);
			expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
		} finally {
			clearInterval(sample);
			await stop();
		}
		const snapshotsBefore = slow.ofType('snapshot').length;
		slow.ws.resume();
		await slow.until(() => slow.ofType('snapshot').length > snapshotsBefore, 20_000, 'snapshot after drain');
		expect(t.server.metrics.clientsStale()).toBe(0);
		const snap = slow.ofType('snapshot').at(-1)!;
		expect(snap.floor.agents.length).toBe(AGENTS);
		await postEvents(t.url, t.tokens.ingest, [ev.state('slow-1', 'offline')]);
		await slow.until(() => slow.frames.at(-1)?.frame.type === 'delta', 5000, 'delta after the snapshot');
		expect((slow.last as DeltaFrame).seq).toBe(snap.seq + 1);
		slow.close();
		good.close();
	});

	it('are closed past the hard limit', async () => {
		// Deltas of ~200 kB against a 128 kB hard limit: once anything is buffered, the next delta cannot fit.
		t = await startTestServer({ softLimitBytes: 64 * 1024, hardLimitBytes: 128 * 1024, flushMs: 50 });
		await seedAgents(t);
		const slow = await LiveClient.connect(t.url);
		await slow.until(() => slow.ofType('snapshot').length === 1, 5000, 'snapshot');
		slow.ws.pause();
		const stop = churn(t, 20);
		try {
			const deadline = Date.now() + 30_000;
			while (t.server.metrics.slowClientsClosed < 1) {
				if (Date.now() > deadline) throw new Error('the paused client was never closed');
				await new Promise((r) => setTimeout(r, 50));
			}
		} finally {
			await stop();
		}
		expect(t.server.metrics.clientsConnected()).toBe(0);
		slow.ws.resume();
		await slow.until(() => slow.closeCode !== null, 10_000, 'close seen by the client');
		slow.close();
	});
});
