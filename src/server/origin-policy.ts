import { isLoopback } from './auth';

/**
 * Which browsers and host names the server answers. A page on another origin must not read the
 * floor through a viewer's browser (`/live` has no token on loopback), and a DNS-rebound name must
 * not reach the API of a loopback server. So:
 * - WebSocket upgrades that carry an `Origin` (browsers always do) are accepted from the server's
 *   own origin (the scheme and the `Host` the request came to) and from origins configured with
 *   `--origin`; requests without `Origin` (producers, scripts) are not browsers and pass.
 * - On a loopback address, `Host` must be one of the server's own names (127.0.0.1, localhost,
 *   [::1] with its port) or the host of a configured origin. Off loopback, names are not known in
 *   advance and every call needs a token anyway, so `Host` is not checked.
 */
export class OriginPolicy {
	#port = 0;
	readonly #origins: ReadonlySet<string>;
	readonly #loopback: boolean;

	constructor(
		listenHost: string,
		/** Extra allowed origins, `scheme://host[:port]` (a reverse proxy's public address). */
		origins: readonly string[] = []
	) {
		this.#loopback = isLoopback(listenHost);
		this.#origins = new Set(origins.map((o) => o.replace(/\/$/, '').toLowerCase()));
	}

	/** The port the server listens on (known after listen when 0 was asked). */
	setPort(port: number): void {
		this.#port = port;
	}

	/** Whether a request's Host header names this server. */
	hostAllowed(host: string): boolean {
		if (!this.#loopback || host === '') return true;
		const h = host.toLowerCase();
		const p = this.#port;
		if (h === `127.0.0.1:${p}` || h === `localhost:${p}` || h === `[::1]:${p}`) return true;
		for (const o of this.#origins) if (hostOf(o) === h) return true;
		return false;
	}

	/** Whether a WebSocket upgrade from `origin` ("" when absent) to `host` is accepted. */
	originAllowed(origin: string, host: string): boolean {
		if (origin === '') return true;
		const o = origin.toLowerCase();
		if (this.#origins.has(o)) return true;
		// Same origin: the page was served by this server under the name the socket now uses.
		return this.hostAllowed(host) && (o === `http://${host.toLowerCase()}` || o === `https://${host.toLowerCase()}`);
	}
}

/** `host[:port]` of an origin as a Host header would carry it. */
function hostOf(origin: string): string {
	try {
		return new URL(origin).host;
	} catch {
		return '';
	}
}
