// The README's "Lake (Parquet on a path or S3)" guide, followed on loopback: its marked blocks start SeaweedFS with the
// guide's s3.json (its four ports substituted, each with port + 10000 free for gRPC), then, in one shell with the
// guide's AWS_* variables, export a store of two closed simulated days to a directory (substituted for /srv/lake) and
// to s3://pairs-lake/ticks and query both lakes. Both queries print the store's ticks per symbol-day.
import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStoreReader } from '../../src/store';
import { waitFor } from '../feed/helpers';
import { ensureCompiledStore } from '../store/compiled-store';
import { freePort } from '../support/processes';
import { storeSums, writeClosedDays } from '../lake/helpers';
import { ensureSeaweedInstalled, seaweedSockets, waitForSeaweedS3 } from '../lake/seaweedfs';
import { type GuideBlock, projectCommands, readmeBlock, runGuideBlock, stopGuideProcess } from './guide-blocks';

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free port whose port + 10000 (SeaweedFS's gRPC port for it) is free too. */
async function freePortWithGrpc(taken: number[]): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p + 10_000 <= 65_535 && !taken.includes(p) && !taken.includes(p + 10_000) && await canListen(p + 10_000)) return p;
  }
}

/** `query`'s CSV outputs (header `symbol,date,ticks`) in a block's output, in order. */
function queryOutputs(output: string): string[] {
  return output.split(/^(?=symbol,date,ticks$)/m).slice(1).map((part) => part.split('\n').filter((l) => /^(symbol,date,ticks|[A-Z]+USDT,\d{4}-\d\d-\d\d,\d+)$/.test(l)).join('\n'));
}

describe('README guide: lake on a directory and on SeaweedFS S3', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'guide-lake-'));
  const work = path.join(dir, 'work');
  const started: Array<{ child: ChildProcess; output: () => string }> = [];
  let sockets: string[] = [];
  afterAll(async () => {
    // SeaweedFS takes ~20 s to stop on SIGTERM; its data is thrown away, so SIGKILL after 2 s.
    for (const p of started.reverse()) await stopGuideProcess(p.child, 2_000);
    for (const s of sockets) rmSync(s, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('starts SeaweedFS, exports to a directory and to S3, and queries both as the guide says', async () => {
    ensureCompiledStore();
    ensureSeaweedInstalled();
    mkdirSync(work, { recursive: true });
    const symbols = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'];
    await writeClosedDays(path.join(work, 'data'), symbols);

    const ports: number[] = [];
    for (let i = 0; i < 4; i++) ports.push(await freePortWithGrpc(ports.flatMap((p) => [p, p + 10_000])));
    const [master, volume, filer, s3] = ports;
    sockets = seaweedSockets(ports.map((p) => p + 10_000), filer, s3);
    const weed = runGuideBlock(readmeBlock('seaweedfs'), work, [
      ['-master.port=9333', `-master.port=${master}`], ['-volume.port=18080', `-volume.port=${volume}`],
      ['-filer.port=18888', `-filer.port=${filer}`], ['-s3.port=8333', `-s3.port=${s3}`], ...projectCommands(),
    ]);
    started.push(weed);
    const endpoint = `http://127.0.0.1:${s3}`;
    const t0 = Date.now();
    await waitForSeaweedS3({ endpoint, accessKeyId: 'lake-key', secretAccessKey: 'lake-secret' }, 'guide-probe', weed.child, weed.output);
    console.log(`[lake guide] SeaweedFS from the guide's block ready in ${Date.now() - t0} ms`);

    // One shell, as a user's: the guide's AWS_* variables, then its export and query commands.
    const env = readmeBlock('s3-env');
    const commands = readmeBlock('lake-export');
    const shell: GuideBlock = { ...commands, text: `${env.text}\n${commands.text}` };
    const lakeDir = path.join(dir, 'lake');
    const run = runGuideBlock(shell, work, [['http://127.0.0.1:8333', endpoint], ['/srv/lake', lakeDir], ...projectCommands()]);
    started.push(run);
    await waitFor(() => run.child.exitCode !== null || run.child.signalCode !== null, 120_000, 'the export and query commands', 250);
    expect(run.child.exitCode, run.output()).toBe(0);

    const out = run.output();
    expect(out.match(/^6 symbol-days exported \(0 replaced, 0 already in the lake\)/gm), out).toHaveLength(2);
    const [fromDir, fromS3] = queryOutputs(out);
    const store = await openStoreReader({ dir: path.join(work, 'data') });
    let expected: string;
    try {
      expected = ['symbol,date,ticks', ...(await storeSums(store)).map((s) => `${s.key.replace(' ', ',')},${s.count}`)].join('\n');
    } finally {
      await store.close();
    }
    expect(expected.split('\n')).toHaveLength(7);
    expect(fromDir, out).toBe(expected);
    expect(fromS3, out).toBe(expected);
  }, 180_000);
});
