import { readFileSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as importMain } from '../../src/cli/import';
import type { ServerProcess } from '../helpers/server-process';
import { call } from './helpers/api';
import { TestCluster } from './helpers/cluster';
import { startNats, type TestNats } from './helpers/nats';
import { sharedData } from './helpers/shared-data';
import { until } from './helpers/until';

/**
 * What an admin changes on one instance of a cluster either reaches every instance or is done
 * nowhere (two server processes on a real nats-server stopped and started by the test):
 * - board, floor config and token saves while NATS is down are refused with 503 and change
 *   nothing; once it is back they go through and reach the other instance (a token made or
 *   revoked on one works, or stops working, on the other);
 * - a day deleted on one instance while the same day is imported on the other ends the same on
 *   both, whichever comes first in the cluster log.
 */

let nats: TestNats;
const cluster = new TestCluster();
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
	nats = await startNats();
	a = await cluster.instance(nats.url, '--time-zone', 'UTC');
	b = await cluster.instance(nats.url, '--time-zone', 'UTC');
}, 120_000);
afterAll(async () => {
	await cluster.stop();
	await nats?.dispose();
});

const board = (name: string) => ({ name, queues: null, channels: null, slFormula: 'abandons-count-against', thresholds: { default: [], queues: {} } });
const ny = { id: 'ny', name: 'New York', timeZone: 'America/New_York', resetTime: '06:00' };
const sitesOf = async (s: ServerProcess) => ((await call(s, 'GET', '/api/config')).body.sites as { id: string }[]).map((x) => x.id);
const tokenNames = async (s: ServerProcess) => ((await call(s, 'GET', '/api/tokens')).body.tokens as { name: string; revoked?: number }[]).map((t) => `${t.name}${t.revoked ? ' (revoked)' : ''}`);
const UNREACHABLE = /^the other instances cannot be reached \(NATS is unreachable\): nothing was saved; retry when it is back$/;

