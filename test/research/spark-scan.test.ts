// On a Spark standalone cluster (master + 2 workers on 127.0.0.1): Spark reads the days exported to a directory and to
// SeaweedFS S3 with DuckDB's row counts and sums; the universe scan of a lake (directory or s3://) returns exactly the
// rows of the local scan, through lab.scan and the CLI with --out; the parameter search returns exactly the local
// search's rows.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openLab } from '../../kernel-lib/src/session/lab';
import { searchLake } from '../../kernel-lib/src/analysis/lakeScan';
import { openLake, type S3Options } from '../../src/lake';
import {
  type LakeScan, type SparkCluster, openLakeFiles, readScanParquet, scanLakeLocally, searchLakeLocally, sparkRuntime, startSparkCluster, submitSparkJob,
} from '../../src/research';
import { startSeaweed, stopSeaweed, type Seaweed } from '../lake/seaweedfs';
import { exportStoreTo, type ExportedLakeOptions, tinyGrid, writeExportedLake } from './exported-lake';
import { expectSameRows, expectSameScan, expectSameSearch } from './same-scan';

const root = path.resolve(__dirname, '..', '..');
const symbols = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT', 'EEEUSDT', 'FFFUSDT'];
// two whole days of cointegrated ticks (a trade every 3 s on average), stored, compacted and exported
const lakeOptions: ExportedLakeOptions = { symbols, firstDay: '2026-11-02', days: 2, seed: 7 };
const BUCKET = 'spark-lake';
const s3Lake = `s3://${BUCKET}/desk`;

type DayTotals = Array<Record<string, string | number>>;

/** Per symbol-day: rows and exact sums (DECIMAL(38,8): the summation order does not matter) of ticks and bars. */
async function duckdbTotals(lake: string, s3?: S3Options, cacheDir?: string): Promise<DayTotals> {
  const reader = await openLake(lake, { s3, cacheDir });
  const exact = (c: string) => `CAST(sum(CAST(${c} AS DECIMAL(38,8))) AS VARCHAR)`;
  try {
    const r = await reader.query(`
      WITH t AS (SELECT symbol, CAST(date AS VARCHAR) AS date, count(*) AS ticks, ${exact('price')} AS price, ${exact('qty')} AS qty,
                   CAST(sum(aggId) AS VARCHAR) AS aggId FROM lake_ticks GROUP BY ALL),
           b AS (SELECT symbol, CAST(date AS VARCHAR) AS date, count(*) AS bars, ${exact('volume')} AS volume FROM lake_bars_1s GROUP BY ALL)
      SELECT t.symbol, t.date, CAST(ticks AS INTEGER) AS ticks, price, qty, aggId, CAST(bars AS INTEGER) AS bars, volume
      FROM t FULL JOIN b USING (symbol, date) ORDER BY ALL`);
    return Array.from({ length: r.rowCount }, (_, i) => Object.fromEntries(r.columns.map((c) => [c.name, c.values[i] as string | number])));
  } finally {
    await reader.close();
  }
}

