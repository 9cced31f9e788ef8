// Exports closed symbol-days of a store to a lake: each day's ticks and one-second bars as one Parquet part each,
// written whole (staged, then published under the final key), then the lake manifest replaced to list them. A day
// already in the lake with the same rows and id/time range is left alone, so re-running exports nothing new; a day the
// store re-merged (late ticks) gets new parts, and the old ones become tombstones deleted after the grace period.
import { statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readGaps } from '../store/records';
import { readManifest } from '../store/manifest';
import { sqlPath } from '../store/fs-atomic';
import { rollupSelect } from '../store/rollup';
import { DEFAULT_READER_MEMORY_MB, duckdbConfig, memoryBudgetMb, processTempDirectory, READER_MEMORY_ENV } from '../store/duckdb-budget';
import { closedDays, type ClosedDay } from './closed-days';
import { dayKey, emptyLakeManifest, LAKE_MANIFEST, parseLakeManifest, type LakeDay, type LakeManifest } from './lake-manifest';
import { parseLakeUri } from './lake-uri';
import { openLakeStorage, type LakeStorage, type LakeStorageOptions } from './lake-storage';

export interface ExportOptions extends LakeStorageOptions {
  /** Store directory. */
  data: string;
  /** A directory or s3://bucket/prefix. */
  lake: string;
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  symbols?: readonly string[];
  /** Decides which days have ended; default Date.now (a simulated clock's now in soaks). */
  now?: number;
  /** The store writer's hourCloseDelayMs (default 60 s). */
  closeDelayMs?: number;
  /** Replaced parts are deleted this long after the manifest stopped listing them (default 10 min). */
  graceMs?: number;
  /** Called after each day is published. */
  onDay?: (day: LakeDay, replaced: boolean) => void;
}

export interface ExportResult {
  /** Days newly exported. */
  exported: LakeDay[];
  /** Of those, days that replaced an older export (re-merged after late ticks). */
  replaced: number;
  /** Closed days already in the lake as they are in the store. */
  upToDate: number;
  /** Days that could not be exported this time, with the reason (the next run tries again). */
  failed: { symbol: string; date: string; error: string }[];
  /** Old parts deleted because their grace period ended. */
  deletedParts: number;
  ticks: number;
  bytes: number;
  durationMs: number;
}

export const DEFAULT_LAKE_GRACE_MS = 600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(v: string | undefined, name: string): void {
  if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) {
    throw new Error(`--${name} must be a UTC day such as 2026-12-01, got "${v}"`);
  }
}

export async function readLakeManifest(storage: LakeStorage): Promise<LakeManifest> {
  const bytes = await storage.read(LAKE_MANIFEST);
  return bytes === null ? emptyLakeManifest() : parseLakeManifest(bytes.toString('utf8'), `${storage.uri}/${LAKE_MANIFEST}`);
}

const sameContent = (d: LakeDay, c: ClosedDay): boolean =>
  d.ticks.rows === c.part.rows && d.ticks.minId === c.part.minId && d.ticks.maxId === c.part.maxId && d.ticks.minT === c.part.minT && d.ticks.maxT === c.part.maxT;

function partId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}-${randomBytes(4).toString('hex')}`;
}

async function rowsOf(conn: DuckDBConnection, file: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE) FROM read_parquet(${sqlPath(file)})`);
  return Number(r.getRows()[0][0]);
}

/** Writes the day's two parts, published under their final keys; returns the manifest entry listing them. */
async function exportDay(conn: DuckDBConnection, storage: LakeStorage, dataDir: string, day: ClosedDay): Promise<LakeDay> {
  const now = new Date();
  const id = partId(now);
  const where = `symbol=${day.symbol}/date=${day.date}`;
  const ticksKey = `ticks/${where}/part-${id}.parquet`;
  const barsKey = `bars_1s/${where}/part-${id}.parquet`;
  const source = path.join(dataDir, day.file.path);
  const ticksStaged = await storage.stagingPath(ticksKey);
  await conn.run(`COPY (SELECT aggId, tradeTime, price, qty, isBuyerMaker, recvTime FROM read_parquet(${sqlPath(source)})
      WHERE symbol = $1 ORDER BY tradeTime, aggId) TO ${sqlPath(ticksStaged)} (FORMAT parquet, COMPRESSION zstd)`, [day.symbol]);
  const barsStaged = await storage.stagingPath(barsKey);
  const bars = day.file.rollup
    ? `SELECT time, open, high, low, close, volume, trades, pv, firstId, lastId FROM read_parquet(${sqlPath(path.join(dataDir, day.file.rollup))}) ORDER BY time`
    : rollupSelect(`read_parquet(${sqlPath(source)})`);
  await conn.run(`COPY (${bars}) TO ${sqlPath(barsStaged)} (FORMAT parquet, COMPRESSION zstd)`);
  const rows = await rowsOf(conn, ticksStaged);
  if (rows !== day.part.rows) {
    throw new Error(`${day.file.path} holds ${rows} ticks of ${day.symbol}, the store manifest says ${day.part.rows}; not exported`);
  }
  const barRows = await rowsOf(conn, barsStaged);
  const ticksBytes = statSync(ticksStaged).size;
  const barsBytes = statSync(barsStaged).size;
  await storage.publish(ticksStaged, ticksKey);
  await storage.publish(barsStaged, barsKey);
  return {
    symbol: day.symbol, date: day.date, exportedAt: now.toISOString(),
    ticks: { path: ticksKey, rows, bytes: ticksBytes, minId: day.part.minId, maxId: day.part.maxId, minT: day.part.minT, maxT: day.part.maxT },
    bars1s: { path: barsKey, rows: barRows, bytes: barsBytes },
  };
}

