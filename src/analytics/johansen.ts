import { AnalyticsInputError } from './validate';

/** Johansen cointegration test, equal to statsmodels `coint_johansen(endog, det_order, k_ar_diff)`. */
export interface JohansenResult {
  /** Eigenvalues, descending. */
  eigenvalues: Float64Array;
  /** Eigenvectors as columns (row-major neqs×neqs), each scaled so vᵀS11v = 1. */
  eigenvectors: Float64Array[];
  /** Trace statistics lr1[r] for H0: rank ≤ r. */
  traceStat: Float64Array;
  /** Max-eigenvalue statistics lr2[r]. */
  maxEigStat: Float64Array;
  /** Critical values [90%, 95%, 99%] per row r (NaN outside the tables). */
  traceCrit: number[][];
  maxEigCrit: number[][];
  nobs: number;
}

export function johansen(data: ReadonlyArray<Float64Array | readonly number[]>, detOrder: -1 | 0 | 1, kArDiff: number): JohansenResult {
  void data;
  void detOrder;
  void kArDiff;
  throw new AnalyticsInputError('johansen: not implemented yet');
}
