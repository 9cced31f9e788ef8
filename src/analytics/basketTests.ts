/**
 * Cointegration tests of a basket: Engle-Granger with several regressors (OLS of leg 1 on the others, ADF without
 * constant on the residuals, MacKinnon p-value for N = legs) or Johansen's trace test of rank 0 against its 95%
 * critical value; and their stability, the share of rolling windows whose test rejects at 5%.
 */
import { adfuller } from './adf';
import { type BasketFitOptions, type BasketMethod, basketSpread, checkBasketLegs, egWeights } from './basketWeights';
import { johansen } from './johansen';
import { type CriticalValues, mackinnoncrit, mackinnonp } from './mackinnon';
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

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/**
 * ─── PLUG-IN POINT for the N-regressor Engle-Granger test ───
 * This is the one place the multi-regressor EG p-value is computed. It follows statsmodels `coint(y, X)` (ADF 'n' with
 * AIC lags on the OLS residuals, `mackinnonp(stat, 'c', N)`, `mackinnoncrit(N, 'c', nobs − 1)`, collinear ⇒ −∞ and
 * p 0). Once src/analytics/coint.ts takes several regressors (`coint(y, X)`, branch stats15), replace the body with a
 * call to it so that the parity fixtures of that function cover the basket too.
 */
export function egBasketTest(legs: readonly Float64Array[], from = 0, to = legs[0]?.length ?? 0): BasketCointegration {
  const fit = egWeights(legs, from, to);
  const slice = legs.map((l) => l.subarray(from, to));
  const resid = basketSpread(slice, Array.from(fit.weights), fit.intercept);
  const n = to - from;
  const m = legs.length;
  const criticalValues = mackinnoncrit(m, 'c', n - 1);
  let ssr = 0;
  let syy = 0;
  const y = slice[0];
  let my = 0;
  for (let t = 0; t < n; t++) my += y[t];
  my /= n;
  for (let t = 0; t < n; t++) {
    ssr += resid[t] * resid[t];
    syy += (y[t] - my) * (y[t] - my);
  }
  if (!(1 - ssr / syy < 1 - 100 * SQRT_EPS)) return { method: 'eg', statistic: -Infinity, pValue: 0, criticalValues, rejects: true };
  const statistic = adfuller(resid, { regression: 'n', autolag: 'aic' }).statistic;
  const pValue = mackinnonp(statistic, 'c', m);
  return { method: 'eg', statistic, pValue, criticalValues, rejects: pValue < 0.05 };
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
