/**
 * The panel ↔ kernel protocol: request and reply types shared by the JupyterLab panel (browser) and the
 * kernel library's request handler. Pure TypeScript with no runtime imports (reply data shapes live in replyData.ts), so the extension can import it as is.
 *
 * Transport: the panel starts a `pairs-lab` kernel, executes `import * as pairsLab from 'pairs-lab';` once, then
 * per request executes `await pairsLab.handlePanelRequest(<JSON.stringify(JSON text)>)`: the only argument is a
 * string literal, never code. The handler answers with exactly one `display_data` of MIME {@link REPLY_MIME}
 * whose value is a {@link PanelReply}.
 *
 * Conventions: times are UTC epoch milliseconds; numeric series are plain arrays where `null` stands for
 * "not defined" (NaN has no JSON form); every request field not listed here is refused.
 * @packageDocumentation
 */
import type {
  AlertsData, BacktestData, ConfigData, CsvIssue, ExportCsvData, FeedHealthData, ImportCsvData, PanelReplyData,
  ParamSearchData, ScanData, SeriesRangeData, SnapshotData, SymbolsData,
} from './replyData';

/** The MIME type of every reply display. */
export const REPLY_MIME = 'application/vnd.pairs-lab.reply+json';
/** Bumped on any incompatible change to these types. */
export const PROTOCOL_VERSION = 1;

/** A symbol: upper case letters and digits (Binance USD-M, e.g. `BTCUSDT`), or `_`/`-` inside uploaded data. */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9_-]{1,39}$/;
/** Bar length: a positive count and a unit, e.g. `1s`, `1m`, `5m`, `15m`, `1h`, `30s`. */
export const TIMEFRAME_PATTERN = /^[1-9][0-9]{0,4}[smh]$/;

/** Inclusive ranges the handler enforces (the panel's controls may use narrower ones). */
export const LIMITS = {
  /** Rolling window (z-score, correlation), bars. */
  window: { min: 2, max: 100_000 },
  /** Trailing window of the OLS/Huber hedge ratio, bars. */
  hedgeWindow: { min: 3, max: 1_000_000 },
  /** Newest bars a view covers. */
  maxBars: { min: 10, max: 1_000_000 },
  /** |z| thresholds: alert, entry, stop. */
  z: { min: 0, max: 20 },
  /** The exit threshold: below 0 exits past the mean (and at least −entry, checked with the entry). */
  exitZ: { min: -20, max: 20 },
  /** Cross-correlation lags either side of 0. */
  maxLag: { min: 0, max: 500 },
  /** Symbols in the universe. */
  universe: { min: 2, max: 200 },
  /** Parameter sets in one search. */
  gridCombinations: { min: 1, max: 5_000 },
  /** Walk-forward folds. */
  folds: { min: 2, max: 50 },
  /** Rows of a table reply (alerts, scan). */
  rows: { min: 1, max: 10_000 },
  /** Characters of an uploaded CSV. */
  csvChars: { min: 1, max: 50_000_000 },
  /** Fees and slippage, basis points. */
  bps: { min: 0, max: 1_000 },
  /** Pairs added or removed by one watchlist request. */
  watchEdits: { min: 1, max: 200 },
  /** Time buckets of an overview or a range: about the charts' width in pixels. */
  buckets: { min: 10, max: 10_000 },
  /** Newest bars a thinned snapshot sends in full. */
  tailBars: { min: 0, max: 1_000_000 },
  basketLegs: { min: 2, max: 6 },
} as const;

/** A number, or `null` where the value is not defined (warm-up, gap). */
export type Num = number | null;
/** How the hedge ratio is estimated. OLS and Huber are re-fitted on trailing bars only; Kalman is filtered. */
export type HedgeMethod = 'ols' | 'huber' | 'kalman';
/** Where live trades come from. `simulated` is the local simulated exchange and is always labelled so. */
export type FeedSource = 'binance' | 'simulated';
/** Parameters of requests that take none. */
export type NoParams = Record<never, never>;

