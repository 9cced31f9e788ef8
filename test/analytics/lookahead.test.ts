import { describe, expect, it } from 'vitest';
import {
  expandingHedgeRatio,
  kalmanHedge,
  pairSeries,
  rollingCorrelation,
  rollingHedgeRatio,
  rollingMean,
  rollingStd,
  rollingZScore,
  spread,
} from '../../src/analytics';
import { lcg } from './fixtures';

/** Every per-bar output we publish, as named series (and the alert list). */
function outputs(t: number[], y: number[], x: number[]) {
  const kal = kalmanHedge(y, x, { delta: 1e-4, observationVariance: 1 });
  const s = spread(y, x, kal.beta, kal.alpha);
  const rollOls = rollingHedgeRatio(y, x, { method: 'ols', window: 50, every: 7 });
  const rollHuber = rollingHedgeRatio(y, x, { method: 'huber', window: 80, every: 13 });
  const exp = expandingHedgeRatio(y, x, { method: 'ols', window: 40, every: 5 });
  const series = pairSeries(t, y, x, {
    pair: 'P',
    hedge: { method: 'rolling', estimator: 'ols', window: 60, every: 3 },
    zWindow: 30,
    adfWindow: 100,
    adfEvery: 10,
    alerts: [{ kind: 'zscore', threshold: 1.5 }, { kind: 'correlationFloor', threshold: 0.3 }, { kind: 'adfPValue', threshold: 0.2 }],
  });
  return {
    named: {
      kalmanBeta: kal.beta, kalmanAlpha: kal.alpha, spread: s,
      mean: rollingMean(s, 25), std: rollingStd(s, 25), z: rollingZScore(s, 25),
      corr: rollingCorrelation(y, x, 30), corrLog: rollingCorrelation(y, x, 30, { returns: 'log' }),
      rollOls: rollOls.beta, rollOlsAlpha: rollOls.alpha, rollHuber: rollHuber.beta, expanding: exp.beta,
      seriesBeta: series.beta, seriesZ: series.zScore, seriesCorr: series.correlation, seriesAdf: series.adfPValue,
    } as Record<string, Float64Array>,
    alerts: series.alerts,
  };
}

describe('no look-ahead', () => {
  it('changing any bar after index t changes no rolling value, hedge ratio or alert at or before t', () => {
    const rnd = lcg(77);
    const n = 600;
    const t = Array.from({ length: n }, (_, i) => i * 60_000);
    const x: number[] = [];
    const y: number[] = [];
    let xv = 100, e = 0;
    for (let i = 0; i < n; i++) {
      xv += rnd() - 0.5;
      e = 0.9 * e + (rnd() - 0.5);
      x.push(xv);
      y.push(1.3 * xv + e);
    }
    const base = outputs(t, y, x);
    expect(base.alerts.length).toBeGreaterThan(3);
    for (const cut of [0, 45, 99, 250, 421, 598]) {
      const y2 = y.map((v, i) => (i > cut ? v * (1 + 0.3 * (rnd() - 0.5)) + 5 : v));
      const x2 = x.map((v, i) => (i > cut ? v * (1 + 0.3 * (rnd() - 0.5)) : v));
      const changed = outputs(t, y2, x2);
      let anyLaterChange = false;
      for (const [name, values] of Object.entries(base.named)) {
        const other = changed.named[name];
        for (let i = 0; i <= cut; i++) expect(Object.is(other[i], values[i]), `${name}[${i}] changed after editing bars > ${cut}`).toBe(true);
        for (let i = cut + 1; i < n; i++) if (!Object.is(other[i], values[i])) anyLaterChange = true;
      }
      expect(anyLaterChange).toBe(true); // the edit did reach the outputs after t
      const before = (a: typeof base.alerts) => a.filter((ev) => ev.time <= t[cut]);
      expect(before(changed.alerts)).toEqual(before(base.alerts));
    }
  });
});
