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
import { sqlPath, unlinkIfExists } from '../store/fs-atomic';
import { rollupSelect } from '../store/rollup';
import { DEFAULT_READER_MEMORY_MB, duckdbConfig, memoryBudgetMb, processTempDirectory, READER_MEMORY_ENV } from '../store/duckdb-budget';
import { closedDays, type ClosedDay } from './closed-days';
import { dayKey, emptyLakeManifest, type LakeDay } from './lake-manifest';
import { readLakeManifest, updateLakeManifest } from './manifest-update';
import { parseLakeUri } from './lake-uri';
import { S3Error } from './s3-client';
import { deleteExpired, deleteOrphans } from './lake-cleanup';
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
  /**
   * Also delete parts and staging files no manifest lists that are over an hour old (left by an exporter that died
   * between upload and manifest, or by two exporters racing). Lists the whole lake, so not on every pass.
   */
  sweepOrphans?: boolean;
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
  /** Old parts deleted because their grace period ended, and orphans swept. */
  deletedParts: number;
  ticks: number;
  bytes: number;
  durationMs: number;
}

export const DEFAULT_LAKE_GRACE_MS = 600_000;
/** The manifest is replaced after this many exported days or this long, whichever comes first, and at the end. */
const PUBLISH_EVERY_DAYS = 50;
const PUBLISH_EVERY_MS = 5_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(v: string | undefined, name: string): void {
  if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) {
    throw new Error(`--${name} must be a UTC day such as 2026-12-01, got "${v}"`);
  }
}

const sameContent = (d: LakeDay, c: ClosedDay): boolean =>
  d.ticks.rows === c.part.rows && d.ticks.minId === c.part.minId && d.ticks.maxId === c.part.maxId && d.ticks.minT === c.part.minT && d.ticks.maxT === c.part.maxT;
const sameDay = (a: LakeDay, b: LakeDay): boolean =>
  a.ticks.rows === b.ticks.rows && a.ticks.minId === b.ticks.minId && a.ticks.maxId === b.ticks.maxId && a.ticks.minT === b.ticks.minT && a.ticks.maxT === b.ticks.maxT;

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
  const barsStaged = await storage.stagingPath(barsKey);
  try {
    // Store files of levels 1–3 are already sorted by tradeTime, aggId (rollups by time) and DuckDB keeps a file's row
    // order (preserve_insertion_order), so the copies need no sort, which for a busy day would spill.
    await conn.run(`COPY (SELECT aggId, tradeTime, price, qty, isBuyerMaker, recvTime FROM read_parquet(${sqlPath(source)}) WHERE symbol = $1)
        TO ${sqlPath(ticksStaged)} (FORMAT parquet, COMPRESSION zstd)`, [day.symbol]);
    const bars = day.file.rollup
      ? `SELECT time, open, high, low, close, volume, trades, pv, firstId, lastId FROM read_parquet(${sqlPath(path.join(dataDir, day.file.rollup))})`
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
  } catch (err) {
    await unlinkIfExists(ticksStaged);
    await unlinkIfExists(barsStaged);
    throw err;
  }
}

/** Exports of this process, by lake URI: one at a time per lake (e.g. `record --lake` and a notebook's export). */
const running = new Map<string, Promise<unknown>>();

/**
 * Exports every closed, fully compacted symbol-day of the store that the lake lacks or holds in an older version.
 * Exports from this process to one lake run one after another (no work done twice); exporters in other processes are
 * safe too, since the manifest is compare-and-replaced (manifest-update.ts).
 */
export function exportToLake(opts: ExportOptions): Promise<ExportResult> {
  const location = parseLakeUri(opts.lake);
  const before = running.get(location.uri) ?? Promise.resolve();
  const run = before.then(() => exportOnce(opts), () => exportOnce(opts));
  const settled = run.catch(() => undefined);
  running.set(location.uri, settled);
  void settled.then(() => { if (running.get(location.uri) === settled) running.delete(location.uri); });
  return run;
}

