// Single nats-server: two recorders (active-active) publish the same symbols from a simulated exchange; a
// consumer process writes a second store. The stream holds every id once, the consumer's store equals the union of
// the recorders' stores, contiguous, and keeps growing after the first recorder stops.
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
import { readConsumerHealth, startConsumerCli, stopChildByPid, streamIds } from './helpers';
import { type NatsNode, startNatsServer, stopNode } from './nats-server';

const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

describe('tick stream, single server', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-single-'));
  let nats: NatsNode | undefined;
  let exchange: SimulatedExchange | undefined;
  const recorders: Recorder[] = [];
  let consumer: ChildProcess | undefined;
  afterAll(async () => {
    await stopChildByPid(consumer, 'SIGKILL');
    for (const r of recorders) await r.stop().catch(() => undefined);
    await exchange?.close();
    await stopNode(nats);
    rmSync(dir, { recursive: true, force: true });
  });

  function record(name: string, url: string): Promise<Recorder> {
    return startRecorder({
      dataDir: path.join(dir, name), symbols, source: { wsUrl: exchange!.wsUrl, restUrl: exchange!.restUrl, simulated: true },
      feed: fastFeed, flushIntervalMs: 100, outputs: [new StreamPublisher({ servers: url })],
    });
  }

  it('two recorders publish every id once; the consumer store equals their union, contiguous', async () => {
    nats = await startNatsServer(path.join(dir, 'nats'));
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 300, bursts: false, seed: 11 });
    const a = await record('recorder-a', nats.url);
    recorders.push(a);
    const consumerDir = path.join(dir, 'consumer');
    consumer = startConsumerCli(nats.url, consumerDir, exchange.restUrl);
    await sleep(1_500);
    const b = await record('recorder-b', nats.url);
    recorders.push(b);
    await sleep(3_000);
    await a.stop();
    const sentByA = a.health().outputs[0];
    expect(sentByA.sentTicks).toBeGreaterThan(300);
    await sleep(2_000);
    await b.stop();
    const sentByB = b.health().outputs[0];
    // B joined a live stream: most of its ids were already there, and it carried on alone after A stopped.
    expect(sentByB.skippedTicks).toBeGreaterThan(0);
    expect(sentByB.sentTicks).toBeGreaterThan(0);
    expect(sentByA.droppedTicks + sentByB.droppedTicks).toBe(0);

    const fromA = await storedIds(path.join(dir, 'recorder-a'));
    const fromB = await storedIds(path.join(dir, 'recorder-b'));
    const expected = new Map(symbols.map((s) => [s, [...new Set([...(fromA.get(s) ?? []), ...(fromB.get(s) ?? [])])].sort((x, y) => x - y)]));
    await waitFor(async () => {
      const got = await storedIds(consumerDir);
      return symbols.every((s) => (got.get(s)?.length ?? 0) >= expected.get(s)!.length);
    }, 20_000, 'consumer store caught up with the recorders', 200);

    const stream = await streamIds(nats.url);
    const inConsumer = await storedIds(consumerDir);
    for (const s of symbols) {
      const want = expected.get(s)!;
      expect(idCheck(want), `${s} recorders' union`).toMatchObject({ missing: 0, duplicates: 0 });
      const fromStream = [...stream.ids.get(s)!].sort((x, y) => x - y);
      expect(idCheck(fromStream), `${s} in the stream`).toMatchObject({ missing: 0, duplicates: 0 });
      expect(fromStream).toEqual(want);
      expect(inConsumer.get(s)).toEqual(want);
    }
    const h = await readConsumerHealth(consumerDir);
    expect(h).toMatchObject({ state: 'consuming', duplicateTicks: 0, badMessages: 0, gaps: { open: 0, filled: 0 } });
  });
});
