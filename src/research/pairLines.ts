// The line protocol between Spark's executors and the scan worker (scanPipeWorker.ts): one aligned pair per input
// line, one scan row per output line, both JSON (or a last line {"error": reason} when the worker fails). JSON has no
// NaN or ±Infinity, so those travel as strings.
import type { PairScanRow } from '../analytics';

/** One pair's closes on the common grid; `y` and `x` in universe order (y before x), not yet oriented. */
export interface AlignedPairLine {
  y: string;
  x: string;
  yClose: number[];
  xClose: number[];
  minCorrelation?: number;
}

export type ScanRowLine = { [K in keyof PairScanRow]: PairScanRow[K] extends number ? number | 'NaN' | 'Infinity' | '-Infinity' : PairScanRow[K] };

export function parsePairLine(line: string): AlignedPairLine {
  const v = JSON.parse(line) as Partial<AlignedPairLine>;
  if (typeof v.y !== 'string' || typeof v.x !== 'string' || !Array.isArray(v.yClose) || !Array.isArray(v.xClose)) {
    throw new Error(`not an aligned pair line: ${line.slice(0, 120)}`);
  }
  return v as AlignedPairLine;
}

export function rowLine(row: PairScanRow): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export function parseRowLine(line: string): PairScanRow {
  return JSON.parse(line, (_k, v: unknown) => (v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v)) as PairScanRow;
}
