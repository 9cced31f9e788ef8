// A read-only view of a store: an in-memory DuckDB over the files the manifest lists, chosen per query by
// symbol and time so that recent bars never touch old files. Takes no locks.
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type {
  AlertRecord, AlertsQuery, BarSeries, BarSource, BarsQuery, GapRecord, GapsQuery, HighWaterMark, LatestBarsQuery,
  PairBars, PairBarsQuery, QueryParams, ResultTable, SymbolsBarsQuery,
  FundingSeries, MarketRowsQuery, MarkSeries, QuoteSecondSeries, QuoteSeries,
} from './types';
import { marketViewSql, type MarketViewName } from './market-views';
import { filesFor, newestTradeTime, readManifest, type Manifest } from './manifest';
import { listUploads, seriesOf, type UploadInfo } from './uploads';
import { readAlerts, readGaps } from './records';
import { parseTimeframe, formatTimeframe } from './timeframe';
import { readDoubleColumns, runToTable } from './result-table';
import { alignPair, applyPolicy, emptySeries, seriesFromColumns } from './bar-grid';
import { sqlPath, sqlPathList } from './fs-atomic';
import { refreshViews } from './query-views';
import { DEFAULT_READER_MEMORY_MB, duckdbConfig, memoryBudgetMb, processTempDirectory, READER_MEMORY_ENV } from './duckdb-budget';

export interface StoreReaderOptions {
  dir: string;
  /** Read one-second rollups of compacted files instead of their ticks (default true; false is for comparison). */
  useRollups?: boolean;
  /** DuckDB memory of this reader in MiB; bigger queries spill to a temp directory. Default `PAIRS_LAB_READER_MEMORY_MB`, else 256. */
  memoryMb?: number;
}

/** Read-only view of a store; takes no locks, so any number may be open in any process. */
export interface StoreReader {
  readonly dir: string;
  /** Symbols with stored ticks or uploaded bars, sorted. */
  symbols(): Promise<string[]>;
  highWaterMarks(): Promise<Map<string, HighWaterMark>>;
  /**
   * Oldest and newest time of each symbol's data: trade times of its tick files and bar times of its uploads, read
   * from the manifest and the uploads' sidecars (no data file is opened).
   */
  timeRanges(): Promise<Map<string, { first: number; last: number }>>;
  bars(q: BarsQuery): Promise<BarSeries>;
  /** The newest `count` buckets of a symbol; reads only the files that cover them. */
  latestBars(q: LatestBarsQuery): Promise<BarSeries>;
  pairBars(q: PairBarsQuery): Promise<PairBars>;
  /**
   * Each symbol's bars from its own start on (empty buckets dropped), as {@link StoreReader.bars} would give them one
   * by one, but tick symbols in one query: one scan over their recent files instead of one query per symbol.
   */
  symbolsBars(q: SymbolsBarsQuery): Promise<Map<string, BarSeries>>;
  alerts(q?: AlertsQuery): Promise<AlertRecord[]>;
  gaps(q?: GapsQuery): Promise<GapRecord[]>;
  /** Best bid/ask quotes of a symbol as recorded (`bookTicker`). */
  quotes(q: MarketRowsQuery): Promise<QuoteSeries>;
  /** One-second quote rollups: last bid/ask and time-weighted spread per second. */
  quotes1s(q: MarketRowsQuery): Promise<QuoteSecondSeries>;
  /** Mark price, index price and estimated funding rate (`markPrice@1s`). */
  marks(q: MarketRowsQuery): Promise<MarkSeries>;
  /** Settled funding events. */
  funding(q: MarketRowsQuery): Promise<FundingSeries>;
  /**
   * Any SQL over the views `ticks`, `bars_uploaded`, `alerts`, `gaps`, `quotes`, `quotes_1s`, `mark`, `funding`;
   * `$1`/`$name` values bound from `params`.
   */
  query(sql: string, params?: QueryParams): Promise<ResultTable>;
  close(): Promise<void>;
}

