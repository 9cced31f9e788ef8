// Shared by the lake tests: whole simulated UTC days of ticks, and the per symbol-day sums both sides must agree on.
import { openStoreWriter, type Tick, type StoreReader } from '../../src/store';
import type { LakeDay, LakeReader } from '../../src/lake';
import type { LakeStorage } from '../../src/lake/lake-storage';
import { readLakeManifest, updateLakeManifest } from '../../src/lake/manifest-update';
import { rng } from '../store/helpers';

export const DAY_MS = 86_400_000;
export const D1 = Date.parse('2026-12-01T00:00:00Z');

/** Ticks of one symbol over one UTC day, dense ids from `firstId`, a trade every 0–2·meanStepMs. */
export function dayTicks(symbol: string, dayStart: number, firstId: number, seed: number, meanStepMs = 4_000): Tick[] {
  const rand = rng(seed);
  const ticks: Tick[] = [];
  let price = 100 + rand() * 50;
  let id = firstId;
  for (let t = dayStart + Math.floor(rand() * meanStepMs); t < dayStart + DAY_MS; t += Math.floor(rand() * 2 * meanStepMs)) {
    price *= 1 + (rand() - 0.5) * 0.002;
    ticks.push({ symbol, aggId: id++, tradeTime: t, price: Math.round(price * 100) / 100, qty: Math.round(rand() * 1000) / 100 + 0.01, isBuyerMaker: rand() < 0.5, recvTime: t + 3 });
  }
  return ticks;
}

/** A store in `dir` holding two whole closed UTC days (D1 and the next) of each symbol, compacted. */
export async function writeClosedDays(dir: string, symbols: readonly string[], meanStepMs = 20_000): Promise<void> {
  const w = await openStoreWriter({ dir, flushIntervalMs: 0, compactIntervalMs: 0 });
  try {
    symbols.forEach((s, i) => {
      const first = dayTicks(s, D1, 1, 11 + i, meanStepMs);
      w.append(first.concat(dayTicks(s, D1 + DAY_MS, first[first.length - 1].aggId + 1, 21 + i, meanStepMs)));
    });
    await w.flush();
    await w.compact(D1 + 2 * DAY_MS + 300_000);
  } finally {
    await w.close();
  }
}

export interface DaySums {
  key: string;
  count: number;
  qty: number;
  pv: number;
  minId: number;
  maxId: number;
}

function toSums(t: { columns: { values: unknown[] }[]; rowCount: number }): DaySums[] {
  const [key, count, qty, pv, minId, maxId] = t.columns.map((c) => c.values);
  return Array.from({ length: t.rowCount }, (_, i) => ({
    key: String(key[i]), count: Number(count[i]), qty: Number(qty[i]), pv: Number(pv[i]), minId: Number(minId[i]), maxId: Number(maxId[i]),
  }));
}

const AGGREGATES = 'count(*), sum(qty), sum(price * qty), min(aggId), max(aggId)';

/** Every symbol-day of the store. */
export async function storeSums(reader: StoreReader): Promise<DaySums[]> {
  return toSums(await reader.query(`SELECT symbol || ' ' || CAST(CAST(epoch_ms(tradeTime) AS DATE) AS VARCHAR) AS key, ${AGGREGATES}
    FROM ticks GROUP BY 1 ORDER BY 1`));
}

export async function lakeSums(lake: LakeReader): Promise<DaySums[]> {
  return toSums(await lake.query(`SELECT symbol || ' ' || CAST(date AS VARCHAR) AS key, ${AGGREGATES} FROM lake_ticks GROUP BY 1 ORDER BY 1`));
}

/** Equal counts and ids; sums equal to 1e-9 relative (summation order may differ). */
export function sameSums(a: readonly DaySums[], b: readonly DaySums[]): boolean {
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return a.length === b.length && a.every((s, i) => s.key === b[i].key && s.count === b[i].count && s.minId === b[i].minId && s.maxId === b[i].maxId
    && close(s.qty, b[i].qty) && close(s.pv, b[i].pv));
}

/** A manifest entry for symbol `S<i>USDT` (no files behind it): for tests of the manifest alone. */
export function fakeDay(i: number): LakeDay {
  const symbol = `S${i}USDT`;
  return {
    symbol, date: '2026-12-01', exportedAt: '',
    ticks: { path: `ticks/symbol=${symbol}/date=2026-12-01/part-x.parquet`, rows: 1, bytes: 1, minId: 1, maxId: 1, minT: 1, maxT: 1 },
    bars1s: { path: `bars_1s/symbol=${symbol}/date=2026-12-01/part-x.parquet`, rows: 1, bytes: 1 },
  };
}

/** Twelve writers adding a day each at the same moment: every one must be in the final manifest. */
export async function concurrentManifestUpdates(storage: LakeStorage): Promise<string[]> {
  await Promise.all(Array.from({ length: 12 }, (_, i) => updateLakeManifest(storage, (m) => { m.days.push(fakeDay(i)); })));
  return (await readLakeManifest(storage)).days.map((d) => d.symbol).sort();
}
