// A live pair view: both legs' bars on one grid, the causal series, metric cards and alerts, refreshed
// incrementally from the store. Each refresh that changes anything gets a sequence number, so a client that
// saw sequence s can be sent only the bars from the first one changed after s. A live view shows its newest
// `maxBars` bars and holds a bounded number: the history its series read is kept, older bars are dropped in
// batches, so its memory stays flat however long the session runs.
import { AlertEngine, type AlertEvent } from '../../../src/analytics';
import { type BarSeries, type StoreReader, parseTimeframe } from '../../../src/store';
import type { ExecutionParams, ParamSearchParams, StrategyParams } from '../protocol';
import { ColumnSet } from './columns';
import { pairPhase, scheduledAmong } from './phase';
import { lowerBound } from './sorted';
import { type LagCorrelation, type PairMetrics, newestCards, pairMetrics } from './metrics';
import {
  type KalmanCheckpoint, type PairSeriesArrays, type SeriesOptions, type HedgeWarmup, KALMAN_CHECKPOINTS, computeSeries, hedgeWarmup, refitPhase, seriesLookback,
} from './series';
import type { SearchResult } from './backtesting';
import { type BacktestReport, analyticsCsv, backtestView, pairBarsCsv, paramSearchView, viewCharts } from './viewOutputs';
import type { CostChoice, MarketDataSource } from './recordedCosts';
import { type PairViewOptions, type ResolvedViewOptions, engineRules, resolveViewOptions } from './viewOptions';
import { type PaperTradeOptions, openPaperBook } from '../paper/paperBook';
import type { PaperSource, PaperTrader } from '../paper/paperTrader';

export { type PairViewOptions, type ResolvedViewOptions, resolveViewOptions } from './viewOptions';

const BAR_COLUMNS = ['time', 'yOpen', 'yHigh', 'yLow', 'yClose', 'yVolume', 'yFilled', 'xOpen', 'xHigh', 'xLow', 'xClose', 'xVolume', 'xFilled'] as const;
type BarColumn = (typeof BAR_COLUMNS)[number];
const SERIES_COLUMNS = ['hedgeRatio', 'intercept', 'spread', 'zScore', 'correlation'] as const;
/** Buckets re-read before the newest bar on refresh, so the pair grid lines up with what is held. */
const OVERLAP_BUCKETS = 30;
/** Sequence numbers are unique across views, so a number identifies the view that issued it. */
let nextSeq = 1;
/** Alerts are evaluated on at most this many new bars per refresh. */
const MAX_ALERT_BARS = 500;
/**
 * Bars a live view may hold beyond those it keeps, as a share of those: dropping the oldest bars moves the rest to
 * the front of the buffers, so it is done once per that many new bars rather than on every refresh.
 */
const TRIM_SLACK = 0.25;

/** How many bars a live view holds: it keeps `keepBars` and drops the oldest once it holds `keepBars + slackBars`. */
export interface ViewRetention {
  /** The newest `maxBars`, or more when a refresh's series read further back (a long hedge window). */
  keepBars: number;
  slackBars: number;
}

/** How many bars a live view with these options keeps, and how many more it holds before dropping the oldest. */
export function viewRetention(options: ResolvedViewOptions): ViewRetention {
  // A refresh redoes up to OVERLAP_BUCKETS + 1 bars, and its series read `seriesLookback` bars before those.
  const keepBars = Math.max(options.maxBars, OVERLAP_BUCKETS + 2 + seriesLookback(options));
  return { keepBars, slackBars: Math.max(refitPhase(options), Math.ceil(keepBars * TRIM_SLACK)) };
}

/** What a view reads bars from: a store reader, or a cache in front of one (a watchlist's). */
export type PairBarSource = Pick<StoreReader, 'pairBars' | 'latestBars'>;

/** What a refresh changed: the first changed bar index (null: nothing) and the alerts that fired. */
export interface RefreshResult {
  changedFrom: number | null;
  alerts: AlertEvent[];
}

/** One leg's OHLCV columns (views into the view's buffers). */
export interface LegColumns {
  symbol: string;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  filled: Float64Array;
}