/** What identifies a pair view: symbols, bar length, analytics settings and range. */
export interface PairParams {
  /** The dependent leg; must be in the universe. */
  y: string;
  /** The independent leg; `spread = y − hedgeRatio·x − intercept`. */
  x: string;
  /** Bar length, see {@link TIMEFRAME_PATTERN}. */
  timeframe: string;
  /** Rolling window for z-score and correlation, bars. Default 60. */
  window?: number;
  /** Hedge-ratio method. Default `huber`. */
  hedge?: HedgeMethod;
  /** Trailing bars the OLS/Huber hedge ratio is fitted on (re-fitted every hedgeWindow/20 bars). Default max(10 × window, 30). */
  hedgeWindow?: number;
  /** Liquidity filter: bars of either leg with less volume are treated as missing. Default 0. */
  minVolume?: number;
  /** First bar time (inclusive), epoch ms. */
  from?: number;
  /** Last bar time (exclusive), epoch ms. */
  to?: number;
  /** Bars a view shows: the newest maxBars, also as a live view moves on (clients keep the newest maxBars). Default 86,400. */
  maxBars?: number;
}

/** Alert rules for a pair; a rule that is absent is off. */
export interface AlertRules {
  /** Fire when |z| ≥ this. */
  zScore?: number;
  /** Fire when |spread| ≥ this, in price units of y (the spread includes the intercept, so it is centred). */
  spreadWidth?: number;
  /** Fire when the rolling correlation falls below this (−1..1). */
  minCorrelation?: number;
  /** Fire when the ADF p-value of the spread rises above this (0..1). */
  maxAdfPValue?: number;
  /** Fire when the newest bar is older than this many seconds. */
  staleSeconds?: number;
}

/** `snapshot` parameters: a pair view, refreshed incrementally when `sinceSeq` is given. */
export interface SnapshotParams extends PairParams {
  /** Alert rules evaluated on new bars; firings are written to the store's alert log. */
  alerts?: AlertRules;
  /** Cross-correlation lags −maxLag..maxLag. Default 20. */
  maxLag?: number;
  /** The `seq` of the client's last reply for this view: the reply then carries only what changed. */
  sinceSeq?: number;
  /**
   * Thin a long full reply for drawing: when the view (or what changed) holds more than `tailBars + 2 × buckets` bars,
   * only the newest `tailBars` come in full and the older ones as a {@link SeriesOverview} of `buckets` time buckets.
   * Fetch the detail of a span with `seriesRange` when the user zooms in.
   */
  overview?: { buckets: number; tailBars: number };
}

/** `seriesRange` parameters: the lines of a span of a pair view, e.g. the range a chart was zoomed to. */
export interface SeriesRangeParams extends PairParams {
  /** Bars with `start ≤ time < end`. */
  range: { start: number; end: number };
  /** Time buckets (the chart's width in pixels): a span of at most `2 × buckets` bars comes exact, a longer one thinned. */
  buckets: number;
}

/** `paper` parameters: start (or resume) the pair's paper book with these settings, report the books, or stop one. */
export interface PaperParams extends PairParams, StrategyParams, ExecutionParams {
  /** `start`: the pair's book starts trading (or resumes); `status`: every book of the store, stepped; `stop`: ends a book. */
  action: 'start' | 'status' | 'stop';
  /** The book (default `<Y>-<X>-<timeframe>`). */
  name?: string;
}

/** Strategy rules of the mean-reversion backtest. */
export interface StrategyParams {
  /** Enter short the spread when z > entry, long when z < −entry. */
  entry: number;
  /** Exit once z is back inside ±exit or beyond it (a long exits when z > −exit); −entry ≤ exit < entry (below 0: past the mean). */
  exit: number;
  /** Stop-loss: exit when z moves past ±stop against the position (stop > entry), then wait `cooldownBars`. */
  stop?: number;
  /** Exit at the first close at least this many bars after the entry decision. */
  maxHoldBars?: number;
  /** Bar closes without entries after a stop. Default 0. */
  cooldownBars?: number;
}

/** Execution and costs of a backtest. Defaults: Binance USD-M regular tier. */
export interface ExecutionParams {
  /** Fill at the next bar's open (default) or close. */
  fillAt?: 'open' | 'close';
  /**
   * With N = `notional`: `dollarNeutral` (default) N in each leg; `hedgeUnits` N in y and β units of x per unit of y;
   * `hedgeNotional` N in y and β·N in x.
   */
  sizing?: 'dollarNeutral' | 'hedgeUnits' | 'hedgeNotional';
  /** Quote currency in the y leg (and in x for `dollarNeutral`). Default 5,000. */
  notional?: number;
  /** Taker fee, bps. Default 5. */
  feeBps?: number;
  /** Slippage per fill, bps. Default 1. */
  slippageBps?: number;
  /** Starting equity, quote currency. Default 10,000. */
  initialCapital?: number;
}

