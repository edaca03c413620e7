import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../../src/server/server';
import type { FloorEvent } from '../../../src/lib/domain/events';

/** A server on 127.0.0.1, a free port and a fresh temp data dir, started in this process. */
export interface TestServer {
	readonly server: RunningServer;
	readonly url: string;
	readonly dataDir: string;
	readonly tokens: Readonly<Record<'viewer' | 'supervisor' | 'admin' | 'ingest', string>>;
	/** Closes the server and removes the data dir (unless `keep`). */
	stop(keep?: boolean): Promise<void>;
}

/** Starts a test server; `options` override the test defaults (no source, 127.0.0.1, port 0). */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sightline-test-'));
	const server = await startServer({ host: '127.0.0.1', port: 0, staticDir: 'build', source: { kind: 'none' }, log: () => {}, ...options, dataDir });
	if (!server.createdTokens) throw new Error('test servers expect a fresh data dir (tokens are only known when created)');
	return {
		server,
		url: server.url,
		dataDir,
		tokens: server.createdTokens,
		async stop(keep = false) {
			await server.close();
			if (!keep) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** POSTs a batch as JSON (or raw bytes with a content type); returns status and parsed body. */
export async function postEvents(
	url: string,
	token: string | null,
	body: unknown,
	contentType = 'application/json'
): Promise<{ status: number; body: any }> {
	const headers: Record<string, string> = { 'content-type': contentType };
	if (token) headers.authorization = `Bearer ${token}`;
	const res = await fetch(`${url}/api/events`, {
		method: 'POST',
		headers,
		body: body instanceof Uint8Array || typeof body === 'string' ? (body as BodyInit) : JSON.stringify(body)
	});
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON; the raw text is returned
	}
	return { status: res.status, body: parsed };
}

let counter = 0;
/** Builders of valid events with unique ids. */
export const ev = {
	queued: (contact: string, queue = 'billing', ts = Date.now(), channel: 'voice' | 'chat' = 'voice'): FloorEvent => ({
		type: 'contact.queued',
		id: `t${process.pid}-${++counter}`,
		ts,
		contact,
		queue,
		channel
	}),
	answered: (contact: string, agent: string, queue = 'billing', ts = Date.now()): FloorEvent => ({
		type: 'contact.answered',
		id: `t${process.pid}-${++counter}`,
		ts,
		contact,
		queue,
		agent
	}),
	profile: (agent: string, name = agent, ts = Date.now()): FloorEvent => ({
		type: 'agent.profile',
		id: `t${process.pid}-${++counter}`,
		ts,
		agent,
		name,
		team: 'test',
		skills: { billing: 1 },
		capacity: {}
	}),
	state: (agent: string, state: 'available' | 'not-ready' | 'offline', ts = Date.now(), reason?: string): FloorEvent => ({
		type: 'agent.state',
		id: `t${process.pid}-${++counter}`,
		ts,
		agent,
		state,
		...(reason ? { reason } : {})
	})
};
