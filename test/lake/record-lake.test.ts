// `record --lake`: a recorder on a simulated exchange whose clock crosses midnight exports the closed day once
// compaction has merged it, and the lake matches the store; an unreachable lake shows in the recorder's health while
// recording goes on.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceleratedClock } from '../../src/feed/clock';
import { type Recorder, startRecorder } from '../../src/feed/recorder';
import { openStoreReader } from '../../src/store';
import { LakeOutput, openLake } from '../../src/lake';
import { freePort } from '../support/processes';
import { waitFor } from '../store/compiled-store';
import { tempStoreDir } from '../store/helpers';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

let tmp: ReturnType<typeof tempStoreDir>;
beforeAll(() => { tmp = tempStoreDir('record-lake'); });
afterAll(() => tmp?.remove());

describe('record --lake', () => {
  it('exports the day that ended once it is compacted, equal to the store, and keeps recording when the lake is down', async () => {
    // 1 wall second = 1 simulated minute: midnight comes after ~2 s, the day closes a simulated minute later.
    const clock = acceleratedClock(60, Date.parse('2026-12-01T23:58:00Z'));
    const dataDir = path.join(tmp.dir, 'data');
    const lakeDir = path.join(tmp.dir, 'lake');
    const lake = new LakeOutput({ data: dataDir, lake: lakeDir, now: () => clock.now(), intervalMs: 500, firstPassMs: 500 });
    const down = new LakeOutput({
      data: dataDir, lake: 's3://lake/x', now: () => clock.now(), intervalMs: 500, firstPassMs: 200,
      s3: { endpoint: `http://127.0.0.1:${await freePort()}`, accessKeyId: 'k', secretAccessKey: 's' },
    });
    let recorder: Recorder | undefined;
    try {
      recorder = await startRecorder({
        dataDir, symbols: SYMBOLS, source: 'simulated', clock, simulatedExchange: { tradesPerSecond: 10, seed: 5 },
        store: { compactIntervalMs: 1_000 }, outputs: [lake, down], healthIntervalMs: 0,
      });
      await waitFor('both symbols of 2026-12-01 in the lake', 40_000, () => (lake.exportedDays >= SYMBOLS.length ? true : undefined));
      const h = recorder.health();
      expect(h.outputs.find((o) => o.name.startsWith(`lake ${lakeDir}`))).toMatchObject({ connected: true, lastError: null });
      expect(h.outputs.find((o) => o.name === 'lake s3://lake/x')?.lastError).toMatch(/lake: export failed, retried on the next pass: .*cannot reach the S3 endpoint/);
      const stored = h.store.storedTicks;
      await waitFor('recording to go on', 10_000, () => (recorder!.health().store.storedTicks > stored ? true : undefined));
    } finally {
      await recorder?.stop();
    }
    const reader = await openLake(lakeDir);
    const store = await openStoreReader({ dir: dataDir });
    try {
      expect(reader.days().map((d) => `${d.symbol} ${d.date}`)).toEqual(SYMBOLS.map((s) => `${s} 2026-12-01`));
      const perDay = 'count(*)::DOUBLE AS n, min(aggId)::DOUBLE AS lo, max(aggId)::DOUBLE AS hi';
      const fromLake = await reader.query(`SELECT symbol, ${perDay} FROM lake_ticks GROUP BY 1 ORDER BY 1`);
      const fromStore = await store.query(`SELECT symbol, ${perDay} FROM ticks WHERE tradeTime < $1 GROUP BY 1 ORDER BY 1`, [Date.parse('2026-12-02T00:00:00Z')]);
      expect(fromLake.columns.map((c) => c.values)).toEqual(fromStore.columns.map((c) => c.values));
      expect(fromLake.columns[1].values.every((n) => Number(n) > 0)).toBe(true);
    } finally {
      await reader.close();
      await store.close();
    }
  });
});
