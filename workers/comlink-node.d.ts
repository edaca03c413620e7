/** Types of comlink's Node adapter, whose ESM build ships its .d.ts under another name. */
declare module 'comlink/dist/esm/node-adapter.mjs' {
	import type { Endpoint } from 'comlink';
	/** Anything with postMessage/on/off, as `worker_threads` Worker and MessagePort. */
	export interface NodeEndpoint {
		postMessage(message: unknown, transfer?: readonly unknown[]): void;
		on(type: string, listener: (value: unknown) => void): void;
		off(type: string, listener: (value: unknown) => void): void;
		start?: () => void;
	}
	export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
