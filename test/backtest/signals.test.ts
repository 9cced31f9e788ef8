import { describe, expect, it } from 'vitest';
import { expandingHedgeRatio, kalmanHedge, rollingHedgeRatio } from '../../src/analytics';
import { computeSignals, hedgeLabel } from '../../src/backtest/signals';
import { syntheticPair } from './helpers';

const pair = syntheticPair(400, 5);

describe('signals from the analytics library', () => {
  it('a fixed β on price levels: spread y − β·x − α and its rolling z (window includes the bar, sample std)', () => {
    const s = computeSignals(pair, { kind: 'fixed', beta: 2, intercept: 10 }, 25);
    const spread = Array.from(pair.yClose, (y, i) => y - 10 - 2 * pair.xClose[i]);
    s.spread.forEach((v, i) => expect(v).toBeCloseTo(spread[i], 10));
    const t = 100;
    const win = spread.slice(t - 24, t + 1);
    const m = win.reduce((a, b) => a + b) / 25;
    const sd = Math.sqrt(win.reduce((a, b) => a + (b - m) ** 2, 0) / 24);
    expect(s.z[t]).toBeCloseTo((spread[t] - m) / sd, 9);
    expect(s.z[23]).toBeNaN();
    expect(s.z[24]).not.toBeNaN();
  });

  it('log scale regresses log closes', () => {
    const s = computeSignals(pair, { kind: 'fixed', beta: 0.9 }, 25, 'log');
    expect(s.spread[7]).toBeCloseTo(Math.log(pair.yClose[7]) - 0.9 * Math.log(pair.xClose[7]), 12);
  });

  it('rolling, expanding and Kalman hedge ratios are the analytics functions on closes', () => {
    const rolling = computeSignals(pair, { kind: 'rolling', estimator: 'huber', window: 60, every: 5 }, 20);
    expect(rolling.hedgeRatio).toEqual(rollingHedgeRatio(pair.yClose, pair.xClose, { method: 'huber', window: 60, every: 5 }).beta);
    const expanding = computeSignals(pair, { kind: 'expanding', estimator: 'ols', minBars: 50 }, 20);
    expect(expanding.hedgeRatio).toEqual(expandingHedgeRatio(pair.yClose, pair.xClose, { method: 'ols', window: 50 }).beta);
    const params = { delta: 1e-3, observationVariance: 2 };
    const kalman = computeSignals(pair, { kind: 'kalman', params }, 20);
    const k = kalmanHedge(pair.yClose, pair.xClose, params);
    expect(kalman.hedgeRatio).toEqual(k.beta);
    expect(kalman.intercept).toEqual(k.alpha);
    expect(kalman.spread[300]).toBeCloseTo(pair.yClose[300] - k.alpha[300] - k.beta[300] * pair.xClose[300], 12);
  });

  it('labels name the method for tables', () => {
    expect(hedgeLabel({ kind: 'rolling', estimator: 'ols', window: 500, every: 10 })).toBe('rolling-ols(500/10)');
    expect(hedgeLabel({ kind: 'expanding', estimator: 'huber', minBars: 100 })).toBe('expanding-huber(100/1)');
    expect(hedgeLabel({ kind: 'kalman' })).toBe('kalman(0.0001/0.001)');
    expect(hedgeLabel({ kind: 'kalman', params: { observationVariance: 2 } })).toBe('kalman(0.0001/2)');
    expect(hedgeLabel({ kind: 'fixed', beta: 1.5 })).toBe('fixed(1.5)');
  });
});
