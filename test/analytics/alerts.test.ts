import { describe, expect, it } from 'vitest';
import { AlertEngine, type AlertEvent, type AlertRule, PairState } from '../../src/analytics';
import { Prng } from '../../src/feed/sim/prng';

function feed(engine: AlertEngine, pair: string, zs: number[], stepMs = 1000): AlertEvent[] {
  return zs.flatMap((z, i) => engine.evaluate(pair, i * stepMs, { zScore: z }));
}

describe('alert engine', () => {
  it('a |z| hovering at the threshold fires once (default hysteresis 10%)', () => {
    const engine = new AlertEngine({ P: [{ kind: 'zscore', threshold: 2 }] });
    const events = feed(engine, 'P', [1.9, 2.01, 1.99, 2.02, 1.98, 2.03, 1.85, 2.05, 1.95]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ time: 1000, pair: 'P', rule: 'zscore', value: 2.01, threshold: 2 });
    expect(events[0].message).toMatch(/P: \|z\| = 2\.010 reached 2/);
  });

  it('re-arms once the value retreats past threshold − hysteresis, then fires again (either sign)', () => {
    const engine = new AlertEngine({ P: [{ kind: 'zscore', threshold: 2, hysteresis: 0.3 }] });
    const events = feed(engine, 'P', [2.1, 1.8, 2.2, 1.69, -2.5, -1.9, -2.1, 0, 2.0]);
    expect(events.map((e) => e.time)).toEqual([0, 4000, 8000]);
  });

  it('without hysteresis a hovering value fires at every crossing; cool-down limits that', () => {
    const hover = [1.9, 2.01, 1.99, 2.02, 1.98, 2.03, 1.97, 2.04];
    expect(feed(new AlertEngine({ P: [{ kind: 'zscore', threshold: 2, hysteresis: 0 }] }), 'P', hover)).toHaveLength(4);
    const cooled = feed(new AlertEngine({ P: [{ kind: 'zscore', threshold: 2, hysteresis: 0, cooldownMs: 4000 }] }), 'P', hover);
    expect(cooled.map((e) => e.time)).toEqual([1000, 5000]);
  });

  it('NaN (not defined yet) leaves a rule untouched', () => {
    const engine = new AlertEngine({ P: [{ kind: 'zscore', threshold: 2 }] });
    expect(feed(engine, 'P', [NaN, NaN, 2.5, NaN, 2.6])).toHaveLength(1);
    expect(engine.activeRules('P')).toEqual({ zscore: true });
  });

  it('spread width, correlation floor, ADF p-value ceiling and stale data, combined per pair', () => {
    const engine = new AlertEngine({
      A: [
        { kind: 'spreadWidth', threshold: 5 },
        { kind: 'correlationFloor', threshold: 0.5 },
        { kind: 'adfPValue', threshold: 0.05 },
        { kind: 'stale', threshold: 10_000 },
      ],
      B: [{ kind: 'zscore', threshold: 3, name: 'z3' }],
    });
    const fired: AlertEvent[] = [];
    fired.push(...engine.evaluate('A', 0, { spread: -6, correlation: 0.8, adfPValue: 0.01, lastBarTime: 0 }));
    fired.push(...engine.evaluate('A', 1000, { spread: 1, correlation: 0.45, adfPValue: 0.2, lastBarTime: 1000 }));
    fired.push(...engine.evaluate('A', 12_000, { lastBarTime: 1000 }));
    fired.push(...engine.evaluate('A', 13_000, { lastBarTime: 1000 }));
    fired.push(...engine.evaluate('B', 13_000, { zScore: -3.5, spread: 100 }));
    expect(fired.map((e) => [e.pair, e.rule, e.time, e.value, e.threshold])).toEqual([
      ['A', 'spreadWidth', 0, -6, 5],
      ['A', 'correlationFloor', 1000, 0.45, 0.5],
      ['A', 'adfPValue', 1000, 0.2, 0.05],
      ['A', 'stale', 12_000, 11_000, 10_000],
      ['B', 'z3', 13_000, -3.5, 3],
    ]);
    // stale re-arms when a fresh bar arrives
    expect(engine.evaluate('A', 14_000, { lastBarTime: 14_000 })).toHaveLength(0);
    expect(engine.evaluate('A', 30_000, { lastBarTime: 14_000 }).map((e) => e.rule)).toEqual(['stale']);
  });

  it('PairState.checkStale fires the stale rule from a timer without a new bar', () => {
    const state = new PairState({ pair: 'P', hedge: { method: 'fixed', beta: 1 }, zWindow: 5, alerts: [{ kind: 'stale', threshold: 5000 }] });
    state.append(1000, 10, 9);
    expect(state.checkStale(4000)).toHaveLength(0);
    expect(state.checkStale(7000)).toMatchObject([{ rule: 'stale', value: 6000, pair: 'P' }]);
    expect(state.checkStale(8000)).toHaveLength(0);
  });

  it('evaluateSeries fires the same events in the same order as evaluate bar by bar, and leaves the same state', () => {
    const rules: AlertRule[] = [
      { kind: 'zscore', threshold: 1.5, cooldownMs: 7000 },
      { kind: 'spreadWidth', threshold: 2, hysteresis: 0 },
      { kind: 'correlationFloor', threshold: 0.2 },
      { kind: 'adfPValue', threshold: 0.3, hysteresis: 0.05 },
      { kind: 'stale', threshold: 2500 },
    ];
    const rng = new Prng(17);
    const n = 2000;
    const time = new Float64Array(n);
    const metric = () => new Float64Array(n);
    const m = { zScore: metric(), spread: metric(), correlation: metric(), adfPValue: metric(), lastBarTime: metric() };
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += rng.next() < 0.05 ? 4000 : 1000;
      time[i] = t;
      m.lastBarTime[i] = rng.next() < 0.1 ? t - 3000 : t;
      m.zScore[i] = rng.next() < 0.05 ? NaN : 2 * Math.sin(i / 15) + 0.3 * (rng.next() - 0.5);
      m.spread[i] = 2.5 * Math.sin(i / 40) + (rng.next() - 0.5);
      m.correlation[i] = i < 50 ? NaN : 0.3 + 0.3 * Math.sin(i / 70);
      m.adfPValue[i] = i % 100 < 30 ? NaN : rng.next() * 0.5;
    }
    const perBar = new AlertEngine({ P: rules });
    const expected: AlertEvent[] = [];
    for (let i = 0; i < n; i++) {
      const at = (k: keyof typeof m) => m[k][i];
      expected.push(...perBar.evaluate('P', time[i], { zScore: at('zScore'), spread: at('spread'), correlation: at('correlation'), adfPValue: at('adfPValue'), lastBarTime: at('lastBarTime') }));
    }
    const batch = new AlertEngine({ P: rules });
    const events = batch.evaluateSeries('P', time, m);
    expect(new Set(expected.map((e) => e.rule)).size).toBe(rules.length);
    expect(events).toEqual(expected);
    expect(batch.activeRules('P')).toEqual(perBar.activeRules('P'));
    expect(() => batch.evaluateSeries('P', time, { zScore: m.zScore.subarray(1) })).toThrow(/zscore have 1999 values but time has 2000/);
  });
});
