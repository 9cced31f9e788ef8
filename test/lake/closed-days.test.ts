// Which symbol-days the exporter may take, from the store manifest alone: compaction's fixed point for a closed day;
// and the lake manifest's compare-and-replace on a directory.
import { describe, expect, it } from 'vitest';
import { closedDays } from '../../src/lake';
import { emptyManifest, type ManifestFile } from '../../src/store/manifest';
import type { GapRecord } from '../../src/store';
import { concurrentManifestUpdates, D1, DAY_MS } from './helpers';
import { openLakeStorage } from '../../src/lake/lake-storage';
import { parseLakeUri } from '../../src/lake/lake-uri';
import { tempStoreDir } from '../store/helpers';

const HOUR = 3_600_000;

function file(symbol: string, level: 0 | 1 | 2 | 3, hour: number | undefined, minT: number, maxT: number, minId: number, maxId: number): ManifestFile {
  return {
    path: `ticks/${symbol}/x/L${level}-${minT}.parquet`, rollup: `ticks/${symbol}/x/L${level}-${minT}.bars1s.parquet`, level, hour,
    rows: maxId - minId + 1, bytes: 1, createdAt: 0, symbols: { [symbol]: { minT, maxT, minId, maxId, rows: maxId - minId + 1 } },
  };
}

const gap = (symbol: string, fromId: number, toId: number, status: GapRecord['status']): GapRecord => ({ symbol, fromId, toId, foundAt: 0, filledAt: null, trades: 1, status });

describe('closedDays', () => {
  const l3 = file('AAAUSDT', 3, D1, D1 + 5, D1 + DAY_MS - 5, 100, 199);
  const afterClose = D1 + DAY_MS + 60_000;

  it('takes a closed day merged into one file, once the close delay has passed', () => {
    const m = { ...emptyManifest(), files: [l3] };
    expect(closedDays(m, { now: afterClose - 1 })).toEqual([]);
    expect(closedDays(m, { now: afterClose }).map((d) => `${d.symbol} ${d.date} ${d.file.path}`)).toEqual([`AAAUSDT 2026-12-01 ${l3.path}`]);
  });

  it('a lone L1 or L2 file of a closed day is final too (the day merge needs two files)', () => {
    const m = { ...emptyManifest(), files: [file('BBBUSDT', 1, D1 + 23 * HOUR, D1 + 23 * HOUR, D1 + 23 * HOUR + 5, 1, 9)] };
    expect(closedDays(m, { now: afterClose }).map((d) => d.symbol)).toEqual(['BBBUSDT']);
  });

  it('leaves a day with a merge pending, ticks of it in an L0 file, or an open gap over its ids', () => {
    const late = file('AAAUSDT', 1, D1 + 3 * HOUR, D1 + 3 * HOUR, D1 + 3 * HOUR + 9, 250, 259);
    expect(closedDays({ ...emptyManifest(), files: [l3, late] }, { now: afterClose + DAY_MS })).toEqual([]);
    const l0: ManifestFile = { ...file('AAAUSDT', 0, undefined, D1 + DAY_MS - 2, D1 + DAY_MS + 10, 200, 210), symbols: {
      AAAUSDT: { minT: D1 + DAY_MS - 2, maxT: D1 + DAY_MS + 10, minId: 200, maxId: 210, rows: 11 },
      BBBUSDT: { minT: D1 + 2 * DAY_MS + 1, maxT: D1 + 2 * DAY_MS + 2, minId: 1, maxId: 2, rows: 2 },
    } };
    expect(closedDays({ ...emptyManifest(), files: [l3, l0] }, { now: afterClose + DAY_MS })).toEqual([]);
    const m = { ...emptyManifest(), files: [l3] };
    expect(closedDays(m, { now: afterClose, gaps: [gap('AAAUSDT', 150, 160, 'open')] })).toEqual([]);
    expect(closedDays(m, { now: afterClose, gaps: [gap('AAAUSDT', 200, 260, 'open')] })).toEqual([]);
    expect(closedDays(m, { now: afterClose, gaps: [gap('AAAUSDT', 150, 160, 'filled'), gap('AAAUSDT', 202, 260, 'open'), gap('BBBUSDT', 150, 160, 'open')] })).toHaveLength(1);
  });
});

describe('lake manifest updates on a directory', () => {
  it('twelve concurrent updates all land (compare-and-replace under a lock file)', async () => {
    const tmp = tempStoreDir('lake-cas');
    try {
      const symbols = await concurrentManifestUpdates(openLakeStorage(parseLakeUri(tmp.dir)));
      expect(symbols).toEqual(Array.from({ length: 12 }, (_, i) => `S${i}USDT`).sort());
    } finally {
      tmp.remove();
    }
  });
});
