import type { ApiErrorBody, BoardSaved, BoardsResponse, ConfigInput, ConfigResponse, ConfigSaved } from '../api/types';
import type { BoardConfig } from '../domain/board-config';

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

/** One refused field as the page shows it: "/thresholds/default/0/kpi: unknown KPI …". */
function errorLine(e: unknown): string {
	if (e && typeof e === 'object' && 'message' in e) {
		const { path, message } = e as { path?: unknown; message?: unknown };
		return path ? `${String(path)}: ${String(message)}` : String(message);
	}
	return typeof e === 'string' ? e : JSON.stringify(e);
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
			// The server's error shape; `message` too, for bodies from a proxy in front.
			const j = JSON.parse(text) as Partial<ApiErrorBody> & { message?: unknown };
			msg = String(j.message ?? j.error ?? msg);
			// A refused board or config names each bad field: show them, not only "invalid board config".
			if (Array.isArray(j.errors) && j.errors.length) msg += `: ${j.errors.slice(0, 5).map(errorLine).join('; ')}`;
		} catch {
			// Not JSON: keep the text.
		}
		throw new ApiError(res.status, `${res.status} ${msg}`.slice(0, 500));
	}
	return (text ? JSON.parse(text) : undefined) as T;
}

/** Every board. */
export async function listBoards(token?: string | null, f?: typeof fetch): Promise<BoardConfig[]> {
	return [...(await call<BoardsResponse>('GET', '/api/boards', undefined, token, f)).boards];
}

/** Saves a board (admin); the answer is the board as saved and its new version. */
export async function putBoard(board: BoardConfig, token: string, f?: typeof fetch): Promise<BoardSaved> {
	return call<BoardSaved>('PUT', `/api/boards/${encodeURIComponent(board.id)}`, board, token, f);
}

/** The center configuration: clock settings and every queue with its SL settings. */
export async function getConfig(token?: string | null, f?: typeof fetch): Promise<ConfigResponse> {
	return call<ConfigResponse>('GET', '/api/config', undefined, token, f);
}

/** Changes the center configuration (admin); names only what changes. */
export async function putConfig(config: ConfigInput, token: string, f?: typeof fetch): Promise<ConfigSaved> {
	return call<ConfigSaved>('PUT', '/api/config', config, token, f);
}
