// Uploaded OHLC bars: one immutable Parquet file per import under uploads/, with a JSON sidecar that says which
// symbols, timeframe and time range it holds (so readers pick files without opening them).
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { makeDirDurable, replaceFileSync, sqlPath, tempPathFor } from './fs-atomic';
import { rename, syncDir, syncFile } from './disk-sync';

export const UPLOADS_DIR = 'uploads';

export interface UploadedBar {
  symbol: string;
  timeframeMs: number;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** NaN when the source had no trade count. */
  trades: number;
  /** NaN when the source had no VWAP. */
  vwap: number;
}

/** The bars of one symbol at one timeframe inside an upload file. */
export interface UploadSeries {
  symbol: string;
  timeframeMs: number;
  minT: number;
  maxT: number;
  rows: number;
}

export interface UploadInfo {
  /** Relative to the store directory. */
  file: string;
  series: UploadSeries[];
  /** {@link barsDigest} of the bars it holds (absent in uploads written before it was recorded). */
  digest?: string;
}

/** Series of `symbol` across uploads. */
export function seriesOf(uploads: readonly UploadInfo[], symbol: string): { upload: UploadInfo; series: UploadSeries }[] {
  return uploads.flatMap((upload) => upload.series.filter((s) => s.symbol === symbol).map((series) => ({ upload, series })));
}

/** Every published upload (its Parquet file exists under the final name). */
export function listUploads(dir: string): UploadInfo[] {
  let names: string[];
  try {
    names = readdirSync(path.join(dir, UPLOADS_DIR)).filter((n) => n.endsWith('.parquet')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: UploadInfo[] = [];
  for (const name of names) {
    try {
      out.push(JSON.parse(readFileSync(path.join(dir, UPLOADS_DIR, `${name}.json`), 'utf8')) as UploadInfo);
    } catch { /* not published */ }
  }
  return out;
}

/**
 * A digest of a set of bars that does not depend on their order in the file: the same bars give the same digest
 * however the CSV was written (row order, time format, number spelling).
 */
export function barsDigest(bars: readonly UploadedBar[]): string {
  const lines = bars.map((b) => [b.symbol, b.timeframeMs, b.time, b.open, b.high, b.low, b.close, b.volume, b.trades, b.vwap].join(','));
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}

export const UPLOAD_COLUMNS = 'symbol VARCHAR, timeframeMs BIGINT, time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, trades DOUBLE, vwap DOUBLE';

/**
 * Writes validated bars as one new upload: sidecar first, then the Parquet file under its final name (which is what
 * publishes it); both contents are on the disk before either name, and both names before this resolves.
 */
export async function writeUpload(dir: string, bars: readonly UploadedBar[], digest = barsDigest(bars)): Promise<UploadInfo> {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const name = `bars-${stamp}-${process.pid}-${randomBytes(3).toString('hex')}.parquet`;
  const rel = `${UPLOADS_DIR}/${name}`;
  const abs = path.join(dir, rel);
  await makeDirDurable(path.dirname(abs));
  const series = new Map<string, UploadSeries>();
  for (const b of bars) {
    const key = `${b.symbol}\u0000${b.timeframeMs}`;
    const s = series.get(key);
    if (!s) series.set(key, { symbol: b.symbol, timeframeMs: b.timeframeMs, minT: b.time, maxT: b.time, rows: 1 });
    else { s.minT = Math.min(s.minT, b.time); s.maxT = Math.max(s.maxT, b.time); s.rows++; }
  }
  const info: UploadInfo = { file: rel, series: [...series.values()], digest };
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const tmp = tempPathFor(abs);
  try {
    await conn.run(`CREATE TABLE up (${UPLOAD_COLUMNS})`);
    const appender = await conn.createAppender('up');
    for (const b of bars) {
      appender.appendVarchar(b.symbol);
      appender.appendBigInt(BigInt(b.timeframeMs));
      appender.appendBigInt(BigInt(b.time));
      for (const v of [b.open, b.high, b.low, b.close, b.volume, b.trades, b.vwap]) appender.appendDouble(v);
      appender.endRow();
    }
    appender.closeSync();
    await conn.run(`COPY (SELECT * FROM up ORDER BY symbol, timeframeMs, time) TO ${sqlPath(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    await syncFile(tmp);
    replaceFileSync(`${abs}.json`, JSON.stringify(info));
    rename(tmp, abs);
    await syncDir(path.dirname(abs));
  } catch (err) {
    for (const p of [tmp, `${abs}.json`]) { try { unlinkSync(p); } catch { /* not written */ } }
    throw err;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return info;
}

