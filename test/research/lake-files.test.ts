// Which bar files a scan reads: only the manifest's, by symbol in the order asked, and by day — a day is read when a
// bucket starting in [from, to) can hold its seconds, including the last bucket that runs on past `to`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { lakeBarFiles, lakeSymbols, openLakeFiles, type SymbolBarFiles } from '../../src/research/lakeFiles';

let lake: string;
const day = (symbol: string, date: string) => ({
  symbol, date, exportedAt: '2026-12-01T00:00:00Z',
  ticks: { path: `ticks/symbol=${symbol}/date=${date}/part-1.parquet`, rows: 1, bytes: 1, minId: 1, maxId: 1, minT: 0, maxT: 0 },
  bars1s: { path: `bars_1s/symbol=${symbol}/date=${date}/part-1.parquet`, rows: 1, bytes: 1 },
});

beforeAll(() => {
  lake = mkdtempSync(path.join(tmpdir(), 'pairs-lab-lake-files-'));
  const days = [day('BBBUSDT', '2026-11-02'), day('AAAUSDT', '2026-11-03'), day('AAAUSDT', '2026-11-01'), day('AAAUSDT', '2026-11-02')];
  writeFileSync(path.join(lake, 'manifest.json'), JSON.stringify({ version: 1, updatedAt: '2026-12-01T00:00:00Z', days }));
});
afterAll(() => rmSync(lake, { recursive: true, force: true }));

const rel = (files: string[]) => files.map((f) => path.relative(lake, f).split(path.sep).slice(1, 3).join('/'));

const barFiles = async (symbols: string[], tf: number, from?: number, to?: number): Promise<SymbolBarFiles[]> =>
  lakeBarFiles(await openLakeFiles({ lake }), symbols, tf, from, to);

test('symbols come from the manifest, sorted; files oldest day first, in the order the symbols are asked for', async () => {
  expect(await lakeSymbols(lake)).toEqual(['AAAUSDT', 'BBBUSDT']);
  const files = await barFiles(['BBBUSDT', 'AAAUSDT', 'CCCUSDT'], 60_000);
  expect(files.map((f) => [f.symbol, rel(f.files)])).toEqual([
    ['BBBUSDT', ['symbol=BBBUSDT/date=2026-11-02']],
    ['AAAUSDT', ['symbol=AAAUSDT/date=2026-11-01', 'symbol=AAAUSDT/date=2026-11-02', 'symbol=AAAUSDT/date=2026-11-03']],
    ['CCCUSDT', []],
  ]);
});

test('days outside [from, to) are not read, but the day a last bucket runs into is', async () => {
  const from = Date.parse('2026-11-02T00:00:00Z');
  const to = Date.parse('2026-11-03T00:00:00Z');
  expect(rel((await barFiles(['AAAUSDT'], 60_000, from, to))[0].files)).toEqual(['symbol=AAAUSDT/date=2026-11-02']);
  // 7-minute buckets (epoch-aligned) start at 23:49 and 23:56 on the 2nd; the one at 23:56 ends at 00:03 on the 3rd
  const minute = 60_000;
  expect(rel((await barFiles(['AAAUSDT'], 7 * minute, from, to - 4 * minute))[0].files)).toEqual(['symbol=AAAUSDT/date=2026-11-02']);
  expect(rel((await barFiles(['AAAUSDT'], 7 * minute, from, to - 3 * minute))[0].files)).toEqual(['symbol=AAAUSDT/date=2026-11-02', 'symbol=AAAUSDT/date=2026-11-03']);
});
