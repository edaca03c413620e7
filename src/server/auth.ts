import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bearer tokens per role. Only SHA-256 hashes are kept on disk, so the plaintext tokens are shown
 * exactly once, when they are created on first start. Comparison is of equal-length hashes with
 * `timingSafeEqual`, so neither the token's length nor its content leaks through timing. Tokens
 * that verified are remembered (bounded; dropped when person tokens change), see `Auth`.
 */

/** The roles of DESIGN.md. */
export const ROLES = ['viewer', 'supervisor', 'admin', 'ingest'] as const;
/** A role a token grants. */
export type Role = (typeof ROLES)[number];

/** What each role's token may do: admin may do everything, supervisor what a viewer may. */
const GRANTS: Readonly<Record<Role, readonly Role[]>> = {
	viewer: ['viewer'],
	supervisor: ['viewer', 'supervisor'],
	admin: ['viewer', 'supervisor', 'admin', 'ingest'],
	ingest: ['ingest']
};

/** File in the data dir that holds the token hashes. */
export const TOKENS_FILE = 'tokens.json';

interface TokensFile {
	readonly version: 1;
	readonly sha256: Readonly<Record<Role, string>>;
}

const hash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** The outcome of checking a request's credentials against a required role. */
export type AuthResult = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/**
 * A token issued to a named person by an admin (the first-start tokens stay as the bootstrap).
 * Only its SHA-256 is kept; revoked tokens stay listed so the audit's names keep their meaning.
 */
export interface PersonToken {
	readonly id: string;
	readonly name: string;
	readonly role: Role;
	readonly sha256: string;
	readonly created: number;
	readonly createdBy: string;
	readonly revoked?: number;
	readonly revokedBy?: string;
}

/** Who a token belongs to. */
export interface Identity {
	/** The person's name, or "<role> (bootstrap token)". */
	readonly name: string;
	readonly role: Role;
}

/** A new person token: the plaintext (shown once) and the record kept. */
export function issuePersonToken(name: string, role: Role, createdBy: string, now: number): { token: string; record: PersonToken } {
	const token = `sl_${role}_${randomBytes(24).toString('base64url')}`;
	const record: PersonToken = { id: randomBytes(6).toString('hex'), name, role, sha256: hash(token).toString('hex'), created: now, createdBy };
	return { token, record };
}

/** Verified tokens remembered (more than the bootstrap roles and the people a center issues tokens to). */
const KNOWN_TOKENS = 64;

/** Checks tokens; built from the hashes in the data dir. */
export class Auth {
	readonly #hashes: ReadonlyMap<Role, Buffer>;
	/** Live person tokens by hex hash (a lookup by hash: the token itself is never compared). */
	#people: ReadonlyMap<string, PersonToken> = new Map();
	/**
	 * Tokens already verified, by the presented string, so a producer's every request does not hash
	 * again (SHA-256 per request was ~3% of the server's CPU in `npm run bench:server`'s no-client run).
	 * Only successes are kept, at most KNOWN_TOKENS (oldest out first), and the whole map is dropped
	 * when the person tokens change, so a revoked token is refused at its next request. A miss costs
	 * the hash as before; a hit tells a timing observer only that the token is valid, which the answer says anyway.
	 */
	readonly #known = new Map<string, Identity>();

	constructor(
		hashes: Readonly<Record<Role, string>>,
		/** On a loopback address the viewer role needs no token (a wall display on this machine). */
		readonly viewerOpen: boolean
	) {
		this.#hashes = new Map(ROLES.map((r) => [r, Buffer.from(hashes[r], 'hex')]));
	}

	/** Replaces the person tokens (revoked ones are ignored). */
	setPeople(people: readonly PersonToken[]): void {
		this.#people = new Map(people.filter((p) => !p.revoked).map((p) => [p.sha256, p]));
		this.#known.clear();
	}

	/** The role a token grants, or null. Checks every role so timing does not depend on which matched. */
	roleOf(token: string): Role | null {
		return this.identify(token)?.role ?? null;
	}

	/** Who a token belongs to and its role, or null. */
	identify(token: string): Identity | null {
		if (!token) return null;
		const known = this.#known.get(token);
		if (known) return known;
		const found = this.#verify(token);
		if (found) {
			if (this.#known.size >= KNOWN_TOKENS) this.#known.delete(this.#known.keys().next().value!);
			this.#known.set(token, found);
		}
		return found;
	}

	/** Who a token belongs to, from its hash. */
	#verify(token: string): Identity | null {
		const h = hash(token);
		let found: Role | null = null;
		for (const [role, expected] of this.#hashes) {
			if (expected.length === h.length && timingSafeEqual(expected, h) && found === null) found = role;
		}
		if (found) return { name: `${found} (bootstrap token)`, role: found };
		const p = this.#people.get(h.toString('hex'));
		return p ? { name: p.name, role: p.role } : null;
	}

	/** Whether `token` (may be empty) is enough for `needed`. */
	check(token: string, needed: Role): AuthResult {
		if (needed === 'viewer' && this.viewerOpen) return { ok: true };
		if (!token) return { ok: false, status: 401, message: `${/^[aeiou]/.test(needed) ? 'an' : 'a'} ${needed} token is required (Authorization: Bearer …)` };
		const role = this.roleOf(token);
		if (!role) return { ok: false, status: 401, message: 'unknown token' };
		if (!GRANTS[role].includes(needed)) return { ok: false, status: 403, message: `this token's role (${role}) may not do this; ${needed} needed` };
		return { ok: true };
	}
}

/** Takes the token out of an `Authorization: Bearer …` header value ("" when absent or malformed). */
export function bearerToken(header: string): string {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
	return m ? m[1]! : '';
}

/**
 * Loads the token hashes from `dataDir`, creating tokens on first start. Returns the plaintext
 * tokens only when they were just created (so the caller prints them once), else null.
 */
export function loadOrCreateTokens(dataDir: string): { hashes: Record<Role, string>; created: Record<Role, string> | null } {
	const file = join(dataDir, TOKENS_FILE);
	if (existsSync(file)) {
		let parsed: TokensFile;
		try {
			parsed = JSON.parse(readFileSync(file, 'utf8')) as TokensFile;
		} catch (e) {
			throw new Error(`${file} is not valid JSON (${(e as Error).message}); delete it to create new tokens`);
		}
		for (const r of ROLES) {
			if (!/^[0-9a-f]{64}$/.test(parsed.sha256?.[r] ?? '')) {
				throw new Error(`${file} has no valid sha256 hash for role ${r}; delete it to create new tokens`);
			}
		}
		return { hashes: { ...parsed.sha256 }, created: null };
	}
	const created = Object.fromEntries(ROLES.map((r) => [r, `sl_${r}_${randomBytes(24).toString('base64url')}`])) as Record<Role, string>;
	const hashes = Object.fromEntries(ROLES.map((r) => [r, hash(created[r]).toString('hex')])) as Record<Role, string>;
	const body: TokensFile = { version: 1, sha256: hashes };
	// 'wx' refuses to overwrite a file another process created meanwhile; mode 0600 on creation.
	writeFileSync(file, JSON.stringify(body, null, '\t') + '\n', { mode: 0o600, flag: 'wx' });
	chmodSync(file, 0o600);
	return { hashes, created };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
	return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
