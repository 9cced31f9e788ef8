// What a universe scan of a lake returns, locally or on Spark: the same fields as the store's scan.
import type { PairScanRow } from '../analytics';

export interface LakeScanSettings {
  /** The lake's directory (a local or mounted path holding manifest.json). */
  lake: string;
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

export interface LakeScan {
  timeframe: string;
  bars: number;
  from: number;
  to: number;
  rows: PairScanRow[];
  skipped: Array<{ symbol: string; reason: string }>;
}
