/**
 * The `data` of each successful panel reply (see protocol.ts for the requests and the reply envelope). Types only,
 * no runtime code, so the extension can import it as it imports the protocol.
 */
import type { FeedSource, HedgeMethod, Num, Validation } from './protocol';
import type { BasketBacktestData, BasketData } from './basketReplyData';

/** One problem in an uploaded CSV. */
export interface CsvIssue {
  /** 1-based line number in the file. */
  line: number;
  column?: string;
  reason: string;
}

/** Session configuration. */
export interface ConfigData {
  protocolVersion: number;
  libraryVersion: string;
  dataDir: string;
  universe: string[];
  /** The source this kernel records from, or `null` when it only reads (attached or idle). */
  feed: FeedSource | null;
  /** True when the data shown comes from the simulated exchange. */
  simulated: boolean;
  timeframes: string[];
  hedgeMethods: HedgeMethod[];
}

export interface SymbolsData {
  /**
   * `first`: time of the oldest stored trade or uploaded bar; `last`: time of the newest stored trade, or of the newest
   * uploaded bar for a symbol without trades (bar start times). Null when not known.
   */
  symbols: Array<{ symbol: string; first: Num; last: Num }>;
}

/** OHLCV columns of one leg; `filled` is 1 where the bar was carried forward over an empty bucket. */
export interface BarColumns {
  open: Num[];
  high: Num[];
  low: Num[];
  close: Num[];
  volume: Num[];
  filled: number[];
}

/**
 * The pair's time series. In an incremental reply the client drops its points with `time ≥ fromTime`, appends
 * these and keeps its newest `maxBars` points (the view shows exactly those); values before `fromTime` never change
 * (all analytics are causal). When the change starts before the oldest bar the view still shows, `fromTime` is
 * that bar's time and the chunk is the whole view.
 */
export interface PairSeries {
  /** First time this chunk covers; `null` when the chunk is empty. */
  fromTime: Num;
  time: number[];
  y: BarColumns;
  x: BarColumns;
  hedgeRatio: Num[];
  intercept: Num[];
  spread: Num[];
  zScore: Num[];
  /** Rolling correlation of the legs' returns. */
  correlation: Num[];
}

/** The lines the charts draw over a view's history (the legs' bars are drawn as candles of the newest bars only). */
export type OverviewLineName = 'spread' | 'zScore' | 'hedgeRatio' | 'correlation';

/** One line of an overview: bar times and values, in time order; `null` is a gap. */
export interface OverviewLine {
  time: number[];
  value: Num[];
}

/**
 * A view's lines over bars `start ≤ time < end`, for drawing. When `exact`, every bar is there; otherwise each line
 * keeps, per `bucketMs` of time from `start`, the bar of its lowest and of its highest value and the first bar where it
 * is undefined (as `null`), which is what a chart of one bucket per pixel column draws.
 */
export interface SeriesOverview {
  start: number;
  end: number;
  bucketMs: number;
  exact: boolean;
  lines: Record<OverviewLineName, OverviewLine>;
}

/** `seriesRange` reply: a span of the view's lines at the detail the request asked for. */
export interface SeriesRangeData {
  /** Time of the oldest bar the view shows; null when it has none. */
  viewStart: Num;
  overview: SeriesOverview;
}

/** The numbers shown as cards. */
export interface MetricCards {
  hedgeRatio: Num;
  intercept: Num;
  rSquared: Num;
  adfStatistic: Num;
  adfPValue: Num;
  /** Ornstein-Uhlenbeck half-life, bars. */
  halfLifeBars: Num;
  zScore: Num;
  spread: Num;
  correlation: Num;
  bars: number;
  lastTime: Num;
  /** The OLS/Huber hedge fit's full window, bars (null for Kalman). */
  hedgeWindow: Num;
  /** Bars before the first OLS/Huber fit (null for Kalman). */
  hedgeMinBars: Num;
  /** Bars the hedge ratio at the newest bar was fitted on: below hedgeWindow during the expanding warm-up; null before the first fit and for Kalman. */
  hedgeFitBars: Num;
  /** Time of the newest shown bar whose hedge fit used fewer than hedgeWindow bars; null when no shown bar did. */
  hedgeWarmupUntil: Num;
  /** Ornstein-Uhlenbeck fit of the spread over the test bars and Bertram's levels (absent from older kernels). */
  ou?: OuCardData;
}

