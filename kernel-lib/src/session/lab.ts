// The one façade: a store directory opened for reading, an optional recorder writing into it (or the health of
// a recorder another process runs there), bars, recorded market data (quotes, mark prices, funding), pair views,
// scans, CSV import/export and the alert log.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  type AlertRecord, type BarSeries, type BarsQuery, type FundingSeries, type ImportResult, type MarkSeries, type QuoteSecondSeries,
  type QuoteSeries, type StoreReader, type WatchedPair,
  appendAlerts, importBarsCsv, openStoreReader, readWatchlistFile, toCsv, writeWatchlistFile,
} from '../../../src/store';
import { type Recorder, type RecorderHealth, type RecorderHealthReading, defaultSymbols, readRecorderHealth, startRecorder } from '../../../src/feed';
import { SYMBOL_PATTERN, type FeedHealthData, type FeedSource } from '../protocol';
import { PairView, type PairViewOptions } from '../analysis/pairView';
import { type ScanSettings, type UniverseScan, scanUniverse } from '../analysis/scan';
import { Watchlist, type WatchlistOptions, resolveWatchlistOptions } from '../watchlist/watchlist';

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
  /** Symbols the session works with. Default: the store's symbols, else BTCUSDT and ETHUSDT. */
  universe?: readonly string[];
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

/** Opens a session on a store directory (created on first write). */
export async function openLab(opts: LabOptions = {}): Promise<Lab> {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  const reader = await openStoreReader({ dir: dataDir });
  const lab = new Lab(dataDir, reader);
  const universe = opts.universe ?? (await reader.symbols().catch(() => []));
  if (universe.length >= 2) lab.setUniverse(universe);
  else lab.setPlaceholderUniverse(['BTCUSDT', 'ETHUSDT']);
  return lab;
}

/** A research session on one store. Create with {@link openLab}; `close()` when done. */
export class Lab {
  private universeList: string[] = [];
  /** True while the universe is the placeholder of an empty store: the first import replaces it. */
  private placeholderUniverse = false;
  private recorderInstance: Recorder | null = null;
  private recorderSource: FeedSource | null = null;
  private attachedClockOffsetMs: number | null = null;

  constructor(readonly dataDir: string, readonly reader: StoreReader) {}

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

  /** Ranks every pair of `symbols` (default: the universe) by Engle-Granger p-value. */
  async scan(opts: ScanSettings & { symbols?: readonly string[] }): Promise<UniverseScan> {
    return scanUniverse(this.reader, opts.symbols ?? this.universeList, opts);
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
    await this.reader.close();
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
    clockOffsetMs: h.serverClock?.offsetMs ?? null,
    checkedAt: Date.now(),
    ...(h.lastError ? { error: h.lastError } : {}),
  };
}

export { defaultSymbols };
