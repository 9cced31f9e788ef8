// Merged files stay sorted by (tradeTime, aggId): hourly files that do not overlap are concatenated in time order,
// and a period with a late tick (a backfilled gap overlapping an earlier file) is sorted.
import { afterAll, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter, type Tick } from '../../src/store';
import { tempStoreDir } from './helpers';

const DAY = Date.UTC(2026, 5, 1);
const HOUR = 3_600_000;
const store = tempStoreDir('merge-order');
afterAll(() => store.remove());

function hourOfTicks(day: number, hour: number, firstId: number, skip?: number): Tick[] {
  const ticks: Tick[] = [];
  for (let i = 0; i < 3_000; i++) {
    if (firstId + i === skip) continue;
    const t = day + hour * HOUR + i * 1_000;
    ticks.push({ symbol: 'ETHUSDT', aggId: firstId + i, tradeTime: t, price: 3_000 + (i % 7), qty: 0.1, isBuyerMaker: i % 2 === 0, recvTime: t });
  }
  return ticks;
}

describe('day merges', () => {
  it('write sorted L3 files with and without overlapping inputs', async () => {
    const writer = await openStoreWriter({ dir: store.dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0, hourCloseDelayMs: 0 });
    const late = 10_500;
    try {
      for (const [day, base] of [[DAY, 0], [DAY + 86_400_000, 100_000]] as const) {
        for (let h = 0; h < 4; h++) {
          // The first day misses one tick of hour 3, delivered after hour 3 was merged.
          writer.append(hourOfTicks(day, h, base + h * 3_000 + 1, base === 0 ? late : undefined));
          await writer.flush();
          await writer.compact(day + (h + 1) * HOUR);
        }
        if (base === 0) {
          writer.append([{ symbol: 'ETHUSDT', aggId: late, tradeTime: DAY + 3 * HOUR + (late - 9_001) * 1_000, price: 1, qty: 1, isBuyerMaker: true, recvTime: 0 }]);
          await writer.flush();
          await writer.compact(day + 5 * HOUR);
        }
        await writer.compact(day + 86_400_000 + HOUR);
      }
    } finally {
      await writer.close();
    }
    const reader = await openStoreReader({ dir: store.dir });
    try {
      for (const date of ['2026-06-01', '2026-06-02']) {
        const r = await reader.query(`SELECT count(*) AS n, count(*) FILTER (WHERE pt IS NOT NULL AND (tradeTime, aggId) < (pt, pa)) AS unsorted FROM (
          SELECT tradeTime, aggId, lag(tradeTime) OVER () AS pt, lag(aggId) OVER () AS pa
          FROM read_parquet('${store.dir}/ticks/ETHUSDT/${date}/L3-*[0-9].parquet'))`);
        expect(r.columns.map((c) => Number(c.values[0])), date).toEqual([12_000, 0]);
      }
    } finally {
      await reader.close();
    }
  });
});
