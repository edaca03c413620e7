/**
 * Many intrusive doubly-linked lists over one set of nodes, in typed arrays: node `i` is in at
 * most one list at a time, lists keep insertion order, and append, remove and head are O(1)
 * without allocating. The engine's queues (contacts waiting, first come first served) and its
 * availability lists (agents that can take one more contact, idle longest first) are both this.
 *
 * Nodes and lists are small integers the caller owns; `-1` means none. The caller knows which
 * list a node is in (a contact's queue, an agent's load level), so nodes do not record it.
 */
export class LinkedLists {
	private readonly headOf: Int32Array;
	private readonly tailOf: Int32Array;
	private prevOf: Int32Array;
	private nextOf: Int32Array;

	/** `lists` lists over nodes `0..nodes-1` (more with `growNodes`). */
	constructor(lists: number, nodes: number) {
		this.headOf = new Int32Array(lists).fill(-1);
		this.tailOf = new Int32Array(lists).fill(-1);
		this.prevOf = new Int32Array(nodes).fill(-1);
		this.nextOf = new Int32Array(nodes).fill(-1);
	}

	/** Nodes the lists have room for. */
	get capacity(): number {
		return this.nextOf.length;
	}

	/** Room for nodes `0..nodes-1`; existing links are kept. */
	growNodes(nodes: number): void {
		const old = this.nextOf.length;
		if (nodes <= old) return;
		const p = new Int32Array(nodes).fill(-1);
		p.set(this.prevOf);
		this.prevOf = p;
		const n = new Int32Array(nodes).fill(-1);
		n.set(this.nextOf);
		this.nextOf = n;
	}

	/** First node of `list`, or -1 when it is empty. */
	head(list: number): number {
		// `list` < lists by the caller's contract; an out-of-range read would give undefined → -1.
		return this.headOf[list] ?? -1;
	}

	/** The node after `node` in its list, or -1. */
	next(node: number): number {
		return this.nextOf[node] ?? -1;
	}

	/** Last node of `list`, or -1 when it is empty. */
	tail(list: number): number {
		return this.tailOf[list] ?? -1;
	}

	/** The node before `node` in its list, or -1. */
	prev(node: number): number {
		return this.prevOf[node] ?? -1;
	}

	/** Puts `node` (in no list) into `list` right after `after` (-1: at the front). */
	insertAfter(list: number, after: number, node: number): void {
		const before = after >= 0 ? (this.nextOf[after] ?? -1) : (this.headOf[list] ?? -1);
		this.prevOf[node] = after;
		this.nextOf[node] = before;
		if (after >= 0) this.nextOf[after] = node;
		else this.headOf[list] = node;
		if (before >= 0) this.prevOf[before] = node;
		else this.tailOf[list] = node;
	}

	/** Puts `node` (in no list) at the end of `list`. */
	append(list: number, node: number): void {
		const tail = this.tailOf[list] ?? -1;
		this.prevOf[node] = tail;
		this.nextOf[node] = -1;
		if (tail >= 0) this.nextOf[tail] = node;
		else this.headOf[list] = node;
		this.tailOf[list] = node;
	}

	/** Takes `node` out of `list`, which must be the list it is in. */
	remove(list: number, node: number): void {
		const p = this.prevOf[node] ?? -1;
		const n = this.nextOf[node] ?? -1;
		if (p >= 0) this.nextOf[p] = n;
		else this.headOf[list] = n;
		if (n >= 0) this.prevOf[n] = p;
		else this.tailOf[list] = p;
	}
}
