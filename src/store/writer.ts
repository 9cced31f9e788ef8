// The tick writer: buffers appended ticks, flushes them to Parquet, publishes the manifest and compacts.
import { statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type {
  AppendResult, CompactionStats, FlushStats, FundingRow, HighWaterMark, MarketLayerName, MarkRow, QuoteRow, StoreWriter, StoreWriterOptions, Tick,
} from './types';
import { LayerWriter } from './layer-writer';
import { FUNDING_LAYER, MARK_LAYER, QUOTES_LAYER } from './market-layers';
import { afterCompaction, type Manifest, type ManifestFile, type FilePart, readManifest, widenPart, writeManifest } from './manifest';
import { IdCoverage, type IdRanges } from './id-coverage';
import { TickBuffer, type TickColumns } from './tick-buffer';
import { TickCopier } from './tick-copy';
import { runCompaction } from './compaction';
import { acquireWriterLock } from './writer-lock';
import { cleanupUnpublished, deleteExpiredTombstones } from './cleanup';
import { makeDirDurable, publishFile, tempPathFor } from './fs-atomic';
import { syncDir } from './disk-sync';
import { DEFAULT_WRITER_MEMORY_MB, memoryBudgetMb, splitWriterBudget, WRITER_MEMORY_ENV } from './duckdb-budget';
import { WriterEngine } from './engine';

export { WriterLockedError } from './writer-lock';

// A flush COPY of ~20,000 rows runs faster on one DuckDB thread (measured 2.5–3.4 M rows/s against 1.2–2.6 M with
// two, at half the CPU); merging big files in compaction gains from both cores. Compaction has its own DuckDB
// instance so that flushes never wait behind it (a day's merge of a busy symbol takes seconds).
const FLUSH_THREADS = 1;
const COMPACTION_THREADS = 2;

/** Flushes (one to four a second, by the flush interval) and compaction passes (one a minute) between fresh DuckDB instances. */
const FLUSHES_PER_ENGINE = 600;
const COMPACTIONS_PER_ENGINE = 10;

/** Binance-style symbols; they become directory names, so nothing else is accepted. */
const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

function checkTick(t: Tick, index: number): void {
  const bad = (what: string): never => {
    throw new Error(`append: tick ${index} (${JSON.stringify(t)}) has ${what}; nothing from this call was buffered`);
  };
  if (typeof t.symbol !== 'string' || !SYMBOL_PATTERN.test(t.symbol)) bad('a symbol that is not upper-case letters, digits, "_" or "-"');
  if (!Number.isSafeInteger(t.aggId) || t.aggId < 0) bad('an aggId that is not a non-negative safe integer');
  if (!Number.isFinite(t.tradeTime) || t.tradeTime < 0) bad('a tradeTime that is not epoch milliseconds');
  if (!Number.isFinite(t.price) || t.price <= 0) bad('a price that is not a positive number');
  if (!Number.isFinite(t.qty) || t.qty < 0) bad('a qty that is not a non-negative number');
  if (!Number.isFinite(t.recvTime)) bad('a recvTime that is not a number');
}

/** The market-data layers a writer keeps beside its ticks. */
interface MarketLayers {
  quotes: LayerWriter<QuoteRow>;
  mark: LayerWriter<MarkRow>;
  funding: LayerWriter<FundingRow>;
}

class TickStoreWriter implements StoreWriter {
  private buffer = new TickBuffer();
  /** Every id stored or buffered: what append dedups against. */
  private readonly known: IdCoverage;
  /** Ids in published files: what the manifest records. */
  private stored: IdCoverage;
  private readonly hwm = new Map<string, HighWaterMark>();
  private readonly symbols: string[] = [];
  private readonly symbolIds = new Map<string, number>();
  private readonly knownRanges: IdRanges[] = [];
  /** Flushes, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Compactions, one at a time, beside flushes. */
  private compactions: Promise<unknown> = Promise.resolve();
  /** Next file sequence number, shared by flushes and compactions. */
  private seq: number;
  private readonly timers: NodeJS.Timeout[] = [];
  private lastCompaction = Date.now();
  private closed = false;

  constructor(
    readonly dir: string,
    private manifest: Manifest,
    private readonly flushEngine: WriterEngine,
    private readonly compactEngine: WriterEngine,
    private copier: TickCopier,
    private readonly releaseLock: () => void,
    private readonly opts: Required<Omit<StoreWriterOptions, 'dir' | 'memoryMb'>>,
    private readonly layers: MarketLayers,
  ) {
    this.seq = manifest.nextSeq;
    this.known = IdCoverage.fromJSON(manifest.coverage);
    this.stored = IdCoverage.fromJSON(manifest.coverage);
    for (const [sym, h] of Object.entries(manifest.highWaterMarks)) this.hwm.set(sym, { ...h });
    if (opts.flushIntervalMs > 0) {
      this.timers.push(setInterval(() => { if (this.buffer.length || this.layersPending() > 0) this.flush().catch(opts.onError); }, opts.flushIntervalMs));
    }
    if (opts.compactIntervalMs > 0) {
      this.timers.push(setInterval(() => { this.compactIfDue().catch(opts.onError); }, Math.min(opts.compactIntervalMs, 5_000)));
    }
    for (const t of this.timers) t.unref();
  }

  private symbolId(symbol: string): number {
    let id = this.symbolIds.get(symbol);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(symbol);
      this.symbolIds.set(symbol, id);
      this.knownRanges.push(this.known.ranges(symbol));
    }
    return id;
  }

  append(ticks: readonly Tick[]): AppendResult {
    if (this.closed) throw new Error('append: this store writer is closed; open a new one');
    for (let i = 0; i < ticks.length; i++) checkTick(ticks[i], i);
    let accepted = 0;
    for (const t of ticks) {
      const id = this.symbolId(t.symbol);
      if (!this.knownRanges[id].add(t.aggId)) continue;
      this.buffer.push(id, t.aggId, t.tradeTime, t.price, t.qty, t.isBuyerMaker, t.recvTime);
      const h = this.hwm.get(t.symbol);
      if (!h || t.aggId > h.aggId) this.hwm.set(t.symbol, { aggId: t.aggId, tradeTime: t.tradeTime });
      accepted++;
    }
    return { accepted, duplicates: ticks.length - accepted };
  }

  highWaterMarks(): Map<string, HighWaterMark> {
    return new Map([...this.hwm].map(([s, h]) => [s, { ...h }]));
  }

  appendQuotes(rows: readonly QuoteRow[]): AppendResult {
    this.checkOpen();
    return this.layers.quotes.append(rows);
  }

  appendMarks(rows: readonly MarkRow[]): AppendResult {
    this.checkOpen();
    return this.layers.mark.append(rows);
  }

  appendFunding(rows: readonly FundingRow[]): AppendResult {
    this.checkOpen();
    return this.layers.funding.append(rows);
  }

  layerHighWaterMarks(layer: MarketLayerName): Map<string, HighWaterMark> {
    return this.layers[layer].highWaterMarks();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('append: this store writer is closed; open a new one');
  }

  private layersPending(): number {
    return this.layers.quotes.pending + this.layers.mark.pending + this.layers.funding.pending;
  }

  /** Each layer flushes on its own: one that fails keeps its rows buffered and does not stop the others or the ticks. */
  private async flushLayers(): Promise<Error | null> {
    let failure: Error | null = null;
    for (const layer of [this.layers.quotes, this.layers.mark, this.layers.funding]) {
      try {
        await layer.flush(this.flushEngine.conn);
      } catch (err) {
        failure ??= new Error(`${layer.spec.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return failure;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private serialCompaction<T>(task: () => Promise<T>): Promise<T> {
    const run = this.compactions.then(task, task);
    this.compactions = run.catch(() => undefined);
    return run;
  }

  flush(): Promise<FlushStats> {
    return this.serial(async () => {
      const layerFailure = await this.flushLayers();
      const stats = await this.flushNow();
      if (layerFailure) throw layerFailure;
      return stats;
    });
  }

  /**
   * Visible to readers on return: synchronous, so a flush and a compaction publishing around each other never lose
   * each other's changes. The promise resolves once the new manifest survives a power loss.
   */
  private publish(next: Omit<Manifest, 'version' | 'updatedAt' | 'format'>): Promise<void> {
    const m: Manifest = { format: 1, ...next, version: this.manifest.version + 1, updatedAt: Date.now() };
    const durable = writeManifest(this.dir, m);
    this.manifest = m;
    return durable;
  }

  private async flushNow(): Promise<FlushStats> {
    const t0 = performance.now();
    const batch = this.buffer;
    if (batch.length === 0) return { ticks: 0, files: 0, manifestVersion: this.manifest.version, durationMs: 0 };
    this.buffer = new TickBuffer();
    const seq = this.seq++;
    const rel = `ticks/L0/L0-${String(seq).padStart(9, '0')}.parquet`;
    const abs = path.join(this.dir, rel);
    const tmp = tempPathFor(abs);
    let renamed = false;
    let durable: Promise<void>;
    let manifestVersion: number;
    try {
      await this.copier.defineSymbols(this.symbols);
      await this.copier.copyToParquet(batch, tmp);
      await publishFile(tmp, abs);
      renamed = true;
      await syncDir(path.dirname(abs));
      const { parts, coverage, hwm } = this.summarise(batch);
      const file: ManifestFile = { path: rel, level: 0, rows: batch.length, bytes: statSync(abs).size, createdAt: Date.now(), symbols: parts };
      durable = this.publish({
        nextSeq: this.seq, files: [...this.manifest.files, file], tombstones: this.manifest.tombstones,
        coverage: coverage.toJSON(), highWaterMarks: hwm,
      });
      this.stored = coverage;
      manifestVersion = this.manifest.version;
    } catch (err) {
      const later = this.buffer;
      this.buffer = batch;
      this.buffer.pushAll(later);
      for (const p of renamed ? [abs] : [tmp]) { try { unlinkSync(p); } catch { /* never written */ } }
      throw err;
    }
    // Readers already see the file: if syncing the manifest's directory fails, the flush fails without re-buffering.
    await durable;
    // the flush is durable by now: a failed renewal is reported and the engine in use stays
    const copier = await this.flushEngine.recycleIfDue((conn) => TickCopier.create(conn)).catch((err: Error) => { this.opts.onError(err); return null; });
    if (copier) this.copier = copier;
    return { ticks: batch.length, files: 1, manifestVersion, durationMs: performance.now() - t0 };
  }

  /** Per-symbol statistics of a batch, and the stored coverage and high-water marks once it is published. */
  private summarise(batch: TickColumns): { parts: Record<string, FilePart>; coverage: IdCoverage; hwm: Record<string, HighWaterMark> } {
    const coverage = this.stored.clone();
    const hwm: Record<string, HighWaterMark> = { ...this.manifest.highWaterMarks };
    const parts: Record<string, FilePart> = {};
    const ranges = this.symbols.map((s) => coverage.ranges(s));
    for (let i = 0; i < batch.length; i++) {
      const sym = this.symbols[batch.symbolId[i]];
      const id = batch.aggId[i];
      const t = batch.tradeTime[i];
      ranges[batch.symbolId[i]].add(id);
      widenPart(parts, sym, t, id);
      const h = hwm[sym];
      if (!h || id > h.aggId) hwm[sym] = { aggId: id, tradeTime: t };
    }
    return { parts, coverage, hwm };
  }

  private async compactIfDue(): Promise<void> {
    if (Date.now() - this.lastCompaction < this.opts.compactIntervalMs) return;
    await this.compact();
  }

  compact(now = this.opts.now()): Promise<CompactionStats> {
    return this.serialCompaction(() => this.compactNow(now));
  }

  private async compactNow(now: number): Promise<CompactionStats> {
    const t0 = performance.now();
    this.lastCompaction = Date.now();
    // Flushes go on meanwhile; the publish below starts from the manifest as it is then, so their files stay.
    const out = await runCompaction(this.compactEngine.conn, {
      dir: this.dir, files: this.manifest.files, now, hourCloseDelayMs: this.opts.hourCloseDelayMs, nextSeq: () => this.seq++,
    });
    if (out.added.length || out.removed.length) await this.publish(afterCompaction(this.manifest, out, this.seq, Date.now()));
    let deleted = await deleteExpiredTombstones(this.dir, this.manifest, this.opts.graceMs, (next) => this.publish(next));
    let inputFiles = out.removed.length;
    let outputFiles = out.added.length;
    for (const layer of [this.layers.quotes, this.layers.mark, this.layers.funding]) {
      const l = await layer.compact(this.compactEngine.conn, { now, hourCloseDelayMs: this.opts.hourCloseDelayMs, graceMs: this.opts.graceMs });
      inputFiles += l.inputFiles;
      outputFiles += l.outputFiles;
      deleted += l.deletedFiles;
    }
    await this.compactEngine.recycleIfDue(async () => true).catch((err: Error) => this.opts.onError(err));
    return { inputFiles, outputFiles, deletedFiles: deleted, durationMs: performance.now() - t0 };
  }

  duckdbMemoryBytes(): Promise<number> {
    // Each instance is asked from its own queue: a connection runs one statement at a time.
    return Promise.all([this.serial(() => this.flushEngine.memoryBytes()), this.serialCompaction(() => this.compactEngine.memoryBytes())])
      .then(([a, b]) => a + b);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const t of this.timers) clearInterval(t);
    try {
      await this.compactions;
      await this.flush();
    } finally {
      this.closed = true;
      await this.queue;
      await this.compactions;
      this.flushEngine.close();
      this.compactEngine.close();
      this.releaseLock();
    }
  }
}

/**
 * Opens the one tick writer of a store directory. Refuses with WriterLockedError while another live process
 * holds the directory. Removes files a killed writer left unpublished, and deletes compacted files whose grace ended.
 */
export async function openStoreWriter(opts: StoreWriterOptions): Promise<StoreWriter> {
  const dir = path.resolve(opts.dir);
  await makeDirDurable(path.join(dir, 'ticks', 'L0'));
  const releaseLock = await acquireWriterLock(dir);
  try {
    let manifest = readManifest(dir);
    const settings = {
      flushIntervalMs: opts.flushIntervalMs ?? 1_000,
      compactIntervalMs: opts.compactIntervalMs ?? 60_000,
      graceMs: opts.graceMs ?? 60_000,
      hourCloseDelayMs: opts.hourCloseDelayMs ?? 60_000,
      onError: opts.onError ?? ((err: Error) => process.stderr.write(`pairs-lab store writer: ${err.message}\n`)),
      now: opts.now ?? Date.now,
    };
    const { flushMb, compactMb } = splitWriterBudget(memoryBudgetMb(opts.memoryMb, WRITER_MEMORY_ENV, DEFAULT_WRITER_MEMORY_MB));
    // Spills stay on the store's disk and never in a reader's way (cleanup and readers look only at ticks/ and the manifest).
    const tempDirectory = path.join(dir, '.duckdb-tmp');
    cleanupUnpublished(dir, manifest);
    await deleteExpiredTombstones(dir, manifest, settings.graceMs, (next) => {
      manifest = { format: 1, ...next, version: manifest.version + 1, updatedAt: Date.now() };
      return writeManifest(dir, manifest);
    });
    const flushEngine = await WriterEngine.open({ memoryMb: flushMb, threads: FLUSH_THREADS, tempDirectory }, FLUSHES_PER_ENGINE);
    const compactEngine = await WriterEngine.open({ memoryMb: compactMb, threads: COMPACTION_THREADS, tempDirectory }, COMPACTIONS_PER_ENGINE);
    const copier = await TickCopier.create(flushEngine.conn);
    const layers: MarketLayers = {
      quotes: await LayerWriter.open(dir, QUOTES_LAYER, settings.graceMs),
      mark: await LayerWriter.open(dir, MARK_LAYER, settings.graceMs),
      funding: await LayerWriter.open(dir, FUNDING_LAYER, settings.graceMs),
    };
    return new TickStoreWriter(dir, manifest, flushEngine, compactEngine, copier, releaseLock, settings, layers);
  } catch (err) {
    releaseLock();
    throw err;
  }
}
