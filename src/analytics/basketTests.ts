/**
 * Cointegration tests of a basket: Engle-Granger with several regressors (`coint(leg 1, other legs)`: OLS, ADF without
 * constant on the residuals, MacKinnon p-value for N = legs) or Johansen's trace test of rank 0 against its 95%
 * critical value; and their stability, the share of rolling windows whose test rejects at 5%.
 */
import { type BasketFitOptions, type BasketMethod, checkBasketLegs } from './basketWeights';
import { coint } from './coint';
import { johansen } from './johansen';
import type { CriticalValues } from './mackinnon';
import { AnalyticsInputError } from './validate';

export interface BasketCointegration {
  method: BasketMethod;
  /** EG: the residual ADF statistic; Johansen: the trace statistic of rank 0. */
  statistic: number;
  /** EG: MacKinnon p-value for N = legs; Johansen: NaN (the test has critical values only). */
  pValue: number;
  /** EG: MacKinnon 1/5/10% values; Johansen: the trace test's 90/95/99% values as 10/5/1%. */
  criticalValues: CriticalValues;
  /** True when the test rejects "no cointegration" at 5%. */
  rejects: boolean;
}


/** Engle-Granger on the basket over bars [from, to): statsmodels' `coint(leg 1, other legs)`, N = legs. */
export function egBasketTest(legs: readonly Float64Array[], from = 0, to = legs[0]?.length ?? 0): BasketCointegration {
  checkBasketLegs(legs);
  const slice = legs.map((l) => l.subarray(from, to));
  const r = coint(slice[0], slice.slice(1));
  return { method: 'eg', statistic: r.statistic, pValue: r.pValue, criticalValues: r.criticalValues, rejects: r.pValue < 0.05 };
}

/** Johansen's trace test of rank 0 over bars [from, to). */
export function johansenBasketTest(legs: readonly Float64Array[], from = 0, to = legs[0]?.length ?? 0, opts: BasketFitOptions = {}): BasketCointegration {
  checkBasketLegs(legs);
  const r = johansen(legs.map((l) => l.subarray(from, to)), opts.detOrder ?? 0, opts.kArDiff ?? 1);
  const [c90, c95, c99] = r.traceCrit[0];
  const statistic = r.traceStat[0];
  return { method: 'johansen', statistic, pValue: NaN, criticalValues: { '1%': c99, '5%': c95, '10%': c90 }, rejects: statistic > c95 };
}

export function basketCointegration(method: BasketMethod, legs: readonly Float64Array[], from?: number, to?: number, opts: BasketFitOptions = {}): BasketCointegration {
  return method === 'eg' ? egBasketTest(legs, from, to) : johansenBasketTest(legs, from, to, opts);
}

export interface BasketStability {
  /** Windows tested, and how many rejected "no cointegration" at 5%. */
  windows: number;
  rejected: number;
  /** rejected / windows (NaN with no window). */
  share: number;
}

/** The test on each window of `window` bars, ending at the last bar and stepping back by `step` bars. */
export function basketStability(method: BasketMethod, legs: readonly Float64Array[], window: number, step = Math.max(1, Math.floor(window / 2)), opts: BasketFitOptions = {}): BasketStability {
  checkBasketLegs(legs);
  const n = legs[0].length;
  if (!Number.isInteger(window) || window < 10 || window > n) throw new AnalyticsInputError(`the stability window must be a whole number of bars from 10 to the ${n} bars of data, got ${window}`);
  if (!Number.isInteger(step) || step < 1) throw new AnalyticsInputError(`the stability step must be a whole number of bars ≥ 1, got ${step}`);
  let windows = 0;
  let rejected = 0;
  for (let to = n; to - window >= 0; to -= step) {
    windows++;
    if (basketCointegration(method, legs, to - window, to, opts).rejects) rejected++;
  }
  return { windows, rejected, share: windows > 0 ? rejected / windows : NaN };
}
