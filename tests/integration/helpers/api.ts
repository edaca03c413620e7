/** A server a test talks to over HTTP: its address and the tokens made on its first start. */
export interface ApiTarget {
	readonly url: string;
	readonly tokens: Readonly<Record<string, string>>;
}

/**
 * A request with a token (the server's bootstrap admin's unless given): a string body goes as CSV,
 * anything else as JSON; the answer's body parsed when it is JSON, else its text.
 */
export async function call(s: ApiTarget, method: string, path: string, body?: unknown, token = s.tokens.admin): Promise<{ status: number; body: any }> {
	const res = await fetch(`${s.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : typeof body === 'string' ? { 'content-type': 'text/csv' } : { 'content-type': 'application/json' }) },
		...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
	});
	const text = await res.text();
	try {
		return { status: res.status, body: JSON.parse(text) };
	} catch {
		return { status: res.status, body: text };
	}
}
