import { AnalyticsInputError, assertWindow } from './validate';
import type { KalmanParams } from './kalman';
import type { HuberOptions } from './huber';
import type { AlertRule } from './alerts';
import type { ReturnKind } from './correlation';

/** How a live pair's hedge ratio is obtained. Every choice uses bars at or before each bar only. */
export type HedgeSpec =
  | { method: 'kalman'; params?: Partial<KalmanParams> }
  | { method: 'fixed'; beta: number; alpha?: number }
  | { method: 'rolling'; estimator?: 'ols' | 'huber'; window: number; every?: number; huber?: HuberOptions };

/** The settings shared by the incremental `PairState` and its full recompute `pairSeries`. */
export interface PairModelOptions {
  /** Pair name used in alerts, e.g. "BTCUSDT/ETHUSDT". */
  pair: string;
  hedge: HedgeSpec;
  /** Rolling z-score window (bars, including the current one). */
  zWindow: number;
  /** Rolling return-correlation window (default zWindow). */
  correlationWindow?: number;
  returns?: ReturnKind;
  /** ADF p-value of the spread over the last `adfWindow` bars, re-evaluated every `adfEvery` bars (default: off). */
  adfWindow?: number;
  adfEvery?: number;
  alerts?: readonly AlertRule[];
}

export function checkPairModel(o: PairModelOptions): void {
  assertWindow(o.zWindow, 'zWindow', 2);
  assertWindow(o.correlationWindow ?? o.zWindow, 'correlationWindow', 2);
  if (o.adfWindow !== undefined) {
    assertWindow(o.adfWindow, 'adfWindow', 20);
    assertWindow(o.adfEvery ?? 1, 'adfEvery', 1);
  }
  const h = o.hedge;
  if (h.method === 'rolling') {
    assertWindow(h.window, 'hedge.window', 3);
    assertWindow(h.every ?? 1, 'hedge.every', 1);
  } else if (h.method === 'fixed') {
    if (!Number.isFinite(h.beta) || !Number.isFinite(h.alpha ?? 0)) throw new AnalyticsInputError('hedge fixed: beta and alpha must be finite numbers');
  } else if (h.method !== 'kalman') {
    throw new AnalyticsInputError(`unknown hedge method "${String((h as { method: unknown }).method)}": use 'kalman', 'fixed' or 'rolling'`);
  }
}

/** One bar's analytics, as the incremental state and the full recompute both report it. */
export interface PairBar {
  time: number;
  beta: number;
  alpha: number;
  spread: number;
  spreadMean: number;
  spreadStd: number;
  zScore: number;
  correlation: number;
  adfPValue: number;
}

/** True when an ADF evaluation is due at bar `t` (0-based) under the model's schedule. */
export function adfDue(o: PairModelOptions, t: number): boolean {
  if (o.adfWindow === undefined) return false;
  const first = o.adfWindow - 1;
  return t >= first && (t - first) % (o.adfEvery ?? 1) === 0;
}
