/**
 * Running statistics of an equity curve, fed one bar at a time: per-bar simple returns (the first against
 * the starting capital), their sum, sum of squares and downside sum of squares, and the deepest and longest
 * drawdown (bars from the last bar at a peak to the bar that regains it, or to the last bar).
 * Stretches of unchanged equity can be fed in O(1), which is how the simulation skips flat bars.
 */
export interface CurveSummary {
  bars: number;
  meanReturn: number;
  /** Sample std (ddof 1). */
  stdReturn: number;
  /** Root mean square of min(r, 0) over all bars (target 0). */
  downsideDeviation: number;
  maxDrawdown: number;
  maxDrawdownBars: number;
  maxDrawdownMs: number;
  finalEquity: number;
}

export class CurveStats {
  private prev: number;
  private sum = 0;
  private sumSq = 0;
  private downSq4 = 0;
  private peak: number;
  private peakBar = -1;
  private under = false;
  private maxDd = 0;
  private ddFloor: number;
  private longest = 0;
  private longestFrom = -1;
  private longestTo = -1;

  constructor(capital: number) {
    this.prev = capital;
    this.peak = capital;
    this.ddFloor = capital;
  }

  /** Bars [from, to) of `equity` (bars in order, each once). */
  addSeries(equity: Float64Array, from: number, to: number): void {
    let { prev, sum, sumSq, downSq4, peak, peakBar, under, maxDd, ddFloor } = this;
    for (let i = from; i < to; i++) {
      const e = equity[i];
      const r = e / prev - 1;
      prev = e;
      sum += r;
      sumSq += r * r;
      // 2·min(r, 0) without a branch: the sign of r is unpredictable and Math.min branches on NaN and −0
      const down = r - Math.abs(r);
      downSq4 += down * down;
      if (e >= peak) {
        if (under) this.drawdownEnds(peakBar, i);
        under = false;
        peak = e;
        peakBar = i;
        ddFloor = e * (1 - maxDd);
      } else {
        under = true;
        if (e < ddFloor) {
          maxDd = 1 - e / peak;
          ddFloor = e;
        }
      }
    }
    this.prev = prev;
    this.sum = sum;
    this.sumSq = sumSq;
    this.downSq4 = downSq4;
    this.peak = peak;
    this.peakBar = peakBar;
    this.under = under;
    this.maxDd = maxDd;
    this.ddFloor = ddFloor;
  }

  /** Bars [from, to) whose equity equals the previous bar's: zero returns, no new peak or trough. */
  addFlat(from: number, to: number): void {
    if (to > from && !this.under) this.peakBar = to - 1;
  }

  private drawdownEnds(peakBar: number, i: number): void {
    if (i - peakBar > this.longest) {
      this.longest = i - peakBar;
      this.longestFrom = peakBar;
      this.longestTo = i;
    }
  }

  /** The summary after `bars` bars whose times are `time` (range-relative, same indices as `add`). */
  summary(bars: number, time: Float64Array): CurveSummary {
    if (this.under) this.drawdownEnds(this.peakBar, bars - 1);
    const mean = this.sum / bars;
    // Σr² − n·mean² loses nothing here: per-bar returns have |mean| far below their std
    const sq = Math.max(this.sumSq - this.sum * mean, 0);
    return {
      bars,
      meanReturn: mean,
      stdReturn: bars > 1 ? Math.sqrt(sq / (bars - 1)) : NaN,
      downsideDeviation: Math.sqrt(this.downSq4 / 4 / bars),
      maxDrawdown: this.maxDd,
      maxDrawdownBars: this.longest,
      maxDrawdownMs: this.longest > 0 ? time[this.longestTo] - time[Math.max(this.longestFrom, 0)] : 0,
      finalEquity: this.prev,
    };
  }
}

/** The summary of a whole equity curve. */
export function summariseCurve(equity: Float64Array, time: Float64Array, capital: number): CurveSummary {
  const c = new CurveStats(capital);
  c.addSeries(equity, 0, equity.length);
  return c.summary(equity.length, time);
}
