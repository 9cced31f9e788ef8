// A 3-node JetStream cluster with 3 replicas: the stream leader is killed with SIGKILL while a recorder publishes and
// a consumer process writes a store. Publishing resumes on the new leader (queued meanwhile), and the consumer's
// store ends up equal to the recorder's: contiguous, no copies.
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
import { startConsumerCli, stopChildByPid } from './helpers';
import { createReplicatedTickStream, type NatsNode, startNatsCluster, stopNode } from './nats-server';

const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('tick stream on a 3-node cluster', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-cluster-'));
  let nodes: NatsNode[] = [];
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  let consumer: ChildProcess | undefined;
  afterAll(async () => {
    await stopChildByPid(consumer, 'SIGKILL');
    await recorder?.stop().catch(() => undefined);
    await exchange?.close();
    for (const n of nodes) await stopNode(n);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every id once when the stream leader is killed', async () => {
    nodes = await startNatsCluster(path.join(dir, 'nats'));
    const servers = nodes.map((n) => n.url).join(',');
    const leader = await createReplicatedTickStream(nodes);
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 300, bursts: false, seed: 23 });
    const recorderDir = path.join(dir, 'recorder');
    const publisher = new StreamPublisher({ servers, stream: { replicas: 3 } });
    recorder = await startRecorder({
      dataDir: recorderDir, symbols, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl, simulated: true },
      feed: fastFeed, flushIntervalMs: 100, outputs: [publisher],
    });
    const consumerDir = path.join(dir, 'consumer');
    consumer = startConsumerCli(servers, consumerDir, exchange.restUrl);
    await sleep(2_000);
    const sentBefore = publisher.health().sentTicks;
    expect(sentBefore).toBeGreaterThan(100);

    await stopNode(nodes.find((n) => n.name === leader), 'SIGKILL');
    const killedAt = Date.now();
    // Publishing pauses during the election (503s, timeouts) while the recorder queues; then the queue drains.
    await sleep(1_000);
    await waitFor(() => publisher.health().sentTicks > sentBefore && publisher.health().queuedTicks < 200, 20_000, 'publishing on the new leader', 100);
    process.stderr.write(`[cluster] publishing resumed ${Date.now() - killedAt} ms after the leader was killed (${publisher.health().retries} retries)\n`);
    await sleep(1_000);
    await recorder.stop();
    const h = recorder.health().outputs[0];
    expect(h.sentTicks).toBeGreaterThan(sentBefore);
    expect(h.droppedTicks).toBe(0);

    const expected = await storedIds(recorderDir);
    await waitFor(async () => {
      const got = await storedIds(consumerDir);
      return symbols.every((s) => (got.get(s)?.length ?? 0) >= expected.get(s)!.length);
    }, 30_000, 'consumer store caught up after the leader change', 250);
    const got = await storedIds(consumerDir);
    for (const s of symbols) {
      expect(idCheck(got.get(s)!), s).toMatchObject({ missing: 0, duplicates: 0 });
      expect(got.get(s)).toEqual(expected.get(s));
    }
  });
});
