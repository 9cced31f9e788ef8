/** Walk-forward evaluation: pick the best grid point on each training block, report it on the next test block. */
import type { Fold } from './folds';
import { type GridOptions, type GridPoint, type GridRow, type GridSpec, gridSearch } from './grid';
import { type StitchedCurve, stitchOutOfSample } from './stitch';
import type { AlignedPair, Metrics, PairInput } from './types';
import { BacktestSettingsError } from './validate';

/** A metric where larger is better, used to choose among grid points on the training bars. */
export type Objective = 'sharpe' | 'sortino' | 'calmar' | 'totalReturn' | 'annualReturn' | 'profitFactor' | 'pnl';

export interface SelectedPoint {
  fold: number;
  point: GridPoint;
  inSample: Metrics;
  outOfSample: Metrics;
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

export function walkForward(pair: PairInput | AlignedPair, spec: GridSpec, folds: Fold[], options: GridOptions & { objective?: Objective } = {}): WalkForwardResult {
  if (folds.length === 0) throw new BacktestSettingsError('no folds given: build them with trainTestSplit or walkForwardFolds');
  const objective = options.objective ?? 'sharpe';
  const { rows } = gridSearch(pair, spec, { ...options, folds });
  const selected: SelectedPoint[] = folds.map((_, f) => {
    let best: GridRow | null = null;
    for (const row of rows) {
      if (row.fold === f && (best === null || score(row.inSample, objective) > score(best.inSample, objective))) best = row;
    }
    if (best === null || best.outOfSample === null) throw new Error(`internal: fold ${f} has no rows`);
    const { entry, exit, window, stop, hedge } = best;
    return { fold: f, point: { entry, exit, window, stop, hedge }, inSample: best.inSample, outOfSample: best.outOfSample };
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
