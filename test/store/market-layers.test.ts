// The market-data layers beside ticks: quotes (with one-second rollups), mark prices and funding events round-trip
// through flush, compaction (L0 → L1 → L3) and a writer restart, each row once; the query views read them.
import { afterEach, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter, type QuoteRow, type StoreWriter } from '../../src/store';
import { readManifest } from '../../src/store/manifest';
import { tempStoreDir } from './helpers';

const DAY = Date.UTC(2026, 11, 1);
const HOUR = 3_600_000;

function quotes(symbol: string, start: number, count: number, stepMs: number, firstId: number): QuoteRow[] {
  return Array.from({ length: count }, (_, i) => {
    const bid = 100 + (i % 7) * 0.1;
    return { symbol, updateId: firstId + i, eventTime: start + i * stepMs, txTime: start + i * stepMs - 1, bid, bidQty: 1 + i, ask: bid + 0.1 * (1 + (i % 3)), askQty: 2, recvTime: start + i * stepMs + 5 };
  });
}

describe('market-data layers', () => {
  let writer: StoreWriter | undefined;
  let store: ReturnType<typeof tempStoreDir> | undefined;
  afterEach(async () => {
    await writer?.close();
    writer = undefined;
    store?.remove();
  });

  it('stores quotes, marks and funding once each, through compaction and a restart', async () => {
    store = tempStoreDir('market-layers');
    const dir = store.dir;
    writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0, hourCloseDelayMs: 0 });
    // Two hours of quotes for two symbols, one every 500 ms.
    const all = [...quotes('BTCUSDT', DAY, 14_400, 500, 1_000), ...quotes('ETHUSDT', DAY + 250, 14_400, 500, 50_000)];
    // The sequence dedup: appending in id order per symbol, then the same rows again.
    const btc = all.filter((q) => q.symbol === 'BTCUSDT');
    const eth = all.filter((q) => q.symbol === 'ETHUSDT');
    writer.appendQuotes(btc.slice(0, 7_200));
    await writer.flush();
    expect(writer.appendQuotes(btc.slice(0, 7_200))).toEqual({ accepted: 0, duplicates: 7_200 });
    writer.appendQuotes(btc.slice(7_200));
    writer.appendQuotes(eth);
    const marks = Array.from({ length: 7_200 }, (_, i) => ({ symbol: 'BTCUSDT', eventTime: DAY + i * 1000, markPrice: 100 + i / 1000, indexPrice: 99.9, estimatedSettlePrice: 99.95, fundingRate: 0.0001, nextFundingTime: DAY + 8 * HOUR, recvTime: DAY + i * 1000 + 3 }));
    writer.appendMarks(marks);
    const funding = [0, 1, 2].map((k) => ({ symbol: 'BTCUSDT', fundingTime: DAY - k * 8 * HOUR, fundingRate: 0.0001 * (k + 1), markPrice: 100, recvTime: DAY }));
    expect(writer.appendFunding([...funding].reverse())).toEqual({ accepted: 3, duplicates: 0 });
    expect(writer.appendFunding(funding)).toEqual({ accepted: 0, duplicates: 3 });
    await writer.flush();

    const check = async (): Promise<void> => {
      const r = await openStoreReader({ dir });
      try {
        const q = await r.quotes({ symbol: 'BTCUSDT' });
        expect(q.updateId.length).toBe(14_400);
        expect(q.updateId[0]).toBe(1_000);
        expect(q.updateId[14_399]).toBe(15_399);
        expect([...q.bid.slice(0, 3)]).toEqual([100, 100.1, 100.2]);
        const window = await r.quotes({ symbol: 'ETHUSDT', from: DAY + HOUR, to: DAY + HOUR + 10_000 });
        expect(window.eventTime.length).toBe(20);
        // Quotes every 500 ms: the first stands 500 ms at spread s0, the second 500 ms at s1.
        const s = await r.quotes1s({ symbol: 'BTCUSDT', from: DAY, to: DAY + 3_000 });
        expect([...s.time]).toEqual([DAY, DAY + 1000, DAY + 2000]);
        expect(s.spreadTw[0]).toBeCloseTo((0.1 + 0.2) / 2, 10);
        expect(s.spreadTw[1]).toBeCloseTo((0.3 + 0.1) / 2, 10);
        expect(s.bid[1]).toBeCloseTo(100.3, 10);
        expect([...s.quotes]).toEqual([2, 2, 2]);
        const m = await r.marks({ symbol: 'BTCUSDT', from: DAY + 1000, to: DAY + 4000 });
        expect([...m.markPrice]).toEqual([100.001, 100.002, 100.003]);
        const f = await r.funding({ symbol: 'BTCUSDT' });
        expect([...f.fundingTime]).toEqual([DAY - 16 * HOUR, DAY - 8 * HOUR, DAY]);
        const t = await r.query('SELECT (SELECT count(*) FROM quotes) AS q, (SELECT count(*) FROM quotes_1s) AS s, (SELECT count(*) FROM mark) AS m, (SELECT count(*) FROM funding) AS f');
        expect(t.columns.map((c) => c.values[0])).toEqual([28_800, 14_400, 7_200, 3]);
      } finally {
        await r.close();
      }
    };
    await check();
    await writer.compact(DAY + 3 * 86_400_000);
    const m = readManifest(dir, 'manifest-quotes.json');
    expect(m.files.map((f) => f.level)).toEqual([3, 3]);
    expect(m.files.every((f) => f.rollup?.endsWith('.quotes1s.parquet'))).toBe(true);
    await check();
    await writer.close();
    writer = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0, hourCloseDelayMs: 0 });
    expect(writer.layerHighWaterMarks('quotes').get('ETHUSDT')?.aggId).toBe(64_399);
    expect(writer.appendQuotes(eth.slice(-10))).toEqual({ accepted: 0, duplicates: 10 });
    expect(writer.appendFunding(funding)).toEqual({ accepted: 0, duplicates: 3 });
    await writer.flush();
    await check();
  }, 60_000);
});
