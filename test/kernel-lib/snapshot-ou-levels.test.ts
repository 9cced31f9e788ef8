// The snapshot's metric cards carry an Ornstein-Uhlenbeck fit of the spread over the view's test bars and Bertram's
// levels in z units, equal to calling ouFit and bertramLevels on that window; a spread no OU produces gets nulls
// and the fit's reason.
import { describe, expect, it } from 'vitest';
import { bertramLevels, ouFit } from '../../src/analytics';
import { PairView } from '../../kernel-lib/src/analysis/pairView';
import { metricCards } from '../../kernel-lib/src/panel/replies';
import { GrowingPairStore, TF } from './support/growingPairStore';

const OPTS = { timeframe: '1s', window: 20, hedge: 'ols' as const, hedgeWindow: 60, testBars: 300 };

describe('OU levels in the snapshot cards', () => {
  it('equal ouFit and bertramLevels on the test window, at 2 × 5 bps of the newest Y close, in stationary-std z', async () => {
    const store = new GrowingPairStore(700);
    store.publish(600);
    const view = await PairView.load(store, 'YUSDT', 'XUSDT', OPTS);
    const ou = metricCards(view).ou;
    const spread = view.series.spread.subarray(view.length - OPTS.testBars);
    expect(spread.every(Number.isFinite)).toBe(true);
    const fit = ouFit(spread, { dt: TF / 1000 });
    const y = view.leg('y').close;
    const cost = 2 * 0.0005 * y[y.length - 1];
    const levels = bertramLevels(fit, cost);
    const sdInf = fit.sigma / Math.sqrt(2 * fit.theta);
    expect(ou).toEqual({
      theta: fit.theta, halfLifeSeconds: fit.halfLife, mu: fit.mu, sigma: fit.sigma, entry: levels.entry, exit: levels.exit, cost,
      entryZ: (levels.entry - fit.mu) / sdInf, exitZ: (levels.exit - fit.mu) / sdInf, reason: null,
    });
    expect(ou?.entryZ).toBeLessThan(0);
    expect(ou?.exitZ).toBeCloseTo(-(ou?.entryZ ?? 0), 12);
  });

  it('are null with the fit\'s reason for a spread that alternates bar to bar', async () => {
    const store = new GrowingPairStore(700);
    store.publish(600);
    for (let back = 0; back < 400; back++) store.revise(back, back % 2 ? 3 : -3);
    const view = await PairView.load(store, 'YUSDT', 'XUSDT', OPTS);
    const ou = metricCards(view).ou;
    expect(ou?.reason).toMatch(/alternates bar to bar/);
    for (const k of ['theta', 'halfLifeSeconds', 'mu', 'sigma', 'entry', 'exit', 'cost', 'entryZ', 'exitZ'] as const) expect(ou?.[k]).toBeNull();
    expect(ou?.reason).not.toMatch(/undefined|NaN/);
  });
});
