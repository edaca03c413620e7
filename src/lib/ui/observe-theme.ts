import type { Attachment } from 'svelte/attachments';

/**
 * Calls `onTheme(el)` once, then whenever the document root's theme or inline style changes: for
 * code that must read resolved CSS values (a canvas's colours) without calling getComputedStyle
 * on every draw, which would force a style recalculation in the middle of a render.
 */
export function observeTheme(onTheme: (el: HTMLElement) => void): Attachment<HTMLElement> {
	return (el) => {
		onTheme(el);
		const mo = new MutationObserver(() => onTheme(el));
		mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
		return () => mo.disconnect();
	};
}
