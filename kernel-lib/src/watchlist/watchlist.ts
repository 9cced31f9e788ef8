// A live watchlist: many pairs monitored at once. Every watched symbol's bars are caught up in one store query per
// refresh (SymbolBarCache); each pair is a PairView reading from that cache, so its bars, series, metric cards and
// alerts are exactly those of a pair view opened on its own, and its alert rules run on every new bar whether or not
// the pair is on screen. Each pair also tracks its rolling cointegration stability.
import type { AlertEvent } from '../../../src/analytics';
import { type StoreReader, type WatchedPair, checkWatchedPairs, parseTimeframe } from '../../../src/store';
import { PairView, type PairViewOptions } from '../analysis/pairView';
import { pairPhase } from '../analysis/phase';
import { type Figure, fmt, line, timeLayout } from '../display/figure';
import { SymbolBarCache } from './barCache';
import { type Stability, type StabilitySettings, StabilityTracker } from './stability';

/** Settings shared by every pair of a watchlist. */
export interface WatchlistOptions extends Omit<PairViewOptions, 'timeframe' | 'from' | 'to' | 'maxBars'> {
  /** Default `1s`. */
  timeframe?: string;
  /** Newest bars each pair holds and computes on. Default 2,000. */
  maxBars?: number;
  /** Trailing bars of each cointegration test. Default 1,000 (at most `maxBars`). */
  stabilityWindow?: number;
  /** Bars between a pair's cointegration tests. Default 60. */
  stabilityEvery?: number;
  /** A test below this p-value counts as cointegrated. Default 0.05. */
  stabilityPMax?: number;
  /** z-scores per row's sparkline. Default 120. */
  sparkBars?: number;
  /**
   * A pair whose newest bar is older than this is stale. Default max(30 s, 10 bars). (Here `testBars` defaults to 500,
   * `testsEvery` to 10 and `maxLag` to 0: rows show the half-life, not the full-length tests nor lead-lag.)
   */
  staleSeconds?: number;
}

export type ResolvedWatchlistOptions = WatchlistOptions & Required<Pick<WatchlistOptions, 'timeframe' | 'maxBars' | 'sparkBars' | 'staleSeconds' | 'testBars' | 'maxLag' | 'testsEvery'>> & { stability: StabilitySettings };

/** What a watchlist is wired to: the store it reads, where fired alerts go, and the exchange's clock. */
export interface WatchlistDeps {
  reader: StoreReader;
  /** Receives every alert a watched pair fires (e.g. to append them to the alert log). */
  alertSink?: (events: AlertEvent[]) => Promise<void>;
  /** Called with the new list whenever pairs are added or removed (e.g. to keep it in the store). */
  onPairsChanged?: (pairs: WatchedPair[]) => void;
  exchangeNow?: () => number;
}

export type WatchStatus = 'waiting' | 'live' | 'stale';

/** One watched pair as the Watchlist tab shows it; null where a value is not defined yet. */
export interface WatchRow {
  pair: string;
  y: string;
  x: string;
  status: WatchStatus;
  /** Bars the pair holds (at most `maxBars`). */
  bars: number;
  lastTime: number | null;
  zScore: number | null;
  /** The newest `sparkBars` z-scores, oldest first. */
  zHistory: Array<number | null>;
  hedgeRatio: number | null;
  halfLifeBars: number | null;
  correlation: number | null;
  spread: number | null;
  stability: { pValue: number | null; checkedAt: number | null; belowSince: number | null; checks: number };
  lastAlert: AlertEvent | null;
  /** Alerts fired since the watchlist opened. */
  alertCount: number;
}

/** What one refresh did. */
export interface WatchlistRefresh {
  /** Pairs whose bars or stability changed. */
  changed: string[];
  alerts: AlertEvent[];
}

interface AlertTally {
  lastAlert: AlertEvent | null;
  alertCount: number;
}

interface Entry {
  y: string;
  x: string;
  view: PairView;
  stability: StabilityTracker;
  alerts: AlertTally;
}