/** A pair's bars and analytics, kept current by {@link PairView.refresh}. Create with {@link PairView.load}. */
export class PairView {
  readonly options: ResolvedViewOptions;
  readonly timeframeMs: number;
  /** Sequence number of the latest change; unique across all views of the process. */
  seq = 0;
  metrics: PairMetrics;
  crossCorrelation: LagCorrelation;
  readonly retention: ViewRetention;
  // Every bar the view holds, oldest first; the getters show the newest `maxBars` of them.
  private bars = new ColumnSet<BarColumn>(BAR_COLUMNS);
  private seriesColumns = new ColumnSet(SERIES_COLUMNS);
  /** Filter states after the newest bars (Kalman only), so a refresh that redoes recent bars resumes exactly. */
  private kalman: KalmanCheckpoint[] = [];
  /** Bars dropped from the front since the last load; `changes` count bars from the load, so a drop leaves them valid. */
  private dropped = 0;
  private readonly changes: Array<{ seq: number; from: number }> = [];
  private readonly alertEngine = new AlertEngine();

  private constructor(
    private readonly reader: PairBarSource,
    readonly y: string,
    readonly x: string,
    opts: PairViewOptions,
    private readonly alertSink?: (events: AlertEvent[]) => Promise<void>,
    private readonly exchangeNow: () => number = Date.now,
  ) {
    this.options = resolveViewOptions(opts);
    this.timeframeMs = parseTimeframe(opts.timeframe);
    this.retention = viewRetention(this.options);
    this.alertEngine.setRules(this.pair, engineRules(opts.alerts));
    // a pair with no bars yet (a fresh store) still has metric cards: all undefined, 0 bars
    const m = pairMetrics(this.time, this.bars.get('yClose'), this.bars.get('xClose'), this.series, this.options.testBars, this.options.maxLag, this.timeframeMs / 1000);
    this.metrics = m.metrics;
    this.crossCorrelation = m.crossCorrelation;
  }

  /**
   * Loads a view from the store. `alertSink` receives fired alerts (e.g. to write them to the alert log);
   * `exchangeNow` is the current time on the exchange's clock, which bar times use (the stale rule compares the two;
   * default: this machine's clock).
   */
  static async load(
    reader: PairBarSource,
    y: string,
    x: string,
    opts: PairViewOptions,
    alertSink?: (events: AlertEvent[]) => Promise<void>,
    exchangeNow?: () => number,
  ): Promise<PairView> {
    const view = new PairView(reader, y, x, opts, alertSink, exchangeNow);
    await view.reload();
    return view;
  }

  /** `Y/X`, the pair's name in the alert log. */
  get pair(): string {
    return `${this.y}/${this.x}`;
  }

  /** Bars shown: at most `maxBars`, the newest. */
  get length(): number {
    return this.bars.length - this.shownFrom;
  }

  /**
   * The OLS/Huber hedge fit's warm-up: `fitBars` is how many bars the hedge ratio at the newest bar was fitted on
   * (below `window` while the fit still expands over all bars so far; NaN before the first fit, and for Kalman), and
   * `until` the time of the newest shown bar whose fit used fewer than `window` bars (NaN when none is shown).
   */
  get hedgeWarmup(): HedgeWarmup {
    return hedgeWarmup(this.seriesOptions(), this.bars.get('time'), this.dropped, this.shownFrom);
  }

  /** Bar start times (a view into the view's buffers, like every column here: valid until the next refresh). */
  get time(): Float64Array {
    return this.bars.get('time').subarray(this.shownFrom);
  }

  /** Bars of one leg. */
  leg(which: 'y' | 'x'): LegColumns {
    const shown = (column: BarColumn) => this.bars.get(column).subarray(this.shownFrom);
    return {
      symbol: which === 'y' ? this.y : this.x,
      time: shown('time'),
      open: shown(`${which}Open`), high: shown(`${which}High`), low: shown(`${which}Low`),
      close: shown(`${which}Close`), volume: shown(`${which}Volume`), filled: shown(`${which}Filled`),
    };
  }

  /** Hedge ratio, intercept, spread, z-score and rolling correlation, one value per bar. */
  get series(): PairSeriesArrays {
    const shown = (column: (typeof SERIES_COLUMNS)[number]) => this.seriesColumns.get(column).subarray(this.shownFrom);
    return { hedgeRatio: shown('hedgeRatio'), intercept: shown('intercept'), spread: shown('spread'), zScore: shown('zScore'), correlation: shown('correlation') };
  }

  /** Bars held in memory (shown ones and the history the series read) and the room the buffers have. */
  get held(): { bars: number; capacity: number } {
    return { bars: this.bars.length, capacity: Math.max(this.bars.capacity, this.seriesColumns.capacity) };
  }

