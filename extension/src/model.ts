import { Signal, type ISignal } from '@lumino/signaling';
import { mergeSeries } from './seriesMerge';
import { type IHistory, type IZoom, clipOverview, composeLine, detailNeeded } from './overviewLines';
import { mergeWatchlist } from './watchlistMerge';
import { timeframeMs } from './timeframe';
import type { IControls, IStrategyControls, IUserMessage } from './tokens';
import type {
  AlertRow, BacktestData, ConfigData, FeedHealthData, MetricCards, Num, OverviewLineName, PairSeries, PaperData, ParamSearchData, ScanData,
  SeriesRangeData, SeriesRangeParams, SnapshotData, SnapshotParams, WatchlistData, WatchlistParams, WatchRowData,
} from './protocol';
import type { ICurrentView, IRunStamp } from './runStamp';
import { BasketState } from './basketState';

/** Which part of the model changed. */
export type ModelPart = 'controls' | 'config' | 'series' | 'zoom' | 'health' | 'alerts' | 'backtest' | 'paper' | 'paramSearch' | 'scan' | 'watchlist' | 'message' | 'basket';

/** A sidebar message as it was shown: `seq` counts every message since the panel opened. */
export interface ILoggedMessage extends IUserMessage {
  seq: number;
  /** When it was shown, ms since the epoch. */
  time: number;
}

/** How many earlier sidebar messages the panel keeps. */
const MESSAGE_LOG_SIZE = 50;

/** Where a message belongs: the sidebar (controls, kernel) or one tab. */
export type MessageArea = 'panel' | 'csv' | 'backtest' | 'paper' | 'overview' | 'watchlist';

/** The watchlist as the panel holds it: rows by pair, in watch order. */
export interface IWatchlistState {
  pairs: string[];
  rows: Map<string, WatchRowData>;
  timeframe: string;
  sparkBars: number;
  stabilityWindow: number;
  stabilityEvery: number;
}

const MAX_ALERTS = 500;

/** State of the panel: the controls, the latest data from the kernel, and the messages shown to the user. */
export class PairsLabModel {
  constructor(controls: IControls, strategy: IStrategyControls) {
    this._controls = controls;
    this.strategy = strategy;
  }

  get changed(): ISignal<this, ModelPart> {
    return this._changed;
  }

  get controls(): Readonly<IControls> {
    return this._controls;
  }

  /** Changes controls; a change of the view (pair, timeframe, analytics) drops the series so the next refresh is full. */
  setControls(patch: Partial<IControls>): void {
    const before = this.viewKey();
    this._controls = { ...this._controls, ...patch };
    if (this.viewKey() !== before) {
      this._seq = undefined;
      // the charts drop their zoom with the view
      this._zoom = null;
    }
    this._changed.emit('controls');
  }

  strategy: IStrategyControls;

  config: ConfigData | null = null;
  setConfig(config: ConfigData): void {
    this.config = config;
    this._changed.emit('config');
  }

  /**
   * The snapshot parameters for the next refresh, with `sinceSeq` when the view is unchanged; with `overview`, a long
   * view comes thinned to that many buckets with the newest `tailBars` in full.
   */
  snapshotParams(maxBars: number, overview?: SnapshotParams['overview']): SnapshotParams {
    const c = this._controls;
    return {
      y: c.y,
      x: c.x,
      timeframe: c.timeframe,
      window: c.window,
      hedge: c.hedge,
      ...(c.hedgeWindow !== null && c.hedge !== 'kalman' ? { hedgeWindow: c.hedgeWindow } : {}),
      minVolume: c.minVolume,
      maxBars,
      alerts: {
        zScore: c.zThreshold,
        ...(c.spreadAlertEnabled ? { spreadWidth: c.spreadWidth } : {}),
        ...(c.correlationAlertEnabled ? { minCorrelation: c.minCorrelation } : {}),
      },
      ...(this._seq !== undefined ? { sinceSeq: this._seq } : {}),
      ...(overview ? { overview } : {}),
    };
  }

  /** The view's newest bars in full (all of them unless the view came thinned, see {@link history}). */
  series: PairSeries | null = null;
  /** The view's older bars as lines, when it came thinned. */
  history: IHistory = { overview: null, detail: null };
  metrics: MetricCards | null = null;
  crossCorrelation: { lags: number[]; values: Num[] } | null = null;
  health: FeedHealthData | null = null;
  simulated = false;
  /** Alert log, newest first. */
  alerts: AlertRow[] = [];

