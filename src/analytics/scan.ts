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

/** The universe's symbols and prices, checked: at least two symbols, equal lengths, finite, none constant. */
export function checkUniverse(universe: Record<string, Series>): { symbols: string[]; prices: Float64Array[] } {
  const symbols = Object.keys(universe);
  if (symbols.length < 2) throw new AnalyticsInputError(`a pair scan needs at least 2 symbols, got ${symbols.length}`);
  const prices = symbols.map((s) => toFloat64(universe[s]));
  const n = prices[0].length;
  prices.forEach((p, i) => {
    if (p.length !== n) throw new AnalyticsInputError(`${symbols[i]} has ${p.length} bars but ${symbols[0]} has ${n}: align the universe on common bar times first`);
    assertFinite(p, symbols[i]);
    if (isConstant(p)) throw new AnalyticsInputError(`${symbols[i]} is constant over the range: drop it from the universe`);
  });
  return { symbols, prices };
}

/** Every pair (i, j), i < j, of `count` symbols. */
export function allPairs(count: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) out.push([i, j]);
  return out;
}

/** Scan rows of the pairs `pairs` (indices into checked `symbols`/`prices`), unranked; pairs below `minCorrelation` left out. */
export function scanPairRows(symbols: readonly string[], prices: readonly Float64Array[], pairs: ReadonlyArray<readonly [number, number]>, opts: ScanOptions = {}): PairScanRow[] {
  const n = prices[0].length;
  const rets = new Map<number, Float64Array>();
  const returnsOf = (i: number): Float64Array => {
    let r = rets.get(i);
    if (!r) rets.set(i, (r = returns(prices[i]).subarray(1)));
    return r;
  };
  const rows: PairScanRow[] = [];
  for (const [i, j] of pairs) {
    const correlation = pearson(returnsOf(i), returnsOf(j));
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
  return rows;
}

/** Sorts rows by Engle-Granger p-value (then by correlation, then by name, so the order never depends on who computed a row) and numbers them. */
export function rankScanRows(rows: PairScanRow[]): PairScanRow[] {
  rows.sort((a, b) => a.egPValue - b.egPValue || b.correlation - a.correlation || `${a.y}/${a.x}`.localeCompare(`${b.y}/${b.x}`));
  rows.forEach((r, k) => (r.rank = k + 1));
  return rows;
}

/** Tests every pair of a universe of aligned price series and ranks them by Engle-Granger p-value. */
export function scanPairs(universe: Record<string, Series>, opts: ScanOptions = {}): PairScanRow[] {
  const { symbols, prices } = checkUniverse(universe);
  return rankScanRows(scanPairRows(symbols, prices, allPairs(symbols.length), opts));
}
