import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev, postEvents, startTestServer, type TestServer } from './helpers/server';

/** Static app serving, health and metrics, over a small fake build directory. */
const build = mkdtempSync(join(tmpdir(), 'sightline-build-'));
let t: TestServer;
beforeAll(async () => {
	mkdirSync(join(build, '_app/immutable/entry'), { recursive: true });
	writeFileSync(join(build, 'index.html'), '<!doctype html><title>Sightline</title>');
	writeFileSync(join(build, '_app/immutable/entry/start.abc123.js'), 'export const x = 1;');
	writeFileSync(join(build, '_app/version.json'), '{"version":"1"}');
	t = await startTestServer({ staticDir: build });
});
afterAll(async () => {
	await t?.stop();
	rmSync(build, { recursive: true, force: true });
});

describe('HTTP', () => {
	it('serves the app with content types, immutable caching for hashed assets, and the SPA fallback', async () => {
		const asset = await fetch(`${t.url}/_app/immutable/entry/start.abc123.js`);
		expect(asset.status).toBe(200);
		expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
		expect(asset.headers.get('cache-control')).toContain('immutable');
		const wall = await fetch(`${t.url}/wall/default`);
		expect(wall.status).toBe(200);
		expect(wall.headers.get('content-type')).toMatch(/^text\/html/);
		expect(wall.headers.get('cache-control')).toBe('no-cache');
		expect(await wall.text()).toContain('<title>Sightline</title>');
		const again = await fetch(`${t.url}/`, { headers: { 'if-none-match': wall.headers.get('etag')! } });
		expect(again.status).toBe(304);
		expect((await fetch(`${t.url}/_app/immutable/entry/missing.js`)).status).toBe(404);
		const api = await fetch(`${t.url}/api/nothing-here`);
		expect(api.status).toBe(404);
		expect(((await api.json()) as { error: string }).error).toContain('/api/nothing-here');
		expect((await fetch(`${t.url}/wall/default`, { method: 'DELETE' })).status).toBe(405);
	});

	it('reports health and Prometheus metrics that move with traffic', async () => {
		const health = (await (await fetch(`${t.url}/healthz`)).json()) as { status: string };
		expect(health.status).toBe('ok');
		await postEvents(t.url, t.tokens.ingest, [ev.queued('m1', 'metrics-q')]);
		await postEvents(t.url, t.tokens.ingest, [{ type: 'nope' }]);
		const text = await (await fetch(`${t.url}/metrics`)).text();
		const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
		expect(value('sightline_events_accepted_total')).toBe(1);
		expect(value('sightline_events_rejected_total')).toBe(1);
		expect(value('sightline_store_commit_seconds_count')).toBe(1);
		expect(value('sightline_clients_connected')).toBe(0);
		expect(value('sightline_tick_duration_seconds_count')).toBeGreaterThan(0);
		expect(text).toContain('# TYPE sightline_store_commit_seconds histogram');
	});
});
