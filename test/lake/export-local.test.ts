// Export of two simulated UTC days to a lake directory: only closed days that compaction has merged into one file per
// symbol are taken; re-running exports nothing; late ticks re-merge a day and the lake replaces it without ever
// listing it twice; the lake and the store agree on counts, sums and id ranges of every symbol-day.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter, type StoreWriter, type Tick } from '../../src/store';
import { exportToLake, openLake, readLakeManifest } from '../../src/lake';
import { openLakeStorage } from '../../src/lake/lake-storage';
import { parseLakeUri } from '../../src/lake/lake-uri';
import { tempStoreDir } from '../store/helpers';
import { D1, DAY_MS, dayTicks, lakeSums, sameSums, storeSums } from './helpers';

const D2 = D1 + DAY_MS;
const D3 = D2 + DAY_MS;
const SYMBOLS = ['AAAUSDT', 'BBBUSDT'];

let tmp: ReturnType<typeof tempStoreDir>;
beforeAll(() => { tmp = tempStoreDir('lake'); });
afterAll(() => tmp?.remove());

function twoDays(): { day1: Tick[]; day2: Tick[] } {
  const day1: Tick[] = [];
  const day2: Tick[] = [];
  SYMBOLS.forEach((s, i) => {
    const a = dayTicks(s, D1, 1_000 * (i + 1), 11 + i);
    day1.push(...a);
    day2.push(...dayTicks(s, D2, a[a.length - 1].aggId + 1, 21 + i));
  });
  return { day1, day2 };
}

async function appendAndFlush(w: StoreWriter, ticks: readonly Tick[], chunk = 20_000): Promise<void> {
  for (let i = 0; i < ticks.length; i += chunk) {
    w.append(ticks.slice(i, i + chunk));
    await w.flush();
  }
}

