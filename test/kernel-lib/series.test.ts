import { describe, expect, it } from 'vitest';
import { ols } from '../../src/analytics';
import {
  type KalmanCheckpoint, computeSeries, hedgeFitBars, kalmanParamsFor, refitPhase, seriesLookback, type SeriesOptions,
} from '../../kernel-lib/src/analysis/series';

/** A cointegrated pair: x a random walk, y = 2x + 5 + an AR(1) spread (seeded, reproducible). */
function syntheticPair(n: number, seed = 7): { y: Float64Array; x: Float64Array } {
  let state = seed;
  const rand = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 - 0.5; };
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let px = 100;
  let s = 0;
  for (let i = 0; i < n; i++) {
    px += rand();
    s = 0.9 * s + rand();
    x[i] = px;
    y[i] = 2 * px + 5 + s;
  }
  return { y, x };
}

const methods: SeriesOptions[] = [
  { window: 30, hedge: 'ols', hedgeWindow: 100, hedgeEvery: 1 },
  { window: 30, hedge: 'huber', hedgeWindow: 120, hedgeEvery: 7 },
  { window: 25, hedge: 'kalman', hedgeWindow: 100, hedgeEvery: 1 },
  // the panel's default: an expanding fit from 30 bars until the hedge window fills
  { window: 30, hedge: 'ols', hedgeWindow: 100, hedgeEvery: 5, hedgeMinBars: 30 },
  { window: 30, hedge: 'huber', hedgeWindow: 120, hedgeEvery: 7, hedgeMinBars: 31 },
];

describe('pair series: a tail after new bars equals the full computation', () => {
  const { y, x } = syntheticPair(900);
  for (const opts of methods) {
    it(`${opts.hedge} (window ${opts.window}, hedge window ${opts.hedgeWindow}/${opts.hedgeEvery})`, () => {
      const full = computeSeries(y, x, opts);
      expect(full.series.zScore.some(Number.isFinite)).toBe(true);
      // The hedge ratio converges near the true 2 once warmed up.
      expect(Math.abs(full.series.hedgeRatio[899] - 2)).toBeLessThan(0.3);
      for (const cut of [1, 50, 120, 121, 500, 899]) {
        // What a live view had before bars [cut, 900) arrived (bar cut − 1 was still forming, so it is redone too).
        const before = computeSeries(y.subarray(0, cut), x.subarray(0, cut), opts);
        const from = cut - 1;
        const prior = { spread: before.series.spread, kalman: before.kalman?.find((c) => c.index === from - 1) };
        const tail = computeSeries(y, x, opts, from, prior);
        // a live view also hands over its hedge ratios, so that only the re-fits from `from` on are made
        const reused = computeSeries(y, x, opts, from, { ...prior, hedgeRatio: before.series.hedgeRatio, intercept: before.series.intercept });
        for (const key of ['hedgeRatio', 'intercept', 'spread', 'zScore', 'correlation'] as const) {
          const expected = Array.from(full.series[key].subarray(from));
          const got = Array.from(tail.series[key]);
          expect(got.length).toBe(expected.length);
          got.forEach((v, i) => {
            if (Number.isNaN(expected[i])) expect(v, `${key}[${from + i}]`).toBeNaN();
            else expect(v, `${key}[${from + i}] from cut ${cut}`).toBeCloseTo(expected[i], 8);
          });
          expect(Array.from(reused.series[key]), `${key} with the prior hedge ratios, from cut ${cut}`).toEqual(got);
        }
      }
    });
  }

  it.each([methods[0], methods[3]])('nothing before a bar changes when later bars change (no look-ahead), hedgeMinBars $hedgeMinBars', (opts) => {
    const a = computeSeries(y, x, opts).series;
    const y2 = y.slice();
    for (let i = 600; i < y2.length; i++) y2[i] += 50;
    const b = computeSeries(y2, x, opts).series;
    for (let i = 0; i < 600; i++) {
      expect(Object.is(a.zScore[i], b.zScore[i]) || a.zScore[i] === b.zScore[i]).toBe(true);
      expect(Object.is(a.hedgeRatio[i], b.hedgeRatio[i]) || a.hedgeRatio[i] === b.hedgeRatio[i]).toBe(true);
    }
    expect(a.zScore[650]).not.toBe(b.zScore[650]);
  });
});

