// The one façade: a store directory opened for reading, an optional recorder writing into it (or the health of
// a recorder another process runs there), bars, recorded market data (quotes, mark prices, funding), pair views,
// scans, CSV import/export and the alert log.
import path from 'node:path';
import os from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import {
  type AlertRecord, type BarSeries, type BarsQuery, type FundingSeries, type ImportResult, type MarkSeries, type QuoteSecondSeries,
  type QuoteSeries, type StoreReader, type WatchedPair,
  WriterLockedError, appendAlerts, importBarsCsv, openStoreReader, readWatchlistFile, toCsv, writeWatchlistFile,
} from '../../../src/store';
import { type Recorder, type RecorderHealth, type RecorderHealthReading, defaultSymbols, readRecorderHealth, startRecorder } from '../../../src/feed';
import { SYMBOL_PATTERN, type FeedHealthData, type FeedSource } from '../protocol';
import { PairView, type PairViewOptions } from '../analysis/pairView';
import { type BasketUniverseScan, type ScanSettings, type UniverseScan, scanBasketUniverse, scanUniverse } from '../analysis/scan';
import { BasketView, type BasketViewOptions } from '../analysis/basketView';
import type { BasketScanOptions } from '../../../src/analytics';
import { type LakeScanOptions, scanLake } from '../analysis/lakeScan';
import { Watchlist, type WatchlistOptions, resolveWatchlistOptions } from '../watchlist/watchlist';
import type { LakeReader, LakeReaderOptions } from '../../../src/lake';
import type { StreamMirror, StreamMirrorHealth } from '../../../src/stream/live-mirror';

/** Options of {@link Lab.watchlist}. */
export interface LabWatchlistOptions extends WatchlistOptions {
  /** Pairs of the default list (the universe's best-ranked). Default 10. */
  count?: number;
}

/** A time window in UTC epoch ms: `from` inclusive, `to` exclusive; either may be left out. */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** Options of {@link openLab}. */
export interface LabOptions {
  /** Store directory. Default `$PAIRS_LAB_DATA`, else `<project>/data`. */
  dataDir?: string;
  /** Symbols the session works with. Default: the store's symbols (with `nats`, the stream's), else BTCUSDT and ETHUSDT. */
  universe?: readonly string[];
  /** A Parquet lake (a directory or `s3://bucket/prefix`) to read as `lab.lake`; S3 endpoint and keys from the AWS_* variables. */
  lake?: string;
  /**
   * Follow live ticks from the JetStream tick stream at this NATS URL (comma-separated for a cluster) instead of a
   * local recorder: the stream's history from `natsFrom` is replayed, then new ticks arrive as they are published.
   * They are kept in a store of this session's own: `dataDir` when given (a kernel restart resumes from it; it must
   * not be a store another process writes), else a temporary directory removed by `close()`. Default
   * `$PAIRS_LAB_NATS` (so that a panel's kernel started with it follows the stream too), else none.
   */
  nats?: string;
  /** With `nats`: replay the stream from this time (epoch ms). Default: the newest tick kept in `dataDir`, else one hour ago. */
  natsFrom?: number;
}

/** Options of {@link Lab.startRecorder}. */
export interface RecordOptions {
  /** `simulated` runs the local simulated exchange in this process (offline); `binance` the real one. */
  source: FeedSource;
  /** Default: the lab's universe. */
  symbols?: readonly string[];
  /** Trades per second of the simulated exchange (its default otherwise). */
  simulatedTradesPerSecond?: number;
}

/** The default store directory: `$PAIRS_LAB_DATA`, else `data/` in the project (`$PAIRS_LAB_ROOT`) or the working directory. */
export function defaultDataDir(): string {
  return process.env.PAIRS_LAB_DATA ?? path.join(process.env.PAIRS_LAB_ROOT ?? process.cwd(), 'data');
}

/** A directory for one notebook's scratch store, e.g. `scratchDir('quickstart')`, under the default data directory. */
export function scratchDir(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) throw new Error(`scratchDir: "${name}" is not a plain folder name; use letters, digits, dots, dashes and underscores`);
  return path.join(defaultDataDir(), name);
}

/** Opens a session on a store directory (created on first write), or on the tick stream with `nats`; `lake` with either. */
export async function openLab(opts: LabOptions = {}): Promise<Lab> {
  const nats = opts.nats ?? (process.env.PAIRS_LAB_NATS || undefined);
  const lab = nats !== undefined ? await openStreamLab(nats, opts) : await openStoreLab(opts);
  if (opts.lake !== undefined) {
    try {
      await lab.openLake(opts.lake);
    } catch (err) {
      await lab.close();
      throw err;
    }
  }
  return lab;
}

