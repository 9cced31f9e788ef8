// The parameter search of a lake's pairs on this machine: the pairs' symbols on the lake's common grid (as the scan
// builds it), then the backtester's grid search of each pair. The Spark search (sparkScan.ts) gives the same results.
import type { ClosesGrid } from '../analytics';
import type { GridResult } from '../backtest';
import { parseTimeframe } from '../store/timeframe';
import { lakeGrid } from './lakeScan';
import { gridPair, searchPair, type SearchSpec } from './pairSearch';
import type { LakeScan, LakeScanSettings } from './scanResult';

export interface LakeSearchSettings extends Omit<LakeScanSettings, 'minCorrelation'> {
  /** Pairs to search, y against x. Default: every pair of the symbols (y before x in their order). */
  pairs?: ReadonlyArray<{ y: string; x: string }>;
  search: SearchSpec;
}

/** One pair's grid search: a row per grid point and fold, in the backtester's order. */
export interface PairSearch extends GridResult {
  y: string;
  x: string;
}

/**
 * Every pair searched, in the order asked, on the grid they share; a pair with a leg left out of the grid (see
 * `skipped`) is not searched.
 */
export interface LakeSearch extends Omit<ClosesGrid, 'universe'> {
  timeframe: string;
  pairs: PairSearch[];
  spark?: LakeScan['spark'];
}

const SYMBOL = /^[A-Z0-9]{2,30}$/;

export function checkSearchSettings(settings: LakeSearchSettings): void {
  if (typeof settings.search !== 'object' || settings.search === null || typeof settings.search.grid !== 'object' || settings.search.grid === null) {
    throw new Error('a search needs search.grid: { entry: [...], exit: [...], window: [...], hedge: [...] } (see the backtester\'s GridSpec)');
  }
  for (const p of settings.pairs ?? []) {
    if (!SYMBOL.test(String(p?.y)) || !SYMBOL.test(String(p?.x)) || p.y === p.x) {
      throw new Error(`a search pair is two different symbols such as { y: "BTCUSDT", x: "ETHUSDT" }, got ${JSON.stringify(p)}`);
    }
  }
}

/** The symbols the grid is built on: those given, else the pairs' symbols in order of appearance, else the lake's. */
export function searchSymbols(settings: LakeSearchSettings): readonly string[] | undefined {
  return settings.symbols ?? (settings.pairs ? [...new Set(settings.pairs.flatMap((p) => [p.y, p.x]))] : undefined);
}

/** The pairs to search of a grid's symbols. */
function pairsOn(symbols: readonly string[], pairs: LakeSearchSettings['pairs']): Array<{ y: string; x: string }> {
  const all = pairs ?? symbols.flatMap((y, i) => symbols.slice(i + 1).map((x) => ({ y, x })));
  return all.filter((p) => symbols.includes(p.y) && symbols.includes(p.x)).map((p) => ({ y: p.y, x: p.x }));
}

/** Searches the grid of `settings.search` on every pair, here. */
export async function searchLakeLocally(settings: LakeSearchSettings): Promise<LakeSearch> {
  checkSearchSettings(settings);
  const tf = parseTimeframe(settings.timeframe);
  const { universe, ...grid } = await lakeGrid({ ...settings, symbols: searchSymbols(settings) });
  const pairs = pairsOn(Object.keys(universe), settings.pairs).map(({ y, x }) => ({
    y, x, ...searchPair(gridPair(universe[y], universe[x], grid.from, tf), settings.search),
  }));
  return { timeframe: settings.timeframe, ...grid, pairs };
}
