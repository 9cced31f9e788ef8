import { adfuller } from './adf';
import { coint } from './coint';
import { pearson, returns } from './correlation';
import { halfLife } from './meanReversion';
import { AnalyticsInputError, type Series, assertFinite, isConstant, toFloat64 } from './validate';

/** One candidate pair of a universe scan, in the orientation (y on x) with the lower Engle-Granger p-value. */
export interface PairScanRow {
  y: string;
  x: string;
  beta: number;
  intercept: number;
  /** Engle-Granger p-value of the reported orientation (y on x) and of the reverse one. */
  egPValue: number;
  egPValueReverse: number;
  egStatistic: number;
  /** ADF (constant, AIC lags) of the OLS spread y − βx − c. */
  adfStatistic: number;
  adfPValue: number;
  halfLife: number;
  /** Pearson correlation of simple returns over the whole range. */
  correlation: number;
  rank: number;
}

export interface ScanOptions {
  /** Skip pairs whose return correlation is below this (default: keep all). */
  minCorrelation?: number;
}

/** Tests every pair of a universe of aligned price series and ranks them by Engle-Granger p-value. */
export function scanPairs(universe: Record<string, Series>, opts: ScanOptions = {}): PairScanRow[] {
  const symbols = Object.keys(universe);
  if (symbols.length < 2) throw new AnalyticsInputError(`a pair scan needs at least 2 symbols, got ${symbols.length}`);
  const prices = symbols.map((s) => toFloat64(universe[s]));
  const n = prices[0].length;
  prices.forEach((p, i) => {
    if (p.length !== n) throw new AnalyticsInputError(`${symbols[i]} has ${p.length} bars but ${symbols[0]} has ${n}: align the universe on common bar times first`);
    assertFinite(p, symbols[i]);
    if (isConstant(p)) throw new AnalyticsInputError(`${symbols[i]} is constant over the range: drop it from the universe`);
  });
  const rets = prices.map((p) => returns(p).subarray(1));
  const rows: PairScanRow[] = [];
  for (let i = 0; i < symbols.length; i++) {
    for (let j = i + 1; j < symbols.length; j++) {
      const correlation = pearson(rets[i], rets[j]);
      if (opts.minCorrelation !== undefined && !(correlation >= opts.minCorrelation)) continue;
      const ij = coint(prices[i], prices[j]);
      const ji = coint(prices[j], prices[i]);
      const [yi, xi, best, other] = ij.pValue <= ji.pValue ? [i, j, ij, ji] : [j, i, ji, ij];
      const yv = prices[yi];
      const xv = prices[xi];
      const resid = new Float64Array(n);
      for (let t = 0; t < n; t++) resid[t] = yv[t] - best.intercept - best.beta * xv[t];
      const adf = best.collinear ? null : adfuller(resid, { regression: 'c', autolag: 'aic' });
      rows.push({
        y: symbols[yi],
        x: symbols[xi],
        beta: best.beta,
        intercept: best.intercept,
        egPValue: best.pValue,
        egPValueReverse: other.pValue,
        egStatistic: best.statistic,
        adfStatistic: adf ? adf.statistic : -Infinity,
        adfPValue: adf ? adf.pValue : 0,
        halfLife: best.collinear ? NaN : halfLife(resid).halfLife,
        correlation,
        rank: 0,
      });
    }
  }
  rows.sort((a, b) => a.egPValue - b.egPValue || b.correlation - a.correlation);
  rows.forEach((r, k) => (r.rank = k + 1));
  return rows;
}