/**
 * Where a backtest's funding and fill prices come from. Defaults use the store's recorded market data where it covers
 * the backtest's bars: funding events charged at their mark price, fills crossing the recorded bid/ask.
 */
export interface CostModelParams {
  /** `recorded` (default): the store's funding events; `none`: no funding. */
  funding?: 'recorded' | 'none';
  /** `quotes` (default): buy at the ask, sell at the bid of the recorded quotes; `bars`: bar prices with `slippageBps`. */
  fills?: 'quotes' | 'bars';
}

/** `backtest` parameters. */
export interface BacktestParams extends PairParams, StrategyParams, ExecutionParams, CostModelParams {}

/** How a parameter search separates fitting from evaluation. */
export type Validation =
  | { mode: 'trainTest'; /** Share of bars used in-sample, 0.1..0.95. */ trainFraction: number }
  | { mode: 'walkForward'; /** Number of folds. */ folds: number; /** Share of each fold used in-sample. Default 0.7. */ trainFraction?: number };

/** `paramSearch` parameters: every combination of the grid's values is backtested. */
export interface ParamSearchParams extends PairParams, ExecutionParams {
  grid: {
    entry: number[];
    exit: number[];
    window?: number[];
    stop?: number[];
    hedge?: HedgeMethod[];
  };
  /** Default `{ mode: 'walkForward', folds: 4 }`. */
  validation?: Validation;
  /** Metric the rows are ranked by (out-of-sample). Default `sharpe`. */
  objective?: 'sharpe' | 'totalReturn' | 'calmar';
}

/** `scan` parameters: rank every pair of the symbols. */
export interface ScanParams {
  /** Default: the universe. */
  symbols?: string[];
  timeframe: string;
  from?: number;
  to?: number;
  maxBars?: number;
  minVolume?: number;
  /** Rows returned, best first. Default 50. */
  limit?: number;
}

/** `importCsv` parameters: OHLC bars `timestamp,symbol,open,high,low,close,volume`. */
export interface ImportCsvParams {
  /** The file's text. */
  text: string;
  /** Bar length of the file's rows. */
  timeframe: string;
  /** Shown in messages only. */
  fileName?: string;
}

/** `exportCsv` parameters. `trades` needs the strategy fields as well. */
export interface ExportCsvParams extends PairParams, Partial<StrategyParams>, ExecutionParams, CostModelParams {
  /** `analytics`: time, legs' closes, hedge ratio, spread, z, correlation; `bars`: both legs' bars; `trades`: the backtest's trade list. */
  what: 'analytics' | 'bars' | 'trades';
  /** Timestamps on this IANA time zone with their offset (e.g. `Asia/Singapore`); default UTC. */
  timeZone?: string;
}

/** `alerts` parameters: the alert log, newest first. */
export interface AlertsParams {
  y?: string;
  x?: string;
  /** Only alerts at or after this time. */
  since?: number;
  /** Default 200. */
  limit?: number;
}

/** `watchlist` parameters: the watched pairs on the panel's bar settings. Edits are kept in the store. */
export interface WatchlistParams {
  timeframe: string;
  window?: number;
  hedge?: HedgeMethod;
  hedgeWindow?: number;
  minVolume?: number;
  /** Alert rules of every watched pair. */
  alerts?: AlertRules;
  /** Pairs to start watching. */
  add?: Array<{ y: string; x: string }>;
  /** Pairs to stop watching, as `Y/X`. */
  remove?: string[];
  /** The `seq` of the last watchlist reply the client applied: only what changed since comes back. */
  sinceSeq?: number;
}

/** `init` parameters: open the store and (optionally) start recording. Every field is optional. */
/** How a basket's weights are estimated: Johansen's first eigenvector, or OLS of leg 1 on the others (Engle-Granger). */
export type BasketWeightsMethod = 'johansen' | 'eg';

/** A basket of 2–6 distinct legs (leg 1 first, its weight 1) on one bar grid; the panel sends it for 3 or more legs. */
export interface BasketParams {
  legs: string[];
  weights?: BasketWeightsMethod;
  timeframe: string;
  /** z-score window in bars. */
  window?: number;
  minVolume?: number;
  from?: number;
  to?: number;
  maxBars?: number;
}

