// Bars from the store equal bars computed the obvious way on the same ticks: every field, many timeframes,
// both empty-bucket policies, the min-volume filter, pair alignment and the latest-bars path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoreReader, openStoreWriter, parseTimeframe, type BarSeries, type StoreReader, type Tick } from '../../src/store';
import { readManifest } from '../../src/store/manifest';
import { closeTo, referenceBars, syntheticTicks, tempStoreDir, type RefBar } from './helpers';

const Y = 'AAAUSDT';
const X = 'BBBUSDT';
const START = Date.UTC(2026, 0, 5, 9, 17, 3);

let store: ReturnType<typeof tempStoreDir>;
let reader: StoreReader;
let rawReader: StoreReader;
let ticks: Tick[];

function expectBarsEqual(s: BarSeries, ref: RefBar[]): void {
  expect(s.time.length).toBe(ref.length);
  const fields = ['open', 'high', 'low', 'close', 'volume', 'trades', 'vwap'] as const;
  for (let i = 0; i < ref.length; i++) {
    expect(s.time[i]).toBe(ref[i].time);
    expect(s.filled[i]).toBe(0);
    for (const f of fields) {
      if (!closeTo(s[f][i], ref[i][f])) throw new Error(`bar ${i} (${new Date(ref[i].time).toISOString()}) ${f}: store ${s[f][i]}, reference ${ref[i][f]}`);
    }
  }
}

/** The reference on a grid: a bucket without a bar repeats the previous close, zero volume, flagged. */
function expectCarried(s: BarSeries, ref: RefBar[], grid: number[], priorClose = NaN): void {
  expect(Array.from(s.time)).toEqual(grid);
  const byTime = new Map(ref.map((b) => [b.time, b]));
  let last = priorClose;
  for (let i = 0; i < grid.length; i++) {
    const b = byTime.get(grid[i]);
    if (b) {
      expect(s.filled[i]).toBe(0);
      expect([s.open[i], s.high[i], s.low[i], s.close[i], s.trades[i]]).toEqual([b.open, b.high, b.low, b.close, b.trades]);
      expect(closeTo(s.volume[i], b.volume) && closeTo(s.vwap[i], b.vwap)).toBe(true);
      last = b.close;
    } else {
      expect(s.filled[i]).toBe(1);
      expect([s.open[i], s.high[i], s.low[i], s.close[i], s.vwap[i], s.volume[i], s.trades[i]]).toEqual([last, last, last, last, last, 0, 0]);
    }
  }
}

function gridOf(first: number, last: number, tf: number): number[] {
  const g: number[] = [];
  for (let t = first; t <= last; t += tf) g.push(t);
  return g;
}

beforeAll(async () => {
  store = tempStoreDir('bars');
  ticks = [
    ...syntheticTicks(Y, { start: START, count: 9000, seed: 1, quietEvery: 2500, quietMs: 400_000 }),
    ...syntheticTicks(X, { start: START + 90_000, count: 8000, seed: 2, firstId: 5_000_000, quietEvery: 3000, quietMs: 700_000 }),
  ].sort((a, b) => a.tradeTime - b.tradeTime);
  const writer = await openStoreWriter({ dir: store.dir, flushIntervalMs: 0, compactIntervalMs: 0, hourCloseDelayMs: 0 });
  // Two compactions at 40 % and 70 % of the data leave a merged (L2) closed hour, L1 slices and, after them, L0
  // files: bars must read across all levels.
  const cuts = [0, Math.floor(ticks.length * 0.4), Math.floor(ticks.length * 0.7), ticks.length];
  for (let c = 0; c < 3; c++) {
    for (let i = cuts[c]; i < cuts[c + 1]; i += 700) { writer.append(ticks.slice(i, Math.min(i + 700, cuts[c + 1]))); await writer.flush(); }
    if (c < 2) await writer.compact(ticks[cuts[c + 1] - 1].tradeTime);
  }
  await writer.close();
  reader = await openStoreReader({ dir: store.dir });
  rawReader = await openStoreReader({ dir: store.dir, useRollups: false });
});

afterAll(async () => {
  await reader?.close();
  await rawReader?.close();
  store?.remove();
});

