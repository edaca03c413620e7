import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Auth, issuePersonToken, ROLES, type Role } from './auth';

/** Bootstrap hashes computed here, independently of auth.ts. */
function bootstrap(): { hashes: Record<Role, string>; tokens: Record<Role, string> } {
	const tokens = Object.fromEntries(ROLES.map((r) => [r, `sl_${r}_test-${r}-token`])) as Record<Role, string>;
	const hashes = Object.fromEntries(ROLES.map((r) => [r, createHash('sha256').update(tokens[r]).digest('hex')])) as Record<Role, string>;
	return { hashes, tokens };
}

describe('Auth (verified tokens remembered)', () => {
	it('a person token verified once stops working as soon as it is revoked', () => {
		const { hashes } = bootstrap();
		const auth = new Auth(hashes, false);
		const { token, record } = issuePersonToken('Dana', 'supervisor', 'admin', 0);
		auth.setPeople([record]);
		expect(auth.identify(token)).toEqual({ name: 'Dana', role: 'supervisor' });
		expect(auth.identify(token)).toEqual({ name: 'Dana', role: 'supervisor' }); // from the remembered verification
		auth.setPeople([{ ...record, revoked: 1, revokedBy: 'admin' }]);
		expect(auth.identify(token)).toBeNull();
		expect(auth.check(token, 'viewer')).toMatchObject({ ok: false, status: 401 });
	});

	it('a token refused before it was issued is accepted once issued (refusals are not remembered)', () => {
		const auth = new Auth(bootstrap().hashes, false);
		const { token, record } = issuePersonToken('Lee', 'admin', 'admin', 0);
		expect(auth.identify(token)).toBeNull();
		auth.setPeople([record]);
		expect(auth.roleOf(token)).toBe('admin');
	});

	it('more tokens than it remembers: every one still verifies with its own role, forgeries never do', () => {
		const { hashes, tokens } = bootstrap();
		const auth = new Auth(hashes, false);
		const people = Array.from({ length: 150 }, (_, i) => issuePersonToken(`p${i}`, ROLES[i % ROLES.length]!, 'admin', i));
		auth.setPeople(people.map((p) => p.record));
		for (let round = 0; round < 2; round++) {
			for (const [i, p] of people.entries()) expect(auth.identify(p.token)).toEqual({ name: `p${i}`, role: ROLES[i % ROLES.length] });
			for (const r of ROLES) expect(auth.roleOf(tokens[r])).toBe(r);
		}
		for (const r of ROLES) {
			expect(auth.roleOf(tokens[r] + 'x')).toBeNull();
			expect(auth.roleOf(tokens[r].slice(0, -1))).toBeNull();
		}
		expect(auth.check(tokens.viewer, 'admin')).toMatchObject({ ok: false, status: 403 });
		expect(auth.check(tokens.admin, 'ingest')).toEqual({ ok: true });
	});
});
