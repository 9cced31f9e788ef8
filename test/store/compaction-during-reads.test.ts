// Compaction while a reader polls: every poll sees each tick exactly once (no gap, no duplicate, never fewer
// than before), bars agree with counts, files past their grace are deleted, closed hours become one L2 file and
// closed days one L3 file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter, type StoreReader, type Tick } from '../../src/store';
import { readManifest } from '../../src/store/manifest';
import { listFilesRecursive } from '../../src/store/fs-atomic';
import { syntheticTicks, tempStoreDir } from './helpers';

const SYMBOLS = ['AAAUSDT', 'BBBUSDT'];
const START = Date.UTC(2026, 6, 1, 10, 20, 0);
const GRACE_MS = 1500;

let store: ReturnType<typeof tempStoreDir>;
beforeAll(() => { store = tempStoreDir('compact'); });
afterAll(() => store?.remove());

interface Counts { n: number; d: number; lo: number; hi: number }

async function counts(r: StoreReader, symbol: string): Promise<Counts> {
  const t = await r.query('SELECT count(*) AS n, count(DISTINCT aggId) AS d, coalesce(min(aggId), 0) AS lo, coalesce(max(aggId), -1) AS hi FROM ticks WHERE symbol = $1', [symbol]);
  const [n, d, lo, hi] = t.columns.map((c) => c.values[0] as number);
  return { n, d, lo, hi };
}

describe('compaction during reads', () => {
  it('never shows a gap or a duplicate, merges closed hours, and ends with one file per symbol-day', async () => {
    const ticks: Tick[] = SYMBOLS.flatMap((s, i) => syntheticTicks(s, { start: START, count: 24_000, seed: 30 + i }))
      .sort((a, b) => a.tradeTime - b.tradeTime);
    const hours = new Set(ticks.map((t) => Math.floor(t.tradeTime / 3_600_000)));
    expect(hours.size).toBeGreaterThanOrEqual(3);

    const writer = await openStoreWriter({ dir: store.dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: GRACE_MS, hourCloseDelayMs: 0 });
    const reader = await openStoreReader({ dir: store.dir });
    let writing = true;
    const problems: string[] = [];
    let polls = 0;
    let deletedDuringReads = 0;

    const poll = async () => {
      const last = new Map<string, number>();
      while (writing) {
        for (const symbol of SYMBOLS) {
          const before = await counts(reader, symbol);
          const bars = await reader.bars({ symbol, timeframe: '1m' });
          const after = await counts(reader, symbol);
          const barTrades = bars.trades.reduce((a, b) => a + b, 0);
          if (before.n !== before.d) problems.push(`duplicates in ${symbol}: ${JSON.stringify(before)}`);
          if (before.n > 0 && (before.lo !== 0 || before.hi !== before.n - 1)) problems.push(`gap in ${symbol}: ${JSON.stringify(before)}`);
          if (before.n < (last.get(symbol) ?? 0)) problems.push(`count of ${symbol} fell to ${before.n}`);
          if (barTrades < before.n || barTrades > after.n) problems.push(`1m bars of ${symbol} hold ${barTrades} trades, counts ${before.n}..${after.n}`);
          last.set(symbol, after.n);
        }
        polls++;
      }
    };
    const polling = poll();

    let flushes = 0;
    let sawL2 = false;
    for (let i = 0; i < ticks.length; i += 1000) {
      writer.append(ticks.slice(i, i + 1000));
      await writer.flush();
      if (++flushes % 4 === 0) {
        const stats = await writer.compact(ticks[Math.min(i + 999, ticks.length - 1)].tradeTime);
        deletedDuringReads += stats.deletedFiles;
        sawL2 ||= readManifest(store.dir).files.some((f) => f.level === 2);
      }
      await new Promise((r) => setTimeout(r, 25)); // let the reader interleave
    }
    await writer.compact(START + 48 * 3_600_000);
    await new Promise((r) => setTimeout(r, GRACE_MS + 100));
    deletedDuringReads += (await writer.compact(START + 48 * 3_600_000)).deletedFiles;
    writing = false;
    await polling;

    expect(problems).toEqual([]);
    expect(polls).toBeGreaterThan(10);
    expect(deletedDuringReads).toBeGreaterThan(20);

    const m = readManifest(store.dir);
    expect(m.tombstones).toEqual([]);
    expect(sawL2).toBe(true);
    expect(m.files.map((f) => `${f.level} ${Object.keys(f.symbols).join()} ${new Date(f.hour ?? 0).toISOString()}`).sort())
      .toEqual(SYMBOLS.map((s) => `3 ${s} 2026-07-01T00:00:00.000Z`));
    expect(listFilesRecursive(`${store.dir}/ticks`).map((p) => `ticks/${p}`).sort()).toEqual(m.files.flatMap((f) => [f.path, f.rollup as string]).sort());
    for (const symbol of SYMBOLS) expect(await counts(reader, symbol)).toEqual({ n: 24_000, d: 24_000, lo: 0, hi: 23_999 });

    await reader.close();
    await writer.close();
  }, 120_000);
});

