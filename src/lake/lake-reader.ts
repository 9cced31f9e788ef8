// Reading a lake with DuckDB: views `lake_ticks` and `lake_bars_1s` over exactly the files the lake manifest lists,
// with `symbol` and `date` columns from the Hive partition keys. Files of an S3 lake are fetched into a local cache
// first (DuckDB here has no httpfs); parts are immutable, so the cache is keyed by path and never goes stale.
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { QueryParams, ResultTable } from '../store';
import { toResultTable } from '../store/result-table';
import { sqlPathList } from '../store/fs-atomic';
import { DEFAULT_READER_MEMORY_MB, duckdbConfig, memoryBudgetMb, processTempDirectory, READER_MEMORY_ENV } from '../store/duckdb-budget';
import { parseLakeUri } from './lake-uri';
import { openLakeStorage, type LakeStorage, type LakeStorageOptions } from './lake-storage';
import { readLakeManifest } from './exporter';
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
    const m = await readLakeManifest(this.storage);
    const ticks: string[] = [];
    const bars: string[] = [];
    for (const d of m.days) {
      ticks.push(await this.storage.localPath(d.ticks.path, this.cacheDir));
      bars.push(await this.storage.localPath(d.bars1s.path, this.cacheDir));
    }
    await this.conn.run(`CREATE OR REPLACE VIEW lake_ticks AS ${view(ticks, TICK_COLUMNS)}`);
    await this.conn.run(`CREATE OR REPLACE VIEW lake_bars_1s AS ${view(bars, BAR_COLUMNS)}`);
    this.current = m;
  }

  query(sql: string, params?: QueryParams): Promise<ResultTable> {
    return this.serial(async () => {
      await this.refreshNow();
      const values = params === undefined ? undefined : (params as DuckDBValue[] | Record<string, DuckDBValue>);
      return toResultTable(await this.conn.run(sql, values));
    });
  }

  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

export async function openLake(uri: string, opts: LakeReaderOptions = {}): Promise<LakeReader> {
  const location = parseLakeUri(uri);
  const storage = openLakeStorage(location, opts);
  const cacheDir = opts.cacheDir ?? path.join(os.tmpdir(), 'pairs-lab-lake-cache', createHash('sha256').update(location.uri).digest('hex').slice(0, 16));
  const memoryMb = memoryBudgetMb(opts.memoryMb, READER_MEMORY_ENV, DEFAULT_READER_MEMORY_MB);
  const instance = await DuckDBInstance.create(':memory:', duckdbConfig({ memoryMb, threads: 2, tempDirectory: processTempDirectory() }));
  const conn = await instance.connect();
  const reader = new DuckDBLakeReader(location.uri, storage, cacheDir, instance, conn);
  try {
    await reader.refresh();
  } catch (err) {
    await reader.close();
    throw err;
  }
  return reader;
}
