// Public record and result types of the store. Times are UTC epoch milliseconds everywhere.

/** One Binance aggTrade as the recorder stores it. `aggId` is a safe integer, dense per symbol. */
export interface Tick {
  symbol: string;
  aggId: number;
  tradeTime: number;
  price: number;
  qty: number;
  isBuyerMaker: boolean;
  recvTime: number;
}

/** One best bid/ask (`bookTicker`) as the recorder stores it. `updateId` increases per symbol. */
export interface QuoteRow {
  symbol: string;
  updateId: number;
  /** Exchange event time `E`. */
  eventTime: number;
  /** Exchange transaction time `T`. */
  txTime: number;
  bid: number;
  bidQty: number;
  ask: number;
  askQty: number;
  recvTime: number;
}

/** One mark price update (`markPrice@1s`). */
export interface MarkRow {
  symbol: string;
  eventTime: number;
  markPrice: number;
  indexPrice: number;
  estimatedSettlePrice: number;
  /** Estimated rate of the running funding period. */
  fundingRate: number;
  nextFundingTime: number;
  recvTime: number;
}

/** One settled funding event, stored once per (symbol, fundingTime). */
export interface FundingRow {
  symbol: string;
  fundingTime: number;
  fundingRate: number;
  /** Mark price at the event; NaN when the exchange gave none. */
  markPrice: number;
  recvTime: number;
}

/** Highest stored aggId of a symbol and the trade time of that tick: where a backfill resumes. */
export interface HighWaterMark {
  aggId: number;
  tradeTime: number;
}

export interface StoreWriterOptions {
  /** Store directory (created if missing), e.g. `./data`. */
  dir: string;
  /** Flush automatically this often (ms) while ticks are buffered; 0 disables the timer. Default 1000. */
  flushIntervalMs?: number;
  /** Run compaction automatically after flushes, at most this often (ms); 0 disables. Default 60000. */
  compactIntervalMs?: number;
  /** Keep compacted-away files this long (ms) before deleting them, so running reads finish. Default 60000. */
  graceMs?: number;
  /** An hour's (or UTC day's) files are merged into one L2 (L3) file once the hour (day) ended this long ago (ms). Default 60000. */
  hourCloseDelayMs?: number;
  /** Called with errors from automatic (timer) flushes and compactions; default writes to stderr. */
  onError?: (err: Error) => void;
  /**
   * DuckDB memory of this writer in MiB (its flush and compaction instances together); bigger sorts spill to
   * `<dir>/.duckdb-tmp`. Default `PAIRS_LAB_WRITER_MEMORY_MB`, else 256.
   */
  memoryMb?: number;
  /** The time that decides which hours and days are closed (trade time); default `Date.now`. A simulated clock's `now` in soaks. */
  now?: () => number;
}

export interface FlushStats {
  /** Ticks written by this flush. */
  ticks: number;
  /** Files published (0 when nothing was buffered). */
  files: number;
  /** Manifest version after the flush. */
  manifestVersion: number;
  durationMs: number;
}

export interface AppendResult {
  /** Ticks buffered for the next flush. */
  accepted: number;
  /** Ticks refused because (symbol, aggId) is already stored or buffered. */
  duplicates: number;
}

export interface CompactionStats {
  /** Files merged away (now tombstoned). */
  inputFiles: number;
  /** Files written. */
  outputFiles: number;
  /** Tombstoned files deleted because their grace period ended. */
  deletedFiles: number;
  durationMs: number;
}

/**
 * The one tick writer of a store directory. Not safe for concurrent calls from several async tasks
 * without awaiting: `flush` and `compact` serialise themselves internally.
 */
export interface StoreWriter {
  readonly dir: string;
  /** Buffers ticks after dropping any whose (symbol, aggId) is already stored or buffered. */
  append(ticks: readonly Tick[]): AppendResult;
  /** Writes buffered ticks to a Parquet file and publishes it; once this resolves the ticks survive `kill -9` and a power loss. */
  flush(): Promise<FlushStats>;
  /** Highest aggId per symbol over stored and buffered ticks. */
  highWaterMarks(): Map<string, HighWaterMark>;
  /** Merges small files (L0 → per-symbol-hour L1 → one L2 per closed symbol-hour → one L3 per closed symbol-day) and deletes files past their grace. `now` decides which periods are closed. */
  compact(now?: number): Promise<CompactionStats>;
  /** Bytes DuckDB holds for this writer (flush and compaction instances), as `duckdb_memory()` reports them. */
  duckdbMemoryBytes(): Promise<number>;
  /** Buffers best bid/ask rows; drops any whose updateId is not above the symbol's newest stored or buffered one. */
  appendQuotes(rows: readonly QuoteRow[]): AppendResult;
  /** Buffers mark price rows; drops any whose eventTime is not above the symbol's newest. */
  appendMarks(rows: readonly MarkRow[]): AppendResult;
  /** Buffers funding events; drops any whose fundingTime is not above the symbol's newest (each event once). */
  appendFunding(rows: readonly FundingRow[]): AppendResult;
  /** Newest stored or buffered sequence (updateId, eventTime, fundingTime) and time per symbol of a market-data layer. */
  layerHighWaterMarks(layer: MarketLayerName): Map<string, HighWaterMark>;
  /** Flushes what is buffered, stops timers and releases the writer lock. */
  close(): Promise<void>;
}

export type MarketLayerName = 'quotes' | 'mark' | 'funding';

