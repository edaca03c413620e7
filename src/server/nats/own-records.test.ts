import { describe, expect, it } from 'vitest';
import { OwnRecords } from './own-records';

/** Every path an own cluster log record takes ends with nothing held (cluster-waiters.test.ts does the same on a real nats-server). */

const SLACK_MS = 80;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timeout = () => new Error('not applied in time');

function records() {
	const lines: string[] = [];
	return { own: new OwnRecords(SLACK_MS, (l) => lines.push(l)), lines };
}

describe('OwnRecords', () => {
	it('applied while its request waits: the request gets what it did, `then` runs once, nothing is left', async () => {
		const { own } = records();
		const ran: number[] = [];
		const e = own.add('cfg:a', 'live-plan version', (v) => ran.push(v));
		const answer = own.wait(e, 5, 4, 1000, timeout);
		expect(own.size).toBe(1);
		own.applied('cfg:a', 5, 3);
		await expect(answer).resolves.toBe(3);
		expect(ran).toEqual([3]);
		expect(own.size).toBe(0);
	});

	it('applied before its append returned: collected when it returns, or let go if the append is unconfirmed', async () => {
		const { own } = records();
		const e = own.add('del:x', 'delete');
		own.applied('del:x', 9, 42);
		expect(own.size).toBe(1);
		await expect(own.wait(e, 9, 9, 1000, timeout)).resolves.toBe(42);
		expect(own.size).toBe(0);
		const ran: number[] = [];
		const f = own.add('cfg:b', 'plan version', (v) => ran.push(v));
		own.applied('cfg:b', 10, 2);
		own.unanswered(f);
		expect(ran).toEqual([2]);
		expect(own.size).toBe(0);
	});

	it('passed over (a later record applied, its own never): the request gets null, a kept save is dropped without running', async () => {
		const { own } = records();
		const ran: number[] = [];
		const waiting = own.add('imp:1', 'import');
		const answer = own.wait(waiting, 5, 4, 1000, timeout);
		const kept = own.add('cfg:c', 'live-plan version', (v) => ran.push(v));
		await expect(own.wait(kept, 6, 4, 10, timeout)).rejects.toThrow('not applied in time');
		expect(own.size).toBe(2);
		own.applied(null, 7, 0);
		await expect(answer).resolves.toBeNull();
		expect(ran).toEqual([]);
		expect(own.size).toBe(0);
		// Its sequence already applied when the append returns: passed over at once.
		await expect(own.wait(own.add('del:y', 'delete'), 3, 7, 1000, timeout)).resolves.toBeNull();
		expect(own.size).toBe(0);
	});

	it('refused by NATS: dropped at once', () => {
		const { own } = records();
		own.refused(own.add('cfg:d', 'live-plan version', () => undefined));
		expect(own.size).toBe(0);
	});

	it('504 with nothing left to run: dropped at once; with a `then`: kept for the slack, run if applied within it, else dropped and logged', async () => {
		const { own, lines } = records();
		await expect(own.wait(own.add('del:z', 'delete'), 3, 2, 10, timeout)).rejects.toThrow('not applied in time');
		expect(own.size).toBe(0);
		const ran: number[] = [];
		// Unconfirmed append (no sequence), then applied within the slack: `then` runs.
		const late = own.add('cfg:e', 'live-plan version', (v) => ran.push(v));
		own.unanswered(late);
		expect(own.size).toBe(1);
		own.applied('cfg:e', 11, 4);
		expect(ran).toEqual([4]);
		expect(own.size).toBe(0);
		// Unconfirmed and never stored: dropped once the slack is over, said in the log.
		own.unanswered(own.add('cfg:f', 'live-plan version', (v) => ran.push(v)));
		await sleep(SLACK_MS / 2);
		expect(own.size).toBe(1);
		await sleep(SLACK_MS);
		expect(own.size).toBe(0);
		expect(lines).toEqual([expect.stringMatching(/^cluster: gave up on the live-plan version appended here: not applied here 0\.08 s after its request stopped waiting/)]);
		// Stored after all, later: saved by the caller's store as every record is, but nothing runs here now.
		own.applied('cfg:f', 12, 5);
		expect(ran).toEqual([4]);
	});

	it('a `then` that throws is logged; the entry goes all the same', async () => {
		const { own, lines } = records();
		const e = own.add('cfg:g', 'live-plan version', () => {
			throw new Error('webhook table gone');
		});
		const answer = own.wait(e, 2, 1, 1000, timeout);
		own.applied('cfg:g', 2, 7);
		await expect(answer).resolves.toBe(7);
		expect(lines).toEqual(['cluster: live-plan version 7 is saved here, but what follows its save failed: webhook table gone']);
		expect(own.size).toBe(0);
	});

	it('clear: waiting requests are answered, every entry and timer goes', async () => {
		const { own } = records();
		const answer = own.wait(own.add('imp:2', 'import'), 4, 3, 60_000, timeout);
		own.unanswered(own.add('cfg:h', 'live-plan version', () => undefined));
		own.clear(() => new Error('stopped'));
		await expect(answer).rejects.toThrow('stopped');
		expect(own.size).toBe(0);
	});
});
