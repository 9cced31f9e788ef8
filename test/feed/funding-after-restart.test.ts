// Funding after a restart: a recorder stopped for a simulated day and started again fetches the settlements it missed
// from its newest stored event on, so the store holds every 8 h event once, across the downtime.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceleratedClock } from '../../src/feed/clock';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { FUNDING_INTERVAL_MS } from '../../src/feed/sim/market-data';
import { openStoreReader } from '../../src/store';
import { waitFor } from './helpers';

const HOUR = 3_600_000;
const symbols = ['BTCUSDT', 'ETHUSDT'];

describe('funding across a restart', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feed-funding-restart-'));
  let recorder: Recorder | undefined;
  afterAll(async () => {
    await recorder?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(startMs: number, fundingHistoryDays: number): Promise<number> {
    const clock = acceleratedClock(3_600, startMs);
    recorder = await startRecorder({
      dataDir: dir, symbols, source: 'simulated', clock, fundingHistoryDays, healthIntervalMs: 0,
      simulatedExchange: { tradesPerSecond: 0.02, bursts: false, pongTimeoutMs: 100 * HOUR },
      feed: { staleTimeoutMs: HOUR },
    });
    const r = recorder;
    // Past the next settlement, then until it is stored.
    const next = (Math.floor(startMs / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
    await waitFor(() => symbols.every((s) => (r.health().funding?.newest[s] ?? 0) >= next), 20_000, 'the next settlement fetched');
    await r.stop();
    recorder = undefined;
    return next;
  }

  it('stores every funding event once from the first history to the last settlement', async () => {
    const t0 = Date.UTC(2026, 11, 1, 5, 0, 0);
    await run(t0, 2);
    // A simulated day and a half later; the exchange's history covers the downtime.
    const last = await run(t0 + 36 * HOUR, 30);
    const reader = await openStoreReader({ dir });
    try {
      for (const symbol of symbols) {
        const times = [...(await reader.funding({ symbol })).fundingTime];
        expect(times[0], symbol).toBe(Math.floor(t0 / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS - 5 * FUNDING_INTERVAL_MS);
        expect(times.at(-1), symbol).toBeGreaterThanOrEqual(last);
        for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1], `${symbol} ${i}`).toBe(FUNDING_INTERVAL_MS);
      }
    } finally {
      await reader.close();
    }
  }, 60_000);
});
