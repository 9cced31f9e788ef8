// A universe scan: every symbol's bars on one common grid (last close carried over empty buckets), then the
// analytics library's pair scan on every core, ranked by Engle-Granger p-value.
import { type BasketScanOptions, type BasketScanRow, type ClosesGrid, type ClosesLeg, closesOnCommonGrid } from '../../../src/analytics';
import type { UniverseScan } from '../../../src/research';
import { scanBasketsParallel, scanPairsParallel } from './parallelScan';
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

/** The scan's result (the store's, or a lake's here or on Spark): ranked rows, and symbols left out. */
export type { UniverseScan } from '../../../src/research';

/** Every usable symbol's closes on one common grid (what a scan tests), and the symbols left out with the reason. */
export type UniverseGrid = ClosesGrid;

/** Reads `symbols` and puts their closes on a common grid: from the latest first bar to the earliest last bar. */
export async function universeGrid(reader: StoreReader, symbols: readonly string[], opts: ScanSettings): Promise<UniverseGrid> {
  const tf = parseTimeframe(opts.timeframe);
  const maxBars = opts.maxBars ?? 5_000;
  const unreadable: UniverseScan['skipped'] = [];
  const legs: ClosesLeg[] = [];
  for (const symbol of symbols) {
    const bars = await readBars(reader, symbol, opts, maxBars).catch((err: unknown) => err instanceof Error ? err : new Error(String(err)));
    // One symbol the store cannot serve at this timeframe (e.g. uploaded 1m bars asked for at 1s) is left out, with
    // the store's reason, rather than failing the whole universe.
    if (bars instanceof Error) unreadable.push({ symbol, reason: bars.message });
    else legs.push({ symbol, time: bars.time, close: bars.close });
  }
  const grid = closesOnCommonGrid(legs, tf, maxBars);
  return { ...grid, skipped: [...unreadable, ...grid.skipped] };
}

/** Scans every pair of `symbols` on a common bar grid. */
export async function scanUniverse(reader: StoreReader, symbols: readonly string[], opts: ScanSettings): Promise<UniverseScan> {
  const g = await universeGrid(reader, symbols, opts);
  const rows = Object.keys(g.universe).length >= 2 && g.bars >= 30 ? await scanPairsParallel(g.universe, { minCorrelation: opts.minCorrelation, threads: opts.threads }) : [];
  return { timeframe: opts.timeframe, bars: g.bars, from: g.from, to: g.to, rows, skipped: g.skipped };
}

/** A basket scan's ranked rows on the common grid, and the symbols left out. */
export interface BasketUniverseScan extends Omit<UniverseScan, 'rows'> {
  rows: BasketScanRow[];
}

/** Ranks every `size`-leg basket of `symbols` on a common bar grid, on every core. */
export async function scanBasketUniverse(reader: StoreReader, symbols: readonly string[], opts: ScanSettings & BasketScanOptions): Promise<BasketUniverseScan> {
  const g = await universeGrid(reader, symbols, opts);
  const usable = Object.keys(g.universe).length >= (opts.size ?? 3) && g.bars >= 30;
  const rows = usable ? await scanBasketsParallel(g.universe, { size: opts.size, rankBy: opts.rankBy, threads: opts.threads }) : [];
  return { timeframe: opts.timeframe, bars: g.bars, from: g.from, to: g.to, rows, skipped: g.skipped };
}

export function readBars(reader: Pick<StoreReader, 'bars' | 'latestBars'>, symbol: string, opts: ScanSettings, maxBars: number) {
  return opts.to === undefined && opts.from === undefined
    ? reader.latestBars({ symbol, timeframe: opts.timeframe, count: maxBars, minVolume: opts.minVolume, source: opts.source })
    : reader.bars({ symbol, timeframe: opts.timeframe, from: opts.from, to: opts.to, minVolume: opts.minVolume, source: opts.source });
}
