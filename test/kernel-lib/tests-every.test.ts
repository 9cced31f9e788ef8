// A view with `testsEvery` re-runs its ADF, half-life and R² only at its scheduled bars, and between them keeps the
// last results while the newest bar's cards (hedge ratio, spread, z, correlation, bars) follow every refresh.
import { describe, expect, it } from 'vitest';
import { PairView } from '../../kernel-lib/src/analysis/pairView';
import { pairPhase } from '../../kernel-lib/src/analysis/phase';
import { GrowingPairStore, TF } from './support/growingPairStore';

describe('tests every so many bars', () => {
  it('tests at the pair\'s scheduled bars with the values of a view that tests on every refresh, and keeps them between', async () => {
    const store = new GrowingPairStore(800);
    store.publish(300);
    const opts = { timeframe: '1s', window: 20, hedge: 'ols' as const, hedgeWindow: 60, testBars: 200 };
    const every = await PairView.load(store, 'YUSDT', 'XUSDT', opts);
    const sparse = await PairView.load(store, 'YUSDT', 'XUSDT', { ...opts, testsEvery: 10 });
    const phase = pairPhase(sparse.pair, 10);
    let tested = 0;
    let last = sparse.metrics;
    for (let step = 0; step < 60; step++) {
      store.publish(1);
      await every.refresh();
      await sparse.refresh();
      const newest = sparse.time[sparse.length - 1];
      for (const k of ['hedgeRatio', 'intercept', 'zScore', 'spread', 'correlation', 'bars', 'lastTime'] as const) expect(sparse.metrics[k]).toBe(every.metrics[k]);
      // a refresh redoes the newest bar and the one before it (it was still forming): either may be a test bar
      const due = [newest, newest - TF].some((t) => ((Math.round(t / TF) - phase) % 10 + 10) % 10 === 0);
      if (due) {
        tested++;
        expect(sparse.metrics.adfPValue).toBe(every.metrics.adfPValue);
        expect(sparse.metrics.halfLifeBars).toBe(every.metrics.halfLifeBars);
        last = sparse.metrics;
      } else {
        expect(sparse.metrics.adfPValue).toBe(last.adfPValue);
        expect(sparse.metrics.rSquared).toBe(last.rSquared);
      }
    }
    expect(tested).toBeGreaterThanOrEqual(6);
    expect(tested).toBeLessThan(60);
  });
});
