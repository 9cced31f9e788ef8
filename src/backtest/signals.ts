/**
 * The per-bar inputs of the rule, from the analytics library: hedge ratio β_t (and intercept α_t)
 * estimated on closes up to and including bar t, spread_t = y_t − α_t − β_t·x_t, and the rolling
 * z-score of the spread over the `window` bars ending at t. Every value is known at bar t's close.
 */
import { defaultKalmanParams, expandingHedgeRatio, kalmanHedge, type KalmanParams, rollingHedgeRatio, rollingZScore, spread } from '../analytics';
import type { AlignedPair } from './types';
import { BacktestSettingsError, validateWindow } from './validate';

/** How β is estimated. None of them fits on the whole sample: that would use the future. */
export type HedgeSpec =
  /** A constant chosen by the user (e.g. fitted on an earlier period). */
  | { kind: 'fixed'; beta: number; intercept?: number }
  /**
   * OLS or Huber on the last `window` bars, re-estimated every `every` bars (default 1); until `window` bars exist,
   * on all bars so far once there are `minBars` (default `window`: nothing before the window is full).
   */
  | { kind: 'rolling'; estimator: 'ols' | 'huber'; window: number; every?: number; minBars?: number }
  /** OLS or Huber on all bars so far (at least `minBars`), re-estimated every `every` bars (default 1). */
  | { kind: 'expanding'; estimator: 'ols' | 'huber'; minBars: number; every?: number }
  /** Filtered Kalman slope and intercept. */
  | { kind: 'kalman'; params?: Partial<KalmanParams> };

/** `level`: regress close on close (β is a unit ratio); `log`: log close on log close (β is a notional ratio). */
export type PriceScale = 'level' | 'log';

export interface HedgeSeries {
  hedgeRatio: Float64Array;
  intercept: Float64Array;
  spread: Float64Array;
}

export interface Signals extends HedgeSeries {
  z: Float64Array;
}

/** A short name for tables and heat-map axes, e.g. `rolling-ols(500/10)`, `kalman(0.0001/0.001)`; distinct specs get distinct names. */
export function hedgeLabel(spec: HedgeSpec): string {
  switch (spec.kind) {
    case 'fixed':
      return spec.intercept ? `fixed(${spec.beta}/${spec.intercept})` : `fixed(${spec.beta})`;
    case 'rolling':
      return `rolling-${spec.estimator}(${spec.window}/${spec.every ?? 1}${spec.minBars !== undefined && spec.minBars !== spec.window ? ` from ${spec.minBars}` : ''})`;
    case 'expanding':
      return `expanding-${spec.estimator}(${spec.minBars}/${spec.every ?? 1})`;
    case 'kalman': {
      const { delta, observationVariance, initialState, initialCovariance } = { ...defaultKalmanParams, ...spec.params };
      const start = spec.params?.initialState || spec.params?.initialCovariance ? `/${initialState.join(',')}/${initialCovariance.join(',')}` : '';
      return `kalman(${delta}/${observationVariance}${start})`;
    }
  }
}

function closes(pair: AlignedPair, scale: PriceScale): [Float64Array, Float64Array] {
  if (scale === 'level') return [pair.yClose, pair.xClose];
  return [pair.yClose.map(Math.log), pair.xClose.map(Math.log)];
}

function checkSpec(spec: HedgeSpec, n: number): void {
  const bad = (msg: string): never => {
    throw new BacktestSettingsError(`hedge ${hedgeLabel(spec)}: ${msg}`);
  };
  if (spec.kind === 'fixed' && !Number.isFinite(spec.beta)) bad('beta must be a finite number');
  if (spec.kind === 'rolling' && (spec.minBars ?? spec.window) > n) bad(`window (${spec.minBars ?? spec.window} bars) is longer than the data (${n} bars); shorten it or load more bars`);
  if (spec.kind === 'expanding' && spec.minBars > n) bad(`minBars (${spec.minBars}) is more than the data (${n} bars)`);
  if ((spec.kind === 'rolling' || spec.kind === 'expanding') && spec.estimator !== 'ols' && spec.estimator !== 'huber') {
    bad(`estimator must be 'ols' or 'huber', got ${String(spec.estimator)}`);
  }
}

/** β_t, α_t and the spread for every bar, each from closes up to and including t. */
export function hedgeSeries(pair: AlignedPair, spec: HedgeSpec, scale: PriceScale = 'level'): HedgeSeries {
  const n = pair.time.length;
  checkSpec(spec, n);
  const [y, x] = closes(pair, scale);
  let beta: Float64Array;
  let alpha: Float64Array;
  switch (spec.kind) {
    case 'fixed':
      beta = new Float64Array(n).fill(spec.beta);
      alpha = new Float64Array(n).fill(spec.intercept ?? 0);
      break;
    case 'rolling': {
      const r = rollingHedgeRatio(y, x, { method: spec.estimator, window: spec.window, every: spec.every, minPeriods: spec.minBars });
      beta = r.beta;
      alpha = r.alpha;
      break;
    }
    case 'expanding': {
      const r = expandingHedgeRatio(y, x, { method: spec.estimator, window: spec.minBars, every: spec.every });
      beta = r.beta;
      alpha = r.alpha;
      break;
    }
    case 'kalman': {
      const r = kalmanHedge(y, x, spec.params);
      beta = r.beta;
      alpha = r.alpha;
      break;
    }
  }
  return { hedgeRatio: beta, intercept: alpha, spread: spread(y, x, beta, alpha) };
}

/** The rolling z-score of a spread (window includes the bar, sample std). */
export function zScore(spreadValues: Float64Array, window: number): Float64Array {
  validateWindow(window, spreadValues.length);
  return rollingZScore(spreadValues, window);
}

export function computeSignals(pair: AlignedPair, spec: HedgeSpec, window: number, scale: PriceScale = 'level'): Signals {
  validateWindow(window, pair.time.length);
  const h = hedgeSeries(pair, spec, scale);
  return { ...h, z: zScore(h.spread, window) };
}
