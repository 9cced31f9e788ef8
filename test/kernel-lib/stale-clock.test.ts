// The stale-data alert compares "now" with bar times, which are the exchange's times: a view judges it on the
// exchange's clock (this machine's time plus the offset the recorder measured), not on this machine's clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRecorder } from '../../src/feed';
import { PairView } from '../../kernel-lib/src/analysis/pairView';
import { openLab } from '../../kernel-lib/src/session/lab';
import { GrowingPairStore, T0, TF } from './support/growingPairStore';

async function staleAlertsAt(exchangeNow: number): Promise<string[]> {
  const store = new GrowingPairStore(400);
  store.publish(300);
  const fired: string[] = [];
  const view = await PairView.load(
    store, 'YUSDT', 'XUSDT', { timeframe: '1s', maxBars: 300, window: 20, hedge: 'ols', hedgeWindow: 40, alerts: { staleSeconds: 10 } },
    async (events) => { for (const e of events) fired.push(`${e.rule} ${e.value}`); },
    () => exchangeNow,
  );
  await view.refresh();
  return fired.filter((f) => f.startsWith('stale'));
}

describe('stale-data alert clock', () => {
  // the newest bar (index 299) ends at T0 + 300 s on the exchange's clock
  const newestBarEnd = T0 + 300 * TF;

  it('fires when the data is older than the limit on the exchange clock', async () => {
    expect(await staleAlertsAt(newestBarEnd + 12_000)).toEqual(['stale 12000']);
  });

  it('does not fire when only this machine\'s clock says so (the exchange clock is 5 s behind it)', async () => {
    // local time newestBarEnd + 12 s, exchange time 5 s earlier: the data is 7 s old, under the 10 s limit
    expect(await staleAlertsAt(newestBarEnd + 12_000 - 5_000)).toEqual([]);
  });
});

describe('a lab\'s exchange clock', () => {
  it('is this machine\'s time plus the offset its recorder measured against the exchange (+3 s skew)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pairs-lab-clock-'));
    // a recorder on this store whose (simulated) exchange runs 3 s ahead of this machine; the lab attaches to it
    const recorder = await startRecorder({ dataDir, symbols: ['BTCUSDT', 'ETHUSDT'], source: 'simulated', simulatedExchange: { clockSkewMs: 3_000 } });
    const lab = await openLab({ dataDir });
    try {
      let health = await lab.health();
      for (let i = 0; i < 40 && typeof health.clockOffsetMs !== 'number'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        health = await lab.health();
      }
      expect(health.state).toBe('attached');
      expect(health.clockOffsetMs).toBeGreaterThan(2_950);
      expect(health.clockOffsetMs).toBeLessThan(3_050);
      const gap = lab.exchangeNow() - Date.now();
      expect(gap).toBeGreaterThan(2_950);
      expect(gap).toBeLessThan(3_050);
    } finally {
      await lab.close();
      await recorder.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