  /**
   * Changes the alert rules and the cross-correlation lags without reloading. New rules take their state from the
   * recent bars and report what the newest bar fires (as when a view opens); returns those alerts.
   */
  async configure(settings: Pick<PairViewOptions, 'alerts' | 'maxLag'>): Promise<AlertEvent[]> {
    const maxLag = settings.maxLag ?? 20;
    if (maxLag !== this.options.maxLag && this.length) {
      this.options.maxLag = maxLag;
      this.crossCorrelation = this.shownMetrics().crossCorrelation;
    }
    if (JSON.stringify(settings.alerts ?? {}) === JSON.stringify(this.options.alerts ?? {})) return [];
    this.options.alerts = settings.alerts;
    this.alertEngine.setRules(this.pair, engineRules(settings.alerts));
    const n = this.bars.length;
    return n ? this.evaluateAlerts(Math.max(0, n - MAX_ALERT_BARS), n, n - 1) : [];
  }

  /** Charts of this view, e.g. `show(view.charts.spread({ entry: 2, exit: 0.5 }))`. */
  get charts(): ReturnType<typeof viewCharts> {
    return viewCharts(this);
  }

  /**
   * Backtests the mean-reversion rule on this view's bars, hedge method and window (fills at the next bar). By default
   * funding is the store's recorded events at their mark prices and fills cross the recorded bid/ask, where recorded;
   * `funding: 'none' | FundingSettings` and `fills: 'bars'` turn those off. `report.costModel` says what was used.
   */
  async backtest(strategy: StrategyParams, execution: ExecutionParams & CostChoice = {}): Promise<BacktestReport> {
    return backtestView(this, strategy, execution);
  }

  /**
   * Paper trades the backtest's rule on the live feed: it decides on each bar both legs have closed, fills at the
   * recorded quotes standing then, pays fees and funding, and keeps its orders, fills and funding in the store's
   * journal `paper/<name>.jsonl`, so a new kernel resumes the same book (the same name with the same settings).
   */
  async paperTrade(strategy: StrategyParams, opts: PaperTradeOptions = {}): Promise<PaperTrader> {
    const r = this.reader as Partial<StoreReader>;
    if (!(r.dir && r.highWaterMarks && r.quotes1s && r.funding && r.marks)) {
      throw new Error('this view reads bars without a store (a cache of bars); paper trade a view from lab.pair(...)');
    }
    return openPaperBook(r as PaperSource & { dir: string }, r.dir, { y: this.y, x: this.x, options: this.options, timeframeMs: this.timeframeMs }, strategy, opts, this.exchangeNow());
  }

  /** The store's recorded quotes, mark prices and funding, when this view reads a store (a cache of bars has none). */
  get marketData(): MarketDataSource | null {
    const r = this.reader as PairBarSource & Partial<MarketDataSource>;
    return r.quotes1s && r.funding && r.marks ? (r as MarketDataSource) : null;
  }

  /** Grid search over entry, exit, window, stop and hedge method, walk-forward by default. */
  paramSearch(params: Pick<ParamSearchParams, 'grid' | 'validation' | 'objective'> & ExecutionParams): SearchResult {
    return paramSearchView(this, params);
  }

  /**
   * CSV of the analytics time series (`analytics`) or of both legs' bars (`bars`); timestamps in ISO 8601, UTC unless
   * `timeZone` (an IANA name such as `Asia/Singapore`) asks for local times with their offset.
   */
  toCsv(what: 'analytics' | 'bars' = 'analytics', timeZone?: string): string {
    return what === 'analytics' ? analyticsCsv(this, timeZone) : pairBarsCsv(this, timeZone);
  }

  /**
   * The first bar index changed after sequence `sinceSeq`: `length` when nothing changed, null when `sinceSeq`
   * is not one of this view's recent sequence numbers (the client must take everything).
   */
  changedSince(sinceSeq: number): number | null {
    if (sinceSeq === this.seq) return this.length;
    if (!this.changes.some((c) => c.seq === sinceSeq)) return null;
    let from = Infinity;
    for (const c of this.changes) if (c.seq > sinceSeq) from = Math.min(from, c.from);
    return this.shownIndex(from);
  }