async function openStoreLab(opts: LabOptions): Promise<Lab> {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  const reader = await openStoreReader({ dir: dataDir });
  const lab = new Lab(dataDir, reader);
  const universe = opts.universe ?? (await reader.symbols().catch(() => []));
  if (universe.length >= 2) lab.setUniverse(universe);
  else lab.setPlaceholderUniverse(['BTCUSDT', 'ETHUSDT']);
  return lab;
}

const HOUR_MS = 3_600_000;

/** {@link openLab} with `nats`: a store of the session's own, written by a mirror of the tick stream. */
async function openStreamLab(nats: string, opts: LabOptions): Promise<Lab> {
  if (typeof nats !== 'string' || nats.trim() === '') throw new Error('openLab: nats must be a NATS URL such as nats://127.0.0.1:4222 (comma-separated for a cluster)');
  // Loaded only with `nats`: a lab on a store never loads the NATS client.
  const { startStreamMirror } = await import('../../../src/stream/live-mirror');
  const temporary = opts.dataDir === undefined;
  const dataDir = temporary ? await mkdtemp(path.join(os.tmpdir(), 'pairs-lab-stream-')) : path.resolve(opts.dataDir as string);
  let mirror: StreamMirror | null = null;
  try {
    const from = opts.natsFrom ?? (await newestKeptTick(dataDir)) ?? Date.now() - HOUR_MS;
    mirror = await startStreamMirror({ servers: nats, dataDir, from }).catch((err: unknown) => {
      if (!(err instanceof WriterLockedError)) throw err;
      throw new Error(`openLab: ${dataDir} is written by process ${err.pid} (a recorder or a store consumer), so the stream cannot be kept there. `
        + 'Read that store with openLab({ dataDir }) without nats, or give nats a directory of its own (or none: a temporary one)');
    });
    await mirror.caughtUp();
    const reader = await openStoreReader({ dir: dataDir });
    const lab = new Lab(dataDir, reader, { mirror, temporaryDir: temporary });
    const universe = opts.universe ?? [...new Set([...mirror.streamSymbols, ...(await reader.symbols())])].sort();
    if (universe.length >= 2) lab.setUniverse(universe);
    else lab.setPlaceholderUniverse(['BTCUSDT', 'ETHUSDT']);
    return lab;
  } catch (err) {
    await mirror?.stop().catch(() => undefined);
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** The oldest of the symbols' newest ticks in a store, so that a replay from there leaves no symbol a hole. */
async function newestKeptTick(dataDir: string): Promise<number | null> {
  const reader = await openStoreReader({ dir: dataDir });
  try {
    const marks = [...(await reader.highWaterMarks()).values()];
    return marks.length ? Math.min(...marks.map((m) => m.tradeTime)) : null;
  } finally {
    await reader.close();
  }
}

/** The live source of a lab that follows the tick stream. */
interface StreamSource {
  mirror: StreamMirror;
  /** The store directory is the session's temporary one: removed on close. */
  temporaryDir: boolean;
}

/** A research session on one store. Create with {@link openLab}; `close()` when done. */
export class Lab {
  private universeList: string[] = [];
  /** True while the universe is the placeholder of an empty store: the first import replaces it. */
  private placeholderUniverse = false;
  private recorderInstance: Recorder | null = null;
  private recorderSource: FeedSource | null = null;
  private attachedClockOffsetMs: number | null = null;
  private lakeReader: LakeReader | null = null;

  constructor(readonly dataDir: string, readonly reader: StoreReader, private readonly stream: StreamSource | null = null) {}

  /** The NATS URL this session follows the tick stream from (`openLab({ nats })`), or null. */
  get natsServers(): string | null {
    return this.stream?.mirror.health().servers ?? null;
  }

  /** How following the tick stream goes (messages, ticks kept, connection, last error), or null without `nats`. */
  streamHealth(): StreamMirrorHealth | null {
    return this.stream?.mirror.health() ?? null;
  }

  /**
   * Opens a Parquet lake written by `pairs-lab export` (a directory or `s3://bucket/prefix`) as {@link Lab.lake}, in
   * place of one opened before. Its views: `lake_ticks` and `lake_bars_1s`, with `symbol` and `date` columns.
   */
  async openLake(uri: string, opts: LakeReaderOptions = {}): Promise<LakeReader> {
    // Loaded on first use: sessions without a lake never load the lake code.
    const next = await (await import('../../../src/lake')).openLake(uri, opts);
    const previous = this.lakeReader;
    this.lakeReader = next;
    await previous?.close();
    return next;
  }

  /** The lake opened by `openLab({ lake })` or {@link Lab.openLake}: `await lab.lake.query('SELECT … FROM lake_bars_1s WHERE symbol = $1', ['BTCUSDT'])`. */
  get lake(): LakeReader {
    if (!this.lakeReader) throw new Error('this session has no lake: open one with openLab({ lake: "s3://bucket/prefix" }) or await lab.openLake(uri)');
    return this.lakeReader;
  }

  /** The symbols this session works with. */
  get universe(): readonly string[] {
    return this.universeList;
  }

  /** Replaces the universe. Symbols are upper-cased Binance names such as `BTCUSDT`. */
  setUniverse(symbols: readonly string[]): void {
    const bad = symbols.find((s) => !SYMBOL_PATTERN.test(s));
    if (bad !== undefined) throw new Error(`"${bad}" is not a symbol: use upper-case Binance names such as BTCUSDT`);
    this.universeList = [...new Set(symbols)];
    this.placeholderUniverse = false;
  }

  /** A universe to start from on an empty store, replaced by the first CSV import. */
  setPlaceholderUniverse(symbols: readonly string[]): void {
    this.setUniverse(symbols);
    this.placeholderUniverse = true;
  }

  /** The recorder this session started, or null. */
  get recorder(): Recorder | null {
    return this.recorderInstance;
  }

  /** Where this session records from, or null when it only reads. */
  get feedSource(): FeedSource | null {
    return this.recorderSource;
  }

  /** Starts recording into this store (stopping a recorder this session started before). */
  async startRecorder(opts: RecordOptions): Promise<Recorder> {
    if (this.stream) throw new Error(`this session follows the tick stream at ${this.stream.mirror.health().servers}; it cannot record too. Open another lab (openLab({ dataDir })) to record`);
    await this.stopRecorder();
    this.recorderInstance = await startRecorder({
      dataDir: this.dataDir,
      symbols: opts.symbols ?? this.universeList,
      source: opts.source,
      simulatedExchange: opts.simulatedTradesPerSecond ? { tradesPerSecond: opts.simulatedTradesPerSecond } : undefined,
    });
    this.recorderSource = opts.source;
    return this.recorderInstance;
  }

  /** Stops the recorder this session started (everything received is flushed first). */
  async stopRecorder(): Promise<void> {
    const rec = this.recorderInstance;
    this.recorderInstance = null;
    this.recorderSource = null;
    if (rec) await rec.stop();
  }

  /** Feed health: this session's recorder, else the recorder another process runs on this store (attach), else idle. */
  async health(): Promise<FeedHealthData> {
    if (this.stream) return streamHealth(this.stream.mirror, this.universeList);
    if (this.recorderInstance) {
      const h = this.recorderInstance.health();
      return feedHealth(h, h.state === 'failed' ? 'error' : 'recording');
    }
    const reading = await readRecorderHealth(this.dataDir).catch(() => null);
    if (!reading) return idleHealth();
    // an attached recorder's offset is known only from its health file, so keep the latest one read
    this.attachedClockOffsetMs = reading.serverClock?.offsetMs ?? this.attachedClockOffsetMs;
    return feedHealth(reading, reading.running ? 'attached' : 'idle', reading);
  }

  /**
   * Now on the exchange's clock: this machine's time plus the offset the recorder measured against the exchange's
   * server time (0 until one is known). Bar times are exchange times, so data age is judged on this clock.
   */
  exchangeNow(): number {
    const offset = this.recorderInstance ? this.recorderInstance.health().serverClock?.offsetMs : this.attachedClockOffsetMs;
    return Date.now() + (offset ?? 0);
  }

  /** Symbols in the store, sorted. */
  async symbols(): Promise<string[]> {
    return this.reader.symbols();
  }

  /** Bars of one symbol (`emptyBuckets: 'drop'` by default). */
  async bars(symbol: string, timeframe: string, opts: Omit<BarsQuery, 'symbol' | 'timeframe'> = {}): Promise<BarSeries> {
    return this.reader.bars({ symbol, timeframe, ...opts });
  }

  /** Best bid/ask quotes of `symbol` as recorded, oldest first; `from` inclusive, `to` exclusive (event time). */
  async quotes(symbol: string, range: TimeRange = {}): Promise<QuoteSeries> {
    return this.reader.quotes({ symbol, ...range });
  }

  /** One row per second with quotes: the last bid/ask and the spread weighted by how long each quote stood. */
  async quotes1s(symbol: string, range: TimeRange = {}): Promise<QuoteSecondSeries> {
    return this.reader.quotes1s({ symbol, ...range });
  }

  /** Mark price, index price and the running period's estimated funding rate (markPrice@1s). */
  async mark(symbol: string, range: TimeRange = {}): Promise<MarkSeries> {
    return this.reader.marks({ symbol, ...range });
  }

  /** Settled funding events of `symbol` (funding time in [from, to)), one per event. */
  async funding(symbol: string, range: TimeRange = {}): Promise<FundingSeries> {
    return this.reader.funding({ symbol, ...range });
  }

  /** A pair view with its analytics; its alerts are written to this store's alert log. */
  async pair(y: string, x: string, opts: PairViewOptions): Promise<PairView> {
    return PairView.load(this.reader, y, x, opts, (events) => appendAlerts(this.dataDir, events), () => this.exchangeNow());
  }

  /** A basket of 2–6 legs (e.g. `['BTCUSDT', 'ETHUSDT', 'SOLUSDT']`): statistics, series and `backtest(strategy)`. */
  async basket(legs: readonly string[], opts: BasketViewOptions): Promise<BasketView> {
    return BasketView.load(this.reader, legs, opts);
  }

  /** Ranks every `size`-leg basket (default 3) of `symbols` (default: the universe) by cointegration. */
  async basketScan(opts: ScanSettings & BasketScanOptions & { symbols?: readonly string[] }): Promise<BasketUniverseScan> {
    return scanBasketUniverse(this.reader, opts.symbols ?? this.universeList, opts);
  }

  /**
   * A live watchlist. `pairs` (`{ y, x }` or `"Y/X"`) replace the store's list; without them it is the list the store
   * keeps (`watchlist.json`), else the universe's `count` best-ranked pairs by a scan at start-up. Every add or remove
   * is kept in the store; alerts of every watched pair go to the alert log.
   */
  async watchlist(pairs?: ReadonlyArray<WatchedPair | string>, opts: LabWatchlistOptions = {}): Promise<Watchlist> {
    const { count = 10, ...options } = opts;
    const given = pairs?.map(parsePair);
    const stored = given ? null : readWatchlistFile(this.dataDir);
    const best = (given ?? stored) ? null : await this.bestPairs(count, options);
    const list = await Watchlist.open({
      reader: this.reader,
      alertSink: (events) => appendAlerts(this.dataDir, events),
      onPairsChanged: (p) => writeWatchlistFile(this.dataDir, p),
      exchangeNow: () => this.exchangeNow(),
    }, given ?? stored ?? best?.pairs ?? [], options);
    // a default keeps to the store once it is a ranking, not the placeholder pairs of a store without bars
    if (given || best?.ranked) writeWatchlistFile(this.dataDir, list.pairs);
    return list;
  }

  /** The universe's best-ranked pairs (a scan on the watchlist's bars); on a store without enough bars, its first pairs. */
  private async bestPairs(count: number, options: WatchlistOptions): Promise<{ pairs: WatchedPair[]; ranked: boolean }> {
    if (!Number.isSafeInteger(count) || count < 1) throw new Error(`watchlist count must be a positive whole number of pairs, got ${String(count)}`);
    const o = resolveWatchlistOptions(options);
    const scan = await this.scan({ timeframe: o.timeframe, maxBars: o.maxBars, minVolume: o.minVolume, source: o.source });
    if (scan.rows.length) return { pairs: scan.rows.slice(0, count).map((r) => ({ y: r.y, x: r.x })), ranked: true };
    const u = this.universeList;
    const all = u.flatMap((y, i) => u.slice(i + 1).map((x) => ({ y, x })));
    return { pairs: all.slice(0, count), ranked: false };
  }

  /**
   * Ranks every pair of `symbols` (default: the universe) by Engle-Granger p-value, on this store's bars; with
   * `lake`, every pair of that lake's symbols (default: all of them), and with `spark` too, on that Spark cluster.
   */
  async scan(opts: (ScanSettings & { symbols?: readonly string[] }) | LakeScanOptions): Promise<UniverseScan> {
    if ('lake' in opts && opts.lake !== undefined) return scanLake(opts);
    return scanUniverse(this.reader, opts.symbols ?? this.universeList, opts as ScanSettings);
  }

  /**
   * Imports OHLC bars (`timestamp,symbol,open,high,low,close,volume`) from CSV text; atomic: a file with one
   * bad row imports nothing (the error lists each bad line). Imported symbols join the universe.
   */
  async importCsv(text: string, opts: { timeframe: string }): Promise<ImportResult> {
    const result = await importBarsCsv(this.dataDir, text, opts);
    this.setUniverse(this.placeholderUniverse ? result.symbols : [...this.universeList, ...result.symbols]);
    return result;
  }

  /** {@link Lab.importCsv} from a file. */
  async importCsvFile(file: string, opts: { timeframe: string }): Promise<ImportResult> {
    return this.importCsv(await readFile(file, 'utf8'), opts);
  }

  /** CSV text of a bar series (re-importable with {@link Lab.importCsv}). */
  barsCsv(bars: BarSeries): string {
    return toCsv(bars);
  }

  /** The alert log, oldest first. */
  async alerts(opts: { pair?: string; from?: number; limit?: number } = {}): Promise<AlertRecord[]> {
    return this.reader.alerts(opts);
  }

  /** Stops the recorder (if this session started one) and closes the store. */
  async close(): Promise<void> {
    await this.stopRecorder();
    await this.lakeReader?.close();
    this.lakeReader = null;
    await this.reader.close();
    if (this.stream) {
      await this.stream.mirror.stop();
      if (this.stream.temporaryDir) await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** `{ y, x }` or `"Y/X"`. */
function parsePair(p: WatchedPair | string): WatchedPair {
  if (typeof p !== 'string') return { y: p.y, x: p.x };
  const parts = p.split('/');
  if (parts.length !== 2) throw new Error(`"${p}" is not a pair: write it as Y/X, e.g. BTCUSDT/ETHUSDT`);
  return { y: parts[0].trim(), x: parts[1].trim() };
}

function idleHealth(): FeedHealthData {
  return {
    state: 'idle', source: null, simulated: false, connections: [], messagesPerSecond: 0, lastMessageAgeMs: null,
    reconnects: 0, badFrames: {}, gapsOpen: 0, gapsFilled: 0, storeLagMs: null, clockOffsetMs: null, checkedAt: Date.now(),
  };
}

/** A stream-following session is `attached` to the stream's publishers while connected. */
function streamHealth(mirror: StreamMirror, symbols: string[]): FeedHealthData {
  const h = mirror.health();
  const ageMs = h.lastMessageAt === null ? null : Date.now() - h.lastMessageAt;
  return {
    ...idleHealth(),
    state: h.connected ? 'attached' : 'error',
    connections: [{ id: `nats ${h.servers}`, state: h.connected ? 'open' : 'reconnecting', symbols, messagesPerSecond: 0, lastMessageAgeMs: ageMs, reconnects: 0 }],
    lastMessageAgeMs: ageMs,
    ...(h.lastError ? { error: h.lastError } : h.connected ? {} : { error: `NATS at ${h.servers} unreachable; reconnecting` }),
  };
}

function feedHealth(h: RecorderHealth, state: FeedHealthData['state'], reading?: RecorderHealthReading): FeedHealthData {
  const source: FeedSource | null = h.simulated ? 'simulated' : h.source.kind === 'binance' ? 'binance' : null;
  return {
    state,
    source,
    simulated: h.simulated,
    connections: h.connections.map((c) => ({
      id: c.id, state: c.state, symbols: h.symbols, messagesPerSecond: c.messagesPerSec, lastMessageAgeMs: c.lastMessageAgeMs, reconnects: c.reconnects,
    })),
    messagesPerSecond: h.messagesPerSec,
    lastMessageAgeMs: h.lastMessageAgeMs === null ? null : h.lastMessageAgeMs + (reading?.ageMs ?? 0),
    reconnects: h.reconnects,
    badFrames: { ...h.badFrames },
    gapsOpen: h.gaps.open,
    gapsFilled: h.gaps.filled,
    storeLagMs: h.store.lagMs,
    streams: Object.values(h.streams ?? {}).map((st) => ({
      stream: st.kind, connections: st.connections.length, messagesPerSecond: st.messagesPerSec,
      lastMessageAgeMs: st.lastMessageAgeMs === null ? null : st.lastMessageAgeMs + (reading?.ageMs ?? 0), reconnects: st.reconnects,
      staleReplacements: st.staleReplacements, events: st.events, stored: st.stored,
      badFrames: Object.values(st.badFrames).reduce((a, b) => a + b, 0), lastErrorFrame: st.lastErrorFrame, paused: st.paused,
    })),
    funding: h.funding ? { events: h.funding.events, stored: h.funding.stored ?? null, waiting: h.funding.waiting, newest: h.funding.newest, lastError: h.funding.lastError } : null,
    clockOffsetMs: h.serverClock?.offsetMs ?? null,
    checkedAt: Date.now(),
    ...(h.lastError ? { error: h.lastError } : {}),
  };
}

export { defaultSymbols };
