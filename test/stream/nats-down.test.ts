// NATS unreachable when the recorder starts: it records into its own store as usual, queues the batches (counted in
// its health), and once a server comes up on that address the queue drains into the stream: every id once.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { StreamPublisher } from '../../src/stream/publisher';
import { fastFeed, idCheck, sleep, storedIds, waitFor } from '../feed/helpers';
import { freePort } from '../support/processes';
import { streamIds } from './helpers';
import { type NatsNode, startNatsServer, stopNode } from './nats-server';

const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('recorder with the stream down', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-down-'));
  let nats: NatsNode | undefined;
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  afterAll(async () => {
    await recorder?.stop().catch(() => undefined);
    await exchange?.close();
    await stopNode(nats);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records locally and queues while NATS is down, then publishes the backlog once', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    exchange = await startSimulatedExchange({ symbols, tradesPerSecond: 300, bursts: false, seed: 17 });
    const recorderDir = path.join(dir, 'recorder');
    recorder = await startRecorder({
      dataDir: recorderDir, symbols, source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl, simulated: true },
      feed: fastFeed, flushIntervalMs: 100, outputs: [new StreamPublisher({ servers: url })],
    });
    await sleep(1_500);
    const down = recorder.health();
    expect(down.state).toBe('recording');
    expect(down.store.storedTicks).toBeGreaterThan(100);
    expect(down.outputs[0]).toMatchObject({ connected: false, sentTicks: 0, droppedTicks: 0 });
    expect(down.outputs[0].queuedTicks).toBeGreaterThan(100);

    nats = await startNatsServer(path.join(dir, 'nats'), port);
    await waitFor(() => { const o = recorder!.health().outputs[0]; return o.connected && o.sentTicks > down.outputs[0].queuedTicks; }, 15_000, 'backlog published', 100);
    await recorder.stop();
    expect(recorder.health().outputs[0]).toMatchObject({ queuedTicks: 0, droppedTicks: 0 });
    const local = await storedIds(recorderDir);
    const stream = await streamIds(url);
    for (const s of symbols) {
      const ids = stream.ids.get(s)!;
      expect(idCheck(ids), s).toMatchObject({ missing: 0, duplicates: 0 });
      expect(ids).toEqual(local.get(s));
    }
  });
});