  /** Reads bars that arrived since the last refresh and updates everything after the first changed bar. */
  async refresh(): Promise<RefreshResult> {
    const n = this.bars.length;
    if (this.options.to !== undefined) return { changedFrom: null, alerts: [] };
    if (n === 0) return this.reload();
    const time = this.bars.get('time');
    const lastTime = time[n - 1];
    const overlapFrom = lastTime - OVERLAP_BUCKETS * this.timeframeMs;
    const chunk = await this.reader.pairBars(this.query(overlapFrom, undefined));
    // Late trades can still change recent buckets (the recorder flushes about once a second): replace from the
    // first bucket that differs from what is held, or from the newest one.
    const first = lowerBound(time, chunk.y.time.length ? chunk.y.time[0] : lastTime);
    const k = chunk.y.time.indexOf(time[first]);
    if (k < 0 || chunk.y.time.length - k < n - first) return this.reload();
    const fresh = columnsOf(chunk.y, chunk.x, k);
    let from = n - 1;
    for (let i = first; i < n - 1; i++) {
      if (BAR_COLUMNS.some((c) => !sameValue(fresh[c][i - first], this.bars.get(c)[i]))) {
        from = i;
        break;
      }
    }
    const tail = columnsOf(chunk.y, chunk.x, k + (from - first));
    if (from === n - 1 && tail.time.length === 1 && BAR_COLUMNS.every((c) => sameValue(tail[c][0], this.bars.get(c)[n - 1]))) {
      return { changedFrom: null, alerts: await this.evaluateAlerts(n, n) };
    }
    // Checkpoints cover every bar a refresh can redo; should one be missing, a reload is the exact answer.
    if (this.options.hedge === 'kalman' && from > 0 && !this.kalmanAfter(from - 1)) return this.reload();
    this.bars.replaceFrom(from, tail);
    return this.recompute(from);
  }

  /** Reloads everything (first load, or when the newest bars no longer line up). */
  async reload(): Promise<RefreshResult> {
    const { to, maxBars } = this.options;
    let from = this.options.from;
    if (to !== undefined) from = Math.max(from ?? -Infinity, to - maxBars * this.timeframeMs);
    else {
      const newest = await this.newestBucket();
      if (newest === null) return { changedFrom: null, alerts: [] };
      from = Math.max(from ?? -Infinity, newest - (maxBars - 1) * this.timeframeMs);
    }
    const pair = await this.reader.pairBars(this.query(from, to));
    const start = Math.max(0, pair.y.time.length - maxBars);
    const room = this.retention.keepBars + this.retention.slackBars;
    this.bars = new ColumnSet<BarColumn>(BAR_COLUMNS, columnsOf(pair.y, pair.x, start), room);
    this.seriesColumns = new ColumnSet(SERIES_COLUMNS, undefined, room);
    this.kalman = [];
    this.dropped = 0;
    this.changes.length = 0;
    // A (re)load reports only what the newest bar fires: the log must not fill with history each time a view opens.
    return this.recompute(0, Math.max(0, this.bars.length - 1));
  }

  private query(from: number | undefined, to: number | undefined) {
    const o = this.options;
    return { y: this.y, x: this.x, timeframe: o.timeframe, from, to, minVolume: o.minVolume || undefined, source: o.source };
  }

  private async newestBucket(): Promise<number | null> {
    let newest: number | null = null;
    for (const symbol of [this.y, this.x]) {
      const last = await this.reader.latestBars({ symbol, timeframe: this.options.timeframe, count: 1, source: this.options.source });
      if (last.time.length) newest = Math.max(newest ?? -Infinity, last.time[last.time.length - 1]);
    }
    return newest;
  }

  /** First held bar that is shown. */
  private get shownFrom(): number {
    return Math.max(0, this.bars.length - this.options.maxBars);
  }

  /** The shown index of a bar counted from the load (0 for a bar no longer shown, `length` for one after the last). */
  private shownIndex(sinceLoad: number): number {
    return Math.min(this.length, Math.max(0, sinceLoad - this.dropped - this.shownFrom));
  }

  private kalmanAfter(index: number): KalmanCheckpoint | undefined {
    return this.kalman.find((c) => c.index === index);
  }

  /**
   * Whether a recompute from held bar `from` re-runs the tests: always on a (re)load and with `testsEvery` 1; otherwise
   * when a bar whose bucket number is in the pair's phase (modulo `testsEvery`) is among the bars recomputed.
   */
  private testsDue(from: number): boolean {
    const every = this.options.testsEvery;
    return every <= 1 || from === 0 || scheduledAmong(this.bars.get('time').subarray(from), this.timeframeMs, every, pairPhase(this.pair, every));
  }

  /** Metric cards and cross-correlation of the shown bars. */
  private shownMetrics(): ReturnType<typeof pairMetrics> {
    const o = this.options;
    return pairMetrics(this.time, this.leg('y').close, this.leg('x').close, this.series, o.testBars, o.maxLag, this.timeframeMs / 1000);
  }