describe('lake export to a directory', () => {
  it('exports closed, fully compacted days once, replaces a re-merged day atomically, and matches the store', async () => {
    const data = path.join(tmp.dir, 'store');
    const lakeDir = path.join(tmp.dir, 'lake');
    const { day1, day2 } = twoDays();
    // A hole in AAAUSDT's day 1, backfilled after the day was exported.
    const late = day1.filter((t) => t.symbol === 'AAAUSDT').slice(5_000, 5_100);
    const lateIds = new Set(late.map((t) => t.aggId));
    const w = await openStoreWriter({ dir: data, flushIntervalMs: 0, compactIntervalMs: 0 });
    try {
      const day2FirstHalf = day2.filter((t) => t.tradeTime < D2 + DAY_MS / 2);
      await appendAndFlush(w, [...day1.filter((t) => !(t.symbol === 'AAAUSDT' && lateIds.has(t.aggId))), ...day2FirstHalf]);
      await w.compact(D2 + DAY_MS / 2);

      // Day 1 is closed and merged; day 2 has not ended.
      const first = await exportToLake({ data, lake: lakeDir, now: D2 + DAY_MS / 2 });
      expect(first.failed).toEqual([]);
      expect(first.exported.map((d) => `${d.symbol} ${d.date}`)).toEqual(['AAAUSDT 2026-12-01', 'BBBUSDT 2026-12-01']);

      // Day 2 ended, but its hours are still separate L2/L1 files (compaction ran before the day closed): nothing of it.
      await appendAndFlush(w, day2.filter((t) => t.tradeTime >= D2 + DAY_MS / 2));
      await w.compact(D3 - 1_800_000);
      const pending = await exportToLake({ data, lake: lakeDir, now: D3 + 300_000 });
      expect(pending.exported).toEqual([]);
      expect(pending.upToDate).toBe(2);

      await w.compact(D3 + 300_000);
      const second = await exportToLake({ data, lake: lakeDir, now: D3 + 300_000 });
      expect(second.exported.map((d) => `${d.symbol} ${d.date}`)).toEqual(['AAAUSDT 2026-12-02', 'BBBUSDT 2026-12-02']);
      const again = await exportToLake({ data, lake: lakeDir, now: D3 + 300_000 });
      expect(again).toMatchObject({ exported: [], upToDate: 4, replaced: 0 });

      const lake = await openLake(lakeDir);
      const store = await openStoreReader({ dir: data });
      try {
        expect(sameSums(await lakeSums(lake), await storeSums(store))).toBe(true);
        const bars = await lake.query('SELECT symbol, CAST(date AS VARCHAR) AS date, CAST(sum(trades) AS DOUBLE) AS trades FROM lake_bars_1s GROUP BY ALL ORDER BY ALL');
        expect(bars.columns[2].values).toEqual((await lakeSums(lake)).map((s) => s.count));

        // The backfill lands in an L0 file: day 1 of AAAUSDT is busy again and not exported until re-merged.
        w.append(late);
        await w.flush();
        expect((await exportToLake({ data, lake: lakeDir, now: D3 + 600_000 })).exported).toEqual([]);
        await w.compact(D3 + 600_000);

        const before = (await readLakeManifest(openLakeStorage(parseLakeUri(lakeDir)))).days.find((d) => d.symbol === 'AAAUSDT' && d.date === '2026-12-01')!;
        const full = day1.filter((t) => t.symbol === 'AAAUSDT').length;
        const seen = new Set<number>();
        let polling = true;
        const poller = (async () => {
          while (polling) {
            const r = await lake.query("SELECT count(*)::DOUBLE FROM lake_ticks WHERE symbol = 'AAAUSDT' AND date = DATE '2026-12-01'");
            seen.add(Number(r.columns[0].values[0]));
          }
        })();
        const redo = await exportToLake({ data, lake: lakeDir, now: D3 + 600_000 });
        await new Promise((r) => setTimeout(r, 200));
        polling = false;
        await poller;
        expect(redo).toMatchObject({ replaced: 1, upToDate: 3 });
        expect([...seen].every((n) => n === full - late.length || n === full)).toBe(true);
        expect(seen.has(full)).toBe(true);

        // The replaced part stays for running readers until the grace period ends, then goes.
        const m = await readLakeManifest(openLakeStorage(parseLakeUri(lakeDir)));
        expect(m.days.filter((d) => d.symbol === 'AAAUSDT' && d.date === '2026-12-01')).toHaveLength(1);
        expect(m.tombstones?.map((t) => t.path)).toEqual([before.ticks.path, before.bars1s.path]);
        expect(existsSync(path.join(lakeDir, before.ticks.path))).toBe(true);
        const cleaned = await exportToLake({ data, lake: lakeDir, now: D3 + 600_000, graceMs: 0 });
        expect(cleaned).toMatchObject({ exported: [], deletedParts: 2 });
        expect(existsSync(path.join(lakeDir, before.ticks.path))).toBe(false);
        expect(sameSums(await lakeSums(lake), await storeSums(store))).toBe(true);
      } finally {
        await lake.close();
        await store.close();
      }
    } finally {
      await w.close();
    }
  });

  it('an export racing the compaction of a day takes the day whole or not at all', async () => {
    const data = path.join(tmp.dir, 'race-store');
    const lakeDir = path.join(tmp.dir, 'race-lake');
    const { day1 } = twoDays();
    const w = await openStoreWriter({ dir: data, flushIntervalMs: 0, compactIntervalMs: 0 });
    try {
      await appendAndFlush(w, day1, 2_000);
      const counts = new Map(SYMBOLS.map((s) => [s, day1.filter((t) => t.symbol === s).length]));
      let compacting = true;
      const compaction = w.compact(D2 + 300_000).finally(() => { compacting = false; });
      const exported: { symbol: string; rows: number }[] = [];
      let runs = 0;
      while (compacting || runs === 0) {
        const r = await exportToLake({ data, lake: lakeDir, now: D2 + 300_000 });
        expect(r.failed).toEqual([]);
        exported.push(...r.exported.map((d) => ({ symbol: d.symbol, rows: d.ticks.rows })));
        runs++;
      }
      await compaction;
      const last = await exportToLake({ data, lake: lakeDir, now: D2 + 300_000 });
      exported.push(...last.exported.map((d) => ({ symbol: d.symbol, rows: d.ticks.rows })));
      expect(runs).toBeGreaterThan(1);
      expect(exported.sort((a, b) => a.symbol.localeCompare(b.symbol))).toEqual(SYMBOLS.map((s) => ({ symbol: s, rows: counts.get(s) })));
    } finally {
      await w.close();
    }
  });
});