describe('bars from ticks', () => {
  it('reads a store whose ticks are spread over L0, L1 and L2 files', () => {
    const levels = new Set(readManifest(store.dir).files.map((f) => f.level));
    expect([...levels].sort()).toEqual([0, 1, 2]);
  });

  it('has one-second rollups beside every compacted file', () => {
    const files = readManifest(store.dir).files;
    expect(files.filter((f) => f.level > 0).every((f) => f.rollup !== undefined)).toBe(true);
    expect(files.filter((f) => f.level === 0).some((f) => f.rollup)).toBe(false);
  });

  for (const timeframe of ['1s', '7s', '1m', '3m', '5m', '15m', '1h', '2h']) {
    it(`match the reference in every field at ${timeframe}, from rollups and from raw ticks`, async () => {
      const tf = parseTimeframe(timeframe);
      for (const symbol of [Y, X]) {
        for (const r of [reader, rawReader]) {
          const s = await r.bars({ symbol, timeframe });
          expect(s.timeframeMs).toBe(tf);
          expectBarsEqual(s, referenceBars(ticks, symbol, tf));
        }
      }
    });
  }

  it('return only buckets starting in [from, to) when the bounds are not on bucket edges', async () => {
    const tf = 180_000;
    const from = START + 1_234_567;
    const to = START + 4_000_001;
    const s = await reader.bars({ symbol: Y, timeframe: '3m', from, to });
    const ref = referenceBars(ticks, Y, tf, from, to);
    expect(ref.length).toBeGreaterThan(5);
    expectBarsEqual(s, ref);
  });

  it('drop bars below the minimum volume', async () => {
    const all = referenceBars(ticks, Y, 60_000);
    const minVolume = [...all.map((b) => b.volume)].sort((a, b) => a - b)[Math.floor(all.length / 2)];
    const s = await reader.bars({ symbol: Y, timeframe: '1m', minVolume });
    const ref = referenceBars(ticks, Y, 60_000, -Infinity, Infinity, minVolume);
    expect(ref.length).toBeLessThan(all.length);
    expectBarsEqual(s, ref);
  });

  it('carry the last close through empty buckets with zero volume and the filled flag', async () => {
    const tf = 60_000;
    const ref = referenceBars(ticks, Y, tf);
    const grid = gridOf(ref[0].time, ref[ref.length - 1].time, tf);
    expect(grid.length - ref.length).toBeGreaterThan(10); // the quiet stretches left empty buckets
    const s = await reader.bars({ symbol: Y, timeframe: '1m', emptyBuckets: 'carry' });
    expectCarried(s, ref, grid);
  });

  it('serve the newest N buckets through latestBars, equal to the same range of full bars', async () => {
    const tf = 60_000;
    const newest = Math.max(...ticks.filter((t) => t.symbol === X).map((t) => t.tradeTime));
    const last = Math.floor(newest / tf) * tf;
    const ref = referenceBars(ticks, X, tf, last - 9 * tf, last + tf);
    expectBarsEqual(await reader.latestBars({ symbol: X, timeframe: '1m', count: 10 }), ref);
    const carried = await reader.latestBars({ symbol: X, timeframe: '1m', count: 10, emptyBuckets: 'carry' });
    expectCarried(carried, ref, gridOf(ref[0].time, last, tf));
  });
});

