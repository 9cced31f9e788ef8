// Backtests and parameter searches of a pair view, in the terms of the protocol: hedge method names instead of
// the backtester's hedge specs, walk-forward by train share, results averaged over folds per parameter set.
import {
  type AlignedPair, type BacktestOptions, type BacktestResult, type ExecutionSettings, type GridRow, type GridSpec, type HedgeSpec, type Metrics,
  backtestPair, gridSearch, hedgeLabel, trainTestSplit, walkForwardFolds,
} from '../../../src/backtest';
import type { KalmanParams } from '../../../src/analytics';
import type { ExecutionParams, HedgeMethod, ParamSearchParams, StrategyParams, Validation } from '../protocol';
import { kalmanParamsFor } from './series';

/** The hedge settings a backtest shares with its view. */
export interface HedgeSettings {
  hedge: HedgeMethod;
  hedgeWindow: number;
  hedgeEvery: number;
  /** Bars before the first fit, expanding until the window fills (default hedgeWindow). */
  hedgeMinBars?: number;
  kalman?: Partial<KalmanParams>;
}

/** The backtester's hedge spec for a view's hedge settings (never fitted on the whole sample); Kalman parameters are
 * scaled to the pair's first prices exactly as the view's series are. */
export function hedgeSpec(h: HedgeSettings, pair: AlignedPair): HedgeSpec {
  return h.hedge === 'kalman'
    ? { kind: 'kalman', params: kalmanParamsFor(pair.yClose[0], pair.xClose[0], h.kalman) }
    : { kind: 'rolling', estimator: h.hedge, window: h.hedgeWindow, every: h.hedgeEvery, ...(h.hedgeMinBars !== undefined ? { minBars: h.hedgeMinBars } : {}) };
}

/** The backtester's execution settings from protocol fields (absent fields keep the backtester's defaults). */
export function executionSettings(p: ExecutionParams): Partial<ExecutionSettings> {
  return {
    fillAt: p.fillAt, sizing: p.sizing, notionalPerLeg: p.notional, capital: p.initialCapital,
    takerFeeBps: p.feeBps, slippageBps: p.slippageBps,
  };
}

/** One backtest of the mean-reversion rule with the view's hedge method and z window; `costs`: funding events and quotes. */
export function runBacktest(
  pair: AlignedPair, hedge: HedgeSettings, window: number, strategy: StrategyParams, execution: ExecutionParams = {},
  costs: Pick<BacktestOptions, 'funding' | 'quotes'> = {},
): BacktestResult {
  return backtestPair(pair, {
    entry: strategy.entry, exit: strategy.exit, stop: strategy.stop, maxHoldingBars: strategy.maxHoldBars, cooldownBars: strategy.cooldownBars,
    hedge: hedgeSpec(hedge, pair), window,
  }, { execution: executionSettings(execution), ...costs });
}

/** Drawdown from the running peak at each bar, as a fraction ≤ 0. */
export function drawdown(equity: Float64Array): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    peak = Math.max(peak, equity[i]);
    out[i] = peak > 0 ? equity[i] / peak - 1 : 0;
  }
  return out;
}

/** Figures compared in and out of sample (NaN where undefined). */
export interface SampleFigures {
  sharpe: number;
  totalReturn: number;
  maxDrawdown: number;
  calmar: number;
  trades: number;
}

/** One parameter set, its figures averaged over the folds (trades summed). */
export interface SearchRow {
  entry: number;
  exit: number;
  window: number;
  stop: number | null;
  hedge: HedgeMethod;
  inSample: SampleFigures;
  outOfSample: SampleFigures;
}

export interface SearchResult {
  validation: Validation;
  objective: 'sharpe' | 'totalReturn' | 'calmar';
  /** Best out-of-sample objective first. */
  rows: SearchRow[];
  folds: number;
  heatmap: { x: number[]; y: number[]; z: number[][]; xLabel: string; yLabel: string; metric: string };
}

