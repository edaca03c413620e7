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
	us_listen_socket,
	us_socket_context_t
} from 'uWebSockets.js';

export type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, WebSocketBehavior, us_socket_context_t as UpgradeContext };

/** uWS `send` result codes: the message was buffered because of backpressure, or dropped. */
export const SEND_BACKPRESSURE = 0;
export const SEND_DROPPED = 2;

/** A plain (non-TLS) uWS app. */
export function createApp(): TemplatedApp {
	return uWS.App();
}

/** A listening app: its actual port (when 0 was asked) and a way to stop accepting. */
export interface Listening {
	readonly port: number;
	close(): void;
}

/** Listens on host:port (port 0 picks a free one); rejects naming the address when it is taken. */
export function listen(app: TemplatedApp, host: string, port: number): Promise<Listening> {
	return new Promise((resolve, reject) => {
		app.listen(host, port, (socket: us_listen_socket | false) => {
			if (!socket) {
				reject(new Error(`cannot listen on ${host}:${port} (address in use or not available)`));
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
