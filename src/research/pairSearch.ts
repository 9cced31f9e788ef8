// The parameter search of one pair of a lake's common grid: the backtester's grid search (src/backtest) on the pair's
// closes, the same call whether it runs here or in a pipe worker on a Spark executor.
import { type AlignedPair, type ExecutionSettings, type GridResult, type GridSpec, gridSearch, trainTestSplit } from '../backtest';

/** What to search, as JSON (it travels to Spark's executors on every pair line). */
export interface SearchSpec {
  grid: GridSpec;
  execution?: Partial<ExecutionSettings>;
  /** Train on the first share of the grid's bars, test on the rest; without it every point runs on all bars. */
  trainFraction?: number;
}

/**
 * The pair on the grid as the backtester takes it. The grid holds closes only (each bucket's last close), so the
 * opens are the closes: a fill "at the next bar's open" is at that bar's close.
 */
export function gridPair(yClose: Float64Array, xClose: Float64Array, from: number, timeframeMs: number): AlignedPair {
  const time = Float64Array.from({ length: yClose.length }, (_, i) => from + i * timeframeMs);
  return { time, yOpen: yClose, yClose, xOpen: xClose, xClose, barMs: timeframeMs };
}

export function searchPair(pair: AlignedPair, spec: SearchSpec): GridResult {
  const folds = spec.trainFraction === undefined ? undefined : trainTestSplit(pair.time.length, spec.trainFraction);
  return gridSearch(pair, spec.grid, { execution: spec.execution, folds });
}
