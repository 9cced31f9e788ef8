// The scan and the parameter search of an s3:// lake (SeaweedFS on loopback) equal those of the same days exported to a
// directory, and read only the bar files the manifest lists for the days in range (downloaded into the cache).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type PairSearch, scanLakeLocally, searchLakeLocally } from '../../src/research';
import { fromLine } from '../../src/research/pairLines';
import { listFilesRecursive } from '../../src/store/fs-atomic';
import { startSeaweed, stopSeaweed, type Seaweed } from '../lake/seaweedfs';
import { exportStoreTo, type ExportedLakeOptions, tinyGrid, writeExportedLake } from './exported-lake';
import { expectSameScan, expectSameSearch } from './same-scan';

const lakeOptions: ExportedLakeOptions = { symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT'], firstDay: '2026-11-02', days: 2, meanStepMs: 10_000, seed: 3 };
const BUCKET = 'research-lake';
const cli = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

describe('scan and search of an s3:// lake', () => {
  let dir: string;
  let weed: Seaweed | undefined;
  let local: string;
  const uri = `s3://${BUCKET}/desk/lake`;
  const s3 = () => ({ endpoint: weed!.endpoint, accessKeyId: weed!.accessKeyId, secretAccessKey: weed!.secretAccessKey });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-s3-scan-'));
    [weed, local] = await Promise.all([startSeaweed(path.join(dir, 'weed'), BUCKET), writeExportedLake(dir, lakeOptions)]);
    await exportStoreTo(dir, lakeOptions, uri, s3());
  }, 60_000);

  afterAll(async () => {
    await stopSeaweed(weed);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  test('a scan of one day downloads only that day\'s bar files of the symbols asked for, and equals the directory lake\'s scan', async () => {
    const cacheDir = path.join(dir, 'cache-day');
    const settings = { timeframe: '1m', symbols: ['CCCUSDT', 'AAAUSDT', 'BBBUSDT'], from: Date.parse('2026-11-03T00:00:00Z'), to: Date.parse('2026-11-03T12:00:00Z') };
    const fromS3 = await scanLakeLocally({ ...settings, lake: uri, s3: s3(), cacheDir });
    expect(fromS3.rows).toHaveLength(3);
    expectSameScan(fromS3, await scanLakeLocally({ ...settings, lake: local }));
    expect(listFilesRecursive(cacheDir).map((f) => f.split('/').slice(0, 3).join('/')).sort())
      .toEqual(['bars_1s/symbol=AAAUSDT/date=2026-11-03', 'bars_1s/symbol=BBBUSDT/date=2026-11-03', 'bars_1s/symbol=CCCUSDT/date=2026-11-03']);
  }, 30_000);

  test('the search of every pair of an s3:// lake equals the directory lake\'s, row for row', async () => {
    const fromS3 = await searchLakeLocally({ lake: uri, s3: s3(), cacheDir: path.join(dir, 'cache-all'), timeframe: '5m', search: tinyGrid });
    expect(fromS3.pairs.map((p) => `${p.y}/${p.x}`)).toEqual(['AAAUSDT/BBBUSDT', 'AAAUSDT/CCCUSDT', 'AAAUSDT/DDDUSDT', 'BBBUSDT/CCCUSDT', 'BBBUSDT/DDDUSDT', 'CCCUSDT/DDDUSDT']);
    expectSameSearch(fromS3, await searchLakeLocally({ lake: local, timeframe: '5m', search: tinyGrid }));
  }, 30_000);

  test('pairs-lab search --lake s3://… --pairs … --out writes each pair\'s rows of the directory lake\'s search', async () => {
    const out = path.join(dir, 'search.jsonl');
    const env = { ...process.env, AWS_ACCESS_KEY_ID: weed!.accessKeyId, AWS_SECRET_ACCESS_KEY: weed!.secretAccessKey };
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'search', '--lake', uri, '--s3-endpoint', weed!.endpoint, '--cache-dir', path.join(dir, 'cache-cli'),
      '--timeframe', '5m', '--pairs', 'dddusdt/AAAUSDT,BBBUSDT/CCCUSDT', '--entry', '1.5,2', '--exit', '0,0.5', '--stop', 'none,3', '--window', '30', '--hedge', 'ols:60',
      '--train-fraction', '0.7', '--out', out], { env, timeout: 60_000 });
    const here = await searchLakeLocally({ lake: local, timeframe: '5m', search: tinyGrid, pairs: [{ y: 'DDDUSDT', x: 'AAAUSDT' }, { y: 'BBBUSDT', x: 'CCCUSDT' }] });
    expect(stdout.split('\n').slice(1, 3).map((l) => l.split(',').slice(0, 2).join('/'))).toEqual(['DDDUSDT/AAAUSDT', 'BBBUSDT/CCCUSDT']);
    const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => fromLine<PairSearch>(l));
    expectSameSearch({ ...here, pairs: written }, here);
  }, 30_000);

  test('an s3:// lake without a manifest is no lake, said with its URI', async () => {
    await expect(scanLakeLocally({ lake: `s3://${BUCKET}/nothing`, s3: s3(), timeframe: '1m' }))
      .rejects.toThrow(`no lake at s3://${BUCKET}/nothing: s3://${BUCKET}/nothing/manifest.json is missing`);
  });
});