describe('pair series: the expanding warm-up of the OLS hedge fit', () => {
  const { y, x } = syntheticPair(300);
  const opts: SeriesOptions = { window: 30, hedge: 'ols', hedgeWindow: 100, hedgeEvery: 5, hedgeMinBars: 30 };
  const s = computeSeries(y, x, opts).series;

  it('fits on every bar so far from hedgeMinBars on, re-fitting in phase with the full window, then rolls', () => {
    // re-fit bars are those t with (t − 99) % 5 = 0: 29, 34, …, 99, 104, …
    for (let t = 0; t < 29; t++) expect(s.hedgeRatio[t], `bar ${t}`).toBeNaN();
    for (const t of [29, 34, 64, 94]) {
      const fit = ols(y.subarray(0, t + 1), x.subarray(0, t + 1));
      expect(s.hedgeRatio[t]).toBeCloseTo(fit.beta, 10);
      // carried forward until the next re-fit
      expect(s.hedgeRatio[t + 4]).toBe(s.hedgeRatio[t]);
    }
    for (const t of [99, 104, 249]) expect(s.hedgeRatio[t]).toBeCloseTo(ols(y.subarray(t - 99, t + 1), x.subarray(t - 99, t + 1)).beta, 10);
    // the z-score starts once `window` spread values exist: bars 29 … 58
    expect(s.zScore[57]).toBeNaN();
    expect(Number.isFinite(s.zScore[58])).toBe(true);
  });

  it('flags the bars each fit used: fewer than the window while expanding', () => {
    expect(hedgeFitBars(opts, 28)).toBeNaN();
    expect(hedgeFitBars(opts, 29)).toBe(30);
    expect(hedgeFitBars(opts, 33)).toBe(30);
    expect(hedgeFitBars(opts, 34)).toBe(35);
    expect(hedgeFitBars(opts, 98)).toBe(95);
    expect(hedgeFitBars(opts, 99)).toBe(100);
    expect(hedgeFitBars(opts, 5000)).toBe(100);
    expect(hedgeFitBars({ ...opts, hedgeMinBars: undefined }, 98)).toBeNaN();
    expect(hedgeFitBars({ ...opts, hedge: 'kalman' }, 98)).toBeNaN();
  });

  it('without hedgeMinBars nothing is fitted before the window is full (the earlier behaviour)', () => {
    const full = computeSeries(y, x, { ...opts, hedgeMinBars: undefined }).series;
    expect(full.hedgeRatio[98]).toBeNaN();
    expect(full.hedgeRatio[99]).toBe(s.hedgeRatio[99]);
  });
});

describe('pair series: dropping the oldest bars leaves later tails unchanged', () => {
  const { y, x } = syntheticPair(900);
  const keys = ['hedgeRatio', 'intercept', 'spread', 'zScore', 'correlation'] as const;
  const cut = 700;
  const from = cut - 5; // a refresh that redoes the newest bars, as after late trades

  /** The tail [from, 900) computed on the inputs with their first `drop` bars removed, the prior shifted alike. */
  function tailAfterDrop(opts: SeriesOptions, drop: number, kalman = (cp: KalmanCheckpoint) => cp) {
    const before = computeSeries(y.subarray(0, cut), x.subarray(0, cut), opts);
    const cp = before.kalman?.find((c) => c.index === from - 1);
    const prior = { spread: before.series.spread.subarray(drop), kalman: cp && kalman({ ...cp, index: cp.index - drop }) };
    return computeSeries(y.subarray(drop), x.subarray(drop), opts, from - drop, prior).series;
  }
  const identical = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

  for (const opts of methods) {
    it(`${opts.hedge}: a drop by a multiple of the re-fit phase, outside the look-back, gives bit-identical values`, () => {
      const phase = refitPhase(opts);
      const drop = Math.floor((from - seriesLookback(opts)) / phase) * phase;
      expect(drop).toBeGreaterThan(400);
      const kept = tailAfterDrop(opts, 0);
      const trimmed = tailAfterDrop(opts, drop);
      for (const key of keys) expect(identical(trimmed[key], kept[key]), key).toBe(true);
      expect(kept.zScore.every(Number.isFinite)).toBe(true);
    });
  }

  it('huber: a drop out of phase with the re-fits would change the hedge ratio', () => {
    const opts = methods[1];
    const drop = Math.floor((from - seriesLookback(opts)) / opts.hedgeEvery) * opts.hedgeEvery;
    expect(identical(tailAfterDrop(opts, drop - 1).hedgeRatio, tailAfterDrop(opts, 0).hedgeRatio)).toBe(false);
  });

  it('kalman: the checkpoint keeps the parameters scaled to the original first bar', () => {
    const opts = methods[2];
    const rescaled = (cp: KalmanCheckpoint) => ({ ...cp, params: kalmanParamsFor(y[300], x[300], opts.kalman) });
    expect(identical(tailAfterDrop(opts, 300, rescaled).hedgeRatio, tailAfterDrop(opts, 0).hedgeRatio)).toBe(false);
  });
});