const NO_END = Number.MAX_SAFE_INTEGER;
/** A file listed by an old manifest may be gone once its grace period ended; such a query is re-planned once. */
const VANISHED_FILE = /No files found that match|Cannot open file|No such file or directory/;

// The bucket width and window are integers the store computed (never text from a caller) and are written into the
// SQL as literals: a bound bucket width made DuckDB's grouping about 5× slower (measured 800 ms vs 150 ms, 1 M ticks).
const int = (n: number): string => {
  if (!Number.isSafeInteger(n)) throw new Error(`internal: ${n} is not a safe integer`);
  return String(n);
};

/**
 * Bars from tick files and one-second rollups: the rollups of compacted files and the ticks of the rest (L0 files,
 * or every file when rollups are off) are both brought to one-second rows, which are then re-aggregated to the
 * timeframe. The window [lo, hi) is a multiple of the timeframe, itself a multiple of one second.
 */
function tickBarsSql(rollups: string[], ticks: string[], tf: number, lo: number, hi: number, minVolume: number): string {
  const seconds: string[] = [];
  if (rollups.length) {
    seconds.push(`SELECT time, open, high, low, close, volume, trades, pv, firstId, lastId FROM read_parquet(${sqlPathList(rollups)})
      WHERE time >= ${int(lo)} AND time < ${int(hi)}`);
  }
  if (ticks.length) {
    seconds.push(`SELECT tradeTime // 1000 * 1000 AS time, arg_min(price, aggId) AS open, max(price) AS high, min(price) AS low,
        arg_max(price, aggId) AS close, sum(qty) AS volume, count(*) AS trades, sum(price * qty) AS pv, min(aggId) AS firstId, max(aggId) AS lastId
      FROM read_parquet(${sqlPathList(ticks)}) WHERE symbol = $symbol AND tradeTime >= ${int(lo)} AND tradeTime < ${int(hi)} GROUP BY 1`);
  }
  return `WITH seconds AS (${seconds.join(' UNION ALL ')})
  SELECT CAST(time // ${int(tf)} * ${int(tf)} AS DOUBLE) AS time, arg_min(open, firstId) AS open, max(high) AS high, min(low) AS low,
    arg_max(close, lastId) AS close, sum(volume) AS volume, CAST(sum(trades) AS DOUBLE) AS trades,
    CASE WHEN sum(volume) > 0 THEN sum(pv) / sum(volume) ELSE 'NaN'::DOUBLE END AS vwap
  FROM seconds GROUP BY 1 ${minVolume > 0 ? 'HAVING sum(volume) >= $minVolume' : ''} ORDER BY 1`;
}

/**
 * {@link tickBarsSql} for several symbols, each from its own `lo`: rollup files (one symbol each) are told apart by
 * file name, tick files (L0 files hold every symbol) by their symbol column. Symbols are bound as `$s<i>`; rows carry
 * the symbol's index `i` as a double, so every column reads as doubles.
 */
