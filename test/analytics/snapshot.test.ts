import { describe, expect, it } from 'vitest';
import { adfuller, coint, crossCorrelation, halfLife, hurst, ols, pairSeries, pairSnapshot, returns } from '../../src/analytics';
import { closeTo, loadFixture } from './fixtures';

interface AdfRef { regression: string; autolag: string | null; maxlag: number | null; statistic: number; pvalue: number; usedlag: number }
interface Case { y: number[]; x: number[]; adf: { spread: AdfRef[] }; coint: Record<string, { statistic: number; pvalue: number }> }
const { cases } = loadFixture<{ cases: Record<string, Case> }>('stationarity.json');

describe('pair snapshot', () => {
  const c = cases.coint_pair;
  const times = c.y.map((_, i) => 1_700_000_000_000 + i * 60_000);
  const options = { pair: 'Y/X', hedge: { method: 'kalman' as const }, zWindow: 50, alerts: [{ kind: 'zscore' as const, threshold: 2 }] };
  const snap = pairSnapshot(times, c.y, c.x, options);

  it('in-sample statistics equal statsmodels (spread ADF, Engle-Granger both ways)', () => {
    const adfRef = c.adf.spread.find((r) => r.regression === 'c' && r.autolag === 'aic' && r.maxlag === null);
    expect(adfRef).toBeDefined();
    if (!adfRef) return;
    expect(snap.inSample.adf.usedLag).toBe(adfRef.usedlag);
    expect(closeTo(snap.inSample.adf.statistic, adfRef.statistic, 1e-8)).toBe(true);
    expect(closeTo(snap.inSample.adf.pValue, adfRef.pvalue, 1e-8)).toBe(true);
    expect(closeTo(snap.inSample.cointYX?.pValue ?? NaN, c.coint.yx_c.pvalue, 1e-8)).toBe(true);
    expect(closeTo(snap.inSample.cointXY?.pValue ?? NaN, c.coint.xy_c.pvalue, 1e-8)).toBe(true);
  });

  it('is the composition of the individual functions', () => {
    const fit = ols(c.y, c.x);
    expect(snap.inSample.beta).toBe(fit.beta);
    expect(snap.inSample.rSquared).toBe(fit.rSquared);
    expect(snap.inSample.adf).toEqual(adfuller(fit.residuals));
    expect(snap.inSample.cointXY).toEqual(coint(c.x, c.y));
    expect(snap.inSample.halfLife).toEqual(halfLife(fit.residuals));
    expect(snap.inSample.hurst).toBe(hurst(fit.residuals));
    expect(snap.inSample.leadLag).toEqual(crossCorrelation(returns(c.y).subarray(1), returns(c.x).subarray(1), 5));
    const series = pairSeries(times, c.y, c.x, options);
    expect(snap.series.zScore).toEqual(series.zScore);
    expect(snap.series.alerts).toEqual(series.alerts);
    const last = c.y.length - 1;
    expect(snap.latest).toEqual({
      time: times[last],
      beta: series.beta[last],
      alpha: series.alpha[last],
      spread: series.spread[last],
      zScore: series.zScore[last],
      correlation: series.correlation[last],
      adfPValue: NaN,
    });
  });
});
