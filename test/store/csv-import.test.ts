// CSV import of OHLC bars: each kind of bad input is reported with line, column and reason and leaves the store
// exactly as it was; accepted timestamp formats; uploaded bars resampled to coarser timeframes; CSV export.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvImportError, importBarsCsv, openStoreReader, toCsv, type StoreReader } from '../../src/store';
import { closeTo, rng, tempStoreDir } from './helpers';

const HEADER = 'timestamp,symbol,open,high,low,close,volume';
const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);

let store: ReturnType<typeof tempStoreDir>;
let reader: StoreReader;

/** Every file below the store with its size: equal snapshots mean the import wrote nothing. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.push(`${path.relative(dir, p)}:${statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

interface Bar1m { time: number; open: number; high: number; low: number; close: number; volume: number; trades: number; vwap: number }

/** Two hours of random 1m bars with trades and vwap columns. */
function minuteBars(seed: number, count: number): Bar1m[] {
  const rand = rng(seed);
  let price = 50;
  return Array.from({ length: count }, (_, i) => {
    const open = price;
    const close = Math.round(open * (1 + (rand() - 0.5) * 0.01) * 100) / 100;
    const high = Math.max(open, close) + Math.round(rand() * 20) / 100;
    const low = Math.min(open, close) - Math.round(rand() * 20) / 100;
    price = close;
    return { time: T0 + i * 60_000, open, high, low, close, volume: Math.round(rand() * 10_000) / 100, trades: 1 + Math.floor(rand() * 50), vwap: (high + low + close) / 3 };
  });
}

function toCsvText(symbol: string, bars: Bar1m[], timeFormat: (t: number, i: number) => string): string {
  return `${HEADER},trades,vwap\n${bars.map((b, i) => `${timeFormat(b.time, i)},${symbol},${b.open},${b.high},${b.low},${b.close},${b.volume},${b.trades},${b.vwap}`).join('\n')}\n`;
}

async function expectRejected(csv: string, timeframe: string, expected: { line?: number; column?: string; reason: RegExp }): Promise<void> {
  const before = snapshot(store.dir);
  let error: unknown;
  try { await importBarsCsv(store.dir, csv, { timeframe }); } catch (err) { error = err; }
  expect(error).toBeInstanceOf(CsvImportError);
  const issues = (error as CsvImportError).issues;
  const match = issues.find((i) => (expected.line === undefined || i.line === expected.line) && (expected.column === undefined || i.column === expected.column) && expected.reason.test(i.reason));
  if (!match) throw new Error(`no issue like ${JSON.stringify({ ...expected, reason: String(expected.reason) })} in ${JSON.stringify(issues)}`);
  expect((error as Error).message).toContain(`line ${match.line}, column ${match.column}`);
  expect(snapshot(store.dir)).toEqual(before);
}

beforeAll(async () => {
  store = tempStoreDir('csv');
  await importBarsCsv(store.dir, toCsvText('BASEUSDT', minuteBars(7, 30), (t) => new Date(t).toISOString()), { timeframe: '1m' });
  reader = await openStoreReader({ dir: store.dir });
});

afterAll(async () => {
  await reader?.close();
  store?.remove();
});

