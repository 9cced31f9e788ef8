// An in-memory StoreReader serving a cointegrated pair of one-second bars, for pair-view tests that need no DuckDB.
import { Prng } from '../../../src/feed/sim/prng';
import type { BarSeries, PairBars, PairBarsQuery, LatestBarsQuery, StoreReader } from '../../../src/store';

export const TF = 1_000;
export const T0 = Date.UTC(2026, 0, 5);

/** A store serving a cointegrated pair of one-second bars, published a few at a time; recent bars can be revised. */
export class GrowingPairStore implements StoreReader {
  readonly dir = '(memory)';
  published = 0;
  private readonly closes: Record<'y' | 'x', Float64Array>;

  constructor(total: number, seed = 3) {
    const rng = new Prng(seed);
    const y = new Float64Array(total);
    const x = new Float64Array(total);
    let px = 100;
    let s = 0;
    for (let i = 0; i < total; i++) {
      px += rng.normal() * 0.05;
      s = 0.9 * s + rng.normal() * 0.05;
      x[i] = px;
      y[i] = 2 * px + 5 + s;
    }
    this.closes = { y, x };
  }

  publish(bars: number): void {
    this.published += bars;
  }

  /** A late trade moves the close of a published bar `back` bars before the newest. */
  revise(back: number, by: number): void {
    this.closes.y[this.published - 1 - back] += by;
  }

  private series(leg: 'y' | 'x', lo: number, hi: number): BarSeries {
    const close = this.closes[leg].slice(lo, hi);
    const time = Float64Array.from({ length: hi - lo }, (_, i) => T0 + (lo + i) * TF);
    const nan = new Float64Array(hi - lo).fill(NaN);
    return {
      symbol: leg === 'y' ? 'YUSDT' : 'XUSDT', timeframeMs: TF, time, open: close, high: close, low: close, close,
      volume: new Float64Array(hi - lo).fill(1), trades: nan, vwap: nan, filled: new Uint8Array(hi - lo),
    };
  }

  private index(t: number | undefined, fallback: number): number {
    return t === undefined ? fallback : Math.min(this.published, Math.max(0, Math.ceil((t - T0) / TF)));
  }

  async pairBars(q: PairBarsQuery): Promise<PairBars> {
    const lo = this.index(q.from, 0);
    const hi = Math.max(lo, this.index(q.to, this.published));
    return { y: this.series('y', lo, hi), x: this.series('x', lo, hi) };
  }

  async latestBars(q: LatestBarsQuery): Promise<BarSeries> {
    return this.series(q.symbol === 'YUSDT' ? 'y' : 'x', Math.max(0, this.published - q.count), this.published);
  }

  async symbols(): Promise<string[]> { return ['XUSDT', 'YUSDT']; }
  async highWaterMarks(): Promise<never> { throw new Error('not used by a pair view'); }
  async timeRanges(): Promise<never> { throw new Error('not used by a pair view'); }
  async bars(): Promise<never> { throw new Error('not used by a pair view'); }
  async symbolsBars(): Promise<never> { throw new Error('not used by a pair view'); }
  async alerts(): Promise<never> { throw new Error('not used by a pair view'); }
  async quotes(): Promise<never> { throw new Error('not used by a pair view'); }
  async quotes1s(): Promise<never> { throw new Error('not used by a pair view'); }
  async marks(): Promise<never> { throw new Error('not used by a pair view'); }
  async funding(): Promise<never> { throw new Error('not used by a pair view'); }
  async gaps(): Promise<never> { throw new Error('not used by a pair view'); }
  async query(): Promise<never> { throw new Error('not used by a pair view'); }
  async close(): Promise<void> {}
}
