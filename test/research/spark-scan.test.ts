// The universe scan of a lake on a Spark standalone cluster (master + 2 workers on 127.0.0.1) returns exactly the
// rows of the local scan of the same lake (exported from a store by src/lake), through lab.scan and the CLI with --out.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openLab } from '../../kernel-lib/src/session/lab';
import { type LakeScan, type SparkCluster, readScanParquet, scanLakeLocally, startSparkCluster } from '../../src/research';
import { writeExportedLake } from './exported-lake';
import { expectSameRows, expectSameScan } from './same-scan';

const root = path.resolve(__dirname, '..', '..');
const symbols = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT', 'EEEUSDT', 'FFFUSDT'];

// `npm test` installs PySpark (setup --with-spark) and sets PAIRS_LAB_SPARK_TESTS=1; a bare `vitest run` leaves the
// cluster out. Each Spark scan takes most of a minute here (the driver's session alone ~20 s), so there are two.
describe.runIf(process.env.PAIRS_LAB_SPARK_TESTS === '1')('universe scan on a Spark standalone cluster', () => {
  let dir: string;
  let lake: string;
  let cluster: SparkCluster | undefined;
  let local: LakeScan;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-spark-test-'));
    // two whole days of cointegrated ticks (a trade every 3 s on average), stored, compacted and exported
    lake = await writeExportedLake(dir, { symbols, firstDay: '2026-11-02', days: 2, seed: 7 });
    local = await scanLakeLocally({ lake, timeframe: '1m' });
    cluster = await startSparkCluster({ dir: path.join(dir, 'cluster'), workers: 2 });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('lab.scan({ lake, spark }) with symbols in a given order, a time range, a 7m timeframe, max bars and min correlation: the local scan\'s rows, bit for bit, in rank order', async () => {
    const settings = {
      lake, timeframe: '7m', symbols: ['FFFUSDT', 'AAAUSDT', 'DDDUSDT', 'CCCUSDT', 'ZZZUSDT'],
      from: Date.parse('2026-11-02T06:00:00Z'), to: Date.parse('2026-11-03T18:00:00Z'), maxBars: 200, minCorrelation: 0.05,
    };
    const here = await scanLakeLocally(settings);
    expect(here.bars).toBe(200);
    expect(here.skipped).toEqual([{ symbol: 'ZZZUSDT', reason: 'only 0 bars (a scan needs 30)' }]);
    const lab = await openLab({ dataDir: path.join(dir, 'store') });
    try {
      expectSameScan(await lab.scan({ ...settings, spark: (cluster as SparkCluster).masterUrl }), here);
    } finally {
      await lab.close();
    }
  }, 180_000);

  test('pairs-lab scan --spark --out writes the local scan\'s ranked rows of every pair as Parquet', async () => {
    expect(local.rows).toHaveLength(15);
    const out = path.join(dir, 'results.parquet');
    const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'scan', '--lake', lake, '--spark', (cluster as SparkCluster).masterUrl, '--timeframe', '1m', '--out', out], { timeout: 170_000 });
    expect(stdout.split('\n')[1]).toMatch(new RegExp(`^1,${local.rows[0].y},${local.rows[0].x},`));
    expectSameRows(await readScanParquet(out), local.rows);
  }, 180_000);
});
