import type { BoardConfig } from '../domain/views';

/**
 * The HTTP API as the browser uses it. Errors carry the server's message (never a stack), so
 * the admin page can show what was refused and why.
 */

/** localStorage key of the admin token. */
export const TOKEN_KEY = 'sightline.adminToken';

/** An API call that did not succeed. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

async function call<T>(method: string, path: string, body?: unknown, token?: string | null, f: typeof fetch = fetch): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (token) headers.authorization = `Bearer ${token}`;
	const res = await f(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	if (!res.ok) {
		let msg = text || res.statusText;
		try {
			const j = JSON.parse(text) as { error?: unknown; message?: unknown };
			msg = String(j.message ?? j.error ?? msg);
		} catch {
			// Not JSON: keep the text.
		}
		throw new ApiError(res.status, `${res.status} ${msg}`.slice(0, 500));
	}
	return (text ? JSON.parse(text) : undefined) as T;
}

/** Unwraps list answers that come either bare or under a key (`{boards: [...]}`). */
function unwrapList<T>(x: unknown, key: string): T[] {
	if (Array.isArray(x)) return x as T[];
	if (x && typeof x === 'object' && Array.isArray((x as Record<string, unknown>)[key])) return (x as Record<string, T[]>)[key]!;
	return [];
}

/** Every board. */
export async function listBoards(token?: string | null, f?: typeof fetch): Promise<BoardConfig[]> {
	return unwrapList<BoardConfig>(await call<unknown>('GET', '/api/boards', undefined, token, f), 'boards');
}

/** Saves a board (admin). */
export async function putBoard(board: BoardConfig, token: string, f?: typeof fetch): Promise<BoardConfig> {
	return call<BoardConfig>('PUT', `/api/boards/${encodeURIComponent(board.id)}`, board, token, f);
}

/** The center configuration (queues with their SL settings, and what else the server keeps). */
export async function getConfig(token?: string | null, f?: typeof fetch): Promise<Record<string, unknown>> {
	return call<Record<string, unknown>>('GET', '/api/config', undefined, token, f);
}

/** Saves the center configuration (admin). */
export async function putConfig(config: Record<string, unknown>, token: string, f?: typeof fetch): Promise<Record<string, unknown>> {
	return call<Record<string, unknown>>('PUT', '/api/config', config, token, f);
}
