import type { Attachment } from 'svelte/attachments';

/** Reports an element's content-box size on every resize; disconnects when the element goes. */
export function observeSize(onSize: (width: number, height: number) => void): Attachment<HTMLElement> {
	return (el) => {
		const ro = new ResizeObserver((entries) => {
			const r = entries[entries.length - 1]?.contentRect;
			if (r) onSize(r.width, r.height);
		});
		ro.observe(el);
		return () => ro.disconnect();
	};
}