/**
 * OU fit (time in seconds) and Bertram's levels at a round-trip cost of 2 × 5 bps of the y price. entryZ/exitZ are the
 * levels as (level − μ)/σ∞ with σ∞ = σ/√(2θ): approximate against the panel's rolling z. All null, with `reason`,
 * when the fit or the levels refuse the spread.
 */
export interface OuCardData {
  theta: Num;
  halfLifeSeconds: Num;
  mu: Num;
  sigma: Num;
  /** Bertram's buy level (μ − m) and sell level (μ + m), spread units. */
  entry: Num;
  exit: Num;
  cost: Num;
  entryZ: Num;
  exitZ: Num;
  reason: string | null;
}

/** One row of the alert log. */
export interface AlertRow {
  time: number;
  y: string;
  x: string;
  rule: string;
  value: number;
  threshold: number;
  message: string;
}

/** One watched pair; null where a value is not defined yet. Statistics are rounded to 6 significant digits (`lab.watchlist` rows keep them whole). */
export interface WatchRowData {
  pair: string;
  y: string;
  x: string;
  /** `waiting`: too few bars for a z-score; `stale`: no new bar for the stale time; else `live`. */
  status: 'waiting' | 'live' | 'stale';
  bars: number;
  lastTime: number | null;
  zScore: number | null;
  /**
   * The newest z-scores (the sparkline), one per bar, the first at `zTailFrom`, the last at `lastTime`. In a full row
   * the whole sparkline; in an incremental one only the values from the first new or changed bar, without `zTailFrom`
   * (it is `lastTime − (zTail.length − 1) × bar length`): the client replaces its values from that bar time on and
   * keeps the newest `sparkBars`.
   */
  zTail: Array<number | null>;
  zTailFrom: number | null;
  hedgeRatio: number | null;
  halfLifeBars: number | null;
  correlation: number | null;
  spread: number | null;
  /** The latest Engle-Granger p-value over the trailing stability window, when and since when it stayed below 0.05. */
  stabilityP: number | null;
  stabilityCheckedAt: number | null;
  stableSince: number | null;
  lastAlert: AlertRow | null;
  /** Alerts the pair fired since the watchlist opened. */
  alertCount: number;
}

/** The watchlist: every pair in `pairs` order; rows in full, or (incremental) only the fields that changed. */
export interface WatchlistData {
  full: boolean;
  timeframe: string;
  /** z-scores per sparkline. */
  sparkBars: number;
  /** Trailing bars of each cointegration test, and bars between tests. */
  stabilityWindow: number;
  stabilityEvery: number;
  pairs: string[];
  rows: Array<Partial<WatchRowData> & { pair: string }>;
  /** Alerts watched pairs fired since `sinceSeq`, newest first (none in a full reply: the alert log has them). */
  alerts: AlertRow[];
}

/** Feed and recorder health. */
export interface FeedHealthData {
  /** `recording`: this kernel records; `attached`: another process writes the store; `idle`: nobody does. */
  state: 'recording' | 'attached' | 'idle' | 'error';
  source: FeedSource | null;
  simulated: boolean;
  connections: Array<{ id: string; state: string; symbols: string[]; messagesPerSecond: number; lastMessageAgeMs: Num; reconnects: number }>;
  messagesPerSecond: number;
  lastMessageAgeMs: Num;
  reconnects: number;
  badFrames: Record<string, number>;
  gapsOpen: number;
  gapsFilled: number;
  storeLagMs: Num;
  /** Each recorded stream (aggTrade, markPrice, bookTicker): its rate, events received and stored, bad frames and age. */
  streams?: FeedStreamRow[];
  /** Funding settlements fetched this run and the newest per symbol; null when markPrice is not recorded. */
  funding?: { events: number; stored: Num; waiting: string[]; newest: Record<string, Num>; lastError: string | null } | null;
  /**
   * The exchange's clock minus this machine's, ms (the recorder's check against Binance's server time); null until
   * measured. Stale-data alerts are judged on the exchange's clock.
   */
  clockOffsetMs?: Num;
  /** When the health was read, epoch ms. */
  checkedAt: number;
  error?: string;
}

