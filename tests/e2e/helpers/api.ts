import type { BoardConfig } from '../../../src/lib/domain/board-config';

/** Admin API calls the tests make (the same endpoints the admin page uses). */
export async function getBoard(url: string, id: string): Promise<BoardConfig> {
	const r = await fetch(`${url}/api/boards/${id}`);
	if (!r.ok) throw new Error(`GET board ${id}: ${r.status} ${await r.text()}`);
	const body = (await r.json()) as BoardConfig | { board: BoardConfig };
	return 'board' in body ? body.board : body;
}

/** Saves a board with the admin token. */
export async function putBoard(url: string, token: string, board: BoardConfig): Promise<void> {
	const r = await fetch(`${url}/api/boards/${board.id}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(board)
	});
	if (!r.ok) throw new Error(`PUT board ${board.id}: ${r.status} ${await r.text()}`);
}
