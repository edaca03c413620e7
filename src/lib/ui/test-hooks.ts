/**
 * The browser tests and the wall benches read a board's live connection (publish counts, status,
 * the floor) through `window.__sightline`. It is set only on a page opened with `?test-hooks=1`
 * (the e2e tests run the production build, so a build flag would not do), so a normal page puts
 * nothing global on `window`.
 */

/** The query parameter that turns the hook on. */
export const TEST_HOOKS_PARAM = 'test-hooks';

/** Whether a page's query string asks for the test hooks. */
export function wantsTestHooks(search: string): boolean {
	return new URLSearchParams(search).get(TEST_HOOKS_PARAM) === '1';
}

/**
 * Puts `hook` on `window.__sightline` when the page asked for test hooks; returns what removes it
 * again (only if it is still this hook: a newer board may have replaced it).
 */
export function exposeForTests(hook: object): () => void {
	if (!wantsTestHooks(location.search)) return () => {};
	const w = window as unknown as { __sightline?: object };
	w.__sightline = hook;
	return () => {
		if (w.__sightline === hook) delete w.__sightline;
	};
}