export interface FeedStreamRow {
  stream: string;
  connections: number;
  messagesPerSecond: number;
  lastMessageAgeMs: Num;
  reconnects: number;
  staleReplacements: number;
  events: number;
  stored: number;
  badFrames: number;
  lastErrorFrame: string | null;
  paused: boolean;
}

/** `snapshot` reply. */
export interface SnapshotData {
  /** True when `series` (with `overview`) is the whole view (first request, changed view, or unknown `sinceSeq`). */
  full: boolean;
  simulated: boolean;
  /** Time of the oldest bar the view shows (clients drop what they hold before it); null when it has none. */
  viewStart: Num;
  /**
   * With `overview` requested and a view longer than its `tailBars + 2 × buckets`: the bars before `series` as thinned
   * lines (`series` is then the newest `tailBars` bars). Null otherwise: `series` is then the whole view, or (incremental)
   * what changed.
   */
  overview: SeriesOverview | null;
  series: PairSeries;
  metrics: MetricCards;
  crossCorrelation: { lags: number[]; values: Num[] };
  /** Full reply: the newest alerts of the pair; incremental: those fired since `sinceSeq`. */
  alerts: AlertRow[];
  health: FeedHealthData;
}

/** One closed trade; `side` is the spread position (`long` = buy y, sell x). */
export interface TradeRow {
  entryTime: number;
  exitTime: number;
  side: 'long' | 'short';
  entryY: number;
  entryX: number;
  exitY: number;
  exitX: number;
  qtyY: number;
  qtyX: number;
  fees: number;
  funding: number;
  pnl: number;
  holdMs: number;
  exitReason: string;
}

/** Backtest figures; `null` where undefined (e.g. no trades). Returns are fractions, durations ms. */
export interface BacktestMetrics {
  totalReturn: Num;
  annualReturn: Num;
  annualVolatility: Num;
  sharpe: Num;
  sortino: Num;
  maxDrawdown: Num;
  maxDrawdownMs: Num;
  calmar: Num;
  winRate: Num;
  profitFactor: Num;
  trades: number;
  avgHoldMs: Num;
  exposure: Num;
  turnover: Num;
  fees: Num;
  /** The prototype's P&L in z units, for comparison. */
  zUnitPnl: Num;
  finalEquity: Num;
}

/** A backtest's costs in quote currency: paid (positive) fees, spread crossed, slippage; funding received (negative = paid). */
export interface BacktestCosts {
  fees: Num;
  spread: Num;
  slippage: Num;
  funding: Num;
}

/** Which cost model a backtest used, and why in words (e.g. no recorded quotes before some time). */
export interface BacktestCostModel {
  /** `recorded`: the store's funding events at their mark prices; `none`: no funding charged; `given`: rates a notebook passed. */
  funding: 'recorded' | 'none' | 'given';
  /** `quotes`: recorded bid/ask (with bar-price fallbacks counted in the note); `bars`: bar prices + slippage. */
  fills: 'quotes' | 'bars';
  note: string;
}

export interface BacktestData {
  simulated: boolean;
  time: number[];
  equity: Num[];
  /** Drawdown from the running peak, fraction ≤ 0. */
  drawdown: Num[];
  trades: TradeRow[];
  metrics: BacktestMetrics;
  costs: BacktestCosts;
  costModel: BacktestCostModel;
}

/** A paper book's order: decided at a bar's close, filled at the quotes standing then (null while waiting for them). */
export interface PaperOrderRow {
  time: number;
  action: 'enter' | 'exit';
  side: 'long' | 'short';
  z: Num;
  reason: string | null;
  filledAt: number | null;
}

