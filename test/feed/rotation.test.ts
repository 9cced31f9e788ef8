// The 24 h connection limit on an accelerated clock shared by the exchange and the recorder (1 real ms =
// 20 simulated s): the recorder opens a replacement before 24 h (here at 20 h), dedups the overlap, and stores every id once.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceleratedClock } from '../../src/feed/clock';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { type SimulatedExchange, startSimulatedExchange } from '../../src/feed/sim/exchange';
import { idCheck, storedIds, waitFor } from './helpers';

const hour = 3_600_000;
const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'AVAXUSDT'];

describe('24 h rotation', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-rotation-'));
  let exchange: SimulatedExchange | undefined;
  let recorder: Recorder | undefined;
  afterAll(async () => {
    await recorder?.stop();
    await exchange?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rotates before the exchange closes at 24 h, twice in 50 simulated hours, with zero gaps and zero duplicates', async () => {
    const factor = 20_000;
    const clock = acceleratedClock(factor);
    const started = clock.now();
    // 0.02 trades per simulated second is 400 per real second.
    exchange = await startSimulatedExchange({
      symbols, clock, tradesPerSecond: 0.02, bursts: false, seed: 8,
      pingIntervalMs: 3 * 60_000, pongTimeoutMs: 12 * hour, maxConnectionAgeMs: 24 * hour,
    });
    recorder = await startRecorder({
      dataDir: dir, symbols, clock, streams: ['aggTrade'], source: { wsUrl: exchange.wsUrl, restUrl: exchange.restUrl },
      // Rotating at 20 h leaves 4 simulated hours (720 real ms) of margin before the exchange's 24 h close on a busy machine.
      feed: { staleTimeoutMs: 10 * hour, maxOverlapMs: 3 * hour, rotateAfterMs: 20 * hour, backoff: { initialMs: 1_000, maxMs: 60_000, jitter: 0.2 } },
      healthIntervalMs: 0,
    });
    await waitFor(() => clock.now() - started >= 50 * hour && recorder!.health().rotations >= 2, 30_000, '50 simulated hours and 2 rotations', 50);
    const h = recorder.health();
    const st = exchange.stats();
    await recorder.stop();
    recorder = undefined;

    expect(h.rotations).toBe(2);
    // The exchange never had to enforce its limit: the recorder always moved first.
    expect(st.lifetimeCloses).toBe(0);
    expect(st.connectionsOpened).toBe(3);
    expect(h.reconnects).toBe(0);
    expect(h.gaps).toMatchObject({ open: 0, filled: 0, abandoned: 0 });
    // Both connections delivered the overlap; the copies were dropped.
    expect(h.duplicatesDropped).toBeGreaterThan(0);
    const ids = await storedIds(dir);
    for (const s of symbols) {
      const check = idCheck(ids.get(s) ?? []);
      expect({ s, missing: check.missing, duplicates: check.duplicates }).toEqual({ s, missing: 0, duplicates: 0 });
      expect(check.count).toBeGreaterThan(100);
    }
  }, 60_000);
});
