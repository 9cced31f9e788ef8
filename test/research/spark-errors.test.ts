// What `pairs-lab scan --spark` says when it cannot run: no master at the address, no lake, no Java, no S3 server.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeExportedLake } from './exported-lake';
import { createServer, type Server } from 'node:net';
import { freePort } from '../../src/research/sparkCluster';

const cli = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

async function scan(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [cli, 'scan', ...args], { env, timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? '' };
  }
}

/** Something listening where a master would, so the scan gets past its reachability check. */
async function listening(): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `spark://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('pairs-lab scan --spark errors', () => {
  let dir: string;
  let lake: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-spark-errors-'));
    lake = await writeExportedLake(dir, { symbols: ['AAAUSDT', 'BBBUSDT'], firstDay: '2026-11-02', days: 1, meanStepMs: 30_000 });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a master nobody listens at is unreachable, said at once', async () => {
    const master = `spark://127.0.0.1:${await freePort()}`;
    const t0 = performance.now();
    const r = await scan(['--lake', lake, '--spark', master]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the Spark master ${master} is unreachable (ECONNREFUSED)`);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  test('a lake without manifest.json is no lake', async () => {
    const r = await scan(['--lake', path.join(dir, 'nothing'), '--spark', 'spark://127.0.0.1:7077']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no lake at ${path.join(dir, 'nothing')}: ${path.join(dir, 'nothing', 'manifest.json')} is missing`);
  });

  test('without Java the scan says how to get it', async () => {
    const { JAVA_HOME: _javaHome, ...env } = process.env;
    const master = await listening();
    const r = await scan(['--lake', lake, '--spark', master.url], { ...env, PATH: dir });
    master.server.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Java is missing: Spark needs a Java 17 runtime on PATH or in JAVA_HOME');
  });

  test('an s3:// lake whose endpoint nobody answers at says which endpoint and how to set it', async () => {
    const master = await listening();
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const r = await scan(['--lake', 's3://bucket/lake', '--s3-endpoint', endpoint, '--spark', master.url], { ...process.env, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' });
    master.server.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`GET s3://bucket/lake/manifest.json: cannot reach the S3 endpoint ${endpoint} (ECONNREFUSED)`);
  });

  test('a master URL that is not spark://HOST:PORT is refused', async () => {
    const r = await scan(['--lake', lake, '--spark', 'http://127.0.0.1:8080']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--spark must be a standalone master URL spark://HOST:PORT');
  });
});