async function exportOnce(opts: ExportOptions): Promise<ExportResult> {
  const t0 = Date.now();
  checkDate(opts.from, 'from');
  checkDate(opts.to, 'to');
  const dataDir = path.resolve(opts.data);
  const location = parseLakeUri(opts.lake);
  if (location.kind === 'local' && (location.dir === dataDir || location.dir.startsWith(`${dataDir}${path.sep}`))) {
    // Both keep a manifest.json and a ticks/ folder: the lake would overwrite the store's manifest, and the store's
    // start-up would delete the lake's files as unlisted.
    throw new Error(`--lake ${location.dir} is the store directory ${dataDir} or inside it; give the lake a directory of its own`);
  }
  const storage = openLakeStorage(location, opts);
  const graceMs = opts.graceMs ?? DEFAULT_LAKE_GRACE_MS;
  const manifest = await readLakeManifest(storage).catch(async (err: unknown) => {
    if (!(err instanceof S3Error && err.code === 'NoSuchBucket')) throw err;
    await storage.createBucket();
    return emptyLakeManifest();
  });
  const result: ExportResult = { exported: [], replaced: 0, upToDate: 0, failed: [], deletedParts: 0, ticks: 0, bytes: 0, durationMs: 0 };
  result.deletedParts += await deleteExpired(storage, manifest, graceMs, Date.now());
  if (opts.sweepOrphans) result.deletedParts += await deleteOrphans(storage, manifest, Date.now());

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
      let pending: LakeDay[] = [];
      let lastPublish = Date.now();
      // The manifest lists a batch of days at a time: once per day would rewrite a large lake's manifest per day.
      const publish = async (): Promise<void> => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        // Re-applied to a fresher manifest if another exporter replaced it meanwhile.
        const applied = await updateLakeManifest(storage, (m) => {
          const at = new Map(m.days.map((d, i) => [dayKey(d.symbol, d.date), i]));
          const removedAt = new Date().toISOString();
          return batch.map((day): 'added' | 'replaced' | 'listed already' => {
            const i = at.get(dayKey(day.symbol, day.date));
            if (i === undefined) {
              at.set(dayKey(day.symbol, day.date), m.days.length);
              m.days.push(day);
              return 'added';
            }
            const old = m.days[i];
            if (sameDay(old, day)) return 'listed already';
            m.tombstones.push({ path: old.ticks.path, removedAt }, { path: old.bars1s.path, removedAt });
            m.days[i] = day;
            return 'replaced';
          });
        });
        for (const [i, day] of batch.entries()) {
          if (applied[i] === 'listed already') {
            // Another exporter listed the same content first: ours were never listed, so no reader can be using them.
            await storage.remove(day.ticks.path);
            await storage.remove(day.bars1s.path);
            result.upToDate++;
            continue;
          }
          result.exported.push(day);
          if (applied[i] === 'replaced') result.replaced++;
          result.ticks += day.ticks.rows;
          result.bytes += day.ticks.bytes + day.bars1s.bytes;
          opts.onDay?.(day, applied[i] === 'replaced');
        }
        lastPublish = Date.now();
      };
      for (const c of todo) {
        try {
          pending.push(await exportDay(conn, storage, dataDir, c));
        } catch (err) {
          // An unreachable lake fails every day the same way: stop (what was published so far is listed below).
          if (err instanceof S3Error && err.status === undefined) { await publish(); throw err; }
          // e.g. the store re-merged the day meanwhile and deleted this file after its grace: the next run takes the new one.
          result.failed.push({ symbol: c.symbol, date: c.date, error: (err as Error).message });
        }
        if (pending.length >= PUBLISH_EVERY_DAYS || Date.now() - lastPublish >= PUBLISH_EVERY_MS) await publish();
      }
      await publish();
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }
  result.durationMs = Date.now() - t0;
  return result;
}
