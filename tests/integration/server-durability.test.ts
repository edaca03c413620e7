import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/server';
import { DB_FILE } from '../../src/server/store';
import { exited, spawnServer } from '../helpers/server-process';
import { ev, postEvents } from './helpers/server';

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-kill-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('durability', () => {
	it('keeps every acknowledged event through kill -9 during ingest, and rebuilds today\'s floor on restart', async () => {
		const child = await spawnServer(['ingest', '--port', '0', '--data', dataDir]);
		const token = child.tokens.ingest!;
		expect(token).toBeTruthy();
		const acked: string[] = [];
		let firstAcked: unknown = null;
		let stop = false;
		let n = 0;
		// Eight producers posting small batches as fast as acks come back, until the process dies under them.
		const producers = Array.from({ length: 8 }, async (_, p) => {
			while (!stop) {
				const batch = Array.from({ length: 10 }, () => ev.queued(`k-${p}-${n++}`, 'durable'));
				try {
					const r = await postEvents(child.url, token, batch);
					if (r.status === 202) {
						firstAcked ??= batch[0];
						acked.push(...batch.map((e) => (e as { contact: string }).contact));
					}
				} catch {
					return; // connection reset by the kill
				}
			}
		});
		await new Promise((r) => setTimeout(r, 1500));
		child.proc.kill('SIGKILL');
		stop = true;
		await Promise.all(producers);
		await exited(child.proc);
		expect(child.proc.signalCode).toBe('SIGKILL');
		expect(acked.length).toBeGreaterThan(100);

		const db = new Database(join(dataDir, DB_FILE), { readonly: true });
		const stored = new Set((db.prepare("SELECT json_extract(body, '$.contact') c FROM events").all() as { c: string }[]).map((r) => r.c));
		db.close();
		const lost = acked.filter((c) => !stored.has(c));
		expect(lost).toEqual([]);

		const restarted = await startServer({ dataDir, host: '127.0.0.1', port: 0, source: { kind: 'none' }, log: () => {} });
		try {
			const waiting = restarted.floor.queues.get('durable')!.waiting;
			expect(acked.filter((c) => !waiting.has(c))).toEqual([]);
			expect(waiting.size).toBe(stored.size);
			// A producer retrying a batch acknowledged before the crash gets it counted as duplicates.
			const retry = await postEvents(restarted.url, token, [firstAcked]);
			expect(retry.body).toEqual({ accepted: 0, duplicates: 1, anomalies: 0, held: 0 });
		} finally {
			await restarted.close();
		}
	});
});
