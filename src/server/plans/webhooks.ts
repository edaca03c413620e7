import { createHmac, randomBytes } from 'node:crypto';
import type { Webhook } from './plan-store';

/**
 * Outbound webhooks: each published live plan is POSTed as JSON to every configured URL, signed
 * with HMAC-SHA256 of `<timestamp>.<body>` under the hook's shared secret, retried with
 * exponential backoff on failure, and every attempt reported (for the audit log).
 *
 * Headers: `X-Sightline-Event`, `X-Sightline-Delivery` (id, the same on retries),
 * `X-Sightline-Timestamp` (epoch ms), `X-Sightline-Signature: sha256=<hex>`.
 */

/** One delivery attempt's outcome. */
export interface DeliveryAttempt {
	readonly delivery: string;
	readonly url: string;
	readonly attempt: number;
	readonly ok: boolean;
	/** HTTP status, or null when no answer came (refused, timeout). */
	readonly status: number | null;
	readonly error?: string;
}

/** Retry settings. */
export interface RetryPolicy {
	readonly attempts: number;
	/** Wait before the 2nd attempt, ms; doubled after each failure. */
	readonly firstDelayMs: number;
	readonly timeoutMs: number;
}

/** Default: 5 attempts, 1 s, 2 s, 4 s, 8 s apart, 10 s per attempt. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 1000, timeoutMs: 10_000 };

/** The signature header value of a body. */
export function signature(secret: string, timestamp: number, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Delivers `payload` to every hook; resolves when each has succeeded or run out of attempts. */
export async function deliver(
	hooks: readonly Webhook[],
	event: string,
	payload: unknown,
	onAttempt: (a: DeliveryAttempt) => void,
	retry: RetryPolicy = DEFAULT_RETRY
): Promise<void> {
	const body = JSON.stringify({ event, data: payload });
	await Promise.all(
		hooks.map(async (hook) => {
			const delivery = randomBytes(8).toString('hex');
			let delay = retry.firstDelayMs;
			for (let attempt = 1; attempt <= retry.attempts; attempt++) {
				const ts = Date.now();
				let status: number | null = null;
				let error: string | undefined;
				try {
					const res = await fetch(hook.url, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							'x-sightline-event': event,
							'x-sightline-delivery': delivery,
							'x-sightline-timestamp': String(ts),
							'x-sightline-signature': signature(hook.secret, ts, body)
						},
						body,
						signal: AbortSignal.timeout(retry.timeoutMs)
					});
					status = res.status;
					await res.arrayBuffer().catch(() => undefined);
				} catch (e) {
					error = ((e as Error).message ?? String(e)).slice(0, 200);
				}
				const ok = status !== null && status >= 200 && status < 300;
				onAttempt({ delivery, url: hook.url, attempt, ok, status, ...(error ? { error } : {}) });
				if (ok) return;
				if (attempt < retry.attempts) await new Promise((r) => setTimeout(r, delay));
				delay *= 2;
			}
		})
	);
}
