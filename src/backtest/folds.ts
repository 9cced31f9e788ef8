/** Train/test splits over bar indices. Every fold trains strictly before it tests. */
import type { SimulationRange } from './engine';
import { BacktestSettingsError } from './validate';

export interface Fold {
  train: SimulationRange;
  test: SimulationRange;
}

export interface WalkForwardOptions {
  /** Number of train→test steps. */
  folds: number;
  /** Bars in each test block; default: the data after the first training block split evenly. */
  testBars?: number;
  /** Bars in each training block; default: as many as a test block. */
  trainBars?: number;
  /** Anchored (expanding) training from bar 0 instead of a rolling block. Default false. */
  anchored?: boolean;
}

const MIN_BARS = 2;

function check(folds: Fold[], n: number): Fold[] {
  for (const [i, f] of folds.entries()) {
    if (f.train.end > f.test.start) throw new Error(`internal: fold ${i} trains on test bars`);
    if (f.train.end - f.train.start < MIN_BARS || f.test.end - f.test.start < MIN_BARS || f.test.end > n) {
      throw new BacktestSettingsError(`fold ${i} has train [${f.train.start}, ${f.train.end}) and test [${f.test.start}, ${f.test.end}) in ${n} bars: too short; use fewer folds or more data`);
    }
  }
  return folds;
}

/** One split: the first `trainFraction` of the bars train, the rest test. */
export function trainTestSplit(n: number, trainFraction = 0.7): Fold[] {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new BacktestSettingsError(`trainFraction is ${trainFraction}: it must be between 0 and 1 (e.g. 0.7)`);
  const cut = Math.floor(n * trainFraction);
  return check([{ train: { start: 0, end: cut }, test: { start: cut, end: n } }], n);
}

/**
 * Walk-forward folds: fold i trains on the block just before its test block (or on everything
 * before it when anchored) and tests on the next `testBars` bars; test blocks do not overlap.
 */
export function walkForwardFolds(n: number, opts: WalkForwardOptions): Fold[] {
  const k = opts.folds;
  if (!(Number.isInteger(k) && k >= 1)) throw new BacktestSettingsError(`folds is ${k}: use a whole number ≥ 1`);
  let testBars = opts.testBars;
  let trainBars = opts.trainBars;
  if (testBars === undefined) {
    const first = trainBars ?? Math.floor(n / (k + 1));
    testBars = Math.floor((n - first) / k);
  }
  trainBars ??= testBars;
  if (!(Number.isInteger(testBars) && Number.isInteger(trainBars) && testBars >= MIN_BARS && trainBars >= MIN_BARS)) {
    throw new BacktestSettingsError(`walk-forward blocks of ${trainBars} train / ${testBars} test bars: each must be a whole number ≥ ${MIN_BARS}; use fewer folds or more data`);
  }
  if (trainBars + k * testBars > n) {
    throw new BacktestSettingsError(`${k} folds of ${testBars} test bars after ${trainBars} training bars need ${trainBars + k * testBars} bars, but there are ${n}`);
  }
  const folds: Fold[] = [];
  for (let i = 0; i < k; i++) {
    const testStart = trainBars + i * testBars;
    folds.push({
      train: { start: opts.anchored ? 0 : testStart - trainBars, end: testStart },
      test: { start: testStart, end: testStart + testBars },
    });
  }
  return check(folds, n);
}