describe('CSV import errors leave the store unchanged', () => {
  it('missing column', async () => {
    await expectRejected('timestamp,symbol,open,high,low,close\n2026-03-01T00:00:00Z,NEWUSDT,1,2,0.5,1.5\n', '1m', { line: 1, column: 'volume', reason: /missing column "volume"/ });
  });

  it('unparsable number, even when every other row is fine', async () => {
    const good = toCsvText('NEWUSDT', minuteBars(3, 50), (t) => String(t)).trimEnd().split('\n');
    good.push(`${T0 + 50 * 60_000},NEWUSDT,1,2,0.5,1.5x,10,,`);
    await expectRejected(`${good.join('\n')}\n`, '1m', { line: 52, column: 'close', reason: /"1\.5x" is not a number/ });
  });

  it('high below low', async () => {
    await expectRejected(`${HEADER}\n2026-03-01T00:00:00Z,NEWUSDT,1,0.9,1.1,1,10\n`, '1m', { line: 2, column: 'high', reason: /high 0\.9 is below low 1\.1/ });
  });

  it('duplicate timestamp within the file, written once as ISO and once as epoch seconds', async () => {
    const csv = `${HEADER}\n2026-03-01T00:01:00Z,NEWUSDT,1,2,0.5,1.5,10\n2026-03-01T00:02:00Z,NEWUSDT,1,2,0.5,1.5,10\n${(T0 + 60_000) / 1000},NEWUSDT,1,2,0.5,1.5,10\n`;
    await expectRejected(csv, '1m', { line: 4, column: 'timestamp', reason: /duplicate timestamp 2026-03-01T00:01:00\.000Z for NEWUSDT \(also on line 2\)/ });
  });

  it('bars that partly overlap an earlier import', async () => {
    const bars = minuteBars(7, 31);
    await expectRejected(toCsvText('BASEUSDT', bars, (t) => new Date(t).toISOString()), '1m', { line: 2, column: 'timestamp', reason: /already in the store/ });
  });

  it('duplicate timestamp of bars already imported', async () => {
    await expectRejected(`${HEADER}\n2026-03-01T00:05:00Z,BASEUSDT,1,2,0.5,1.5,10\n`, '1m', { line: 2, column: 'timestamp', reason: /already in the store/ });
  });

  it('unknown timeframe, given for the import or in a timeframe column', async () => {
    await expectRejected(`${HEADER}\n2026-03-01T00:00:00Z,NEWUSDT,1,2,0.5,1.5,10\n`, '2x', { line: 0, column: 'timeframe', reason: /unknown timeframe "2x"/ });
    await expectRejected(`${HEADER},timeframe\n2026-03-01T00:00:00Z,NEWUSDT,1,2,0.5,1.5,10,1m\n2026-03-01T00:01:00Z,NEWUSDT,1,2,0.5,1.5,10,1 minute\n`, '1m',
      { line: 3, column: 'timeframe', reason: /unknown timeframe "1 minute"/ });
  });

  it('bad or misaligned timestamp', async () => {
    await expectRejected(`${HEADER}\nyesterday,NEWUSDT,1,2,0.5,1.5,10\n`, '1m', { line: 2, column: 'timestamp', reason: /"yesterday" is not an ISO-8601 time/ });
    await expectRejected(`${HEADER}\n2026-02-30T25:00:00Z,NEWUSDT,1,2,0.5,1.5,10\n`, '1m', { line: 2, column: 'timestamp', reason: /not an ISO-8601 time/ });
    await expectRejected(`${HEADER}\n2026-03-01T00:00:30Z,NEWUSDT,1,2,0.5,1.5,10\n`, '1m', { line: 2, column: 'timestamp', reason: /not the start of a/ });
  });

  it('wrong field count and empty files', async () => {
    await expectRejected(`${HEADER}\n2026-03-01T00:00:00Z,NEWUSDT,1,2,0.5,1.5\n`, '1m', { line: 2, reason: /expected 7 fields/ });
    await expectRejected(`${HEADER}\n`, '1m', { reason: /no data rows/ });
  });
});

describe('CSV import accepts', () => {
  it('exactly the bars of an earlier import again, in any row order and time format: nothing is written, the earlier upload answers', async () => {
    const before = snapshot(store.dir);
    const bars = minuteBars(7, 30).reverse();
    const again = await importBarsCsv(store.dir, toCsvText('BASEUSDT', bars, (t) => String(t / 1000)), { timeframe: '1m' });
    expect(again).toMatchObject({ alreadyImported: true, rows: 30, symbols: ['BASEUSDT'], from: T0, to: T0 + 29 * 60_000 });
    expect(again.file).toMatch(/^uploads\/bars-.*\.parquet$/);
    expect(snapshot(store.dir)).toEqual(before);
    // one number different is other bars, and those overlap the stored ones
    bars[3] = { ...bars[3], volume: bars[3].volume + 1 };
    await expectRejected(toCsvText('BASEUSDT', bars, (t) => String(t / 1000)), '1m', { column: 'timestamp', reason: /already in the store/ });
  });


  it('ISO-8601 with Z, with an offset, without a zone (UTC), and epoch ms and s, all meaning the same instants', async () => {
    const bars = minuteBars(11, 6);
    const formats = [
      (t: number) => new Date(t).toISOString(),
      (t: number) => new Date(t + 2 * 3_600_000).toISOString().replace('.000Z', '+02:00'),
      (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' '),
      (t: number) => String(t),
      (t: number) => String(t / 1000),
      (t: number) => new Date(t + 5_400_000).toISOString().replace('.000Z', '+0130'),
    ];
    const result = await importBarsCsv(store.dir, toCsvText('FMTUSDT', bars, (t, i) => formats[i](t)), { timeframe: '1m' });
    expect(result).toMatchObject({ rows: 6, symbols: ['FMTUSDT'], timeframeMs: 60_000, from: T0, to: T0 + 5 * 60_000 });
    const s = await reader.bars({ symbol: 'FMTUSDT', timeframe: '1m' });
    expect(Array.from(s.time)).toEqual(bars.map((b) => b.time));
    expect(Array.from(s.close)).toEqual(bars.map((b) => b.close));
  });
});