/** Alerts kept in {@link Watchlist.alerts}. */
const KEPT_ALERTS = 500;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function resolveWatchlistOptions(opts: WatchlistOptions = {}): ResolvedWatchlistOptions {
  const timeframe = opts.timeframe ?? '1s';
  const maxBars = opts.maxBars ?? 2_000;
  const tfSeconds = parseTimeframe(timeframe) / 1000;
  const window = Math.min(opts.stabilityWindow ?? 1_000, maxBars);
  for (const [name, v] of [['maxBars', maxBars], ['stabilityWindow', window], ['stabilityEvery', opts.stabilityEvery ?? 60], ['sparkBars', opts.sparkBars ?? 120]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`watchlist ${name} must be a positive whole number of bars, got ${String(v)}`);
  }
  if (window < 30) throw new Error(`watchlist stabilityWindow must be at least 30 bars (a cointegration test on fewer says little), got ${window}`);
  const pMax = opts.stabilityPMax ?? 0.05;
  if (!(pMax > 0 && pMax < 1)) throw new Error(`watchlist stabilityPMax must be a p-value between 0 and 1, got ${String(pMax)}`);
  return {
    ...opts, timeframe, maxBars,
    testBars: Math.min(opts.testBars ?? 500, maxBars),
    // rows show no lead-lag: the cross-correlation by lag would be most of a refresh's work
    maxLag: opts.maxLag ?? 0,
    // the ADF and half-life every 10 bars, staggered over the pairs: most of the rest of a refresh's work
    testsEvery: opts.testsEvery ?? 10,
    sparkBars: opts.sparkBars ?? 120,
    staleSeconds: opts.staleSeconds ?? Math.max(30, 10 * tfSeconds),
    stability: { window, every: opts.stabilityEvery ?? 60, pMax },
  };
}

/** Many pairs kept current at once. Create with {@link Watchlist.open} (or `lab.watchlist()`). */
export class Watchlist {
  readonly options: ResolvedWatchlistOptions;
  /** Increases whenever a refresh or an edit changes a row. */
  seq = 0;
  private entries: Entry[] = [];
  private readonly cache: SymbolBarCache;
  private readonly fired: AlertEvent[] = [];

  private constructor(private readonly deps: WatchlistDeps, opts: WatchlistOptions) {
    this.options = resolveWatchlistOptions(opts);
    this.cache = new SymbolBarCache(deps.reader, {
      timeframe: this.options.timeframe, minVolume: this.options.minVolume ?? 0, source: this.options.source ?? 'auto',
      // a view's reload reads its newest maxBars, a refresh 31 more buckets; its series read further back on long hedge windows
      keepBars: this.options.maxBars + 64,
    });
  }

  /** Opens a watchlist on `pairs` (loaded from the store at once). */
  static async open(deps: WatchlistDeps, pairs: readonly WatchedPair[], opts: WatchlistOptions = {}): Promise<Watchlist> {
    checkWatchedPairs(pairs);
    const list = new Watchlist(deps, opts);
    await list.load(pairs);
    return list;
  }

  /** The watched pairs, in watch order. */
  get pairs(): WatchedPair[] {
    return this.entries.map((e) => ({ y: e.y, x: e.x }));
  }

  /** The pair view behind a watched pair (`Y/X`), or undefined. */
  view(pair: string): PairView | undefined {
    return this.entries.find((e) => e.view.pair === pair)?.view;
  }

  /** Alerts fired since the watchlist opened, oldest first (the newest 500). */
  get alerts(): AlertEvent[] {
    return [...this.fired];
  }

  /** Adds pairs (loaded at once); a pair already watched either way round is refused. */
  async add(...pairs: WatchedPair[]): Promise<void> {
    checkWatchedPairs([...this.pairs, ...pairs]);
    await this.load(pairs);
    this.deps.onPairsChanged?.(this.pairs);
  }