export interface BasketBacktestParams extends BasketParams, StrategyParams, ExecutionParams, CostModelParams {}

export interface InitParams {
  /** Store directory. Default `$PAIRS_LAB_DATA`, else `<project>/data`. */
  dataDir?: string;
  /** Symbols the panel may use. Default: the symbols in the store, else BTCUSDT, ETHUSDT. */
  universe?: string[];
  /** Start recording from this source; omit to only attach to a recorder already writing the store. */
  feed?: FeedSource;
}

/** Every request kind and its parameters. */
export interface PanelRequestParams {
  /** Open the session (idempotent): store, universe, optional recorder. Replies {@link ConfigData}. */
  init: InitParams;
  /** The current configuration. Replies {@link ConfigData}. */
  config: NoParams;
  /** Symbols present in the store with their time range. Replies {@link SymbolsData}. */
  symbols: NoParams;
  /** A pair view with analytics; incremental with `sinceSeq`. Replies {@link SnapshotData}. */
  snapshot: SnapshotParams;
  /** The lines of a span of a pair view (no refresh: the bars the view already holds). Replies {@link SeriesRangeData}. */
  seriesRange: SeriesRangeParams;
  /** One backtest. Replies {@link BacktestData}. */
  backtest: BacktestParams;
  /** Paper trading on the live feed: start, status or stop. Replies {@link PaperData}. */
  paper: PaperParams;
  /** Grid search with train/test or walk-forward validation. Replies {@link ParamSearchData}. */
  paramSearch: ParamSearchParams;
  /** Universe scan ranking pairs. Replies {@link ScanData}. */
  scan: ScanParams;
  /** Import OHLC bars (atomic: one bad row imports nothing); imported symbols join the universe. Replies {@link ImportCsvData}. */
  importCsv: ImportCsvParams;
  /** Export a CSV. Replies {@link ExportCsvData}. */
  exportCsv: ExportCsvParams;
  /** The alert log. Replies {@link AlertsData}. */
  alerts: AlertsParams;
  /** Feed health. Replies {@link FeedHealthData}. */
  health: NoParams;
  /** The watchlist, refreshed; incremental with `sinceSeq`. Replies {@link WatchlistData}. */
  watchlist: WatchlistParams;
  /** Replace the universe (symbols validated). Replies {@link ConfigData}. */
  setUniverse: { symbols: string[] };
  /** Switch the recorder to another source, or stop it with `none`. Replies {@link ConfigData}. */
  setFeedSource: { source: FeedSource | 'none' };
  basket: BasketParams;
  basketBacktest: BasketBacktestParams;
}

export type PanelRequestKind = keyof PanelRequestParams;
/** Every request kind, for menus and validation. */
export const REQUEST_KINDS: readonly PanelRequestKind[] = [
  'init', 'config', 'symbols', 'snapshot', 'seriesRange', 'backtest', 'paper', 'paramSearch', 'scan',
  'importCsv', 'exportCsv', 'alerts', 'health', 'watchlist', 'setUniverse', 'setFeedSource', 'basket', 'basketBacktest',
];

/** A request as the panel sends it (before JSON.stringify). `id` is echoed in the reply. */
export type PanelRequest<K extends PanelRequestKind = PanelRequestKind> =
  K extends PanelRequestKind ? { id: string; kind: K } & PanelRequestParams[K] : never;

// ---------------------------------------------------------------- replies

export * from './replyData';
export * from './basketReplyData';

/** A successful reply. `seq` is set on `snapshot` and `watchlist` replies: send it back as `sinceSeq`. */
export interface PanelOk<K extends PanelRequestKind = PanelRequestKind> {
  id: string;
  ok: true;
  kind: K;
  seq?: number;
  data: PanelReplyData[K];
}

/** A refused or failed request. `field` names the offending request field (dotted path, e.g. `grid.entry[2]`). */
export interface PanelError {
  /** The request's id, or `""` when the request could not be parsed far enough to read it. */
  id: string;
  ok: false;
  error: {
    message: string;
    field?: string;
    /** CSV import problems, one per bad line. */
    details?: CsvIssue[];
  };
}

/** What the handler displays for one request. */
export type PanelReply<K extends PanelRequestKind = PanelRequestKind> = (K extends PanelRequestKind ? PanelOk<K> : never) | PanelError;
