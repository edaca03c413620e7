import type { Floor } from '../../lib/domain/floor';
import type { FloorSet } from '../floor-set';
import type { HistorySource } from '../../lib/domain/history';
import type { LiveHistory } from '../history/live';
import type { Auth, Role } from '../auth';
import type { BoardRegistry } from '../boards';
import { HttpError, type HttpContext } from '../http-router';
import type { BatchClock } from '../ingest';
import type { EventSink, Intake } from '../intake';
import type { LiveHub } from '../live-hub';
import type { Metrics } from '../metrics';
import type { Source } from '../sources/source';
import type { StaticFiles } from '../static-files';
import type { Store } from '../store';
import type { PreparedImport } from '../history/import';
import { NotSharedError } from '../nats/cluster';

/**
 * What route modules get from the composition root. Each area of the API exports
 * `registerXRoutes(router, deps)` and takes from here only what it uses.
 */
export interface RouteDeps {
	/** The default site's floor. */
	readonly floor: Floor;
	/** Every site's floor (`floor` is its default site's). */
	readonly floors: FloorSet;
	readonly store: Store;
	readonly intake: Intake;
	/**
	 * Where ingested batches go: the intake, or the cluster's event stream (`--nats`), which also
	 * says whether NATS is reachable now (`reachable`): saves the other instances must get need it.
	 */
	readonly sink: EventSink & { readonly reachable?: () => boolean };
	readonly hub: LiveHub;
	readonly boards: BoardRegistry;
	readonly metrics: Metrics;
	readonly auth: Auth;
	/**
	 * Throws a 401/403 HttpError unless the request's token grants `role`. Prefer the route option
	 * `{ role }`, which answers before any body byte is read; this is for checks that depend on the request.
	 */
	readonly require: (ctx: HttpContext, role: Role) => void;
	readonly statics: StaticFiles;
	/** The playback source, or null when only ingest feeds the floor. */
	readonly source: Source | null;
	/** The floor's clock (the source's, or the wall clock), epoch ms. */
	readonly clock: () => number;
	/** What ingested events are checked against (server time and allowed skew). */
	readonly batchClock: () => BatchClock;
	/** Epoch ms the server started. */
	readonly startedAt: number;
	readonly log: (line: string) => void;
	/** The live floor's history (writer, queries, day status). */
	readonly history: LiveHistory;
	/**
	 * In a cluster (`--nats`): deletes a day on every instance through the cluster log, resolving
	 * once it was applied here (to the rows deleted here); rejects when NATS did not take it.
	 */
	readonly shareDayDeleted?: (date: string, source: HistorySource, site: string, actor: string, ts: number) => Promise<number>;
	/** In a cluster: imports on every instance through the cluster log, resolving once applied here. */
	readonly shareImport?: (prepared: PreparedImport, what: string, actor: string) => Promise<void>;
	/**
	 * In a cluster: shares a board, floor config or token list and, once NATS took it, saves it here
	 * with `saveHere`; rejects (a NotSharedError) when NATS did not take it or did not confirm it.
	 */
	readonly shareConfig?: <T>(v: SharedSave, saveHere: () => T) => Promise<T>;
}

/** A config version as a route shares it. */
interface SharedSave {
	readonly kind: string;
	readonly key: string;
	readonly body: unknown;
	readonly actor: string;
	readonly ts: number;
}

/**
 * Saves a config the other instances must get. In a cluster it is shared first and saved here
 * (`saveHere`) only once NATS took it, so it is on every instance or on none: 503 when NATS is
 * known to be down or refuses it (nothing saved), 504 when NATS did not answer in time (not saved
 * here; if NATS took it, every instance applies it, this one too). Alone, it just saves.
 */
export async function saveShared<T>(deps: Pick<RouteDeps, 'sink' | 'shareConfig'>, v: SharedSave, saveHere: () => T): Promise<T> {
	mustReachCluster(deps.sink.reachable);
	if (!deps.shareConfig) return saveHere();
	try {
		return await deps.shareConfig(v, saveHere);
	} catch (e) {
		if (!(e instanceof NotSharedError)) throw e;
		const why = e.message.slice(0, 200);
		if (e.unconfirmed)
			throw new HttpError(504, `NATS did not confirm the save in time (${why}): it is not saved here; if NATS took it, every instance applies it, this one too, as it arrives`);
		throw new HttpError(503, `the save could not be shared with the other instances (NATS: ${why}): nothing was saved; retry when NATS is back`);
	}
}

/**
 * In a cluster, a save the other instances must get is refused (503) while NATS, which shares it,
 * is unreachable (`reachable` false), rather than kept on this instance only, where it would part
 * from the others' for good. Call it right before saving, after the body was read and checked
 * (NATS may have gone meanwhile). Without a cluster (`reachable` undefined) it does nothing.
 */
export function mustReachCluster(reachable: (() => boolean) | undefined): void {
	if (reachable && !reachable()) throw new HttpError(503, 'the other instances cannot be reached (NATS is unreachable): nothing was saved; retry when it is back');
}
