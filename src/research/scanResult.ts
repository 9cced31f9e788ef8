// What a universe scan of a lake returns, locally or on Spark: the same fields as the store's scan.
import type { ClosesGrid, PairScanRow } from '../analytics';
import type { LakeSource } from './lakeFiles';

/** What to read: the lake (a directory or s3://bucket/prefix, see {@link LakeSource}), symbols, time range, timeframe. */
export interface LakeScanSettings extends LakeSource {
  timeframe: string;
  /** Bucket starts from `from` (inclusive) to `to` (exclusive), UTC ms. Default: every day in the lake. */
  from?: number;
  to?: number;
  /** Symbols to scan, in this order (pairs are formed i < j). Default: every symbol in the lake, sorted. */
  symbols?: readonly string[];
  /** Newest grid buckets used. Default: all. */
  maxBars?: number;
  /** Skip pairs whose return correlation is below this. */
  minCorrelation?: number;
}

/** Ranked rows of every pair, the grid they were tested on, and the symbols left out (too few bars, constant prices). */
export interface UniverseScan extends Omit<ClosesGrid, 'universe'> {
  timeframe: string;
  rows: PairScanRow[];
}

/** A lake's scan; from Spark also the cluster's cores and when each phase of the job ended (ms from its start). */
export interface LakeScan extends UniverseScan {
  spark?: { cores: number; phasesMs: { session: number; bars: number; grid: number; rows: number } };
}
