// The line protocol between Spark's executors and the pipe worker (scanPipeWorker.ts): one aligned pair per input
// line, one scan row (or, for a line with `search`, one pair's grid search) per output line, both JSON (or a last line
// {"error": reason} when the worker fails). JSON has no NaN, ±Infinity or -0, so those travel as strings.
import type { PairScanRow } from '../analytics';
import type { GridResult } from '../backtest';
import type { SearchSpec } from './pairSearch';

/** One pair's closes on the common grid; `y` and `x` in universe order (y before x), not yet oriented. */
export interface AlignedPairLine {
  y: string;
  x: string;
  yClose: number[];
  xClose: number[];
  minCorrelation?: number;
  /** Present for a parameter search: the pair's index in the search's pair list, the grid's first bucket and width. */
  search?: SearchSpec;
  i?: number;
  from?: number;
  timeframeMs?: number;
}

/** One pair's grid search, as the worker writes it. */
export interface PairSearchLine extends GridResult {
  i: number;
  y: string;
  x: string;
}

export type ScanRowLine = { [K in keyof PairScanRow]: PairScanRow[K] extends number ? number | 'NaN' | 'Infinity' | '-Infinity' : PairScanRow[K] };

export function parsePairLine(line: string): AlignedPairLine {
  const v = JSON.parse(line) as Partial<AlignedPairLine>;
  if (typeof v.y !== 'string' || typeof v.x !== 'string' || !Array.isArray(v.yClose) || !Array.isArray(v.xClose)) {
    throw new Error(`not an aligned pair line: ${line.slice(0, 120)}`);
  }
  return v as AlignedPairLine;
}

/** JSON with NaN, ±Infinity and -0 as strings, so every double comes back as the same bits. */
export function toLine(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? (Object.is(v, -0) ? '-0' : String(v)) : v));
}

export function fromLine<T>(line: string): T {
  return JSON.parse(line, (_k, v: unknown) => (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0' ? Number(v) : v)) as T;
}

export const rowLine = (row: PairScanRow): string => toLine(row);
export const parseRowLine = (line: string): PairScanRow => fromLine<PairScanRow>(line);
