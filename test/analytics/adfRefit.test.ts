// The ADF refit at the chosen lag reuses the lag search's cross sums, adding only the rows the search left out;
// it must equal a fresh pass over the series at that lag.
import { describe, expect, it } from 'vitest';
import { adfColumns, adfSums, refitSums } from '../../src/analytics/adfGram';

function randomWalk(n: number, seed: number): Float64Array {
  let state = seed;
  const next = () => ((state = (state * 16807) % 2147483647) / 2147483647) - 0.5;
  const x = new Float64Array(n);
  let level = 30_000;
  for (let i = 0; i < n; i++) x[i] = level += next() + 0.3 * (i > 0 ? x[i - 1] - (i > 1 ? x[i - 2] : x[0]) : 0);
  return x;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(1, Math.abs(want[i]));
    expect(Math.abs(got[i] - want[i]) / scale, `${what}[${i}]`).toBeLessThan(1e-9);
  }
}

describe('ADF refit sums', () => {
  for (const [n, maxlag] of [[500, 17], [5_000, 30]] as const) {
    it(`equal a fresh pass at every lag 0..${maxlag} (${n} points)`, () => {
      const cols = adfColumns(randomWalk(n, 7 + n));
      const search = adfSums(cols, maxlag, maxlag);
      for (let lag = 0; lag <= maxlag; lag++) {
        const fresh = adfSums(cols, lag, lag);
        const refit = refitSums(search, cols, lag);
        expect(refit.rows).toBe(fresh.rows);
        expect(refit.p).toBe(lag);
        const upper = (s: Float64Array) => Array.from({ length: (lag + 1) * (lag + 1) }, (_, k) => (k % (lag + 1) >= Math.floor(k / (lag + 1)) ? s[k] : 0));
        expectClose(upper(refit.lagBlock), upper(fresh.lagBlock), `lagBlock at lag ${lag}`);
        expectClose(refit.levelCross, fresh.levelCross, `levelCross at lag ${lag}`);
        expectClose(refit.lagSums, fresh.lagSums, `lagSums at lag ${lag}`);
        expectClose([refit.levelSq, refit.levelSum], [fresh.levelSq, fresh.levelSum], `level sums at lag ${lag}`);
      }
    });
  }

  it('refuses a lag beyond the search', () => {
    const cols = adfColumns(randomWalk(200, 3));
    expect(() => refitSums(adfSums(cols, 5, 5), cols, 6)).toThrow(/outside 0..5/);
  });
});
