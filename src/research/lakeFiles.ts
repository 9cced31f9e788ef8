// Which bars_1s files of a lake a scan reads: only those the lake's manifest.json lists (a directory glob could
// count a day twice while an export replaces it), pruned by symbol and by day.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type LakeDay, parseLakeUri } from '../lake';
import { LAKE_MANIFEST, parseLakeManifest } from '../lake/lake-manifest';

/** One symbol's one-second bar files, as absolute paths, oldest day first. */
export interface SymbolBarFiles {
  symbol: string;
  files: string[];
}

const DAY_MS = 86_400_000;

/** The lake's directory: a path or file:// URI. Spark here has no S3 connector, so the scan reads a local or mounted lake. */
export function lakeDir(lake: string): string {
  const where = parseLakeUri(lake);
  if (where.kind !== 'local') throw new Error(`the scan reads a lake directory (local or mounted), not ${where.uri}: mount the bucket or copy the lake to a directory`);
  return where.dir;
}

/** The lake's manifest days; a clear error when `lake` holds no lake. */
function manifestDays(lake: string): LakeDay[] {
  const file = path.join(lakeDir(lake), LAKE_MANIFEST);
  if (!existsSync(file)) throw new Error(`no lake at ${lake}: ${file} is missing (export closed days to it first, or check --lake)`);
  return parseLakeManifest(readFileSync(file, 'utf8'), file).days;
}

/** Every symbol with bars in the lake, sorted. */
export function lakeSymbols(lake: string): string[] {
  return [...new Set(manifestDays(lake).filter((d) => d.bars1s).map((d) => d.symbol))].sort();
}

/**
 * The bar files of `symbols` (in that order) whose day can hold a bucket starting in [from, to) of a `timeframeMs`
 * timeframe: a bucket starting just before `to` runs on for one timeframe, into the next day's file.
 */
export function lakeBarFiles(lake: string, symbols: readonly string[], timeframeMs: number, from = -Infinity, to = Infinity): SymbolBarFiles[] {
  const days = manifestDays(lake);
  // the end of the last bucket that starts before `to` (buckets are aligned to the epoch)
  const end = Number.isFinite(to) ? (Math.floor((to - 1) / timeframeMs) + 1) * timeframeMs : Infinity;
  return symbols.map((symbol) => {
    const files = days
      .filter((d) => d.symbol === symbol && d.bars1s)
      .filter((d) => {
        const start = Date.parse(`${d.date}T00:00:00Z`);
        return start + DAY_MS > from && start < end;
      })
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => path.resolve(lakeDir(lake), d.bars1s.path));
    return { symbol, files };
  });
}
