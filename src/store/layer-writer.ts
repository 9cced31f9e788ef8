// The writer of one market-data layer (quotes, mark, funding): buffers rows, flushes them to an L0 Parquet file,
// publishes the layer's manifest and compacts it, with the same order of durable steps as the tick writer
// (contents, name, directory, then manifest) and on the tick writer's DuckDB instances, inside its queues.
import { statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { cleanupUnpublished, deleteExpiredTombstones } from './cleanup';
import { runCompaction } from './compaction';
import { syncDir } from './disk-sync';
import { makeDirDurable, publishFile, tempPathFor } from './fs-atomic';
import { type ColumnBatch, ColumnCopier, type CopiedColumn } from './column-copy';
import type { LayerSpec } from './market-layers';
import { afterCompaction, type FilePart, type Manifest, type ManifestFile, readManifest, widenPart, writeManifest } from './manifest';
import type { AppendResult, HighWaterMark } from './types';

export interface LayerCompactionSettings {
  now: number;
  hourCloseDelayMs: number;
  graceMs: number;
}

export class LayerWriter<R extends { symbol: string }> {
  private rows: R[] = [];
  /** Newest sequence per symbol, stored or buffered: what append dedups against. */
  private readonly newest = new Map<string, HighWaterMark>();
  private seq: number;
  /** Symbol ids of the copier's symbol table (shared by the layers of one connection; ids never change). */
  private static readonly symbolIds = new Map<string, number>();
  private static readonly symbols: string[] = [];
  /** The copier registered on each connection the writer used (a renewed engine brings a new one). */
  private readonly copiers = new WeakMap<DuckDBConnection, ColumnCopier>();

  private constructor(private readonly dir: string, readonly spec: LayerSpec<R>, private manifest: Manifest) {
    this.seq = manifest.nextSeq;
    for (const [symbol, h] of Object.entries(manifest.highWaterMarks)) this.newest.set(symbol, { ...h });
  }

  /** Reads the layer's manifest and removes what a killed writer left unpublished. Only the lock holder may call this. */
  static async open<R extends { symbol: string }>(dir: string, spec: LayerSpec<R>, graceMs: number): Promise<LayerWriter<R>> {
    await makeDirDurable(path.join(dir, spec.schema.root, 'L0'));
    const manifest = readManifest(dir, spec.manifestName);
    cleanupUnpublished(dir, manifest, spec.schema.root);
    const w = new LayerWriter(dir, spec, manifest);
    await deleteExpiredTombstones(dir, manifest, graceMs, (next) => w.publish(next));
    return w;
  }

  get pending(): number {
    return this.rows.length;
  }

  append(rows: readonly R[]): AppendResult {
    for (let i = 0; i < rows.length; i++) this.spec.check(rows[i], i);
    let accepted = 0;
    for (const r of rows) {
      const seq = this.spec.seq(r);
      const h = this.newest.get(r.symbol);
      // Sequences only grow per symbol (update ids, event and funding times): anything not newer is stored already.
      if (h && seq <= h.aggId) continue;
      this.newest.set(r.symbol, { aggId: seq, tradeTime: this.spec.time(r) });
      this.rows.push(r);
      accepted++;
    }
    return { accepted, duplicates: rows.length - accepted };
  }

  /** `aggId` holds the layer's sequence (updateId, eventTime or fundingTime); `tradeTime` its time. */
  highWaterMarks(): Map<string, HighWaterMark> {
    return new Map([...this.newest].map(([s, h]) => [s, { ...h }]));
  }

  private publish(next: Omit<Manifest, 'version' | 'updatedAt' | 'format'>): Promise<void> {
    const m: Manifest = { format: 1, ...next, version: this.manifest.version + 1, updatedAt: Date.now() };
    const durable = writeManifest(this.dir, m, this.spec.manifestName);
    this.manifest = m;
    return durable;
  }

  /** Writes the buffered rows to one L0 file and publishes it; a failure keeps them buffered. */
  async flush(conn: DuckDBConnection): Promise<number> {
    const batch = this.rows;
    if (batch.length === 0) return 0;
    this.rows = [];
    const { root } = this.spec.schema;
    const rel = `${root}/L0/L0-${String(this.seq++).padStart(9, '0')}.parquet`;
    const abs = path.join(this.dir, rel);
    const tmp = tempPathFor(abs);
    let renamed = false;
    try {
      await this.copyToParquet(conn, batch, tmp);
      await publishFile(tmp, abs);
      renamed = true;
      await syncDir(path.dirname(abs));
      const file: ManifestFile = { path: rel, level: 0, rows: batch.length, bytes: statSync(abs).size, createdAt: Date.now(), symbols: this.parts(batch) };
      const hwm = { ...this.manifest.highWaterMarks };
      for (const r of batch) {
        const seq = this.spec.seq(r);
        const h = hwm[r.symbol];
        if (!h || seq > h.aggId) hwm[r.symbol] = { aggId: seq, tradeTime: this.spec.time(r) };
      }
      await this.publish({ ...this.manifest, nextSeq: this.seq, files: [...this.manifest.files, file], highWaterMarks: hwm });
    } catch (err) {
      this.rows = batch.concat(this.rows);
      for (const p of renamed ? [abs] : [tmp]) { try { unlinkSync(p); } catch { /* never written */ } }
      throw err;
    }
    return batch.length;
  }

  /** Merges the layer's files as ticks are merged, and deletes compacted files whose grace ended. */
  async compact(conn: DuckDBConnection, settings: LayerCompactionSettings): Promise<{ inputFiles: number; outputFiles: number; deletedFiles: number }> {
    const out = await runCompaction(conn, {
      dir: this.dir, schema: this.spec.schema, files: this.manifest.files, now: settings.now, hourCloseDelayMs: settings.hourCloseDelayMs, nextSeq: () => this.seq++,
    });
    // Flushes of this layer run in the other queue: publishing from the manifest as it is now keeps their files.
    if (out.added.length || out.removed.length) await this.publish(afterCompaction(this.manifest, out, this.seq, Date.now()));
    const deleted = await deleteExpiredTombstones(this.dir, this.manifest, settings.graceMs, (next) => this.publish(next));
    return { inputFiles: out.removed.length, outputFiles: out.added.length, deletedFiles: deleted };
  }

  private parts(batch: readonly R[]): Record<string, FilePart> {
    const parts: Record<string, FilePart> = {};
    for (const r of batch) widenPart(parts, r.symbol, this.spec.time(r), this.spec.seq(r));
    return parts;
  }

  private numericColumns(): CopiedColumn[] {
    return this.spec.columns.filter((c) => c.name !== 'symbol').map((c) => ({ name: c.name, type: c.type === 'BIGINT' ? 'BIGINT' : 'DOUBLE' }));
  }

  /** Turns the rows into typed columns and COPYs them in one statement (numbers as float64, exact for safe integers). */
  private async copyToParquet(conn: DuckDBConnection, batch: readonly R[], file: string): Promise<void> {
    const numeric = this.numericColumns();
    let copier = this.copiers.get(conn);
    if (!copier) {
      copier = await ColumnCopier.create(conn, `pairs_lab_layer_${this.spec.name}_batch`, 'pairs_lab_layer_symbols', numeric);
      this.copiers.set(conn, copier);
    }
    const columns: ColumnBatch = { length: batch.length, symbolId: new Int32Array(batch.length), values: numeric.map(() => new Float64Array(batch.length)) };
    const { symbolIds, symbols } = LayerWriter;
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i] as unknown as Record<string, number>;
      let id = symbolIds.get(batch[i].symbol);
      if (id === undefined) {
        id = symbols.length;
        symbols.push(batch[i].symbol);
        symbolIds.set(batch[i].symbol, id);
      }
      columns.symbolId[i] = id;
      for (let c = 0; c < numeric.length; c++) columns.values[c][i] = row[numeric[c].name];
    }
    await copier.defineSymbols(symbols);
    await copier.copyToParquet(columns, file);
  }
}