/** The folds of a validation setting over `n` bars. */
export function foldsFor(validation: Validation, n: number) {
  if (validation.mode === 'trainTest') return trainTestSplit(n, validation.trainFraction);
  const ratio = (validation.trainFraction ?? 0.7) / (1 - (validation.trainFraction ?? 0.7));
  const testBars = Math.floor(n / (ratio + validation.folds));
  return walkForwardFolds(n, { folds: validation.folds, testBars, trainBars: Math.floor(ratio * testBars) });
}

const meanOf = (values: number[]): number => {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
};

function figures(metrics: Array<Metrics | null>): SampleFigures {
  const present = metrics.filter((m): m is Metrics => m !== null);
  return {
    sharpe: meanOf(present.map((m) => m.sharpe)),
    totalReturn: meanOf(present.map((m) => m.totalReturn)),
    maxDrawdown: meanOf(present.map((m) => m.maxDrawdown)),
    calmar: meanOf(present.map((m) => m.calmar)),
    trades: present.reduce((a, m) => a + m.trades, 0),
  };
}

/** Grid search with train/test or walk-forward validation; rows ranked by the out-of-sample objective. */
export function runParamSearch(pair: AlignedPair, base: HedgeSettings & { window: number }, params: Pick<ParamSearchParams, 'grid' | 'validation' | 'objective'> & ExecutionParams): SearchResult {
  const validation: Validation = params.validation ?? { mode: 'walkForward', folds: 4 };
  const objective = params.objective ?? 'sharpe';
  const methods = params.grid.hedge ?? [base.hedge];
  const specs = new Map(methods.map((m) => [hedgeLabel(hedgeSpec({ ...base, hedge: m }, pair)), m] as const));
  const spec: GridSpec = {
    entry: params.grid.entry, exit: params.grid.exit, window: params.grid.window ?? [base.window],
    stop: params.grid.stop ?? [null], hedge: methods.map((m) => hedgeSpec({ ...base, hedge: m }, pair)),
  };
  const folds = foldsFor(validation, pair.time.length);
  const result = gridSearch(pair, spec, { folds, execution: executionSettings(params) });
  const groups = new Map<string, GridRow[]>();
  for (const row of result.rows) {
    const key = JSON.stringify([row.entry, row.exit, row.window, row.stop, row.hedge]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const rows: SearchRow[] = [...groups.values()].map((g) => ({
    entry: g[0].entry, exit: g[0].exit, window: g[0].window, stop: g[0].stop, hedge: specs.get(g[0].hedge) ?? base.hedge,
    inSample: figures(g.map((r) => r.inSample)),
    outOfSample: figures(g.map((r) => r.outOfSample)),
  }));
  const score = (r: SearchRow) => (Number.isFinite(r.outOfSample[objective]) ? r.outOfSample[objective] : -Infinity);
  rows.sort((a, b) => score(b) - score(a));
  return { validation, objective, rows, folds: folds.length, heatmap: heatmapOf(rows, objective) };
}

/** Out-of-sample objective by entry (x) × exit (y), the best over the other parameters. */
function heatmapOf(rows: SearchRow[], objective: SearchResult['objective']): SearchResult['heatmap'] {
  const xs = [...new Set(rows.map((r) => r.entry))].sort((a, b) => a - b);
  const ys = [...new Set(rows.map((r) => r.exit))].sort((a, b) => a - b);
  const z = ys.map(() => xs.map(() => NaN));
  for (const r of rows) {
    const v = r.outOfSample[objective];
    const j = ys.indexOf(r.exit);
    const i = xs.indexOf(r.entry);
    if (Number.isFinite(v) && !(z[j][i] >= v)) z[j][i] = v;
  }
  return { x: xs, y: ys, z, xLabel: 'entry', yLabel: 'exit', metric: `out-of-sample ${objective}` };
}