  /** Stops watching pairs (`Y/X` names, or pairs either way round); returns how many were removed. */
  remove(...pairs: Array<string | WatchedPair>): number {
    const keys = new Set(pairs.map((p) => (typeof p === 'string' ? p.split('/') : [p.y, p.x]).sort().join('/')));
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !keys.has([e.y, e.x].sort().join('/')));
    const removed = before - this.entries.length;
    if (removed) {
      this.seq++;
      this.deps.onPairsChanged?.(this.pairs);
    }
    return removed;
  }

  /** Catches every pair up with the store: one query for all symbols, then each pair's new bars, alerts and tests. */
  async refresh(): Promise<WatchlistRefresh> {
    await this.cache.refresh(this.symbols());
    const changed: string[] = [];
    const alerts: AlertEvent[] = [];
    for (const e of this.entries) {
      const r = await e.view.refresh();
      alerts.push(...r.alerts);
      const tested = this.test(e);
      if (r.changedFrom !== null || tested || r.alerts.length) changed.push(e.view.pair);
    }
    if (changed.length) this.seq++;
    return { changed, alerts };
  }

  /** One row per watched pair, in watch order. */
  get rows(): WatchRow[] {
    return this.entries.map((e) => this.row(e));
  }

  /** Charts of the whole list, e.g. `show(list.charts.zScores())`. */
  get charts(): { zScores: () => Figure } {
    return { zScores: () => this.zScoresChart() };
  }

  private symbols(): string[] {
    return [...new Set(this.entries.flatMap((e) => [e.y, e.x]))];
  }

  private async load(pairs: readonly WatchedPair[]): Promise<void> {
    await this.cache.refresh([...this.symbols(), ...pairs.flatMap((p) => [p.y, p.x])]);
    const { stability, timeframe, sparkBars: _spark, staleSeconds: _stale, stabilityWindow: _w, stabilityEvery: _e, stabilityPMax: _p, ...viewOpts } = this.options;
    for (const p of pairs) {
      // the tally exists before the view: a view reports what its newest bar fires while it loads
      const alerts: AlertTally = { lastAlert: null, alertCount: 0 };
      const view = await PairView.load(this.cache, p.y, p.x, { ...viewOpts, timeframe }, (events) => this.record(alerts, events), this.deps.exchangeNow);
      const entry: Entry = { y: p.y, x: p.x, view, alerts, stability: new StabilityTracker(stability, pairPhase(view.pair, stability.every), view.timeframeMs) };
      this.test(entry);
      this.entries.push(entry);
    }
    this.seq++;
  }

  private async record(tally: AlertTally, events: AlertEvent[]): Promise<void> {
    tally.lastAlert = events[events.length - 1];
    tally.alertCount += events.length;
    this.fired.push(...events);
    if (this.fired.length > KEPT_ALERTS) this.fired.splice(0, this.fired.length - KEPT_ALERTS);
    await this.deps.alertSink?.(events);
  }

  private test(e: Entry): boolean {
    return e.stability.update(e.view.time, e.view.leg('y').close, e.view.leg('x').close);
  }

  private row(e: Entry): WatchRow {
    const v = e.view;
    const m = v.metrics;
    const n = v.length;
    const z = v.series.zScore;
    const s: Stability = e.stability.current;
    const lastTime = n ? v.time[n - 1] : null;
    const now = (this.deps.exchangeNow ?? Date.now)();
    const status: WatchStatus = n === 0 || !Number.isFinite(m.zScore) ? 'waiting'
      : now - (lastTime as number) - v.timeframeMs > this.options.staleSeconds * 1000 ? 'stale' : 'live';
    return {
      pair: v.pair, y: e.y, x: e.x, status, bars: n, lastTime,
      zScore: finite(m.zScore),
      zHistory: Array.from(z.subarray(Math.max(0, n - this.options.sparkBars)), finite),
      hedgeRatio: finite(m.hedgeRatio), halfLifeBars: finite(m.halfLifeBars), correlation: finite(m.correlation), spread: finite(m.spread),
      stability: { pValue: finite(s.pValue), checkedAt: finite(s.checkedAt), belowSince: finite(s.belowSince), checks: s.checks },
      lastAlert: e.alerts.lastAlert, alertCount: e.alerts.alertCount,
    };
  }

  private zScoresChart(): Figure {
    const data = this.entries.map((e) => {
      const n = e.view.length;
      const from = Math.max(0, n - this.options.sparkBars * 10);
      return line(e.view.pair, e.view.time.subarray(from), e.view.series.zScore.subarray(from), 2_000);
    });
    const rows = this.rows;
    const widest = [...rows].filter((r) => r.zScore !== null).sort((a, b) => Math.abs(b.zScore as number) - Math.abs(a.zScore as number)).slice(0, 3);
    return {
      data,
      layout: timeLayout(`z-scores of ${rows.length} watched pairs`, { yaxis: { title: { text: 'z' } } }),
      summary: `z-scores of ${rows.length} watched pairs; widest now: ${widest.map((r) => `${r.pair} ${fmt(r.zScore, 2)}`).join(', ') || 'none yet'}`,
    };
  }
}