  /**
   * Merges a snapshot reply for `view` (the view key the request was made for). A reply for a view the controls
   * have since left is dropped.
   */
  applySnapshot(data: SnapshotData, seq: number | undefined, view: string): boolean {
    if (view !== this.viewKey()) return false;
    this.simulated = data.simulated;
    this._seq = seq;
    this.series = data.full || !this.series ? data.series : mergeSeries(this.series, data.series, this._maxBars);
    this.history = data.full
      ? { overview: data.overview, detail: null }
      : { overview: clipOverview(this.history.overview, data.viewStart), detail: clipOverview(this.history.detail, data.viewStart) };
    this._lines.clear();
    this.metrics = data.metrics;
    this.crossCorrelation = data.crossCorrelation;
    this.health = data.health;
    this.addAlerts(data.alerts, data.full);
    this._changed.emit('series');
    this._changed.emit('health');
    return true;
  }

  /** Bars in the view (the series holds fewer when the view came thinned). */
  get bars(): number {
    return this.metrics?.bars ?? this.series?.time.length ?? 0;
  }

  /** Time of the view's oldest bar. */
  get viewStart(): number | null {
    return this.history.overview?.start ?? this.series?.time[0] ?? null;
  }

  /** A chart line over the whole view: the thinned history, the detail fetched for the zoom, the full bars. */
  line(name: OverviewLineName): { x: number[]; y: Num[] } {
    let line = this._lines.get(name);
    if (!line) {
      line = this.series ? composeLine(name, this.series, this.history) : { x: [], y: [] };
      this._lines.set(name, line);
    }
    return line;
  }

  /** The range a chart was zoomed to (null: zoomed out) and the chart's width in pixels. */
  get zoom(): IZoom | null {
    return this._zoom;
  }

  setZoom(zoom: IZoom | null): void {
    this._zoom = zoom;
    this._changed.emit('zoom');
  }

  /** The `seriesRange` request that would draw the zoomed range finely, or null when what is held already does. */
  detailParams(): SeriesRangeParams | null {
    const span = detailNeeded(this.series, this.history, this._zoom);
    if (!span || !this._zoom) return null;
    const { sinceSeq: _s, alerts: _a, maxLag: _l, overview: _o, ...pair } = this.snapshotParams(this._maxBars);
    return { ...pair, range: span, buckets: Math.max(10, Math.min(10_000, Math.round(this._zoom.width))) };
  }

  /** Takes a `seriesRange` reply made for `view`; dropped when the controls have left that view since. */
  applyRange(data: SeriesRangeData, view: string): boolean {
    if (view !== this.viewKey() || !this.history.overview) return false;
    this.history = { ...this.history, detail: clipOverview(data.overview, this.viewStart) };
    this._lines.clear();
    this._changed.emit('series');
    return true;
  }

  set maxBars(value: number) {
    this._maxBars = value;
  }

  setHealth(health: FeedHealthData): void {
    this.health = health;
    this.simulated = health.simulated;
    this._changed.emit('health');
  }

  /** Adds alert rows (newest first in the log, no duplicates); `replace` starts the log afresh. */
  addAlerts(rows: AlertRow[], replace = false): void {
    if (!replace && rows.length === 0) return;
    const key = (a: AlertRow) => `${a.time}|${a.y}|${a.x}|${a.rule}`;
    const seen = new Set<string>();
    const merged = [...rows, ...(replace ? [] : this.alerts)]
      .filter((a) => (seen.has(key(a)) ? false : (seen.add(key(a)), true)))
      .sort((a, b) => b.time - a.time)
      .slice(0, MAX_ALERTS);
    this.alerts = merged;
    this._changed.emit('alerts');
  }

  /** When each on-demand result on screen was computed, and on how many bars. */
  runs: Partial<Record<'backtest' | 'paramSearch' | 'scan', IRunStamp>> = {};

  backtest: BacktestData | null = null;
  setBacktest(data: BacktestData | null, run?: IRunStamp): void {
    this.backtest = data;
    this.runs.backtest = run;
    this._changed.emit('backtest');
  }

  /** The store's paper books, the pair on screen first; null before the first report. */
  paper: PaperData | null = null;
  setPaper(data: PaperData | null): void {
    this.paper = data;
    this._changed.emit('paper');
  }

  paramSearch: ParamSearchData | null = null;
  setParamSearch(data: ParamSearchData | null, run?: IRunStamp): void {
    this.paramSearch = data;
    this.runs.paramSearch = run;
    this._changed.emit('paramSearch');
  }

  scan: ScanData | null = null;
  setScan(data: ScanData | null, run?: IRunStamp): void {
    this.scan = data;
    this.runs.scan = run;
    this._changed.emit('scan');
  }

  watchlist: IWatchlistState | null = null;

  /** The watchlist request for the next refresh: the bar settings and alert rules of the controls, `sinceSeq` when they are unchanged. */
  watchlistParams(edits: Pick<WatchlistParams, 'add' | 'remove'> = {}): WatchlistParams {
    const { y: _y, x: _x, maxBars: _m, sinceSeq: _s, ...settings } = this.snapshotParams(0);
    const key = JSON.stringify(settings);
    return { ...settings, ...edits, ...(this._watchSeq !== undefined && key === this._watchKey ? { sinceSeq: this._watchSeq } : {}) };
  }