function symbolsTickBarsSql(spans: ReadonlyArray<{ lo: number; rollups: string[] }>, ticks: string[], tf: number, minVolume: number): string {
  const seconds: string[] = [];
  const rollupRows = spans.flatMap((s, i) => s.rollups.map((f) => `(${sqlPath(f)}, ${int(i)}, ${int(s.lo)})`));
  const minLo = Math.min(...spans.map((s) => s.lo));
  if (rollupRows.length) {
    seconds.push(`SELECT f.idx, r.time, r.open, r.high, r.low, r.close, r.volume, r.trades, r.pv, r.firstId, r.lastId
      FROM read_parquet(${sqlPathList([...new Set(spans.flatMap((s) => s.rollups))])}, filename = true) r
      JOIN (VALUES ${rollupRows.join(', ')}) f(file, idx, lo) ON r.filename = f.file
      WHERE r.time >= ${int(minLo)} AND r.time >= f.lo`);
  }
  if (ticks.length) {
    seconds.push(`SELECT w.idx, t.tradeTime // 1000 * 1000 AS time, arg_min(t.price, t.aggId) AS open, max(t.price) AS high,
        min(t.price) AS low, arg_max(t.price, t.aggId) AS close, sum(t.qty) AS volume, count(*) AS trades, sum(t.price * t.qty) AS pv,
        min(t.aggId) AS firstId, max(t.aggId) AS lastId
      FROM read_parquet(${sqlPathList(ticks)}) t JOIN (VALUES ${spans.map((s, i) => `($s${i}, ${int(i)}, ${int(s.lo)})`).join(', ')}) w(symbol, idx, lo)
        ON t.symbol = w.symbol
      WHERE t.tradeTime >= ${int(minLo)} AND t.tradeTime >= w.lo GROUP BY 1, 2`);
  }
  return `WITH seconds AS (${seconds.join(' UNION ALL ')})
  SELECT CAST(idx AS DOUBLE) AS idx, CAST(time // ${int(tf)} * ${int(tf)} AS DOUBLE) AS time, arg_min(open, firstId) AS open, max(high) AS high,
    min(low) AS low, arg_max(close, lastId) AS close, sum(volume) AS volume, CAST(sum(trades) AS DOUBLE) AS trades,
    CASE WHEN sum(volume) > 0 THEN sum(pv) / sum(volume) ELSE 'NaN'::DOUBLE END AS vwap
  FROM seconds GROUP BY 1, 2 ${minVolume > 0 ? 'HAVING sum(volume) >= $minVolume' : ''} ORDER BY 1, 2`;
}

const UPLOADED_BARS_SQL = (files: string, tf: number, sourceTf: number, lo: number, hi: number, minVolume: number) => `
  SELECT CAST(time // ${int(tf)} * ${int(tf)} AS DOUBLE) AS time, arg_min(open, time) AS open, max(high) AS high, min(low) AS low,
    arg_max(close, time) AS close, sum(volume) AS volume, sum(trades) AS trades,
    CASE WHEN sum(volume) > 0 THEN sum(vwap * volume) / sum(volume) ELSE 'NaN'::DOUBLE END AS vwap
  FROM read_parquet(${files})
  WHERE symbol = $symbol AND timeframeMs = ${int(sourceTf)} AND time >= ${int(lo)} AND time < ${int(hi)}
  GROUP BY 1 ${minVolume > 0 ? 'HAVING sum(volume) >= $minVolume' : ''} ORDER BY 1`;

/** Trade-time window of the buckets whose start lies in [from, to). */
function window(tf: number, from?: number, to?: number): { lo: number; hi: number } {
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw new Error(`bars: ${name} must be epoch milliseconds, got ${String(v)}`);
  }
  const edge = (t: number) => Math.min(NO_END, Math.max(0, Math.ceil(t / tf) * tf));
  return { lo: from === undefined ? 0 : edge(from), hi: to === undefined ? NO_END : edge(to) };
}