// `npm test` installs PySpark (setup --with-spark) and sets PAIRS_LAB_SPARK_TESTS=1; a bare `vitest run` leaves the
// cluster out. Each Spark job takes most of a minute here (the driver's session and the executors' start ~20 s; 55-90 s
// each at load average 10-12), so there are four, on one cluster and one SeaweedFS started once.
describe.runIf(process.env.PAIRS_LAB_SPARK_TESTS === '1')('a lake on a Spark standalone cluster', () => {
  let dir: string;
  let lake: string;
  let cluster: SparkCluster | undefined;
  let weed: Seaweed | undefined;
  let local: LakeScan;
  const s3 = (): S3Options => ({ endpoint: weed!.endpoint, accessKeyId: weed!.accessKeyId, secretAccessKey: weed!.secretAccessKey });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-spark-test-'));
    const started = Promise.all([
      startSparkCluster({ dir: path.join(dir, 'cluster'), workers: 2 }).then((c) => { cluster = c; }),
      startSeaweed(path.join(dir, 'weed'), BUCKET).then((w) => { weed = w; }),
    ]);
    lake = await writeExportedLake(dir, lakeOptions);
    local = await scanLakeLocally({ lake, timeframe: '1m' });
    await started;
    await exportStoreTo(dir, lakeOptions, s3Lake, s3());
  }, 180_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), stopSeaweed(weed)]);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('Spark reads the manifest\'s files of the directory lake and of the S3 lake with the row counts and exact sums DuckDB reads', async () => {
    const cacheDir = path.join(dir, 'totals-cache');
    const lakes = await Promise.all([{ name: 'dir', lake }, { name: 's3', lake: s3Lake }].map(async ({ name, lake: uri }) => {
      const files = await openLakeFiles({ lake: uri, s3: s3(), cacheDir });
      return {
        name, base: files.base,
        ticks: await Promise.all(files.days.map((d) => files.localPath(d.ticks.path))),
        bars: await Promise.all(files.days.map((d) => files.localPath(d.bars1s.path))),
      };
    }));
    const spec = path.join(dir, 'totals.json');
    const out = path.join(dir, 'totals-out.json');
    writeFileSync(spec, JSON.stringify({ lakes, out }));
    await submitSparkJob(sparkRuntime(), ['--master', (cluster as SparkCluster).masterUrl, '--conf', 'spark.ui.enabled=false', '--conf', 'spark.sql.shuffle.partitions=4',
      path.join(__dirname, 'spark_lake_totals.py'), spec], path.join(dir, 'totals.log'), 170_000);
    const spark = JSON.parse(readFileSync(out, 'utf8')) as Record<'dir' | 's3', DayTotals>;
    const fromDuckdb = await duckdbTotals(lake);
    expect(fromDuckdb).toHaveLength(symbols.length * lakeOptions.days);
    expect(spark.dir).toEqual(fromDuckdb);
    expect(spark.s3).toEqual(await duckdbTotals(s3Lake, s3(), path.join(dir, 'duckdb-cache')));
    expect(spark.s3).toEqual(spark.dir);
  }, 180_000);

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

  test('pairs-lab scan --lake s3://… --spark --out writes the directory lake\'s local scan\'s ranked rows of every pair as Parquet', async () => {
    expect(local.rows).toHaveLength(15);
    const out = path.join(dir, 'results.parquet');
    const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
    const env = { ...process.env, AWS_ACCESS_KEY_ID: weed!.accessKeyId, AWS_SECRET_ACCESS_KEY: weed!.secretAccessKey };
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'scan', '--lake', s3Lake, '--s3-endpoint', weed!.endpoint, '--cache-dir', path.join(dir, 'scan-cache'),
      '--spark', (cluster as SparkCluster).masterUrl, '--timeframe', '1m', '--out', out], { env, timeout: 170_000 });
    expect(stdout.split('\n')[1]).toMatch(new RegExp(`^1,${local.rows[0].y},${local.rows[0].x},`));
    expectSameRows(await readScanParquet(out), local.rows);
  }, 180_000);

  test('searchLake({ spark }) of a few pairs (one reversed, one with a symbol the lake lacks): the local search\'s rows, bit for bit', async () => {
    const settings = {
      lake: s3Lake, s3: s3(), cacheDir: path.join(dir, 'search-cache'), timeframe: '5m', search: tinyGrid,
      pairs: [{ y: 'CCCUSDT', x: 'AAAUSDT' }, { y: 'AAAUSDT', x: 'ZZZUSDT' }, { y: 'BBBUSDT', x: 'FFFUSDT' }, { y: 'DDDUSDT', x: 'EEEUSDT' }],
    };
    const here = await searchLakeLocally({ ...settings, lake });
    expect(here.pairs.map((p) => `${p.y}/${p.x} ${p.rows.length}`)).toEqual(['CCCUSDT/AAAUSDT 8', 'BBBUSDT/FFFUSDT 8', 'DDDUSDT/EEEUSDT 8']);
    expectSameSearch(await searchLake({ ...settings, spark: (cluster as SparkCluster).masterUrl }), here);
  }, 180_000);
});