describe('compaction over several days', () => {
  it('keeps one L3 file per closed symbol-day, one file per closed hour of the open day, and bars equal the reference', async () => {
    const { referenceBars, closeTo } = await import('./helpers');
    const dir = tempStoreDir('days');
    try {
      // About 2.6 days of sparse trades (one every ~75 s).
      const ticks = syntheticTicks('DAYUSDT', { start: Date.UTC(2026, 6, 3, 20, 0, 0), count: 3000, seed: 77 })
        .map((t, i) => ({ ...t, tradeTime: t.tradeTime + i * 75_000, recvTime: t.recvTime + i * 75_000 }));
      const writer = await openStoreWriter({ dir: dir.dir, flushIntervalMs: 0, compactIntervalMs: 0, graceMs: 0, hourCloseDelayMs: 0 });
      for (let i = 0; i < ticks.length; i += 100) {
        writer.append(ticks.slice(i, i + 100));
        await writer.flush();
        if (i % 500 === 0) await writer.compact(ticks[i + 99].tradeTime);
      }
      const end = ticks[ticks.length - 1].tradeTime;
      await writer.compact(end);
      await writer.close();
      const m = readManifest(dir.dir);
      const lastDay = Math.floor(end / 86_400_000) * 86_400_000;
      const days = m.files.filter((f) => f.level === 3).map((f) => f.hour as number).sort();
      expect(days.map((d) => new Date(d).toISOString().slice(0, 10))).toEqual(['2026-07-03', '2026-07-04', '2026-07-05']);
      const openDay = m.files.filter((f) => f.level !== 3);
      expect(openDay.every((f) => (f.hour as number) >= lastDay)).toBe(true);
      const closedHours = openDay.filter((f) => (f.hour as number) + 3_600_000 <= end).map((f) => f.hour);
      expect(closedHours.length).toBeGreaterThan(3);
      expect(new Set(closedHours).size).toBe(closedHours.length); // one file per closed hour

      const reader = await openStoreReader({ dir: dir.dir });
      const bars = await reader.bars({ symbol: 'DAYUSDT', timeframe: '1h' });
      const ref = referenceBars(ticks, 'DAYUSDT', 3_600_000);
      expect(Array.from(bars.time)).toEqual(ref.map((b) => b.time));
      ref.forEach((b, i) => {
        expect([bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.trades[i]]).toEqual([b.open, b.high, b.low, b.close, b.trades]);
        expect(closeTo(bars.volume[i], b.volume) && closeTo(bars.vwap[i], b.vwap)).toBe(true);
      });
      expect(await counts(reader, 'DAYUSDT')).toEqual({ n: 3000, d: 3000, lo: 0, hi: 2999 });
      await reader.close();
    } finally {
      dir.remove();
    }
  });
});

describe('compaction beside flushes', () => {
  it('does not hold up a flush, and the flushed file survives the compaction publish', async () => {
    const dir = tempStoreDir('beside');
    try {
      const writer = await openStoreWriter({ dir: dir.dir, flushIntervalMs: 0, compactIntervalMs: 0, hourCloseDelayMs: 0 });
      const old = syntheticTicks('OLDUSDT', { start: START, count: 300_000, seed: 3 }).map((t, i) => ({ ...t, tradeTime: START + i * 40, recvTime: START + i * 40 }));
      for (let i = 0; i < old.length; i += 20_000) { writer.append(old.slice(i, i + 20_000)); await writer.flush(); }
      const order: string[] = [];
      const compaction = writer.compact(START + 48 * 3_600_000).then((s) => { order.push('compaction'); return s; });
      await new Promise((r) => setTimeout(r, 20));
      writer.append(syntheticTicks('NEWUSDT', { start: START, count: 100, seed: 4 }));
      const flushed = await writer.flush();
      order.push('flush');
      const stats = await compaction;
      expect(flushed.ticks).toBe(100);
      expect(stats.inputFiles).toBeGreaterThanOrEqual(15); // 15 L0 files, and the L1 files it wrote and merged into days
      expect(order).toEqual(['flush', 'compaction']);
      const m = readManifest(dir.dir);
      expect(m.files.filter((f) => f.level === 0).map((f) => Object.keys(f.symbols))).toEqual([['NEWUSDT']]);
      const reader = await openStoreReader({ dir: dir.dir });
      expect(await counts(reader, 'OLDUSDT')).toEqual({ n: 300_000, d: 300_000, lo: 0, hi: 299_999 });
      expect(await counts(reader, 'NEWUSDT')).toEqual({ n: 100, d: 100, lo: 0, hi: 99 });
      await reader.close();
      await writer.close();
    } finally {
      dir.remove();
    }
  }, 60_000);
});
