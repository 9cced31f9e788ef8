// The universe scan of a lake on this machine: DuckDB resamples each symbol's one-second bars to the timeframe,
// the analytics library puts them on the common grid and scans every pair.
import { DuckDBInstance, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { type ClosesGrid, type ClosesLeg, allPairs, checkUniverse, closesOnCommonGrid, rankScanRows, scanPairRows } from '../analytics';
import { parseTimeframe } from '../store/timeframe';
import { readDoubleColumns } from '../store/result-table';
import { lakeBarFiles, type LakeFiles, openLakeFiles, symbolsOf } from './lakeFiles';
import type { LakeScan, LakeScanSettings } from './scanResult';

// Bucket starts are aligned to the epoch like the store's bars (bar times are positive, so // floors); the close is
// the close of the bucket's last second.
const BARS_SQL = `
  SELECT CAST(time // $tf * $tf AS DOUBLE) AS bucket, arg_max(close, time) AS close
  FROM read_parquet($files)
  WHERE time // $tf * $tf >= $from AND time // $tf * $tf < $to
  GROUP BY bucket ORDER BY bucket`;

/** The symbols' closes at the timeframe, each from its lake files (empty when the lake has none in the range). */
export async function readLakeLegs(lake: LakeFiles, settings: LakeScanSettings, symbols: readonly string[]): Promise<ClosesLeg[]> {
  const tf = parseTimeframe(settings.timeframe);
  const picked = await lakeBarFiles(lake, symbols, tf, settings.from, settings.to);
  const from = settings.from ?? Number.MIN_SAFE_INTEGER;
  const to = settings.to ?? Number.MAX_SAFE_INTEGER;
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  try {
    const legs: ClosesLeg[] = [];
    for (const { symbol, files } of picked) {
      legs.push(files.length ? { symbol, ...(await legBars(conn, files, tf, from, to)) } : { symbol, time: new Float64Array(0), close: new Float64Array(0) });
    }
    return legs;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function legBars(conn: DuckDBConnection, files: string[], tf: number, from: number, to: number): Promise<{ time: Float64Array; close: Float64Array }> {
  const result = await conn.run(BARS_SQL, { files: listValue(files), tf: BigInt(tf), from: BigInt(from), to: BigInt(to) });
  const [time, close] = await readDoubleColumns(result);
  return { time, close };
}

/** The settings' symbols (default: every symbol of the lake) on the common grid of their closes at the timeframe. */
export async function lakeGrid(settings: LakeScanSettings): Promise<ClosesGrid> {
  const lake = await openLakeFiles(settings);
  const symbols = settings.symbols ?? symbolsOf(lake.days);
  return closesOnCommonGrid(await readLakeLegs(lake, settings, symbols), parseTimeframe(settings.timeframe), settings.maxBars);
}

/** Scans every pair of the lake's symbols on this machine. */
export async function scanLakeLocally(settings: LakeScanSettings): Promise<LakeScan> {
  const grid = await lakeGrid(settings);
  let rows: LakeScan['rows'] = [];
  if (Object.keys(grid.universe).length >= 2 && grid.bars >= 30) {
    const { symbols: names, prices } = checkUniverse(grid.universe);
    rows = rankScanRows(scanPairRows(names, prices, allPairs(names.length), { minCorrelation: settings.minCorrelation }));
  }
  return { timeframe: settings.timeframe, bars: grid.bars, from: grid.from, to: grid.to, rows, skipped: grid.skipped };
}
