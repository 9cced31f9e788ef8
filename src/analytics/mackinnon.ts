import { mackinnonTables, type TrendCode } from './mackinnonTables';
import { normalCdf } from './normal';
import { AnalyticsInputError } from './validate';

export type { TrendCode };

function tablesFor(regression: TrendCode, n: number) {
  const t = mackinnonTables[regression];
  if (!t) throw new AnalyticsInputError(`unknown regression "${String(regression)}": use 'c', 'ct', 'ctt' or 'n'`);
  if (!Number.isInteger(n) || n < 1 || n > t.tauMax.length) {
    throw new AnalyticsInputError(`MacKinnon tables cover N = 1..${t.tauMax.length} integrated series, got N = ${n}`);
  }
  return t;
}

function polyAscending(coef: readonly number[], t: number): number {
  let v = 0;
  for (let i = coef.length - 1; i >= 0; i--) v = v * t + coef[i];
  return v;
}

/** MacKinnon (1994) approximate p-value of a unit-root / cointegration t-statistic (statsmodels `mackinnonp`). */
export function mackinnonp(stat: number, regression: TrendCode = 'c', n = 1): number {
  const t = tablesFor(regression, n);
  if (Number.isNaN(stat)) return NaN;
  if (stat > t.tauMax[n - 1]) return 1;
  if (stat < t.tauMin[n - 1]) return 0;
  const coef = stat <= t.tauStar[n - 1] ? t.smallP[n - 1] : t.largeP[n - 1];
  return normalCdf(polyAscending(coef, stat));
}

export interface CriticalValues {
  '1%': number;
  '5%': number;
  '10%': number;
}

/** MacKinnon (2010) critical values at 1%, 5%, 10% for sample size `nobs` (Infinity = asymptotic). */
export function mackinnoncrit(n = 1, regression: TrendCode = 'c', nobs = Infinity): CriticalValues {
  const t = tablesFor(regression, 1);
  const table = t.crit2010[n - 1];
  if (!table) return { '1%': NaN, '5%': NaN, '10%': NaN };
  const inv = Number.isFinite(nobs) ? 1 / nobs : 0;
  const level = (row: readonly number[]) => polyAscending(row, inv);
  return { '1%': level(table[0]), '5%': level(table[1]), '10%': level(table[2]) };
}
