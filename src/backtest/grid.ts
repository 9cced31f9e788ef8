/**
 * Parameter search over entry, exit, z window, stop and hedge method. The expensive per-bar work is
 * shared: β and the spread are computed once per hedge method and z once per (method, window), then
 * every (entry, exit, stop) point reuses them; each run only executes the simulation loop.
 */
import { resolveRange, toAligned } from './backtest';
import { simulate, type SimulationBuffers, type SimulationInput, type SimulationRange } from './engine';
import { fundingPerBar } from './funding';
import type { Fold } from './folds';
import { metricsFromSummary } from './metrics';
import { resolveExecution } from './settings';
import { type HedgeSpec, type PriceScale, hedgeLabel, hedgeSeries, zScore } from './signals';
import type { AlignedPair, ExecutionSettings, FundingSettings, Metrics, PairInput, StrategyParams } from './types';
import { BacktestSettingsError, validateStrategy, validateWindow } from './validate';

export interface GridSpec {
  entry: number[];
  exit: number[];
  /** z-score windows in bars. */
  window: number[];
  /** Stops in z; `null` = no stop. Default [null]. */
  stop?: (number | null)[];
  hedge: HedgeSpec[];
  /** Held fixed across the grid. */
  maxHoldingBars?: number;
  maxHoldingMs?: number;
  cooldownBars?: number;
  scale?: PriceScale;
}

/** One parameter set of the grid. */
export interface GridPoint {
  entry: number;
  exit: number;
  window: number;
  stop: number | null;
  hedge: string;
}

/** One parameter set on one fold: metrics on the training bars and, beside them, on the test bars. */
export interface GridRow extends GridPoint {
  fold: number;
  inSample: Metrics;
  outOfSample: Metrics | null;
}

export interface GridOptions {
  execution?: Partial<ExecutionSettings>;
  funding?: FundingSettings;
  /** Ranges to evaluate; default one fold training on all bars with no test. */
  folds?: Fold[];
}

export interface GridResult {
  rows: GridRow[];
  /** Points left out because they are impossible (exit ≥ entry or exit < −entry, stop ≤ entry). */
  skipped: number;
  /** Simulations run (points × folds × 1 or 2). */
  runs: number;
}

function strategyPoints(spec: GridSpec): { params: StrategyParams; stop: number | null }[] {
  const out: { params: StrategyParams; stop: number | null }[] = [];
  for (const entry of spec.entry) {
    for (const exit of spec.exit) {
      for (const stop of spec.stop ?? [null]) {
        const params: StrategyParams = { entry, exit, stop: stop ?? undefined, maxHoldingBars: spec.maxHoldingBars, maxHoldingMs: spec.maxHoldingMs, cooldownBars: spec.cooldownBars };
        if (!(exit < entry && exit >= -entry) || (stop !== null && !(stop > entry))) continue;
        validateStrategy(params);
        out.push({ params, stop });
      }
    }
  }
  return out;
}

function checkSpec(spec: GridSpec, n: number): void {
  for (const key of ['entry', 'exit', 'window', 'hedge'] as const) {
    if (spec[key].length === 0) throw new BacktestSettingsError(`grid.${key} is empty: give at least one value`);
  }
  for (const w of spec.window) validateWindow(w, n);
}

/** Runs every grid point on every fold (train and, when present, test). */
export function gridSearch(pairInput: PairInput | AlignedPair, spec: GridSpec, options: GridOptions = {}): GridResult {
  const pair = toAligned(pairInput);
  const n = pair.time.length;
  checkSpec(spec, n);
  const exec = resolveExecution(options.execution);
  const folds: { train: SimulationRange; test: SimulationRange | null }[] = options.folds
    ? options.folds.map((f) => {
        if (f.train.end > f.test.start) throw new BacktestSettingsError(`a fold trains on [${f.train.start}, ${f.train.end}) but tests from ${f.test.start}: training must end before testing starts`);
        return { train: resolveRange(n, f.train.start, f.train.end), test: resolveRange(n, f.test.start, f.test.end) };
      })
    : [{ train: { start: 0, end: n }, test: null }];
  const points = strategyPoints(spec);
  const total = spec.entry.length * spec.exit.length * (spec.stop ?? [null]).length;
  if (points.length === 0) throw new BacktestSettingsError(`no grid point is possible: every combination has exit ≥ entry, exit < −entry or stop ≤ entry`);
  const buffers: SimulationBuffers = { equity: new Float64Array(n), position: new Int8Array(n) };
  const rows: GridRow[] = [];
  let runs = 0;
  const hedgeIndex = new Map<string, number>();
  const fundingY = fundingPerBar(pair.time, options.funding?.y, 'y');
  const fundingX = fundingPerBar(pair.time, options.funding?.x, 'x');
  const measure = (input: SimulationInput, params: StrategyParams, range: SimulationRange): Metrics => {
    runs++;
    const out = simulate(input, params, exec, { range, buffers, recordTrades: false });
    return metricsFromSummary(out.curve, {
      capital: exec.capital,
      barMs: pair.barMs,
      trades: out.tradeStats,
      zPnl: out.zPnl,
      tradedNotional: out.tradedNotional,
      exposedBars: out.exposedBars,
    });
  };
  for (const hedge of spec.hedge) {
    const label = hedgeLabel(hedge);
    if (hedgeIndex.has(label)) continue;
    hedgeIndex.set(label, hedgeIndex.size);
    const h = hedgeSeries(pair, hedge, spec.scale);
    for (const window of spec.window) {
      const input: SimulationInput = { pair, hedgeRatio: h.hedgeRatio, z: zScore(h.spread, window), fundingY, fundingX };
      for (const { params, stop } of points) {
        folds.forEach((fold, f) => {
          const inSample = measure(input, params, fold.train);
          const outOfSample = fold.test ? measure(input, params, fold.test) : null;
          rows.push({ entry: params.entry, exit: params.exit, window, stop, hedge: label, fold: f, inSample, outOfSample });
        });
      }
    }
  }
  return { rows, skipped: (total - points.length) * spec.window.length * hedgeIndex.size, runs };
}
