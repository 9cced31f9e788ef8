// The store consumer killed with SIGKILL while it consumes, then restarted: its durable consumer resumes where the
// store stopped. Nothing is lost or doubled, and the missing stretch comes from the stream (redelivery), not REST.
// Uses the compiled CLI for the consumer: run `npm run build` first (`npm test` does).
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { StreamPublisher } from '../../src/stream/publisher';
import { fastFeed, idCheck, sleep, storedIds, waitFor } from '../feed/helpers';
import { readConsumerHealth, startConsumerCli, stopChildByPid } from './helpers';
import { type NatsNode, startNatsServer, stopNode } from './nats-server';

const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('store consumer process', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-consumer-kill-'));
  let nats: NatsNode | undefined;
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  const consumers: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of consumers) await stopChildByPid(c, 'SIGKILL');
    await recorder?.stop().catch(() => undefined);
    await exchange?.close();
    await stopNode(nats);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL with nothing lost or doubled', async () => {
    nats = await startNatsServer(path.join(dir, 'nats'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 400, bursts: false, seed: 5 });
    const recorderDir = path.join(dir, 'recorder');
    recorder = await startRecorder({
      dataDir: recorderDir, symbols, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl, simulated: true },
      feed: fastFeed, flushIntervalMs: 100, outputs: [new StreamPublisher({ servers: nats.url })],
    });
    const consumerDir = path.join(dir, 'consumer');
    const first = startConsumerCli(nats.url, consumerDir, exchange.restUrl, ['--durable', 'kill-test']);
    consumers.push(first);
    await waitFor(async () => ((await readConsumerHealth(consumerDir))?.ticksStored ?? 0) > 500, 15_000, 'first consumer storing', 100);
    await stopChildByPid(first, 'SIGKILL');
    const storedAtKill = (await storedIds(consumerDir));
    await sleep(1_500);

    const second = startConsumerCli(nats.url, consumerDir, exchange.restUrl, ['--durable', 'kill-test']);
    consumers.push(second);
    await sleep(2_000);
    await recorder.stop();
    const expected = await storedIds(recorderDir);
    await waitFor(async () => {
      const got = await storedIds(consumerDir);
      return symbols.every((s) => (got.get(s)?.length ?? 0) >= expected.get(s)!.length);
    }, 25_000, 'restarted consumer caught up with the recorder', 200);
    const got = await storedIds(consumerDir);
    for (const s of symbols) {
      expect(idCheck(got.get(s)!), s).toMatchObject({ missing: 0, duplicates: 0 });
      expect(got.get(s)).toEqual(expected.get(s));
      expect(got.get(s)!.length).toBeGreaterThan(storedAtKill.get(s)?.length ?? 0);
    }
    const h = await readConsumerHealth(consumerDir);
    expect(h).toMatchObject({ pid: second.pid, state: 'consuming', gaps: { open: 0, filled: 0 }, badMessages: 0 });
    await stopChildByPid(second, 'SIGTERM');
    expect(second.exitCode).toBe(0);
  });
});