  /** Recomputes from held bar `from`; alerts of bars before `reportFrom` only set the rules' state (history, not news). */
  private async recompute(from: number, reportFrom = from): Promise<RefreshResult> {
    const c = this.seriesColumns;
    const prior = from > 0 ? { spread: c.get('spread'), kalman: this.kalmanAfter(from - 1), hedgeRatio: c.get('hedgeRatio'), intercept: c.get('intercept') } : undefined;
    const tail = computeSeries(this.bars.get('yClose'), this.bars.get('xClose'), this.seriesOptions(), from, prior);
    this.seriesColumns.replaceFrom(from, tail.series);
    if (tail.kalman) this.kalman = [...this.kalman.filter((c) => c.index < from), ...tail.kalman].slice(-KALMAN_CHECKPOINTS);
    if (this.testsDue(from)) {
      const m = this.shownMetrics();
      this.metrics = m.metrics;
      this.crossCorrelation = m.crossCorrelation;
    } else {
      this.metrics = { ...this.metrics, ...newestCards(this.time, this.series) };
    }
    this.seq = nextSeq++;
    const changedSinceLoad = this.dropped + from;
    this.changes.push({ seq: this.seq, from: changedSinceLoad });
    if (this.changes.length > 1000) this.changes.shift();
    const alerts = await this.evaluateAlerts(from, this.bars.length, reportFrom);
    this.trim();
    return { changedFrom: this.shownIndex(changedSinceLoad), alerts };
  }

  /**
   * Drops the oldest bars once the view holds `slackBars` more than it keeps. The count is a multiple of the hedge
   * re-fit phase and leaves every bar later refreshes read, so no value, shown or to come, changes.
   */
  private trim(): void {
    const { keepBars, slackBars } = this.retention;
    const excess = this.bars.length - keepBars;
    if (excess < slackBars) return;
    const count = excess - (excess % refitPhase(this.seriesOptions()));
    this.bars.dropFirst(count);
    this.seriesColumns.dropFirst(count);
    this.kalman = this.kalman.filter((c) => c.index >= count).map((c) => ({ ...c, index: c.index - count }));
    this.dropped += count;
  }

  private seriesOptions(): SeriesOptions {
    const o = this.options;
    return { window: o.window, hedge: o.hedge, hedgeWindow: o.hedgeWindow, hedgeEvery: o.hedgeEvery, hedgeMinBars: o.hedgeMinBars, kalman: o.kalman };
  }

  /** Runs the alert rules over held bars [from, to). */
  private async evaluateAlerts(from: number, to: number, reportFrom = from): Promise<AlertEvent[]> {
    const n = this.bars.length;
    if (this.alertEngine.rulesFor(this.pair).length === 0 || n === 0) return [];
    const s = this.seriesColumns;
    const [zScore, spread, correlation] = [s.get('zScore'), s.get('spread'), s.get('correlation')];
    const time = this.bars.get('time');
    const events: AlertEvent[] = [];
    for (let i = Math.max(from, to - MAX_ALERT_BARS); i < to; i++) {
      const isLast = i === n - 1;
      const fired = this.alertEngine.evaluate(this.pair, time[i] + this.timeframeMs, {
        zScore: zScore[i], spread: spread[i], correlation: correlation[i],
        adfPValue: isLast ? this.metrics.adfPValue : undefined,
      });
      if (i >= reportFrom) events.push(...fired);
    }
    // Staleness is judged against the exchange's clock (bar times are exchange times), once per refresh.
    events.push(...this.alertEngine.evaluate(this.pair, this.exchangeNow(), { lastBarTime: time[n - 1] + this.timeframeMs }));
    if (events.length && this.alertSink) await this.alertSink(events);
    return events;
  }
}

/** Equal, or equal but for summation order (DuckDB may add a bucket's volumes in another order on a re-read). */
function sameValue(a: number, b: number): boolean {
  return Object.is(a, b) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Both legs' columns from index `start` on, as the view stores them. */
function columnsOf(y: BarSeries, x: BarSeries, start: number): Record<BarColumn, Float64Array> {
  const f = (a: Float64Array | Uint8Array) => Float64Array.from(a.subarray(start));
  return {
    time: f(y.time),
    yOpen: f(y.open), yHigh: f(y.high), yLow: f(y.low), yClose: f(y.close), yVolume: f(y.volume), yFilled: f(y.filled),
    xOpen: f(x.open), xHigh: f(x.high), xLow: f(x.low), xClose: f(x.close), xVolume: f(x.volume), xFilled: f(x.filled),
  };
}
