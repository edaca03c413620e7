import { listBoards } from './api';
import { nextBoard } from './wall-params';

/**
 * Cycles the wall through every board: every `seconds`, asks the server for the current board
 * list (so a board added meanwhile joins the cycle) and calls `go` with the next one. If the
 * server is away it stays and tries again next period. Returns a stop function.
 */
export function startRotation(current: string, seconds: number, go: (board: string) => void, token?: string | null): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout>;
	const tick = async () => {
		try {
			const ids = (await listBoards(token)).map((b) => b.id);
			const next = nextBoard(ids, current);
			if (!stopped && next && next !== current) {
				go(next);
				return;
			}
		} catch {
			// Server away: stay on this board; the freshness badge already says so.
		}
		if (!stopped) timer = setTimeout(tick, seconds * 1000);
	};
	timer = setTimeout(tick, seconds * 1000);
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
