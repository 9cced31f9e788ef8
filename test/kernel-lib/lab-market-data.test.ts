// The notebook API reads recorded market data like bars: lab.quotes, lab.quotes1s, lab.mark and lab.funding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLab } from '../../kernel-lib/src/session/lab';
import { openStoreWriter } from '../../src/store';

const T0 = Date.UTC(2026, 11, 6);

describe('lab market data', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lab-market-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads quotes, one-second quotes, mark prices and funding events by symbol and time window', async () => {
    const w = await openStoreWriter({ dir: dataDir, flushIntervalMs: 0, compactIntervalMs: 0 });
    w.appendQuotes([0, 400, 1_000, 1_500].map((dt, i) => ({ symbol: 'ETHUSDT', updateId: 10 + i, eventTime: T0 + dt, txTime: T0 + dt, bid: 100, bidQty: 1, ask: 100 + 0.01 * (i + 1), askQty: 1, recvTime: T0 + dt })));
    w.appendMarks([{ symbol: 'ETHUSDT', eventTime: T0, markPrice: 100.005, indexPrice: 100, estimatedSettlePrice: 100, fundingRate: -0.0002, nextFundingTime: T0 + 8 * 3_600_000, recvTime: T0 }]);
    w.appendFunding([{ symbol: 'ETHUSDT', fundingTime: T0 - 8 * 3_600_000, fundingRate: 0.0001, markPrice: 99.5, recvTime: T0 }, { symbol: 'ETHUSDT', fundingTime: T0, fundingRate: -0.0003, markPrice: 100, recvTime: T0 }]);
    await w.close();
    const lab = await openLab({ dataDir });
    try {
      expect([...(await lab.quotes('ETHUSDT', { from: T0 + 400 })).updateId]).toEqual([11, 12, 13]);
      const s = await lab.quotes1s('ETHUSDT');
      expect([...s.time]).toEqual([T0, T0 + 1_000]);
      expect(s.spreadTw[0]).toBeCloseTo(0.01 * 0.4 + 0.02 * 0.6, 10);
      expect(s.ask[1]).toBeCloseTo(100.04, 10);
      expect([...(await lab.mark('ETHUSDT')).fundingRate]).toEqual([-0.0002]);
      const f = await lab.funding('ETHUSDT', { from: T0 - 1, to: T0 + 1 });
      expect({ time: [...f.fundingTime], rate: [...f.fundingRate], mark: [...f.markPrice] }).toEqual({ time: [T0], rate: [-0.0003], mark: [100] });
      expect((await lab.funding('BTCUSDT')).fundingTime.length).toBe(0);
    } finally {
      await lab.close();
    }
  }, 30_000);
});
