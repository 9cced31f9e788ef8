// The reader's time range per symbol comes from the manifest and the upload sidecars: the oldest and newest trade
// of the live tick files (unchanged by compaction) and the first and last uploaded bar.
import { afterAll, describe, expect, it } from 'vitest';
import { importBarsCsv, openStoreReader, openStoreWriter } from '../../src/store';
import { syntheticTicks, tempStoreDir } from './helpers';

const START = Date.UTC(2026, 2, 1, 22, 0, 0);
const store = tempStoreDir('time-ranges');
afterAll(() => store.remove());

describe('reader time ranges', () => {
  it('spans ticks over several flushes and compaction, and uploaded bars, per symbol', async () => {
    const btc = syntheticTicks('BTCUSDT', { start: START, count: 3_000, seed: 1 });
    const eth = syntheticTicks('ETHUSDT', { start: START + 3_600_000, count: 2_000, seed: 2 });
    const reader = await openStoreReader({ dir: store.dir });
    try {
      expect(await reader.timeRanges()).toEqual(new Map());
      const writer = await openStoreWriter({ dir: store.dir, flushIntervalMs: 0, compactIntervalMs: 0 });
      try {
        writer.append(btc.slice(0, 1_000));
        await writer.flush();
        writer.append([...btc.slice(1_000), ...eth]);
        await writer.flush();
        const span = (ticks: typeof btc) => ({ first: ticks[0].tradeTime, last: ticks[ticks.length - 1].tradeTime });
        expect(await reader.timeRanges()).toEqual(new Map([['BTCUSDT', span(btc)], ['ETHUSDT', span(eth)]]));

        // Compaction rewrites the files (L0 → hourly → daily) but not the range.
        expect((await writer.compact(START + 72 * 3_600_000)).inputFiles).toBeGreaterThanOrEqual(2);
        expect(await reader.timeRanges()).toEqual(new Map([['BTCUSDT', span(btc)], ['ETHUSDT', span(eth)]]));
      } finally {
        await writer.close();
      }

      // Uploaded bars: a symbol of its own, and earlier bars of a symbol that has ticks.
      const csv = [
        'timestamp,symbol,open,high,low,close,volume',
        '2026-02-27T00:00:00Z,ALPHAUSDT,1,2,0.5,1.5,10',
        '2026-02-27T00:01:00Z,ALPHAUSDT,1,2,0.5,1.5,10',
        '2026-02-28T12:00:00Z,BTCUSDT,1,2,0.5,1.5,10',
      ].join('\n');
      await importBarsCsv(store.dir, `${csv}\n`, { timeframe: '1m' });
      const ranges = await reader.timeRanges();
      expect(ranges.get('ALPHAUSDT')).toEqual({ first: Date.UTC(2026, 1, 27, 0, 0), last: Date.UTC(2026, 1, 27, 0, 1) });
      expect(ranges.get('BTCUSDT')).toEqual({ first: Date.UTC(2026, 1, 28, 12, 0), last: btc[btc.length - 1].tradeTime });
      expect(ranges.get('ETHUSDT')?.first).toBe(eth[0].tradeTime);
    } finally {
      await reader.close();
    }
  });
});
