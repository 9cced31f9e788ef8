/** The backtester: a mean-reversion pair rule with next-bar fills, costs and funding, metrics and parameter search. */
export type * from './types';
export { BacktestSettingsError, alignPair } from './validate';
export { MS_PER_YEAR, annualisationFactor, barsPerYear } from './barsPerYear';
export { defaultExecution, resolveExecution } from './settings';
export { fundingPerBar } from './funding';
export { simulate, type SimulationBuffers, type SimulationInput, type SimulationOptions, type SimulationOutput, type SimulationRange } from './engine';
export { tradeStats, type TradeStats } from './tradeStats';
export { TradeLog } from './tradeLog';
export { computeMetrics, equityReturns, metricsFromSummary, type MetricsInput, type RunTotals } from './metrics';
export { CurveStats, summariseCurve, type CurveSummary } from './curveStats';
export { runBacktest, type BacktestOptions, type SignalArrays } from './backtest';
export { computeSignals, hedgeLabel, hedgeSeries, zScore, type HedgeSeries, type HedgeSpec, type PriceScale, type Signals } from './signals';
export { backtestPair, type PairBacktestResult, type PairStrategy } from './backtestPair';
export { trainTestSplit, walkForwardFolds, type Fold, type WalkForwardOptions } from './folds';
export { gridSearch, type GridOptions, type GridPoint, type GridResult, type GridRow, type GridSpec } from './grid';
export { stitchOutOfSample, type StitchedCurve } from './stitch';
export { walkForward, type Objective, type SelectedPoint, type WalkForwardResult } from './walkForward';
export { gridTable, heatmap, type GridAxis, type GridTable, type Heatmap, type HeatmapOptions } from './table';
