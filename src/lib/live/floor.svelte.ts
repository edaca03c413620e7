import type { BoardView } from '../domain/views';
import type { DeltaFrame, SnapshotFrame } from '../protocol/frames';
import { applyChanges, capSnapshot, TREND_CAP } from './apply';
import { Ring } from './history';

/** Tile sparkline series sampled in the browser (the trend carries SL and in-queue per interval). */
export const SAMPLED_SERIES = ['asa', 'aht', 'abandonRate', 'occupancy', 'longestWait', 'waiting'] as const;
/** A sampled series name. */
export type SampledSeries = (typeof SAMPLED_SERIES)[number];

/** Sampling period of tile sparklines and how many samples they keep (30 minutes). */
export const SAMPLE_EVERY_MS = 10_000;
export const SAMPLE_CAP = 180;

/** Outcome of offering a delta to the floor. */
export type DeltaResult = 'applied' | 'stale' | 'gap';

/**
 * The floor as a board sees it. Frames are applied at once to a plain working copy (so the state
 * is current even in a hidden tab); `publish()` — called at most once per animation frame —
 * hands that copy to the reactive `view`. `view` is `$state.raw`: a snapshot is replaced, never
 * deep-proxied, which keeps 1,000 agent rows cheap.
 */
export class FloorState {
	/** The published board; null until the first snapshot. */
	view = $state.raw<BoardView | null>(null);
	/** Sparkline samples of the totals, oldest first. */
	samples = $state.raw<Readonly<Record<SampledSeries, readonly (number | null)[]>>>(emptySamples());

	#working: BoardView | null = null;
	#seq: number | null = null;
	#dirty = false;
	readonly #trendCap: number;
	readonly #rings = Object.fromEntries(SAMPLED_SERIES.map((s) => [s, new Ring(SAMPLE_CAP)])) as Record<SampledSeries, Ring>;
	#lastSampleAt = -Infinity;

	constructor(trendCap = TREND_CAP) {
		this.#trendCap = trendCap;
	}

	/** Sequence number of the working copy; null before a snapshot or after `forgetSeq`. */
	get seq(): number | null {
		return this.#seq;
	}

	/** The working copy (ahead of `view` until the next publish). */
	get working(): BoardView | null {
		return this.#working;
	}

	/** Replaces the whole floor. */
	applySnapshot(frame: SnapshotFrame): void {
		this.#working = capSnapshot(frame.floor, this.#trendCap);
		this.#seq = frame.seq;
		this.#dirty = true;
	}

	/**
	 * Applies a delta when it continues the sequence. A delta at or below the current seq is a
	 * late duplicate and ignored; one beyond seq+1 means frames were lost: the caller resyncs.
	 */
	applyDelta(frame: DeltaFrame): DeltaResult {
		if (this.#working === null || this.#seq === null) return 'gap';
		if (frame.seq <= this.#seq) return 'stale';
		if (frame.seq !== this.#seq + 1) return 'gap';
		this.#working = applyChanges(this.#working, frame.changes, this.#trendCap);
		this.#seq = frame.seq;
		this.#dirty = true;
		return 'applied';
	}

	/** Forgets the sequence (connection lost): deltas are refused until the next snapshot. */
	forgetSeq(): void {
		this.#seq = null;
	}

	/**
	 * Publishes the working copy if it changed, and samples the sparklines every SAMPLE_EVERY_MS of
	 * `serverNow`. Returns true when `view` changed.
	 */
	publish(serverNow: number): boolean {
		const changed = this.#dirty;
		if (changed) {
			this.view = this.#working;
			this.#dirty = false;
		}
		const w = this.#working;
		if (w && serverNow - this.#lastSampleAt >= SAMPLE_EVERY_MS) {
			this.#lastSampleAt = serverNow;
			const t = w.total;
			const sample: Record<SampledSeries, number | null> = {
				asa: t.today.asa,
				aht: t.today.aht,
				abandonRate: t.today.abandonRate,
				occupancy: t.today.occupancy,
				longestWait: t.oldestSince === null ? 0 : Math.max(0, (serverNow - t.oldestSince) / 1000),
				waiting: t.waiting
			};
			for (const s of SAMPLED_SERIES) this.#rings[s].push(sample[s]);
			this.samples = Object.fromEntries(SAMPLED_SERIES.map((s) => [s, this.#rings[s].values()])) as Record<
				SampledSeries,
				(number | null)[]
			>;
		}
		return changed;
	}
}

function emptySamples(): Record<SampledSeries, (number | null)[]> {
	return Object.fromEntries(SAMPLED_SERIES.map((s) => [s, []])) as unknown as Record<SampledSeries, (number | null)[]>;
}
