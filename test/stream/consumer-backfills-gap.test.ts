// A hole in the stream (no recorder published for a while) is found by the consumer and backfilled over REST from
// the exchange; the recorder is the CLI (`record --nats`) this time. Uses the compiled CLI: run `npm run build` first.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecorderHealth } from '../../src/feed/health';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { readAllGaps } from './gap-log';
import { idCheck, sleep, storedIds, waitFor } from '../feed/helpers';
import { readConsumerHealth, startConsumerCli, startRecorderCli, stopChildByPid } from './helpers';
import { type NatsNode, startNatsServer, stopNode } from './nats-server';

const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('store consumer and a gap in the stream', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-gap-'));
  let nats: NatsNode | undefined;
  let exchange: SimulatedExchange | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopChildByPid(c, 'SIGKILL');
    await exchange?.close();
    await stopNode(nats);
    rmSync(dir, { recursive: true, force: true });
  });

  function recordCli(dataDir: string): ChildProcess {
    const child = startRecorderCli(exchange!, nats!.url, dataDir, symbols);
    children.push(child);
    return child;
  }

  it('backfills ids missing between two recorders over REST', async () => {
    nats = await startNatsServer(path.join(dir, 'nats'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 300, bursts: false, seed: 29 });
    const consumerDir = path.join(dir, 'consumer');
    children.push(startConsumerCli(nats.url, consumerDir, exchange.restUrl));

    const firstDir = path.join(dir, 'recorder-1');
    const first = recordCli(firstDir);
    await waitFor(async () => ((await readRecorderHealth(firstDir))?.outputs[0]?.sentTicks ?? 0) > 200, 15_000, 'first recorder publishing', 100);
    await stopChildByPid(first, 'SIGTERM');
    expect(first.exitCode).toBe(0);
    // Nobody publishes for a second: a hole in every subject.
    await sleep(1_000);
    const secondDir = path.join(dir, 'recorder-2');
    const second = recordCli(secondDir);
    await waitFor(async () => ((await readRecorderHealth(secondDir))?.outputs[0]?.sentTicks ?? 0) > 200, 15_000, 'second recorder publishing', 100);
    await stopChildByPid(second, 'SIGTERM');
    expect(second.exitCode).toBe(0);

    const one = await storedIds(firstDir);
    const two = await storedIds(secondDir);
    await waitFor(async () => {
      const h = await readConsumerHealth(consumerDir);
      return h !== null && h.gaps.filled >= symbols.length && h.gaps.open === 0 && h.pendingHoleIds === 0;
    }, 25_000, 'consumer backfilled the holes', 200);
    const got = await storedIds(consumerDir);
    for (const s of symbols) {
      const ids = got.get(s)!;
      expect(idCheck(ids), s).toMatchObject({ missing: 0, duplicates: 0 });
      expect(ids[0]).toBe(one.get(s)![0]);
      expect(ids[ids.length - 1]).toBe(two.get(s)!.at(-1));
      expect(ids.length).toBeGreaterThan(one.get(s)!.length + two.get(s)!.length);
    }
    const filled = (await readAllGaps(consumerDir)).filter((g) => g.status === 'filled');
    expect(new Set(filled.map((g) => g.symbol))).toEqual(new Set(symbols));
  });
});
