import { pack } from 'msgpackr';
import { bearerToken, type Auth } from './auth';
import { countRejected, decodeValue, refOf, validateDecoded, type BatchClock, type IngestReply } from './ingest';
import { CommitFailedError, type EventSink } from './intake';
import type { Metrics } from './metrics';
import type { OriginPolicy } from './origin-policy';
import { NO_COMPRESSION, type TemplatedApp, type WebSocket } from './uws';

/**
 * The `/ingest` WebSocket: producers send batches (`[...]` or `{ ref, events }`, text JSON or
 * binary msgpack) and get one reply per batch in the same encoding: `ack` once durable, `rejected`
 * with per-event errors, or `error`. Every frame is answered and nothing a frame holds can throw
 * out of the handler.
 */

/** Batches an ingest socket may have waiting for their commit; beyond that the producer must wait for acks. */
const INGEST_MAX_IN_FLIGHT = 64;

interface IngestSocketData {
	closed: boolean;
	inFlight: number;
}

/** What the ingest socket needs. */
export interface IngestSocketDeps {
	readonly auth: Auth;
	readonly policy: OriginPolicy;
	/** Where batches go: the intake, or the cluster's event stream (`--nats`). */
	readonly sink: EventSink;
	readonly metrics: Metrics;
	readonly maxFrameBytes: number;
	/** The clock events are checked against (server time and allowed skew). */
	readonly batchClock: () => BatchClock;
	readonly log: (line: string) => void;
}

/** Registers `/ingest` on the app. */
export function registerIngestSocket(app: TemplatedApp, deps: IngestSocketDeps): void {
	const { metrics, sink } = deps;
	let open = 0;
	metrics.ingestSockets = () => open;

	const reply = (ws: WebSocket<IngestSocketData>, isBinary: boolean, frame: IngestReply) => {
		if (ws.getUserData().closed) return;
		ws.cork(() => {
			ws.send(isBinary ? pack(frame) : JSON.stringify(frame), isBinary);
		});
	};

	const onMessage = (ws: WebSocket<IngestSocketData>, message: ArrayBuffer, isBinary: boolean) => {
		const data = ws.getUserData();
		const decoded = decodeValue(new Uint8Array(message), isBinary ? 'msgpack' : 'json');
		if ('error' in decoded) {
			countRejected(metrics, null);
			reply(ws, isBinary, { type: 'error', code: 'bad-frame', message: decoded.error });
			return;
		}
		const ref = refOf(decoded.value);
		const batch = validateDecoded(decoded.value, deps.batchClock());
		if (!batch.ok) {
			countRejected(metrics, batch);
			reply(ws, isBinary, { type: 'rejected', ref, error: batch.message, errors: batch.errors });
			return;
		}
		if (data.inFlight >= INGEST_MAX_IN_FLIGHT) {
			reply(ws, isBinary, { type: 'error', code: 'unavailable', message: `more than ${INGEST_MAX_IN_FLIGHT} batches awaiting acks; wait for acks` });
			return;
		}
		data.inFlight++;
		sink.submit(batch.events).then(
			(r) => {
				data.inFlight--;
				reply(ws, isBinary, { type: 'ack', ref, accepted: r.accepted, duplicates: r.duplicates, anomalies: r.anomalies, held: r.held });
			},
			(err: unknown) => {
				data.inFlight--;
				if (!(err instanceof CommitFailedError)) deps.log(`ingest: ${(err as Error)?.stack ?? String(err)}`);
				reply(ws, isBinary, { type: 'error', code: 'unavailable', message: err instanceof CommitFailedError ? err.message : 'internal error' });
			}
		);
	};

	app.ws<IngestSocketData>('/ingest', {
		compression: NO_COMPRESSION,
		maxPayloadLength: deps.maxFrameBytes,
		maxBackpressure: 1024 * 1024,
		closeOnBackpressureLimit: 1, // a boolean typed as number in these typings
		idleTimeout: 120,
		upgrade: (res, req, context) => {
			const key = req.getHeader('sec-websocket-key');
			const protocol = req.getHeader('sec-websocket-protocol');
			const extensions = req.getHeader('sec-websocket-extensions');
			const host = req.getHeader('host');
			if (!deps.policy.originAllowed(req.getHeader('origin'), host)) {
				metrics.originRefusals++;
				res.cork(() => res.writeStatus('403 Forbidden').end('origin not allowed', true));
				return;
			}
			// Browsers cannot set headers on a WebSocket, so ?token= is accepted here (and only here).
			const token = new URLSearchParams(req.getQuery() ?? '').get('token') || bearerToken(req.getHeader('authorization'));
			const check = deps.auth.check(token, 'ingest');
			if (!check.ok) {
				// Producers are programs and read the status, so refuse before upgrading.
				res.cork(() => res.writeStatus(check.status === 401 ? '401 Unauthorized' : '403 Forbidden').end(check.message, true));
				return;
			}
			res.upgrade<IngestSocketData>({ closed: false, inFlight: 0 }, key, protocol, extensions, context);
		},
		open: () => {
			open++;
		},
		message: (ws, message, isBinary) => {
			try {
				onMessage(ws, message, isBinary);
			} catch (err) {
				// Last line of defence: whatever a frame holds, the process keeps serving.
				deps.log(`ingest frame failed: ${(err as Error)?.stack ?? String(err)}`);
				countRejected(metrics, null);
				reply(ws, isBinary, { type: 'error', code: 'bad-frame', message: 'frame could not be processed' });
			}
		},
		close: (ws) => {
			ws.getUserData().closed = true;
			open--;
		}
	});
}
