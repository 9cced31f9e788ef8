// The writer replaces its DuckDB instances every so many flushes and compaction passes (DuckDB's eviction queues keep
// the handles of past queries' buffers until they are purged). Nothing is lost across a renewal, and a renewal that
// fails leaves the instance in use working.
import { afterAll, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter } from '../../src/store';
import { WriterEngine } from '../../src/store/engine';
import { syntheticTicks, tempStoreDir } from './helpers';

const START = Date.UTC(2026, 4, 2, 0, 0, 0);
const store = tempStoreDir('engine-renewal');
afterAll(() => store.remove());

describe('renewed DuckDB instances of the store writer', () => {
  it('store every tick across 650 flushes (one flush-engine renewal) and 13 compaction passes (one compaction-engine renewal)', async () => {
    const ticks = [...syntheticTicks('BTCUSDT', { start: START, count: 1_300, seed: 3 }), ...syntheticTicks('ETHUSDT', { start: START, count: 1_300, seed: 4 })];
    const writer = await openStoreWriter({ dir: store.dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0, hourCloseDelayMs: 0 });
    try {
      for (let f = 0; f < 650; f++) {
        writer.append([ticks[2 * f], ticks[1_300 + 2 * f], ticks[2 * f + 1], ticks[1_300 + 2 * f + 1]]);
        await writer.flush();
        if (f % 50 === 49) await writer.compact(ticks[2 * f + 1].tradeTime);
      }
      expect(await writer.duckdbMemoryBytes()).toBeLessThan(1.5 * 1024 * 1024);
    } finally {
      await writer.close();
    }
    const reader = await openStoreReader({ dir: store.dir });
    try {
      const t = await reader.query('SELECT symbol, count(*) AS n, count(DISTINCT aggId) AS ids, min(aggId) AS lo, max(aggId) AS hi FROM ticks GROUP BY symbol ORDER BY symbol');
      expect(t.columns.map((c) => c.values)).toEqual([['BTCUSDT', 'ETHUSDT'], [1_300, 1_300], [1_300, 1_300], [0, 0], [1_299, 1_299]]);
    } finally {
      await reader.close();
    }
  });

  it('keep the instance in use when a fresh one cannot be made ready', async () => {
    const engine = await WriterEngine.open({ memoryMb: 64, threads: 1, tempDirectory: store.dir }, 2);
    try {
      await engine.conn.run('CREATE TEMP TABLE kept AS SELECT 42 AS answer');
      expect(await engine.recycleIfDue(async () => 'unused')).toBeNull();
      await expect(engine.recycleIfDue(async () => { throw new Error('prepare failed'); })).rejects.toThrow('prepare failed');
      expect((await engine.conn.runAndReadAll('SELECT answer FROM kept')).getRows()).toEqual([[42]]);
      expect(await engine.recycleIfDue(async () => 'unused')).toBeNull();
      expect(await engine.recycleIfDue(async (conn) => (await conn.runAndReadAll('SELECT 7')).getRows()[0][0])).toBe(7);
      await expect(engine.conn.run('SELECT answer FROM kept')).rejects.toThrow(/kept/);
    } finally {
      engine.close();
    }
  });
});