class ParquetStoreReader implements StoreReader {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly useRollups: boolean,
  ) {}

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async retryingVanished<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (err) {
      if (!(err instanceof Error) || !VANISHED_FILE.test(err.message)) throw err;
      return task();
    }
  }

  async symbols(): Promise<string[]> {
    const set = new Set(Object.keys(readManifest(this.dir).highWaterMarks));
    for (const u of listUploads(this.dir)) for (const s of u.series) set.add(s.symbol);
    return [...set].sort();
  }

  async highWaterMarks(): Promise<Map<string, HighWaterMark>> {
    return new Map(Object.entries(readManifest(this.dir).highWaterMarks));
  }

  async timeRanges(): Promise<Map<string, { first: number; last: number }>> {
    const ranges = new Map<string, { first: number; last: number }>();
    const widen = (symbol: string, first: number, last: number) => {
      const r = ranges.get(symbol);
      ranges.set(symbol, r ? { first: Math.min(r.first, first), last: Math.max(r.last, last) } : { first, last });
    };
    for (const f of readManifest(this.dir).files) for (const [symbol, part] of Object.entries(f.symbols)) widen(symbol, part.minT, part.maxT);
    for (const u of listUploads(this.dir)) for (const s of u.series) widen(s.symbol, s.minT, s.maxT);
    return ranges;
  }

  private resolveSource(m: Manifest, symbol: string, source: BarSource): 'ticks' | 'uploaded' {
    if (source !== 'auto') return source;
    if (m.highWaterMarks[symbol]) return 'ticks';
    return seriesOf(listUploads(this.dir), symbol).length ? 'uploaded' : 'ticks';
  }

  private async tickBars(m: Manifest, symbol: string, tf: number, lo: number, hi: number, minVolume: number): Promise<BarSeries> {
    const files = filesFor(m, symbol, lo, hi);
    if (files.length === 0) return emptySeries(symbol, tf);
    const abs = (p: string) => path.join(this.dir, p);
    const rollups = this.useRollups ? files.filter((f) => f.rollup).map((f) => abs(f.rollup as string)) : [];
    const ticks = files.filter((f) => !(this.useRollups && f.rollup)).map((f) => abs(f.path));
    const sql = tickBarsSql(rollups, ticks, tf, lo, hi, minVolume);
    const result = await this.conn.run(sql, { ...(ticks.length ? { symbol } : {}), ...(minVolume > 0 ? { minVolume } : {}) } satisfies Record<string, DuckDBValue>);
    return seriesFromColumns(symbol, tf, await readDoubleColumns(result));
  }

  /** The coarsest uploaded timeframe of `symbol` that divides `tf`. */
  private uploadSource(uploads: UploadInfo[], symbol: string, tf: number): number | undefined {
    const tfs = [...new Set(seriesOf(uploads, symbol).map((s) => s.series.timeframeMs))];
    if (tfs.length === 0) return undefined;
    const usable = tfs.filter((s) => tf % s === 0);
    if (usable.length === 0) {
      throw new Error(`uploaded bars of ${symbol} are ${tfs.map(formatTimeframe).join(', ')}; ${formatTimeframe(tf)} is not a multiple of any of them, so it cannot be resampled`);
    }
    return Math.max(...usable);
  }

  private async uploadedBars(symbol: string, tf: number, lo: number, hi: number, minVolume: number): Promise<BarSeries> {
    const uploads = listUploads(this.dir);
    const sourceTf = this.uploadSource(uploads, symbol, tf);
    if (sourceTf === undefined) return emptySeries(symbol, tf);
    const files = seriesOf(uploads, symbol)
      .filter(({ series: s }) => s.timeframeMs === sourceTf && s.maxT >= lo && s.minT < hi)
      .map(({ upload }) => path.join(this.dir, upload.file));
    if (files.length === 0) return emptySeries(symbol, tf);
    const list = sqlPathList([...new Set(files)]);
    const result = await this.conn.run(UPLOADED_BARS_SQL(list, tf, sourceTf, lo, hi, minVolume), { symbol, ...(minVolume > 0 ? { minVolume } : {}) } satisfies Record<string, DuckDBValue>);
    return seriesFromColumns(symbol, tf, await readDoubleColumns(result));
  }

  private async rawBars(q: BarsQuery, tf: number): Promise<BarSeries> {
    const { lo, hi } = window(tf, q.from, q.to);
    if (hi <= lo) return emptySeries(q.symbol, tf);
    const minVolume = q.minVolume ?? 0;
    if (!Number.isFinite(minVolume)) throw new Error(`minVolume must be a finite number, got ${q.minVolume}`);
    return this.retryingVanished(async () => {
      const m = readManifest(this.dir);
      return this.resolveSource(m, q.symbol, q.source ?? 'auto') === 'ticks'
        ? this.tickBars(m, q.symbol, tf, lo, hi, minVolume)
        : this.uploadedBars(q.symbol, tf, lo, hi, minVolume);
    });
  }

  async bars(q: BarsQuery): Promise<BarSeries> {
    const tf = parseTimeframe(q.timeframe);
    return this.serial(async () => applyPolicy(await this.rawBars(q, tf), q.emptyBuckets ?? 'drop'));
  }

  async latestBars(q: LatestBarsQuery): Promise<BarSeries> {
    const tf = parseTimeframe(q.timeframe);
    if (!Number.isSafeInteger(q.count) || q.count < 1) throw new Error(`latestBars: count must be a positive integer, got ${q.count}`);
    return this.serial(async () => {
      const m = readManifest(this.dir);
      const source = this.resolveSource(m, q.symbol, q.source ?? 'auto');
      let newest: number | undefined;
      if (source === 'ticks') newest = newestTradeTime(m, q.symbol);
      else for (const { series } of seriesOf(listUploads(this.dir), q.symbol)) newest = Math.max(newest ?? -Infinity, series.maxT);
      if (newest === undefined) return emptySeries(q.symbol, tf);
      const last = Math.floor(newest / tf) * tf;
      const bars = await this.rawBars({ ...q, source, from: last - (q.count - 1) * tf, to: last + tf }, tf);
      return applyPolicy(bars, q.emptyBuckets ?? 'drop');
    });
  }

  async pairBars(q: PairBarsQuery): Promise<PairBars> {
    const tf = parseTimeframe(q.timeframe);
    if (q.y === q.x) throw new Error(`pairBars: y and x are both ${q.y}; choose two different symbols`);
    return this.serial(async () => {
      const leg = (symbol: string) => this.rawBars({ symbol, timeframe: q.timeframe, from: q.from, to: q.to, minVolume: q.minVolume, source: q.source }, tf);
      const y = await leg(q.y);
      const x = await leg(q.x);
      return alignPair(y, x, q.emptyBuckets ?? 'carry');
    });
  }

  async symbolsBars(q: SymbolsBarsQuery): Promise<Map<string, BarSeries>> {
    const tf = parseTimeframe(q.timeframe);
    const minVolume = q.minVolume ?? 0;
    if (!Number.isFinite(minVolume)) throw new Error(`minVolume must be a finite number, got ${q.minVolume}`);
    return this.serial(() => this.retryingVanished(async () => {
      const m = readManifest(this.dir);
      const out = new Map<string, BarSeries>();
      const spans: Array<{ symbol: string; lo: number; rollups: string[] }> = [];
      const ticks = new Set<string>();
      for (const [symbol, from] of q.from) {
        const { lo, hi } = window(tf, from, undefined);
        if (this.resolveSource(m, symbol, q.source ?? 'auto') === 'uploaded') {
          out.set(symbol, await this.uploadedBars(symbol, tf, lo, hi, minVolume));
          continue;
        }
        const files = filesFor(m, symbol, lo, hi);
        if (files.length === 0) {
          out.set(symbol, emptySeries(symbol, tf));
          continue;
        }
        const abs = (p: string) => path.join(this.dir, p);
        spans.push({ symbol, lo, rollups: this.useRollups ? files.filter((f) => f.rollup).map((f) => abs(f.rollup as string)) : [] });
        for (const f of files) if (!(this.useRollups && f.rollup)) ticks.add(abs(f.path));
      }
      if (spans.length === 0) return out;
      const params: Record<string, DuckDBValue> = minVolume > 0 ? { minVolume } : {};
      // symbols are named only where tick files are read (rollups are told apart by file)
      if (ticks.size) spans.forEach((s, i) => { params[`s${i}`] = s.symbol; });
      const result = await this.conn.run(symbolsTickBarsSql(spans, [...ticks], tf, minVolume), params);
      const [index, ...columns] = await readDoubleColumns(result);
      // rows come ordered by symbol index, then time
      let start = 0;
      for (let end = 1; end <= index.length; end++) {
        if (end < index.length && index[end] === index[start]) continue;
        const symbol = spans[index[start]].symbol;
        out.set(symbol, seriesFromColumns(symbol, tf, columns.map((c) => c.slice(start, end))));
        start = end;
      }
      for (const s of spans) if (!out.has(s.symbol)) out.set(s.symbol, emptySeries(s.symbol, tf));
      return out;
    }));
  }

  /** `columns` of a market view for one symbol, as doubles (NULL → NaN), ordered by time then `order`. */
  private async marketColumns(view: MarketViewName, timeColumn: string, order: string, columns: readonly string[], q: MarketRowsQuery): Promise<Float64Array[]> {
    for (const [name, v] of [['from', q.from], ['to', q.to]] as const) {
      if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw new Error(`${view}: ${name} must be epoch milliseconds, got ${String(v)}`);
    }
    if (typeof q.symbol !== 'string' || q.symbol.length === 0) throw new Error(`${view}: symbol must be a symbol name such as BTCUSDT`);
    const from = q.from ?? 0;
    const to = q.to ?? NO_END;
    return this.serial(() => this.retryingVanished(async () => {
      const select = columns.map((c) => `coalesce(CAST(${c} AS DOUBLE), 'NaN'::DOUBLE)`).join(', ');
      const sql = `SELECT ${select} FROM (${marketViewSql(this.dir, view, q.symbol, from, to)})
        WHERE symbol = $symbol AND ${timeColumn} >= $from AND ${timeColumn} < $to ORDER BY ${timeColumn}, ${order}`;
      return readDoubleColumns(await this.conn.run(sql, { symbol: q.symbol, from, to }));
    }));
  }

  async quotes(q: MarketRowsQuery): Promise<QuoteSeries> {
    const [updateId, eventTime, bid, bidQty, ask, askQty] = await this.marketColumns('quotes', 'eventTime', 'updateId', ['updateId', 'eventTime', 'bid', 'bidQty', 'ask', 'askQty'], q);
    return { symbol: q.symbol, updateId, eventTime, bid, bidQty, ask, askQty };
  }

  async quotes1s(q: MarketRowsQuery): Promise<QuoteSecondSeries> {
    const [time, bid, bidQty, ask, askQty, spreadTw, quotes] = await this.marketColumns('quotes_1s', 'time', 'lastUpdateId', ['time', 'bid', 'bidQty', 'ask', 'askQty', 'spreadTw', 'quotes'], q);
    return { symbol: q.symbol, time, bid, bidQty, ask, askQty, spreadTw, quotes };
  }

  async marks(q: MarketRowsQuery): Promise<MarkSeries> {
    const [eventTime, markPrice, indexPrice, fundingRate, nextFundingTime] = await this.marketColumns('mark', 'eventTime', 'eventTime', ['eventTime', 'markPrice', 'indexPrice', 'fundingRate', 'nextFundingTime'], q);
    return { symbol: q.symbol, eventTime, markPrice, indexPrice, fundingRate, nextFundingTime };
  }

  async funding(q: MarketRowsQuery): Promise<FundingSeries> {
    const [fundingTime, fundingRate, markPrice] = await this.marketColumns('funding', 'fundingTime', 'fundingTime', ['fundingTime', 'fundingRate', 'markPrice'], q);
    return { symbol: q.symbol, fundingTime, fundingRate, markPrice };
  }

  async alerts(q?: AlertsQuery): Promise<AlertRecord[]> {
    return readAlerts(this.dir, q);
  }

  async gaps(q?: GapsQuery): Promise<GapRecord[]> {
    return readGaps(this.dir, q);
  }

  async query(sql: string, params?: QueryParams): Promise<ResultTable> {
    return this.serial(() => this.retryingVanished(async () => {
      await refreshViews(this.conn, this.dir, sql);
      return runToTable(this.conn, sql, params);
    }));
  }

  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

export async function openStoreReader(opts: StoreReaderOptions): Promise<StoreReader> {
  const dir = path.resolve(opts.dir);
  const memoryMb = memoryBudgetMb(opts.memoryMb, READER_MEMORY_ENV, DEFAULT_READER_MEMORY_MB);
  const instance = await DuckDBInstance.create(':memory:', duckdbConfig({ memoryMb, threads: 2, tempDirectory: processTempDirectory() }));
  const conn = await instance.connect();
  return new ParquetStoreReader(dir, instance, conn, opts.useRollups ?? true);
}