export interface PaperTradeRow {
  side: 'long' | 'short';
  entryTime: number;
  exitTime: number | null;
  qtyY: Num;
  qtyX: Num;
  entryY: Num;
  entryX: Num;
  exitY: Num;
  exitX: Num;
  fees: Num;
  spreadCost: Num;
  funding: Num;
  pnl: Num;
  exitReason: string | null;
}

export interface PaperBookData {
  name: string;
  y: string;
  x: string;
  timeframe: string;
  entry: number;
  exit: number;
  stop: Num;
  /** Decides from the close of the bar starting here. */
  startAt: number;
  /** `here`: this kernel trades it; `elsewhere`: another process does (shown from its journal); `stopped`: ended. */
  state: 'here' | 'elsewhere' | 'stopped';
  position: { side: 'long' | 'short'; qtyY: Num; qtyX: Num; entryY: Num; entryX: Num; entryTime: number } | null;
  capital: number;
  /** Capital + realized + the open position at the newest closes. */
  equity: Num;
  realized: Num;
  fees: Num;
  spreadCost: Num;
  slippage: Num;
  funding: Num;
  closedTrades: number;
  /** Newest first, at most 20. */
  orders: PaperOrderRow[];
  /** Newest first, at most 50; the first may be open. */
  trades: PaperTradeRow[];
  /** Equity at each closed bar since the start (at most 2,000 points, evenly thinned). */
  curve: { time: number[]; equity: Num[] };
  closedUntil: number | null;
  waiting: string | null;
  diverged: string | null;
  error: string | null;
}

export interface PaperData {
  books: PaperBookData[];
}

/** The metrics compared in and out of sample. */
export interface SampleMetrics {
  sharpe: Num;
  totalReturn: Num;
  maxDrawdown: Num;
  calmar: Num;
  trades: number;
}

export interface ParamSearchRow {
  entry: number;
  exit: number;
  window: number;
  stop: Num;
  hedge: HedgeMethod;
  inSample: SampleMetrics;
  outOfSample: SampleMetrics;
}

export interface ParamSearchData {
  validation: Validation;
  objective: 'sharpe' | 'totalReturn' | 'calmar';
  /** Best out-of-sample first. */
  rows: ParamSearchRow[];
  /** Out-of-sample objective by entry (columns) × exit (rows), best over the other parameters. */
  heatmap: { x: number[]; y: number[]; z: Num[][]; xLabel: string; yLabel: string; metric: string };
}

export interface ScanRow {
  y: string;
  x: string;
  hedgeRatio: Num;
  cointPValue: Num;
  adfStatistic: Num;
  adfPValue: Num;
  halfLifeBars: Num;
  correlation: Num;
  bars: number;
}

export interface ScanData {
  timeframe: string;
  /** Best first. */
  rows: ScanRow[];
}

export interface ImportCsvData {
  rows: number;
  symbols: string[];
  from: Num;
  to: Num;
  /** Exactly these bars were imported before (the same file again, or the request sent again): nothing was added. */
  alreadyImported: boolean;
}

export interface ExportCsvData {
  fileName: string;
  rows: number;
  text: string;
}

export interface AlertsData {
  alerts: AlertRow[];
}

/** Every request kind and the `data` of its successful reply. */
export interface PanelReplyData {
  init: ConfigData;
  config: ConfigData;
  symbols: SymbolsData;
  snapshot: SnapshotData;
  seriesRange: SeriesRangeData;
  backtest: BacktestData;
  paper: PaperData;
  paramSearch: ParamSearchData;
  scan: ScanData;
  importCsv: ImportCsvData;
  exportCsv: ExportCsvData;
  alerts: AlertsData;
  health: FeedHealthData;
  watchlist: WatchlistData;
  setUniverse: ConfigData;
  setFeedSource: ConfigData;
  basket: BasketData;
  basketBacktest: BasketBacktestData;
}
