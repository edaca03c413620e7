/**
 * The benchmark's baseline: the same floor and board projection as the real server, fanned out
 * the plain way — node:http for ingest, the `ws` package for sockets, JSON.stringify per tick and
 * `ws.send` of the string to every client. Nothing is stored (the real server fsyncs each commit),
 * so the comparison favours the baseline. Prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { BoardProjector } from '../../src/lib/domain/board';
import { DEFAULT_BOARD } from '../../src/lib/domain/board-config';
import { validateBatch } from '../../src/lib/domain/events';
import { DEFAULT_FLOOR_CONFIG, Floor } from '../../src/lib/domain/floor';
import { isEmptyChanges } from '../../src/lib/domain/views';

const flushMs = Number(process.argv[2] ?? 50);
const floor = new Floor({ ...DEFAULT_FLOOR_CONFIG, timeZone: 'UTC' }, Date.now());
const projector = new BoardProjector(DEFAULT_BOARD);
let seq = 0;

const http = createServer((req, res) => {
	if (req.method !== 'POST' || req.url !== '/api/events') {
		res.writeHead(404).end();
		return;
	}
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		let v;
		try {
			v = validateBatch(JSON.parse(Buffer.concat(chunks).toString('utf8')));
		} catch {
			res.writeHead(400).end();
			return;
		}
		if (!v.ok) {
			res.writeHead(400).end(JSON.stringify(v.errors));
			return;
		}
		for (const e of v.value) floor.apply(e);
		res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: v.value.length }));
	});
});

const wss = new WebSocketServer({ server: http, path: '/live', perMessageDeflate: false });
wss.on('connection', (ws: WebSocket) => {
	ws.send(JSON.stringify({ type: 'snapshot', seq, serverTime: Date.now(), floor: projector.view(floor) }));
});

setInterval(() => {
	const now = Date.now();
	floor.advance(now);
	const changes = projector.changes(floor);
	if (isEmptyChanges(changes)) return;
	seq++;
	const text = JSON.stringify({ type: 'delta', seq, serverTime: now, changes });
	for (const ws of wss.clients) ws.send(text);
}, flushMs);

http.listen(0, '127.0.0.1', () => {
	const addr = http.address();
	console.log(`listening ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
