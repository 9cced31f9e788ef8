// The views a free-form query sees: `ticks` (live tick files), `bars_uploaded`, `alerts`, `gaps`, and the market-data
// layers `quotes`, `quotes_1s`, `mark`, `funding`.
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readManifest } from './manifest';
import { listUploads, UPLOAD_COLUMNS } from './uploads';
import { readAlerts, readGaps } from './records';
import { sqlPathList } from './fs-atomic';
import { marketViewNames, marketViewSql } from './market-views';

const TICK_COLUMNS = 'symbol VARCHAR, aggId BIGINT, tradeTime BIGINT, price DOUBLE, qty DOUBLE, isBuyerMaker BOOLEAN, recvTime BIGINT';

/** `SELECT NULL::T AS c, ... LIMIT 0`: an empty relation with the given columns. */
function emptyRelation(columns: string): string {
  return `SELECT ${columns.split(', ').map((c) => { const [name, type] = c.split(' '); return `NULL::${type} AS ${name}`; }).join(', ')} LIMIT 0`;
}

function parquetView(files: string[], columns: string): string {
  return files.length ? `SELECT * FROM read_parquet(${sqlPathList(files)})` : emptyRelation(columns);
}

/** Re-points the views at the current files; the small logs are loaded only when the SQL names them. */
export async function refreshViews(conn: DuckDBConnection, dir: string, sql: string): Promise<void> {
  const ticks = readManifest(dir).files.map((f) => path.join(dir, f.path));
  await conn.run(`CREATE OR REPLACE VIEW ticks AS ${parquetView(ticks, TICK_COLUMNS)}`);
  const uploads = listUploads(dir).map((u) => path.join(dir, u.file));
  await conn.run(`CREATE OR REPLACE VIEW bars_uploaded AS ${parquetView(uploads, UPLOAD_COLUMNS)}`);
  for (const view of marketViewNames) {
    if (new RegExp(`\\b${view}\\b`, 'i').test(sql)) await conn.run(`CREATE OR REPLACE VIEW ${view} AS ${marketViewSql(dir, view)}`);
  }
  if (/\balerts\b/i.test(sql)) {
    await conn.run('CREATE OR REPLACE TABLE alerts (time BIGINT, pair VARCHAR, rule VARCHAR, value DOUBLE, threshold DOUBLE, message VARCHAR)');
    const appender = await conn.createAppender('alerts');
    for (const a of readAlerts(dir)) {
      appender.appendBigInt(BigInt(a.time));
      appender.appendVarchar(a.pair);
      appender.appendVarchar(a.rule);
      appender.appendDouble(a.value);
      appender.appendDouble(a.threshold);
      if (a.message === undefined) appender.appendNull(); else appender.appendVarchar(a.message);
      appender.endRow();
    }
    appender.closeSync();
  }
  if (/\bgaps\b/i.test(sql)) {
    await conn.run('CREATE OR REPLACE TABLE gaps (symbol VARCHAR, fromId BIGINT, toId BIGINT, foundAt BIGINT, filledAt BIGINT, trades DOUBLE, status VARCHAR)');
    const appender = await conn.createAppender('gaps');
    for (const g of readGaps(dir)) {
      appender.appendVarchar(g.symbol);
      appender.appendBigInt(BigInt(g.fromId));
      appender.appendBigInt(BigInt(g.toId));
      appender.appendBigInt(BigInt(g.foundAt));
      if (g.filledAt === null) appender.appendNull(); else appender.appendBigInt(BigInt(g.filledAt));
      appender.appendDouble(g.trades);
      appender.appendVarchar(g.status);
      appender.endRow();
    }
    appender.closeSync();
  }
}
