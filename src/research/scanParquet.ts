// Scan rows to and from a Parquet file (`pairs-lab scan --out`). The file is written under a name of our own and
// then moved to the path asked for, so no path is ever put into SQL text.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import type { PairScanRow } from '../analytics';
import { sqlPath } from '../store/fs-atomic';

const COLUMNS = 'rank INTEGER, y VARCHAR, x VARCHAR, beta DOUBLE, intercept DOUBLE, egPValue DOUBLE, egPValueReverse DOUBLE, egStatistic DOUBLE, adfStatistic DOUBLE, adfPValue DOUBLE, halfLife DOUBLE, correlation DOUBLE';

export async function writeScanParquet(rows: readonly PairScanRow[], out: string): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'pairs-lab-scan-out-'));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE scan (${COLUMNS})`);
    const insert = await conn.prepare('INSERT INTO scan VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)');
    for (const r of rows) {
      insert.bind([r.rank, r.y, r.x, r.beta, r.intercept, r.egPValue, r.egPValueReverse, r.egStatistic, r.adfStatistic, r.adfPValue, r.halfLife, r.correlation]);
      await insert.run();
    }
    await conn.run(`COPY (SELECT * FROM scan ORDER BY rank) TO ${sqlPath(path.join(work, 'scan.parquet'))} (FORMAT parquet)`);
    copyFileSync(path.join(work, 'scan.parquet'), out);
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function readScanParquet(file: string): Promise<PairScanRow[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const result = await conn.runAndReadAll('SELECT * FROM read_parquet($files) ORDER BY rank', { files: listValue([file]) });
    return result.getRowObjectsJS() as unknown as PairScanRow[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
