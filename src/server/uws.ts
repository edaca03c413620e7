/**
 * The one module that imports uWebSockets.js, so the transport can be swapped (or its fallback
 * used) without touching the rest of the server. Everything else imports these re-exported types.
 */
import uWS from 'uWebSockets.js';
import type {
	HttpRequest,
	HttpResponse,
	TemplatedApp,
	WebSocket,
	WebSocketBehavior,
	us_listen_socket
} from 'uWebSockets.js';

export type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, WebSocketBehavior };

/** uWS `send` result code: the message was dropped (over uWS's own backpressure cap). */
export const SEND_DROPPED = 2;

/** uSockets' LIBUS_LISTEN_EXCLUSIVE_PORT (exported at runtime; the typings declare it only as an enum). */
const LISTEN_EXCLUSIVE_PORT = (uWS as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: number }).LIBUS_LISTEN_EXCLUSIVE_PORT;

// No `uWebSockets: 20` banner on responses: the server names no software to a prober.
uWS._cfg('silent');

/** A plain (non-TLS) uWS app. */
export function createApp(): TemplatedApp {
	return uWS.App();
}

/** A listening app: its actual port (when 0 was asked) and a way to stop accepting. */
export interface Listening {
	readonly port: number;
	close(): void;
}

/**
 * Listens on host:port (port 0 picks a free one), exclusively: uWS otherwise listens with port
 * reuse, and a second server on the same port would silently share its requests. Rejects naming
 * the address when it is taken.
 */
export function listen(app: TemplatedApp, host: string, port: number): Promise<Listening> {
	return new Promise((resolve, reject) => {
		// The (host, port, options, cb) form exists natively; the typings only list (port, options, cb).
		const listenWith = app.listen as unknown as (h: string, p: number, o: number, cb: (s: us_listen_socket | false) => void) => void;
		listenWith.call(app, host, port, LISTEN_EXCLUSIVE_PORT, (socket) => {
			if (!socket) {
				reject(new Error(`cannot listen on ${host}:${port}: the address is in use (is another Sightline running?) or not available here`));
				return;
			}
			let open = true;
			resolve({
				port: uWS.us_socket_local_port(socket as never),
				close() {
					if (open) uWS.us_listen_socket_close(socket);
					open = false;
				}
			});
		});
	});
}

/** The uWS compression option that turns permessage-deflate off (frames are small msgpack). */
export const NO_COMPRESSION = uWS.DISABLED;

/** Closes the listen socket and every open connection of `app` (uWS ≥ 20.30 has `App.close`). */
export function closeApp(app: TemplatedApp): void {
	(app as unknown as { close?: () => void }).close?.();
}
