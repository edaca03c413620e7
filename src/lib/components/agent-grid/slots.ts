import { CHANNELS } from '$lib/domain/channels';
import { CHANNEL_MARK } from '$lib/ui/agent-style';

/** Channel slots in use as marks, e.g. `VC2` for one voice and two chats; empty when idle. */
export function slotMarks(slots: readonly number[]): string {
	let s = '';
	CHANNELS.forEach((c, i) => {
		const n = slots[i] ?? 0;
		if (n > 0) s += n > 1 ? `${CHANNEL_MARK[c]}${n}` : CHANNEL_MARK[c];
	});
	return s;
}