describe('pair bars', () => {
  it('drop: keep exactly the buckets where both legs traded', async () => {
    const tf = 60_000;
    const ry = referenceBars(ticks, Y, tf);
    const rx = referenceBars(ticks, X, tf);
    const both = new Set(rx.map((b) => b.time));
    const p = await reader.pairBars({ y: Y, x: X, timeframe: '1m', emptyBuckets: 'drop' });
    const common = ry.filter((b) => both.has(b.time));
    expect(common.length).toBeLessThan(ry.length);
    expectBarsEqual(p.y, common);
    expectBarsEqual(p.x, rx.filter((b) => common.some((c) => c.time === b.time)));
  });

  for (const [timeframe, minVolume] of [['1m', 0], ['7s', 0], ['5m', 40]] as const) {
    it(`carry at ${timeframe}${minVolume ? ` with min volume ${minVolume}` : ''}: one grid from the first bucket both legs traded to the last either did`, async () => {
      const tf = parseTimeframe(timeframe);
      const ry = referenceBars(ticks, Y, tf, -Infinity, Infinity, minVolume);
      const rx = referenceBars(ticks, X, tf, -Infinity, Infinity, minVolume);
      const first = Math.max(ry[0].time, rx[0].time);
      const grid = gridOf(first, Math.max(ry[ry.length - 1].time, rx[rx.length - 1].time), tf);
      const p = await reader.pairBars({ y: Y, x: X, timeframe, minVolume, emptyBuckets: 'carry' });
      const before = (r: RefBar[]) => r.filter((b) => b.time < first).pop()?.close ?? NaN;
      expectCarried(p.y, ry, grid, before(ry));
      expectCarried(p.x, rx, grid, before(rx));
      expect(p.x.filled.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });
  }
});

describe('bars after a gap is backfilled into compacted hours', () => {
  it('combine rollups and late L0 ticks of the same seconds exactly', async () => {
    const dir = tempStoreDir('backfill');
    try {
      const all = syntheticTicks('GAPUSDT', { start: START, count: 6000, seed: 44 });
      // A gap of 200 ids, and every other id of another stretch: backfilled ticks share seconds with stored ones.
      const hole = all.filter((t) => (t.aggId >= 1500 && t.aggId < 1700) || (t.aggId >= 4000 && t.aggId < 4400 && t.aggId % 2 === 1));
      const w = await openStoreWriter({ dir: dir.dir, flushIntervalMs: 0, compactIntervalMs: 0, hourCloseDelayMs: 0 });
      w.append(all.filter((t) => !hole.includes(t)));
      await w.flush();
      await w.compact(START + 10 * 3_600_000);
      expect(w.append(hole)).toEqual({ accepted: hole.length, duplicates: 0 });
      await w.flush();
      await w.close();
      expect(new Set(readManifest(dir.dir).files.map((f) => f.level))).toEqual(new Set([0, 1]));
      const r = await openStoreReader({ dir: dir.dir });
      const raw = await openStoreReader({ dir: dir.dir, useRollups: false });
      for (const timeframe of ['1s', '1m', '1h']) {
        const ref = referenceBars(all, 'GAPUSDT', parseTimeframe(timeframe));
        expectBarsEqual(await r.bars({ symbol: 'GAPUSDT', timeframe }), ref);
        expectBarsEqual(await raw.bars({ symbol: 'GAPUSDT', timeframe }), ref);
      }
      await r.close();
      await raw.close();
    } finally {
      dir.remove();
    }
  });
});

describe('bar query bounds', () => {
  it('accept open-ended and infinite bounds, return nothing for an empty window, refuse NaN and unknown timeframes', async () => {
    const all = await reader.bars({ symbol: Y, timeframe: '1m' });
    expect((await reader.bars({ symbol: Y, timeframe: '1m', from: -Infinity, to: Infinity })).time).toEqual(all.time);
    expect((await reader.bars({ symbol: Y, timeframe: '1m', from: START + 600_000, to: START + 600_000 })).time.length).toBe(0);
    expect((await reader.bars({ symbol: 'NOSUCHUSDT', timeframe: '1m' })).time.length).toBe(0);
    await expect(reader.bars({ symbol: Y, timeframe: '1m', from: NaN })).rejects.toThrow(/from must be epoch milliseconds/);
    await expect(reader.bars({ symbol: Y, timeframe: '90x' })).rejects.toThrow(/unknown timeframe "90x"/);
    await expect(reader.pairBars({ y: Y, x: Y, timeframe: '1m' })).rejects.toThrow(/choose two different symbols/);
  });
});

describe('bars of several symbols in one query', () => {
  it('equal each symbol\'s own bars from its own start, across L0, L1 and L2 files, with rollups or ticks and a volume floor', async () => {
    const last = ticks[ticks.length - 1].tradeTime;
    const starts: Array<[number, number]> = [[START, START + 90_000], [last - 3_600_000, last - 40_000], [last - 20_000, START]];
    for (const r of [reader, rawReader]) {
      for (const timeframe of ['1s', '1m']) {
        for (const minVolume of [0, 0.5]) {
          for (const [fy, fx] of starts) {
            const from = new Map([[Y, fy], [X, fx], ['NOSUCHUSDT', START]]);
            const all = await r.symbolsBars({ timeframe, from, minVolume });
            expect([...all.keys()].sort()).toEqual(['AAAUSDT', 'BBBUSDT', 'NOSUCHUSDT']);
            for (const [symbol, f] of from) {
              const one = await r.bars({ symbol, timeframe, from: f, minVolume });
              const got = all.get(symbol)!;
              for (const field of ['time', 'open', 'high', 'low', 'close', 'trades'] as const) expect(Array.from(got[field]), `${symbol} ${field}`).toEqual(Array.from(one[field]));
              for (let i = 0; i < one.time.length; i++) expect(closeTo(got.volume[i], one.volume[i]) && closeTo(got.vwap[i], one.vwap[i])).toBe(true);
            }
          }
        }
      }
    }
  });
});
