/**
 * Polls `fn` until it holds, or fails naming `what` after `ms`: for what another process (a
 * cluster instance, NATS) reaches in its own time.
 */
export async function until(what: string, fn: () => Promise<boolean> | boolean, ms = 15_000, pollMs = 50): Promise<void> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await fn()) return;
		await new Promise((r) => setTimeout(r, pollMs));
	}
	throw new Error(`timed out waiting for ${what}`);
}