describe('cluster: saves are shared or refused', () => {
	it('NATS stopped: board, floor config and token saves answer 503 and change nothing; when NATS is back they go through and reach the other instance', async () => {
		const boardsBefore = (await call(a, 'GET', '/api/boards')).body;
		const configBefore = (await call(a, 'GET', '/api/config')).body;
		const tokensBefore = await tokenNames(a);
		await nats.stop();
		// The instance notices the lost connection within moments; until then a save still goes out (and is shared on reconnect).
		let refused: { status: number; body: any } | null = null;
		let listed: unknown = null;
		await until(
			'a refuses a board save',
			async () => {
				listed = (await call(a, 'GET', '/api/boards')).body;
				const r = await call(a, 'PUT', '/api/boards/while-down', board('While NATS is down'));
				if (r.status === 200) return false;
				refused = r;
				return true;
			},
			10_000
		);
		expect(refused!.status).toBe(503);
		expect(refused!.body.error).toMatch(UNREACHABLE);
		expect((await call(a, 'GET', '/api/boards')).body).toEqual(listed);
		// An invalid board is still told what is wrong with it.
		const bad = await call(a, 'PUT', '/api/boards/while-down', { ...board('x'), slFormula: 'nonsense' });
		expect(bad.status).toBe(400);

		const config = await call(a, 'PUT', '/api/config', { sites: [ny] });
		expect(config.status).toBe(503);
		expect(config.body.error).toMatch(UNREACHABLE);
		expect((await call(a, 'GET', '/api/config')).body).toEqual(configBefore);

		const token = await call(a, 'POST', '/api/tokens', { name: 'Down Dana', role: 'admin' });
		expect(token.status).toBe(503);
		expect(token.body.error).toMatch(UNREACHABLE);
		expect(await tokenNames(a)).toEqual(tokensBefore);
		const audit = (await call(a, 'GET', '/api/audit')).body.audit as { action: string }[];
		expect(audit.filter((l) => l.action === 'token.create')).toHaveLength(0);

		await nats.start();
		await until('a saves boards again', async () => (await call(a, 'PUT', '/api/boards/after', board('After NATS returned'))).status === 200, 20_000);
		await until('the board on b', async () => (await call(b, 'GET', '/api/boards/after')).status === 200, 10_000);
		expect((await call(b, 'GET', '/api/boards/after')).body.name).toBe('After NATS returned');
		// The refused board is nowhere, unless a save slipped out before a noticed (then it is on both).
		expect((await call(b, 'GET', '/api/boards/while-down')).status).toBe((await call(a, 'GET', '/api/boards/while-down')).status);
		expect(boardsBefore.boards.some((x: { id: string }) => x.id === 'after')).toBe(false);

		expect((await call(a, 'PUT', '/api/config', { sites: [ny] })).status).toBe(200);
		await until('site ny on b', async () => (await sitesOf(b)).includes('ny'), 10_000);

		const made = await call(a, 'POST', '/api/tokens', { name: 'Back Bo', role: 'admin' });
		expect(made.status).toBe(201);
		await until('the token on b', async () => (await tokenNames(b)).includes('Back Bo'), 10_000);
		// It works on b, where it was not made; revoked on a, it stops working there too.
		expect((await call(b, 'GET', '/api/tokens', undefined, made.body.token)).status).toBe(200);
		expect((await call(a, 'DELETE', `/api/tokens/${made.body.record.id}`)).status).toBe(200);
		await until('the revocation on b', async () => (await call(b, 'GET', '/api/tokens', undefined, made.body.token)).status === 401, 10_000);
		expect(await tokenNames(b)).toContain('Back Bo (revoked)');
	}, 90_000);

	it('NATS stopped: a day delete answers 503 and the day stays', async () => {
		const csv = readFileSync(sharedData('anonymous-bank-1999-one-day.csv'), 'utf8');
		expect((await call(a, 'POST', '/api/history/import?date=2010-09-01', csv)).status).toBe(200);
		await nats.stop();
		let refused: { status: number; body: any } | null = null;
		await until('a refuses a day delete', async () => {
			refused = await call(a, 'DELETE', '/api/history/days/2010-09-01?source=import');
			return refused.status === 503;
		}, 20_000);
		expect(refused!.body.error).toMatch(/^the delete could not be shared with the other instances \(NATS\): .*; nothing was deleted$/);
		expect((await call(a, 'GET', '/api/history/days/2010-09-01?source=import')).status).toBe(200);
		await nats.start();
		await until('a deletes again', async () => (await call(a, 'DELETE', '/api/history/days/2010-09-01?source=import')).status === 200, 20_000);
		expect((await call(a, 'GET', '/api/history/days/2010-09-01?source=import')).status).toBe(404);
		await until('the delete on b', async () => (await call(b, 'GET', '/api/history/days/2010-09-01?source=import')).status === 404, 10_000);
	}, 90_000);

	it('a delete on one instance and an import of the same day on the other at once end the same on both', async () => {
		const csv = readFileSync(sharedData('anonymous-bank-1999-one-day.csv'), 'utf8');
		const DAY = '2010-09-02';
		const ops = async (s: ServerProcess) => ((await call(s, 'GET', '/api/audit')).body.audit as { action: string; target: string }[]).filter((l) => l.target === DAY && (l.action === 'history.delete' || l.action === 'history.import')).length;
		const state = async (s: ServerProcess) => ({
			days: ((await call(s, 'GET', '/api/history/days')).body.days as { date: string; source: string }[]).filter((d) => d.source === 'import'),
			day: await call(s, 'GET', `/api/history/days/${DAY}?source=import`)
		});
		expect((await call(a, 'POST', `/api/history/import?date=${DAY}`, csv)).status).toBe(200);
		await until('the day on b', async () => (await call(b, 'GET', `/api/history/days/${DAY}?source=import`)).status === 200, 30_000);
		// The test watches the cluster log: the moment the import's record is stored there, the other
		// instance is asked to delete the day, so the delete comes after the import in the log while
		// that instance is still applying the import. The day must end gone on both.
		const nc = await connect({ servers: nats.url });
		let done = 1;
		try {
			for (let round = 0; round < 4; round++) {
				const [deleter, importer] = round % 2 ? [b, a] : [a, b];
				let deleted!: Promise<{ status: number; body: any }>;
				const committed = new Promise<void>((resolve) => {
					const sub = nc.subscribe('sightline.events_log.>', {
						callback: (_e, m) => {
							const op = (m.json() as { op?: string }).op;
							if (op !== 'import' && op !== 'chunked') return;
							sub.unsubscribe();
							deleted = call(deleter, 'DELETE', `/api/history/days/${DAY}?source=import`);
							resolve();
						}
					});
				});
				await nc.flush();
				const imported = call(importer, 'POST', `/api/history/import?date=${DAY}`, csv);
				await committed;
				const [imp, del] = await Promise.all([imported, deleted]);
				expect(imp.status).toBe(200);
				expect(del.status).toBe(200);
				done += 2;
				await until(`round ${round}: both operations on both instances`, async () => (await ops(a)) === done && (await ops(b)) === done, 30_000);
				const [onA, onB] = [await state(a), await state(b)];
				expect(onA.day.status, `round ${round}: the delete came last in the log`).toBe(404);
				expect(onB, `round ${round}`).toEqual(onA);
				// Back to the day being on both for the next round.
				expect((await call(importer, 'POST', `/api/history/import?date=${DAY}`, csv)).status).toBe(200);
				done += 1;
				await until(`round ${round}: the day back on both`, async () => (await ops(a)) === done && (await ops(b)) === done, 30_000);
			}

			// The same with `npm run import` of 24 days: the instances assemble its record from many
			// parts, which gives the delete on a time to come in before a applied the import.
			const MONTH_DAY = '2010-08-10';
			const monthOps = async (s: ServerProcess) => ((await call(s, 'GET', '/api/audit')).body.audit as { action: string; target: string }[]).filter((l) => l.action === 'history.delete' && l.target === MONTH_DAY).length;
			let deleted!: Promise<{ status: number; body: any }>;
			const committed = new Promise<void>((resolve) => {
				const sub = nc.subscribe('sightline.events_log.>', {
					callback: (_e, m) => {
						if ((m.json() as { op?: string }).op !== 'chunked') return;
						sub.unsubscribe();
						deleted = call(a, 'DELETE', `/api/history/days/${MONTH_DAY}?source=import`);
						resolve();
					}
				});
			});
			await nc.flush();
			const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
			expect(await importMain([sharedData('anonymous-bank-1999-08-01-to-24.csv'), '--time-zone', 'UTC', '--nats', nats.url], quiet, quiet)).toBe(0);
			await committed;
			expect((await deleted).status).toBe(200);
			await until('the 24 days imported and the day deleted on both', async () => (await monthOps(a)) === 1 && (await monthOps(b)) === 1, 60_000);
			await until('the 24 days imported on both', async () => (await state(a)).days.length >= 24 && (await state(b)).days.length >= 24, 60_000);
			const listA = (await state(a)).days;
			expect(listA.map((d) => d.date)).not.toContain(MONTH_DAY);
			expect((await state(b)).days).toEqual(listA);
		} finally {
			await nc.close();
		}
	}, 240_000);
});
