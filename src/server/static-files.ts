import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { lookup } from 'mrmime';
import type { HttpContext } from './http-router';

/**
 * Serves the built SvelteKit app (adapter-static output in `build/`). The build is small, so it is
 * read into memory once at start: no disk access or path handling per request, hence no traversal.
 * Paths that are not files get the SPA fallback page, so client-side routes like /wall/x load.
 */

/** Content type of a file name: mrmime's table, with charset on text so browsers never guess. */
function contentType(file: string): string {
	const type = lookup(file) ?? 'application/octet-stream';
	return /^text\/|\/(json|javascript|manifest\+json)$/.test(type) ? `${type}; charset=utf-8` : type;
}

/**
 * The Content-Security-Policy of an HTML page: only this origin's scripts plus the page's own
 * inline scripts (by hash: SvelteKit bootstraps with one), no framing by anyone (clickjacking of
 * the admin page), no plugins, no base-URI or form tricks. Styles allow inline attributes, which
 * Svelte's `style:` directives write.
 */
function pageCsp(html: string): string {
	const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`);
	return [
		"default-src 'self'",
		`script-src 'self' ${hashes.join(' ')}`.trim(),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"worker-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}

/** Content-hashed SvelteKit assets never change under their name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, version.json) must be revalidated so a new build is picked up. */
const REVALIDATE = 'no-cache';

interface StaticFile {
	readonly body: Buffer;
	readonly headers: Readonly<Record<string, string>>;
	readonly etag: string;
}

/** The in-memory copy of a build directory. */
export class StaticFiles {
	readonly #files = new Map<string, StaticFile>();
	readonly #fallback: StaticFile | null;

	/** Loads every file under `dir`; a missing dir serves a page that says to build. */
	constructor(readonly dir: string) {
		if (existsSync(dir) && statSync(dir).isDirectory()) {
			for (const file of walk(dir)) {
				const rel = '/' + relative(dir, file).split(sep).join('/');
				this.#files.set(rel, load(file, rel));
			}
		}
		this.#fallback = this.#files.get('/index.html') ?? this.#files.get('/200.html') ?? null;
	}

	/** Number of files loaded. */
	get size(): number {
		return this.#files.size;
	}

	/** Answers a GET for `path`; returns false when it should be a 404 instead. */
	serve(ctx: HttpContext, path: string): boolean {
		let file = this.#files.get(path) ?? (path.endsWith('/') ? this.#files.get(path + 'index.html') : undefined);
		if (!file) {
			// Missing hashed assets are real 404s: serving HTML as JS would only confuse the browser.
			if (path.startsWith('/_app/') || extname(path) !== '') return false;
			file = this.#fallback ?? undefined;
			if (!file) {
				ctx.send(503, 'Sightline: the web app is not built; run `npm run build` (npm start does it).\n', {
					'Content-Type': 'text/plain; charset=utf-8'
				});
				return true;
			}
		}
		if (ctx.req.ifNoneMatch && ctx.req.ifNoneMatch === file.etag) {
			// A 304's headers replace the cached ones: without the page's CSP here the router's
			// `default-src 'none'` would stick to the cached page and block its scripts on reload.
			const csp = file.headers['Content-Security-Policy'];
			ctx.send(304, '', { ETag: file.etag, 'Cache-Control': file.headers['Cache-Control']!, ...(csp ? { 'Content-Security-Policy': csp } : {}) });
			return true;
		}
		ctx.send(200, file.body, file.headers);
		return true;
	}
}

function load(file: string, rel: string): StaticFile {
	const body = readFileSync(file);
	const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
	return {
		body,
		etag,
		headers: {
			'Content-Type': contentType(file),
			'Cache-Control': rel.startsWith('/_app/immutable/') ? IMMUTABLE : REVALIDATE,
			ETag: etag,
			// Pages and scripts (a worker's script carries its own policy) get the app's; other files keep the router's `default-src 'none'`.
			...(/\.(html|js|mjs)$/i.test(file) ? { 'Content-Security-Policy': pageCsp(extname(file).toLowerCase() === '.html' ? body.toString('utf8') : '') } : {})
		}
	};
}

function* walk(dir: string): Generator<string> {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(p);
		else if (entry.isFile()) yield p;
	}
}