/** Rows of one symbol with time in [from, to) (event time; funding time for funding), oldest first. */
export interface MarketRowsQuery {
  symbol: string;
  from?: number;
  to?: number;
}

/** Best bid/ask quotes as they came, columnar. */
export interface QuoteSeries {
  symbol: string;
  updateId: Float64Array;
  eventTime: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
}

/** One row per second that had quotes: the last bid/ask and the time-weighted spread (ask − bid) within the second. */
export interface QuoteSecondSeries {
  symbol: string;
  /** Second start. */
  time: Float64Array;
  bid: Float64Array;
  bidQty: Float64Array;
  ask: Float64Array;
  askQty: Float64Array;
  spreadTw: Float64Array;
  quotes: Float64Array;
}

export interface MarkSeries {
  symbol: string;
  eventTime: Float64Array;
  markPrice: Float64Array;
  indexPrice: Float64Array;
  fundingRate: Float64Array;
  nextFundingTime: Float64Array;
}

/** Settled funding events, one per funding time. */
export interface FundingSeries {
  symbol: string;
  fundingTime: Float64Array;
  fundingRate: Float64Array;
  /** NaN where the exchange gave no mark price. */
  markPrice: Float64Array;
}

export type BarSource = 'ticks' | 'uploaded' | 'auto';
/** `carry`: every bucket of the grid is present; a bucket without a (liquid) bar repeats the last close with zero volume and `filled = 1`. `drop`: only buckets with bars. */
export type EmptyBucketPolicy = 'carry' | 'drop';

export interface BarsQuery {
  symbol: string;
  /** `1s`, `1m`, `5m`, `15m`, `1h`, `1d` or any `Ns`, `Nm`, `Nh`, `Nd`; buckets are aligned to the Unix epoch. */
  timeframe: string;
  /** Bars whose bucket start is ≥ from (inclusive) ... */
  from?: number;
  /** ... and < to (exclusive). */
  to?: number;
  /** Bars with volume below this are illiquid: dropped, or treated as empty buckets under `carry`. */
  minVolume?: number;
  /** `auto` (default): ticks when the symbol has ticks, else uploaded bars. */
  source?: BarSource;
  /** Default `drop`. */
  emptyBuckets?: EmptyBucketPolicy;
}

export interface LatestBarsQuery {
  symbol: string;
  timeframe: string;
  /** Number of buckets, ending with the bucket that holds the symbol's newest data. */
  count: number;
  minVolume?: number;
  source?: BarSource;
  emptyBuckets?: EmptyBucketPolicy;
}

/** Bars of several symbols in one query, each from its own start: how a watchlist catches up on every symbol at once. */
export interface SymbolsBarsQuery {
  timeframe: string;
  /** Each symbol's first bucket start (inclusive); its bars run to its newest. */
  from: ReadonlyMap<string, number>;
  minVolume?: number;
  source?: BarSource;
}

export interface PairBarsQuery {
  y: string;
  x: string;
  timeframe: string;
  from?: number;
  to?: number;
  minVolume?: number;
  /** Default `carry`: the grid runs from the first bucket where both legs have a bar to the last bucket where either has one. */
  emptyBuckets?: EmptyBucketPolicy;
  source?: BarSource;
}

/** Columnar OHLCV bars; `time` is the bucket start. Uploaded bars without trade counts or VWAP carry NaN there. */
export interface BarSeries {
  symbol: string;
  timeframeMs: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  trades: Float64Array;
  vwap: Float64Array;
  /** 1 = carried-forward empty bucket. */
  filled: Uint8Array;
}

/** Two legs on the same time grid (`y.time` equals `x.time` element by element). */
export interface PairBars {
  y: BarSeries;
  x: BarSeries;
}

export interface AlertRecord {
  time: number;
  pair: string;
  rule: string;
  value: number;
  threshold: number;
  message?: string;
}

export interface AlertsQuery {
  from?: number;
  to?: number;
  pair?: string;
  rule?: string;
  /** Newest `limit` alerts (still returned oldest first). */
  limit?: number;
}

export type GapStatus = 'open' | 'filled' | 'abandoned';

/** A missing aggId range [fromId, toId] of a symbol. Appending a record with the same (symbol, fromId, toId) updates it: the latest appended wins. */
export interface GapRecord {
  symbol: string;
  fromId: number;
  toId: number;
  foundAt: number;
  filledAt: number | null;
  /** Trades recovered (or expected, while open). */
  trades: number;
  status: GapStatus;
}

export interface GapsQuery {
  symbol?: string;
  status?: GapStatus;
}

export type CellValue = number | string | boolean | null;
export type QueryParams = readonly CellValue[] | Readonly<Record<string, CellValue>>;

/** Any query result, columnar. BIGINT values that are not safe integers come back as strings. */
export interface ResultTable {
  columns: { name: string; type: string; values: CellValue[] }[];
  rowCount: number;
}

export interface ImportResult {
  rows: number;
  symbols: string[];
  timeframeMs: number;
  from: number;
  to: number;
  /** The Parquet file that now holds the bars, relative to the store directory. */
  file: string;
  /**
   * True when exactly these bars were imported before (a second upload of the same file, or a request sent again
   * after its reply was lost): nothing was written, and `file` is the earlier upload.
   */
  alreadyImported: boolean;
}

/** One problem found in an imported CSV. `line` is 1-based and counts the header. */
export interface CsvIssue {
  line: number;
  column: string;
  reason: string;
}
