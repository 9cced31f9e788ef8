// Memory the store's DuckDB instances hold stays bounded however many files they read. DuckDB's external file
// cache (on by default) kept the bytes of every Parquet file compaction had read, deleted files too, so a recorder
// grew by ~5–10 MB a minute; its memory_limit (80 % of RAM by default) never made it let go.
import { afterAll, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter } from '../../src/store';
import { syntheticTicks, tempStoreDir } from './helpers';

const START = Date.UTC(2026, 4, 1, 0, 0, 0);
const store = tempStoreDir('duckdb-memory-bound');
afterAll(() => store.remove());

describe('DuckDB memory of the store', () => {
  it('does not grow with compaction passes, and readers run with a memory limit and no file cache', async () => {
    const ticks = syntheticTicks('BTCUSDT', { start: START, count: 60_000, seed: 7 });
    const writer = await openStoreWriter({ dir: store.dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0, hourCloseDelayMs: 0 });
    const held: number[] = [];
    try {
      for (let pass = 0; pass < 30; pass++) {
        for (let f = 0; f < 4; f++) {
          writer.append(ticks.slice((pass * 4 + f) * 500, (pass * 4 + f + 1) * 500));
          await writer.flush();
        }
        await writer.compact(ticks[(pass + 1) * 2_000 - 1].tradeTime);
        held.push(await writer.duckdbMemoryBytes());
      }
    } finally {
      await writer.close();
    }
    // With the cache on, the compaction instance held 7.0 MB after these 30 passes, and more with every pass.
    expect(Math.max(...held)).toBeLessThan(1.5 * 1024 * 1024);

    const reader = await openStoreReader({ dir: store.dir, memoryMb: 200 });
    try {
      const settings = await reader.query(`SELECT current_setting('memory_limit') AS memory, current_setting('enable_external_file_cache') AS cache,
        (SELECT count(*) FROM ticks) AS n`);
      expect(settings.columns.map((c) => c.values[0])).toEqual(['200.0 MiB', false, 60_000]);
    } finally {
      await reader.close();
    }
  });

  it('refuses a budget too small for a flush', async () => {
    await expect(openStoreWriter({ dir: store.dir, memoryMb: 100 })).rejects.toThrow(/memoryMb must be a number of MiB ≥ 128/);
  });
});
