/** Walk-forward evaluation: pick the best grid point on each training block, report it on the next test block. */
import type { Fold } from './folds';
import { type GridOptions, type GridPoint, type GridRow, type GridSpec, gridSearch } from './grid';
import { toAligned } from './backtest';
import { deflatedSharpe, returnMoments } from './deflatedSharpe';
import { type StitchedCurve, runPoint, stitchOutOfSample } from './stitch';
import type { AlignedPair, Metrics, PairInput } from './types';
import { BacktestSettingsError } from './validate';

/** A metric where larger is better, used to choose among grid points on the training bars. */
export type Objective = 'sharpe' | 'sortino' | 'calmar' | 'totalReturn' | 'annualReturn' | 'profitFactor' | 'pnl';

export interface SelectedPoint {
  fold: number;
  point: GridPoint;
  inSample: Metrics;
  outOfSample: Metrics;
  /**
   * Probability that the chosen point's in-sample Sharpe beats the best of as many zero-skill trials
   * (deflated Sharpe ratio, from the Sharpe spread across the fold's grid and the point's return moments).
   */
  deflatedSharpe: number;
}

export interface WalkForwardResult {
  folds: Fold[];
  /** Every point on every fold, in-sample beside out-of-sample. */
  rows: GridRow[];
  /** The point chosen on each fold's training bars, with its test-block metrics. */
  selected: SelectedPoint[];
  /** Mean objective of the chosen points in-sample and out-of-sample: a large gap means overfitting. */
  summary: { objective: Objective; inSampleMean: number; outOfSampleMean: number };
  /** The chosen points traded on their test blocks, chained into one curve (null if test blocks overlap). */
  outOfSample: StitchedCurve | null;
}

function score(m: Metrics, objective: Objective): number {
  const v = m[objective];
  return Number.isNaN(v) ? -Infinity : v;
}

function mean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}

const perBarSharpe = (m: Metrics): number => m.sharpe / Math.sqrt(m.barsPerYear);

function deflate(pair: AlignedPair, spec: GridSpec, fold: Fold, best: GridRow, foldRows: GridRow[], options: GridOptions): number {
  const sharpes = foldRows.map((r) => perBarSharpe(r.inSample)).filter(Number.isFinite);
  const m = mean(sharpes);
  const variance = sharpes.length > 1 ? sharpes.reduce((a, v) => a + (v - m) ** 2, 0) / (sharpes.length - 1) : 0;
  const { returns } = runPoint(pair, spec, best, fold.train, options);
  const { skewness, kurtosis } = returnMoments(returns);
  return deflatedSharpe({ sharpe: perBarSharpe(best.inSample), bars: returns.length, skewness, kurtosis, trials: foldRows.length, sharpeVariance: variance });
}

export function walkForward(pairInput: PairInput | AlignedPair, spec: GridSpec, folds: Fold[], options: GridOptions & { objective?: Objective } = {}): WalkForwardResult {
  if (folds.length === 0) throw new BacktestSettingsError('no folds given: build them with trainTestSplit or walkForwardFolds');
  const objective = options.objective ?? 'sharpe';
  const pair = toAligned(pairInput);
  const { rows } = gridSearch(pair, spec, { ...options, folds });
  const selected: SelectedPoint[] = folds.map((fold, f) => {
    const foldRows = rows.filter((row) => row.fold === f);
    let best: GridRow | null = null;
    for (const row of foldRows) {
      if (best === null || score(row.inSample, objective) > score(best.inSample, objective)) best = row;
    }
    if (best === null || best.outOfSample === null) throw new Error(`internal: fold ${f} has no rows`);
    const { entry, exit, window, stop, hedge } = best;
    const point = { entry, exit, window, stop, hedge };
    return { fold: f, point, inSample: best.inSample, outOfSample: best.outOfSample, deflatedSharpe: deflate(pair, spec, fold, best, foldRows, options) };
  });
  return {
    folds,
    rows,
    selected,
    summary: {
      objective,
      inSampleMean: mean(selected.map((s) => s.inSample[objective])),
      outOfSampleMean: mean(selected.map((s) => s.outOfSample[objective])),
    },
    outOfSample: stitchOutOfSample(pair, spec, folds, selected.map((s) => s.point), options),
  };
}
