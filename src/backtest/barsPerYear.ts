/** Annualisation for markets that trade 24/7: a year is 365 days of bars. */

export const MS_PER_YEAR = 365 * 24 * 60 * 60 * 1000;

/** Bars in a 365-day year for bars of `barMs` milliseconds (1 m → 525,600; 1 h → 8,760). */
export function barsPerYear(barMs: number): number {
  if (!(Number.isFinite(barMs) && barMs > 0)) throw new RangeError(`bar length is ${barMs} ms: it must be a positive number of milliseconds`);
  return MS_PER_YEAR / barMs;
}

/** The factor that turns a per-bar Sharpe ratio or volatility into an annual one: √(bars per year). */
export function annualisationFactor(barMs: number): number {
  return Math.sqrt(barsPerYear(barMs));
}
