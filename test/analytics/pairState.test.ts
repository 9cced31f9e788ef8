import { describe, expect, it } from 'vitest';
import { type PairModelOptions, PairState, pairSeries } from '../../src/analytics';
import { closeTo, lcg } from './fixtures';

function market(n: number, seed: number): { t: number[]; y: number[]; x: number[] } {
  const rnd = lcg(seed);
  const t: number[] = [], y: number[] = [], x: number[] = [];
  let xv = 30_000, e = 0;
  for (let i = 0; i < n; i++) {
    xv *= 1 + (rnd() - 0.5) * 0.002;
    e = 0.97 * e + (rnd() - 0.5) * 4;
    t.push(1_700_000_000_000 + i * 1000);
    x.push(xv);
    y.push(0.06 * xv + 20 + e + (i % 211 === 0 ? 15 : 0));
  }
  return { t, y, x };
}

const alerts: PairModelOptions['alerts'] = [
  { kind: 'zscore', threshold: 2 },
  { kind: 'spreadWidth', threshold: 12 },
  { kind: 'correlationFloor', threshold: 0.2, cooldownMs: 30_000 },
  { kind: 'adfPValue', threshold: 0.1 },
];
const hedges: PairModelOptions['hedge'][] = [
  { method: 'kalman', params: { delta: 1e-5, observationVariance: 1 } },
  { method: 'fixed', beta: 0.06, alpha: 20 },
  { method: 'rolling', estimator: 'ols', window: 120, every: 10 },
  { method: 'rolling', estimator: 'huber', window: 300, every: 60 },
];

describe.each(hedges.map((h) => [`${h.method}${'estimator' in h ? `/${String(h.estimator)}` : ''}`, h] as const))('PairState (%s) equals a full recompute', (_label, hedge) => {
  it('bar by bar: hedge ratio, spread, z-score, correlation, ADF p-value and alerts', () => {
    const { t, y, x } = market(1500, 5);
    const options: PairModelOptions = { pair: 'Y/X', hedge, zWindow: 60, correlationWindow: 90, adfWindow: 200, adfEvery: 50, alerts };
    const full = pairSeries(t, y, x, options);
    const state = new PairState(options);
    const events = [];
    for (let i = 0; i < t.length; i++) {
      const u = state.append(t[i], y[i], x[i]);
      events.push(...u.alerts);
      for (const key of ['beta', 'alpha', 'spread', 'spreadMean', 'spreadStd', 'zScore', 'correlation', 'adfPValue'] as const) {
        expect(closeTo(u[key], full[key][i], 1e-9, 1), `${key} at bar ${i}: ${u[key]} vs ${full[key][i]}`).toBe(true);
      }
    }
    expect(full.alerts.length).toBeGreaterThan(0);
    expect(events.map((e) => [e.time, e.rule])).toEqual(full.alerts.map((e) => [e.time, e.rule]));
    events.forEach((e, k) => expect(closeTo(e.value, full.alerts[k].value, 1e-9, 1)).toBe(true));
  });
});

describe('PairState input order', () => {
  it('refuses a bar that is not after the previous one', () => {
    const state = new PairState({ pair: 'P', hedge: { method: 'kalman' }, zWindow: 10 });
    state.append(2000, 1, 1);
    expect(() => state.append(2000, 1, 1)).toThrow(/not after the previous bar/);
  });
});
