// Reading a lake with DuckDB: views `lake_ticks` and `lake_bars_1s` over exactly the files the lake manifest lists,
// with `symbol` and `date` columns from the Hive partition keys. Files of an S3 lake are fetched into a local cache
// first (DuckDB here has no httpfs); parts are immutable, so the cache is keyed by path and never goes stale.
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { QueryParams, ResultTable } from '../store';
import { runToTable } from '../store/result-table';
import { sqlPathList } from '../store/fs-atomic';
import { DEFAULT_READER_MEMORY_MB, duckdbConfig, memoryBudgetMb, processTempDirectory, READER_MEMORY_ENV } from '../store/duckdb-budget';
import { type LakeLocation, parseLakeUri } from './lake-uri';
import { LakePartGoneError, openLakeStorage, type LakeStorage, type LakeStorageOptions } from './lake-storage';
import { readVersionedManifest } from './manifest-update';
import type { LakeDay, LakeManifest } from './lake-manifest';

export interface LakeReaderOptions extends LakeStorageOptions {
  /** Where files of an S3 lake are cached; default $TMPDIR/pairs-lab-lake-cache/<hash of the URI>. */
  cacheDir?: string;
  memoryMb?: number;
}

export interface LakeReader {
  readonly uri: string;
  /** The manifest the views were last built from. */
  manifest(): LakeManifest;
  /** Exported symbol-days, sorted by symbol then date. */
  days(): LakeDay[];
  /** Re-reads the manifest and re-points the views at its files (each query does this first). */
  refresh(): Promise<void>;
  /** Any SQL over `lake_ticks` and `lake_bars_1s`; `$1`/`$name` values bound from `params`. */
  query(sql: string, params?: QueryParams): Promise<ResultTable>;
  close(): Promise<void>;
}

const FETCHES_AT_ONCE = 8;
const TICK_COLUMNS = 'aggId BIGINT, tradeTime BIGINT, price DOUBLE, qty DOUBLE, isBuyerMaker BOOLEAN, recvTime BIGINT';
const BAR_COLUMNS = 'time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, trades BIGINT, pv DOUBLE, firstId BIGINT, lastId BIGINT';

function view(files: string[], columns: string): string {
  if (files.length === 0) {
    const cols = `symbol VARCHAR, date DATE, ${columns}`.split(', ').map((c) => { const [n, t] = c.split(' '); return `NULL::${t} AS ${n}`; });
    return `SELECT ${cols.join(', ')} LIMIT 0`;
  }
  return `SELECT * FROM read_parquet(${sqlPathList(files)}, hive_partitioning = true, hive_types = {'symbol': VARCHAR, 'date': DATE})`;
}

class DuckDBLakeReader implements LakeReader {
  private current: LakeManifest = { version: 1, updatedAt: '', days: [] };
  private queue: Promise<unknown> = Promise.resolve();
  private version: string | null = null;

  constructor(readonly uri: string, private readonly storage: LakeStorage, private readonly cacheDir: string,
    private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  manifest(): LakeManifest {
    return this.current;
  }

  days(): LakeDay[] {
    return [...this.current.days].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  refresh(): Promise<void> {
    return this.serial(() => this.refreshNow());
  }

  private async refreshNow(): Promise<void> {
    const { manifest: m, version } = await readVersionedManifest(this.storage);
    // Unchanged manifest: the views already point at its files (a big lake's view lists thousands of them).
    if (version !== null && version === this.version) return;
    const keys = m.days.flatMap((d) => [d.ticks.path, d.bars1s.path]);
    const local = new Array<string>(keys.length);
    let next = 0;
    // Several downloads at once for an S3 lake (a first read fetches every part); a directory lake answers at once.
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const i = next++;
        local[i] = await this.storage.localPath(keys[i], this.cacheDir);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCHES_AT_ONCE, keys.length) }, worker));
    const ticks = local.filter((_, i) => i % 2 === 0);
    const bars = local.filter((_, i) => i % 2 === 1);
    await this.conn.run(`CREATE OR REPLACE VIEW lake_ticks AS ${view(ticks, TICK_COLUMNS)}`);
    await this.conn.run(`CREATE OR REPLACE VIEW lake_bars_1s AS ${view(bars, BAR_COLUMNS)}`);
    this.current = m;
    this.version = version;
  }

  query(sql: string, params?: QueryParams): Promise<ResultTable> {
    return this.serial(async () => {
      await this.refreshNow().catch((err: unknown) => {
        // The manifest we read was replaced and its old parts deleted while we fetched them: the new one lists what is there.
        if (err instanceof LakePartGoneError) return this.refreshNow();
        throw err;
      });
      return runToTable(this.conn, sql, params);
    });
  }

  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Where an S3 lake's parts are cached unless told: $TMPDIR/pairs-lab-lake-cache/<hash of the URI>, laid out like the lake. */
export function defaultLakeCacheDir(location: LakeLocation): string {
  return path.join(os.tmpdir(), 'pairs-lab-lake-cache', createHash('sha256').update(location.uri).digest('hex').slice(0, 16));
}

export async function openLake(uri: string, opts: LakeReaderOptions = {}): Promise<LakeReader> {
  const location = parseLakeUri(uri);
  const storage = openLakeStorage(location, opts);
  const cacheDir = opts.cacheDir ?? defaultLakeCacheDir(location);
  const memoryMb = memoryBudgetMb(opts.memoryMb, READER_MEMORY_ENV, DEFAULT_READER_MEMORY_MB);
  const instance = await DuckDBInstance.create(':memory:', duckdbConfig({ memoryMb, threads: 2, tempDirectory: processTempDirectory() }));
  const conn = await instance.connect();
  const reader = new DuckDBLakeReader(location.uri, storage, cacheDir, instance, conn);
  try {
    await reader.refresh();
    // Copies of parts that are neither listed nor waiting out their grace are of no use to any reader any more.
    const m = reader.manifest();
    await storage.evictCached(cacheDir, new Set([...m.days.flatMap((d) => [d.ticks.path, d.bars1s.path]), ...(m.tombstones ?? []).map((t) => t.path)]));
  } catch (err) {
    await reader.close();
    throw err;
  }
  return reader;
}