  /** Merges a watchlist reply made with `params`; a reply for settings the controls have since left is dropped. */
  applyWatchlist(data: WatchlistData, seq: number | undefined, params: WatchlistParams): boolean {
    const { add: _a, remove: _r, sinceSeq: _s, ...settings } = params;
    const key = JSON.stringify(settings);
    const { add: _a2, remove: _r2, sinceSeq: _s2, ...current } = this.watchlistParams();
    if (key !== JSON.stringify(current)) return false;
    const tf = timeframeMs(data.timeframe);
    const held = this.watchlist && this._watchKey === key ? this.watchlist.rows : new Map<string, WatchRowData>();
    this.watchlist = {
      pairs: data.pairs, rows: mergeWatchlist(held, data, tf), timeframe: data.timeframe, sparkBars: data.sparkBars,
      stabilityWindow: data.stabilityWindow, stabilityEvery: data.stabilityEvery,
    };
    this._watchSeq = seq;
    this._watchKey = key;
    this._changed.emit('watchlist');
    return true;
  }

  message(area: MessageArea): IUserMessage | null {
    return this._messages.get(area) ?? null;
  }

  setMessage(area: MessageArea, message: IUserMessage | null): void {
    if (message) this._messages.set(area, message);
    else this._messages.delete(area);
    if (message && area === 'panel') {
      this._log.push({ ...message, seq: ++this._logSeq, time: Date.now() });
      if (this._log.length > MESSAGE_LOG_SIZE) this._log.splice(0, this._log.length - MESSAGE_LOG_SIZE);
    }
    this._changed.emit('message');
  }

  /** The sidebar's recent messages, oldest first; a new message replaces the one shown but stays listed here. */
  get messageLog(): readonly ILoggedMessage[] {
    return this._log;
  }

  /** The view on screen, to compare with the view an on-demand result was computed on. */
  currentView(): ICurrentView {
    return { key: this.viewKey(), lastBar: this.metrics?.lastTime ?? null, timeframe: this._controls.timeframe };
  }

  /** The stamp of a result computed now on the view on screen, over `bars` bars. */
  runStamp(bars: number): IRunStamp {
    const c = this._controls;
    return { at: Date.now(), bars, view: { key: this.viewKey(), label: `${c.y}/${c.x} ${c.timeframe}`, timeframe: c.timeframe, lastBar: this.metrics?.lastTime ?? null } };
  }

  /** Identifies the data the tabs show; replies for another key are stale. A basket's key adds its legs and weights. */
  viewKey(): string {
    const c = this._controls;
    const pair = [c.y, c.x, c.timeframe, c.window, c.hedge, c.hedgeWindow ?? 'auto', c.minVolume].join('|');
    return c.legs.length > 0 ? `${pair}|basket|${c.legs.join(',')}|${c.basketWeights}` : pair;
  }

  /** The basket on screen (Y, X and the added legs), or null when the view is a pair. */
  get basketLegs(): string[] | null {
    const c = this._controls;
    return c.legs.length > 0 ? [c.y, c.x, ...c.legs] : null;
  }

  /** The basket view and backtest held (see basketState.ts); replies for a view the controls left are dropped there. */
  readonly basket = new BasketState(() => this.viewKey(), () => this._changed.emit('basket'));

  /** Forget the incremental position, e.g. after a kernel restart. */
  resetSeq(): void {
    this._seq = undefined;
    this._watchSeq = undefined;
  }

  /** Forgets everything read from the store (the panel now reads another one); the controls stay. */
  clearData(): void {
    this._seq = undefined;
    this.series = null;
    this.history = { overview: null, detail: null };
    this._lines.clear();
    this.metrics = null;
    this.crossCorrelation = null;
    this.alerts = [];
    this.backtest = null;
    this.paper = null;
    this.paramSearch = null;
    this.scan = null;
    this.runs = {};
    this.watchlist = null;
    this._watchSeq = undefined;
    this.basket.clear();
    for (const part of ['series', 'alerts', 'backtest', 'paper', 'paramSearch', 'scan', 'watchlist'] as const) this._changed.emit(part);
  }

  private _controls: IControls;
  private _seq: number | undefined;
  private _watchSeq: number | undefined;
  private _watchKey = '';
  private _maxBars = 86_400;
  private _lines = new Map<OverviewLineName, { x: number[]; y: Num[] }>();
  private _zoom: IZoom | null = null;
  private _messages = new Map<MessageArea, IUserMessage>();
  private _log: ILoggedMessage[] = [];
  private _logSeq = 0;
  private _changed = new Signal<this, ModelPart>(this);
}