describe('uploaded bars', () => {
  const bars = minuteBars(21, 120);
  beforeAll(async () => {
    await importBarsCsv(store.dir, toCsvText('UPLUSDT', bars, (t) => new Date(t).toISOString()), { timeframe: '1m' });
  });

  for (const [timeframe, tf] of [['1m', 60_000], ['5m', 300_000], ['7m', 420_000], ['15m', 900_000], ['1h', 3_600_000]] as const) {
    it(`resample to ${timeframe} like a plain reference`, async () => {
      const groups = new Map<number, Bar1m[]>();
      for (const b of bars) { const k = Math.floor(b.time / tf) * tf; groups.set(k, [...(groups.get(k) ?? []), b]); }
      const ref = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([time, g]) => {
        const volume = g.reduce((s, b) => s + b.volume, 0);
        return {
          time, open: g[0].open, high: Math.max(...g.map((b) => b.high)), low: Math.min(...g.map((b) => b.low)), close: g[g.length - 1].close,
          volume, trades: g.reduce((s, b) => s + b.trades, 0), vwap: g.reduce((s, b) => s + b.vwap * b.volume, 0) / volume,
        };
      });
      const s = await reader.bars({ symbol: 'UPLUSDT', timeframe, source: 'uploaded' });
      expect(Array.from(s.time)).toEqual(ref.map((r) => r.time));
      ref.forEach((r, i) => {
        expect([s.open[i], s.high[i], s.low[i], s.close[i], s.trades[i]]).toEqual([r.open, r.high, r.low, r.close, r.trades]);
        expect(closeTo(s.volume[i], r.volume) && closeTo(s.vwap[i], r.vwap)).toBe(true);
      });
    });
  }

  it('refuse a timeframe that is not a multiple of the uploaded one', async () => {
    await expect(reader.bars({ symbol: 'UPLUSDT', timeframe: '90s' })).rejects.toThrow(/uploaded bars of UPLUSDT are 1m; 90s is not a multiple/);
  });

  it('are chosen by source "auto" for a symbol without ticks, and listed among the symbols', async () => {
    expect((await reader.bars({ symbol: 'UPLUSDT', timeframe: '1h' })).time.length).toBe(2);
    expect(await reader.symbols()).toEqual(expect.arrayContaining(['BASEUSDT', 'FMTUSDT', 'UPLUSDT']));
  });

  it('export to CSV and re-import into another store unchanged; NaN trades and VWAP stay empty', async () => {
    const s = await reader.bars({ symbol: 'UPLUSDT', timeframe: '15m' });
    const other = tempStoreDir('csv-copy');
    try {
      await importBarsCsv(other.dir, toCsv(s), { timeframe: '15m' });
      const r2 = await openStoreReader({ dir: other.dir });
      const copy = await r2.bars({ symbol: 'UPLUSDT', timeframe: '15m' });
      await r2.close();
      for (const k of ['time', 'open', 'high', 'low', 'close', 'volume', 'trades', 'vwap'] as const) expect(Array.from(copy[k])).toEqual(Array.from(s[k]));
      const base = await reader.bars({ symbol: 'BASEUSDT', timeframe: '1m', source: 'uploaded' });
      expect(toCsv(base).split('\n')[1]).toMatch(/^2026-03-01T00:00:00\.000Z,BASEUSDT,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,\d+,[\d.]+,0$/);
    } finally {
      other.remove();
    }
  });

  it('export any query result with CSV quoting', async () => {
    const t = await reader.query("SELECT 'a,b' AS text, 'say \"hi\"' AS quoted, NULL AS nothing, 42::BIGINT AS n, symbol FROM bars_uploaded WHERE symbol = $1 LIMIT 1", ['UPLUSDT']);
    expect(toCsv(t)).toBe('text,quoted,nothing,n,symbol\n"a,b","say ""hi""",,42,UPLUSDT\n');
  });
});
