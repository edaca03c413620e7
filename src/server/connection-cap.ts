import type { HttpResponse, TemplatedApp, WebSocket, WebSocketBehavior } from './uws';

/**
 * A cap on the WebSocket connections (`/live`, `/ingest`) one client address may hold open. An
 * upgrade past the cap is answered `429 Too Many Requests` before it becomes a socket, so one
 * host cannot take every file descriptor. 0 turns the cap off. Behind a reverse proxy every client
 * has the proxy's address: the cap then bounds the proxy's total (README, "Behind a reverse proxy").
 */
export class ConnectionCap {
	readonly #open = new Map<string, number>();
	/** Upgrades refused for being over the cap. */
	refusals = 0;

	constructor(readonly perAddress: number) {}

	/** Connections open now from `address`. */
	openFrom(address: string): number {
		return this.#open.get(address) ?? 0;
	}

	/** Whether one more connection from `address` is allowed. */
	admits(address: string): boolean {
		return this.perAddress <= 0 || this.openFrom(address) < this.perAddress;
	}

	/** Counts an opened connection. */
	opened(address: string): void {
		this.#open.set(address, this.openFrom(address) + 1);
	}

	/** Counts a closed connection (addresses with none left are forgotten, so the map stays small). */
	closed(address: string): void {
		const n = this.openFrom(address) - 1;
		if (n > 0) this.#open.set(address, n);
		else this.#open.delete(address);
	}

	/**
	 * The app as the socket modules see it: `ws()` registrations go through the cap (the upgrade is
	 * refused past it; open and close are counted). HTTP routes are untouched.
	 */
	guard(app: TemplatedApp): TemplatedApp {
		const ws = <T>(pattern: string, behavior: WebSocketBehavior<T>): TemplatedApp => {
			app.ws<T & CappedData>(pattern, this.#wrap(behavior));
			return guarded;
		};
		// Native methods (publish, numSubscribers…) must run with the app itself as `this`: uWS reads
		// its internal fields from it, and a Proxy has none (a fatal V8 error, not an exception).
		const guarded = new Proxy(app, {
			get: (target, key) => {
				if (key === 'ws') return ws;
				const v: unknown = Reflect.get(target, key, target);
				return typeof v === 'function' ? v.bind(target) : v;
			}
		});
		return guarded;
	}

	#wrap<T>(b: WebSocketBehavior<T>): WebSocketBehavior<T & CappedData> {
		const upgrade = b.upgrade;
		return {
			...(b as WebSocketBehavior<T & CappedData>),
			upgrade: (res, req, context) => {
				const address = remoteAddress(res);
				if (!this.admits(address)) {
					this.refusals++;
					res.cork(() =>
						res
							.writeStatus('429 Too Many Requests')
							.writeHeader('Retry-After', '10')
							.writeHeader('X-Content-Type-Options', 'nosniff')
							.end(`too many connections from this address (at most ${this.perAddress}); see --max-connections-per-address`, true)
					);
					return;
				}
				// The address goes along in the socket's data through the behaviour's own upgrade.
				const upgradeAs = res.upgrade.bind(res);
				(res as { upgrade: HttpResponse['upgrade'] }).upgrade = (data, ...rest) => upgradeAs(Object.assign(data as object, { capAddress: address }), ...rest);
				if (upgrade) upgrade(res, req, context);
				else res.upgrade({}, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
			},
			open: (ws) => {
				// uWS calls open synchronously inside res.upgrade, so the check above and this count cannot interleave.
				this.opened(ws.getUserData().capAddress);
				b.open?.(ws as WebSocket<T>);
			},
			close: (ws, code, message) => {
				this.closed(ws.getUserData().capAddress);
				b.close?.(ws as WebSocket<T>, code, message);
			}
		};
	}
}

/** What the cap keeps in each socket's user data. */
interface CappedData {
	capAddress: string;
}

/** The peer address as text (IPv4 dotted, IPv6 in full); read synchronously in the upgrade handler. */
function remoteAddress(res: HttpResponse): string {
	return Buffer.from(res.getRemoteAddressAsText()).toString('latin1');
}
