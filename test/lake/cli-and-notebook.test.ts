// The lake as a user reaches it: `pairs-lab export` and `query --lake` (the compiled CLI in a child process), the
// notebook API's `openLab({ lake })`, and bad lake URIs and options refused with what to do.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreWriter } from '../../src/store';
import { exportToLake, openLake, parseLakeUri } from '../../src/lake';
import { openLab } from '../../kernel-lib/src';
import { ensureCompiledStore, root } from '../store/compiled-store';
import { tempStoreDir } from '../store/helpers';
import { freePort } from '../support/processes';
import { D1, DAY_MS, dayTicks } from './helpers';

let tmp: ReturnType<typeof tempStoreDir>;
let data: string;
beforeAll(async () => {
  ensureCompiledStore();
  tmp = tempStoreDir('lake-cli');
  data = path.join(tmp.dir, 'store');
  const w = await openStoreWriter({ dir: data, flushIntervalMs: 0, compactIntervalMs: 0 });
  w.append(dayTicks('BTCUSDT', D1, 1, 3, 20_000));
  w.append(dayTicks('ETHUSDT', D1, 1, 4, 20_000));
  await w.flush();
  await w.compact(D1 + DAY_MS + 120_000);
  await w.close();
});
afterAll(() => tmp?.remove());

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('lake CLI and notebook API', () => {
  it('export, export again (nothing new), query --lake', async () => {
    const lake = path.join(tmp.dir, 'cli-lake');
    const first = await cli(['export', '--data', data, '--lake', lake, '--from', '2026-11-30', '--to', '2026-12-01', '--symbols', 'BTCUSDT,ETHUSDT']);
    expect(first.stderr).toBe('');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^exported BTCUSDT 2026-12-01: \d+ ticks, \d+ 1 s bars -> ticks\/symbol=BTCUSDT\/date=2026-12-01\/part-[0-9TZ]+-[0-9a-f]{8}\.parquet$/m);
    expect(first.stdout).toMatch(/^2 symbol-days exported \(0 replaced, 0 already in the lake\)/m);
    const again = await cli(['export', '--data', data, '--lake', lake]);
    expect(again.stdout).toMatch(/^0 symbol-days exported \(0 replaced, 2 already in the lake\)/m);
    const q = await cli(['query', '--lake', lake, "SELECT symbol, date, count(*) AS n FROM lake_ticks WHERE symbol = 'ETHUSDT' GROUP BY ALL"]);
    const n = dayTicks('ETHUSDT', D1, 1, 4, 20_000).length;
    expect(q).toMatchObject({ code: 0, stdout: `symbol,date,n\nETHUSDT,2026-12-01,${n}\n` });
  });

  it('refuses bad URIs, options and unreachable S3 with what to do', async () => {
    expect(() => parseLakeUri('http://example.com/lake')).toThrow(/scheme "http:\/\/"; a lake is a local directory .* or s3:\/\/bucket\/prefix/);
    expect(() => parseLakeUri('s3://Bad_Bucket/x')).toThrow(/"Bad_Bucket" is not an S3 bucket name/);
    expect(() => parseLakeUri('s3://lake/../x')).toThrow(/prefix segment "\.\." may hold only/);
    expect(() => parseLakeUri('')).toThrow(/--lake needs a directory or s3:\/\/bucket\/prefix/);
    expect(parseLakeUri('s3://lake/a/b/')).toMatchObject({ kind: 's3', bucket: 'lake', prefix: 'a/b', uri: 's3://lake/a/b' });
    await expect(exportToLake({ data, lake: data })).rejects.toThrow(/is the store directory .* or inside it; give the lake a directory of its own/);
    await expect(exportToLake({ data, lake: path.join(data, 'lake') })).rejects.toThrow(/or inside it/);
    const forged = path.join(tmp.dir, 'forged');
    mkdirSync(forged);
    writeFileSync(path.join(forged, 'manifest.json'), JSON.stringify({ version: 1, updatedAt: '', days: [], tombstones: [{ path: '../../etc/passwd', removedAt: '2000-01-01T00:00:00Z' }] }));
    await expect(exportToLake({ data, lake: forged })).rejects.toThrow(/lists the path "\.\.\/\.\.\/etc\/passwd", which is not a lake part/);
    await expect(exportToLake({ data, lake: path.join(tmp.dir, 'x'), from: '2026-13-01' })).rejects.toThrow(/--from must be a UTC day such as 2026-12-01, got "2026-13-01"/);

    const noLake = await cli(['export', '--data', data]);
    expect(noLake).toMatchObject({ code: 1 });
    expect(noLake.stderr).toMatch(/export needs --lake DIR or --lake s3:\/\/bucket\/prefix/);
    const badSymbols = await cli(['export', '--data', data, '--lake', path.join(tmp.dir, 'x'), '--symbols', 'btc']);
    expect(badSymbols.stderr).toMatch(/--symbols must be comma-separated upper-case symbols .*not valid: btc/);
    const recordBadLake = await cli(['record', '--sim', '--data', path.join(tmp.dir, 'rec'), '--lake', 's3://Bad_Bucket/x']);
    expect(recordBadLake).toMatchObject({ code: 1 });
    expect(recordBadLake.stderr).toMatch(/"Bad_Bucket" is not an S3 bucket name/);
    const recordEndpointAlone = await cli(['record', '--sim', '--data', path.join(tmp.dir, 'rec'), '--s3-endpoint', 'http://127.0.0.1:1']);
    expect(recordEndpointAlone.stderr).toMatch(/--s3-endpoint needs --lake s3:\/\/bucket\/prefix/);
    const both = await cli(['query', '--data', data, '--lake', path.join(tmp.dir, 'x'), 'SELECT 1']);
    expect(both.stderr).toMatch(/give --data \(a store\) or --lake \(a lake\), not both/);
    const noKeys = await cli(['export', '--data', data, '--lake', 's3://lake/x'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect(noKeys.stderr).toMatch(/an S3 lake needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    const closed = await freePort();
    const unreachable = await cli(['export', '--data', data, '--lake', 's3://lake/x', '--s3-endpoint', `http://127.0.0.1:${closed}`], { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' });
    expect(unreachable).toMatchObject({ code: 1 });
    expect(unreachable.stderr).toContain(`cannot reach the S3 endpoint http://127.0.0.1:${closed} (ECONNREFUSED); check that the server runs`);
  });

  it('openLab({ lake }) reads the lake beside the store; a session without one says how to open it', async () => {
    const lakeDir = path.join(tmp.dir, 'nb-lake');
    await exportToLake({ data, lake: lakeDir, now: D1 + DAY_MS + 120_000 });
    const lab = await openLab({ dataDir: data, lake: lakeDir });
    try {
      const r = await lab.lake.query('SELECT count(*)::DOUBLE AS bars, sum(trades)::DOUBLE AS trades FROM lake_bars_1s WHERE symbol = $1', ['BTCUSDT']);
      expect(r.columns[1].values).toEqual([dayTicks('BTCUSDT', D1, 1, 3, 20_000).length]);
      expect(lab.lake.days().map((d) => d.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    } finally {
      await lab.close();
    }
    const plain = await openLab({ dataDir: data });
    try {
      expect(() => plain.lake).toThrow(/this session has no lake: open one with openLab\(\{ lake: .* or await lab\.openLake\(uri\)/);
    } finally {
      await plain.close();
    }
    await expect(openLake(path.join(tmp.dir, 'no-lake-here'))).resolves.toMatchObject({ uri: path.join(tmp.dir, 'no-lake-here') });
  });
});
