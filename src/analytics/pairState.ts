import { AlertEngine, type AlertEvent } from './alerts';
import { pearson } from './correlation';
import { fitHedgeWindow } from './hedgeRatio';
import { KalmanFilter } from './kalman';
import { type PairBar, type PairModelOptions, adfDue, checkPairModel } from './pairModel';
import { spreadAdfPValue } from './pairSeries';
import { windowMoments } from './rolling';
import { AnalyticsInputError } from './validate';

/** A bounded history: keeps at least the last `keep` values, O(1) amortised append. */
class History {
  private values: number[] = [];
  private offset = 0;
  constructor(private readonly keep: number) {}
  push(v: number): void {
    this.values.push(v);
    if (this.values.length > 2 * this.keep + 64) {
      const drop = this.values.length - this.keep;
      this.values = this.values.slice(drop);
      this.offset += drop;
    }
  }
  /** Total values ever pushed. */
  get count(): number {
    return this.offset + this.values.length;
  }
  /** The last `k` values, oldest first, as a Float64Array. */
  last(k: number): Float64Array {
    return Float64Array.from(this.values.slice(this.values.length - k));
  }
  at(index: number): number {
    return this.values[index - this.offset];
  }
}

export interface PairUpdate extends PairBar {
  alerts: AlertEvent[];
}

/**
 * Live analytics for one pair: `append` takes one bar and returns that bar's hedge ratio, spread,
 * rolling z-score, correlation, ADF p-value and firing alerts, in O(window) (a Huber re-estimate costs
 * a few passes over its window), equal to `pairSeries` on the whole history.
 */
export class PairState {
  readonly options: PairModelOptions;
  readonly alerts: AlertEngine;
  private readonly kalman: KalmanFilter | null;
  private readonly ys: History;
  private readonly xs: History;
  private readonly spreads: History;
  private readonly rets: History;
  private beta = NaN;
  private alpha = NaN;
  private adfP = NaN;
  private lastTime = -Infinity;
  private lastPrice: [number, number] = [NaN, NaN];

  constructor(options: PairModelOptions) {
    checkPairModel(options);
    this.options = options;
    const h = options.hedge;
    this.kalman = h.method === 'kalman' ? new KalmanFilter(h.params) : null;
    if (h.method === 'fixed') {
      this.beta = h.beta;
      this.alpha = h.alpha ?? 0;
    }
    const cw = options.correlationWindow ?? options.zWindow;
    this.ys = new History(h.method === 'rolling' ? h.window : 1);
    this.xs = new History(h.method === 'rolling' ? h.window : 1);
    this.spreads = new History(Math.max(options.zWindow, options.adfWindow ?? 0));
    this.rets = new History(cw * 2);
    this.alerts = new AlertEngine(options.alerts ? { [options.pair]: options.alerts } : {});
  }

  get count(): number {
    return this.ys.count;
  }

  /** Adds the next bar (times strictly increasing, finite prices) and returns its analytics. */
  append(time: number, y: number, x: number): PairUpdate {
    if (!Number.isFinite(y) || !Number.isFinite(x)) throw new AnalyticsInputError(`bar at ${time}: y=${y}, x=${x}; both prices must be finite (skip or fill the gap first)`);
    if (!(time > this.lastTime)) throw new AnalyticsInputError(`bar time ${time} is not after the previous bar (${this.lastTime}): append bars in time order, once each`);
    const o = this.options;
    const t = this.ys.count;
    this.ys.push(y);
    this.xs.push(x);
    this.lastTime = time;
    const h = o.hedge;
    if (this.kalman) {
      const step = this.kalman.update(y, x);
      this.beta = step.beta;
      this.alpha = step.alpha;
    } else if (h.method === 'rolling' && t >= h.window - 1 && (t - (h.window - 1)) % (h.every ?? 1) === 0) {
      [this.beta, this.alpha] = fitHedgeWindow(this.ys.last(h.window), this.xs.last(h.window), 0, h.window, h.estimator ?? 'ols', h.huber);
    }
    const s = y - (this.alpha + this.beta * x);
    this.spreads.push(s);
    const { mean, std } = this.spreads.count >= o.zWindow ? windowMoments(this.spreads.last(o.zWindow), o.zWindow - 1, o.zWindow) : { mean: NaN, std: NaN };
    const zScore = std > 0 ? (s - mean) / std : NaN;

    const kind = o.returns ?? 'simple';
    const [py, px] = this.lastPrice;
    this.rets.push(kind === 'simple' ? y / py - 1 : Math.log(y / py));
    this.rets.push(kind === 'simple' ? x / px - 1 : Math.log(x / px));
    this.lastPrice = [y, x];
    const cw = o.correlationWindow ?? o.zWindow;
    let correlation = NaN;
    if (t >= cw) {
      const pairs = this.rets.last(2 * cw);
      const ry = new Float64Array(cw);
      const rx = new Float64Array(cw);
      for (let i = 0; i < cw; i++) {
        ry[i] = pairs[2 * i];
        rx[i] = pairs[2 * i + 1];
      }
      correlation = ry.every(Number.isFinite) && rx.every(Number.isFinite) ? Math.max(-1, Math.min(1, pearson(ry, rx))) : NaN;
    }
    if (adfDue(o, t)) this.adfP = spreadAdfPValue(this.spreads.last(o.adfWindow as number), (o.adfWindow as number) - 1, o.adfWindow as number);
    const bar: PairBar = { time, beta: this.beta, alpha: this.alpha, spread: s, spreadMean: mean, spreadStd: std, zScore, correlation, adfPValue: this.adfP };
    const alerts = this.alerts.evaluate(o.pair, time, { zScore, spread: s, correlation, adfPValue: this.adfP, lastBarTime: time });
    return { ...bar, alerts };
  }

  /** Evaluates the stale-data rule at wall-clock `now` (no new bar); returns alerts that fire. */
  checkStale(now: number): AlertEvent[] {
    if (!Number.isFinite(this.lastTime)) return [];
    return this.alerts.evaluate(this.options.pair, now, { lastBarTime: this.lastTime });
  }
}
