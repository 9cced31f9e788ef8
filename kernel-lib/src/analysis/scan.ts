// A universe scan: every symbol's bars on one common grid (last close carried over empty buckets), then the
// analytics library's pair scan on every core, ranked by Engle-Granger p-value.
import type { PairScanRow } from '../../../src/analytics';
import { scanPairsParallel } from './parallelScan';
import { type BarSource, type StoreReader, parseTimeframe } from '../../../src/store';

/** Which bars a scan uses. */
export interface ScanSettings {
  timeframe: string;
  from?: number;
  to?: number;
  /** Newest bars used. Default 5,000. */
  maxBars?: number;
  minVolume?: number;
  source?: BarSource;
  /** Skip pairs whose return correlation is below this. */
  minCorrelation?: number;
  /** Worker threads of the scan; default one per core. */
  threads?: number;
}

/** The scan's result: ranked rows, and symbols left out (too few bars, constant prices). */
export interface UniverseScan {
  timeframe: string;
  bars: number;
  from: number;
  to: number;
  rows: PairScanRow[];
  skipped: Array<{ symbol: string; reason: string }>;
}

/** Every usable symbol's closes on one common grid (what a scan tests), and the symbols left out with the reason. */
export interface UniverseGrid {
  universe: Record<string, Float64Array>;
  bars: number;
  from: number;
  to: number;
  skipped: Array<{ symbol: string; reason: string }>;
}

/** Reads `symbols` and puts their closes on a common grid: from the latest first bar to the earliest last bar. */
export async function universeGrid(reader: StoreReader, symbols: readonly string[], opts: ScanSettings): Promise<UniverseGrid> {
  const tf = parseTimeframe(opts.timeframe);
  const maxBars = opts.maxBars ?? 5_000;
  const skipped: UniverseScan['skipped'] = [];
  const legs: Array<{ symbol: string; time: Float64Array; close: Float64Array }> = [];
  for (const symbol of symbols) {
    const bars = await readBars(reader, symbol, opts, maxBars).catch((err: unknown) => err instanceof Error ? err : new Error(String(err)));
    // One symbol the store cannot serve at this timeframe (e.g. uploaded 1m bars asked for at 1s) is left out, with
    // the store's reason, rather than failing the whole universe.
    if (bars instanceof Error) skipped.push({ symbol, reason: bars.message });
    else if (bars.time.length < 30) skipped.push({ symbol, reason: `only ${bars.time.length} bars (a scan needs 30)` });
    else legs.push({ symbol, time: bars.time, close: bars.close });
  }
  // The common grid: from the latest first bar to the earliest last bar, so every symbol has started trading.
  const start = Math.max(...legs.map((l) => l.time[0]));
  const end = Math.min(...legs.map((l) => l.time[l.time.length - 1]));
  const count = legs.length >= 2 && end >= start ? Math.min(maxBars, Math.floor((end - start) / tf) + 1) : 0;
  const gridStart = end - (count - 1) * tf;
  const universe: Record<string, Float64Array> = {};
  for (const leg of legs) {
    const close = carriedCloses(leg.time, leg.close, gridStart, tf, count);
    if (close.every((v) => v === close[0])) skipped.push({ symbol: leg.symbol, reason: 'constant price over the range' });
    else universe[leg.symbol] = close;
  }
  return { universe, bars: count, from: gridStart, to: gridStart + count * tf, skipped };
}

/** Scans every pair of `symbols` on a common bar grid. */
export async function scanUniverse(reader: StoreReader, symbols: readonly string[], opts: ScanSettings): Promise<UniverseScan> {
  const g = await universeGrid(reader, symbols, opts);
  const rows = Object.keys(g.universe).length >= 2 && g.bars >= 30 ? await scanPairsParallel(g.universe, { minCorrelation: opts.minCorrelation, threads: opts.threads }) : [];
  return { timeframe: opts.timeframe, bars: g.bars, from: g.from, to: g.to, rows, skipped: g.skipped };
}

function readBars(reader: StoreReader, symbol: string, opts: ScanSettings, maxBars: number) {
  return opts.to === undefined && opts.from === undefined
    ? reader.latestBars({ symbol, timeframe: opts.timeframe, count: maxBars, minVolume: opts.minVolume, source: opts.source })
    : reader.bars({ symbol, timeframe: opts.timeframe, from: opts.from, to: opts.to, minVolume: opts.minVolume, source: opts.source });
}

/** Closes on the grid gridStart + i·tf, each the last close at or before that bucket. */
function carriedCloses(time: Float64Array, close: Float64Array, gridStart: number, tf: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let j = 0;
  let last = NaN;
  for (let i = 0; i < count; i++) {
    const t = gridStart + i * tf;
    while (j < time.length && time[j] <= t) last = close[j++];
    out[i] = last;
  }
  return out;
}