async function deleteExpired(storage: LakeStorage, m: LakeManifest, graceMs: number, now: number): Promise<number> {
  const expired = (m.tombstones ?? []).filter((t) => Date.parse(t.removedAt) + graceMs <= now);
  if (expired.length === 0) return 0;
  for (const t of expired) await storage.remove(t.path);
  const gone = new Set(expired.map((t) => t.path));
  m.tombstones = (m.tombstones ?? []).filter((t) => !gone.has(t.path));
  m.updatedAt = new Date().toISOString();
  await storage.putManifest(LAKE_MANIFEST, JSON.stringify(m));
  return expired.length;
}

/**
 * Exports every closed, fully compacted symbol-day of the store that the lake lacks or holds in an older version.
 * One exporter per lake at a time: two running at once could each replace the manifest without the other's days.
 */
export async function exportToLake(opts: ExportOptions): Promise<ExportResult> {
  const t0 = Date.now();
  checkDate(opts.from, 'from');
  checkDate(opts.to, 'to');
  const dataDir = path.resolve(opts.data);
  const storage = openLakeStorage(parseLakeUri(opts.lake), opts);
  const graceMs = opts.graceMs ?? DEFAULT_LAKE_GRACE_MS;
  const manifest = await readLakeManifest(storage);
  manifest.tombstones ??= [];
  const result: ExportResult = { exported: [], replaced: 0, upToDate: 0, failed: [], deletedParts: 0, ticks: 0, bytes: 0, durationMs: 0 };
  result.deletedParts += await deleteExpired(storage, manifest, graceMs, Date.now());

  const symbols = opts.symbols ? new Set(opts.symbols) : null;
  const candidates = closedDays(readManifest(dataDir), { now: opts.now ?? Date.now(), closeDelayMs: opts.closeDelayMs, gaps: readGaps(dataDir) })
    .filter((d) => (symbols === null || symbols.has(d.symbol)) && (opts.from === undefined || d.date >= opts.from) && (opts.to === undefined || d.date <= opts.to));
  const index = new Map(manifest.days.map((d, i) => [dayKey(d.symbol, d.date), i]));
  const todo = candidates.filter((c) => {
    const at = index.get(dayKey(c.symbol, c.date));
    if (at !== undefined && sameContent(manifest.days[at], c)) { result.upToDate++; return false; }
    return true;
  });
  if (todo.length) {
    const budget = memoryBudgetMb(undefined, READER_MEMORY_ENV, DEFAULT_READER_MEMORY_MB);
    const instance = await DuckDBInstance.create(':memory:', duckdbConfig({ memoryMb: budget, threads: 2, tempDirectory: processTempDirectory() }));
    const conn = await instance.connect();
    try {
      for (const c of todo) {
        let day: LakeDay;
        try {
          day = await exportDay(conn, storage, dataDir, c);
        } catch (err) {
          // e.g. the store re-merged the day meanwhile and deleted this file after its grace: the next run takes the new one.
          result.failed.push({ symbol: c.symbol, date: c.date, error: (err as Error).message });
          continue;
        }
        const key = dayKey(c.symbol, c.date);
        const at = index.get(key);
        const removedAt = new Date().toISOString();
        if (at === undefined) {
          index.set(key, manifest.days.length);
          manifest.days.push(day);
        } else {
          const old = manifest.days[at];
          manifest.tombstones.push({ path: old.ticks.path, removedAt }, { path: old.bars1s.path, removedAt });
          manifest.days[at] = day;
          result.replaced++;
        }
        manifest.updatedAt = removedAt;
        await storage.putManifest(LAKE_MANIFEST, JSON.stringify(manifest));
        result.exported.push(day);
        result.ticks += day.ticks.rows;
        result.bytes += day.ticks.bytes + day.bars1s.bytes;
        opts.onDay?.(day, at !== undefined);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }
  result.durationMs = Date.now() - t0;
  return result;
}
