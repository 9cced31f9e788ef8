import { describe, expect, it } from 'vitest';
import { computeSeries, type SeriesOptions } from '../../kernel-lib/src/analysis/series';

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
        const tail = computeSeries(y, x, opts, from, { spread: before.series.spread, kalman: before.kalman });
        for (const key of ['hedgeRatio', 'intercept', 'spread', 'zScore', 'correlation'] as const) {
          const expected = Array.from(full.series[key].subarray(from));
          const got = Array.from(tail.series[key]);
          expect(got.length).toBe(expected.length);
          got.forEach((v, i) => {
            if (Number.isNaN(expected[i])) expect(v, `${key}[${from + i}]`).toBeNaN();
            else expect(v, `${key}[${from + i}] from cut ${cut}`).toBeCloseTo(expected[i], 8);
          });
        }
      }
    });
  }

  it('nothing before a bar changes when later bars change (no look-ahead)', () => {
    const opts = methods[0];
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
