// Which bars_1s files of a lake a scan or search reads: only those the lake's manifest.json lists (a directory glob
// could count a day twice while an export replaces it), pruned by symbol and by day. A directory lake's files are read
// where they are; an S3 lake's listed files are downloaded first into a local cache laid out like the lake (DuckDB and
// Spark here have no S3 connector), so every reader gets local paths under one base directory.
import path from 'node:path';
import { type LakeDay, parseLakeUri, type S3Options } from '../lake';
import { LAKE_MANIFEST } from '../lake/lake-manifest';
import { defaultLakeCacheDir } from '../lake/lake-reader';
import { openLakeStorage } from '../lake/lake-storage';
import { readVersionedManifest } from '../lake/manifest-update';

/** Where a lake is and how to reach it. */
export interface LakeSource {
  /** A directory (local or mounted), file://…, or s3://bucket/prefix. */
  lake: string;
  /** S3 endpoint, keys and region for an s3:// lake; default from the AWS_* variables, as `export` uses. */
  s3?: S3Options;
  /** Where an S3 lake's files are downloaded; default $TMPDIR/pairs-lab-lake-cache/<hash of the URI>. */
  cacheDir?: string;
}

/** One symbol's one-second bar files, as absolute local paths, oldest day first. */
export interface SymbolBarFiles {
  symbol: string;
  files: string[];
}

/** A lake's listed days and how to get a listed file as a local path. */
export interface LakeFiles {
  days: LakeDay[];
  /** The local directory the files' `bars_1s/symbol=…/date=…` paths are under: the lake itself, or its S3 cache. */
  base: string;
  localPath(key: string): Promise<string>;
}

const DAY_MS = 86_400_000;
const FETCHES_AT_ONCE = 8;

/** The lake's manifest days; a clear error when `source.lake` holds no lake. */
export async function openLakeFiles(source: LakeSource): Promise<LakeFiles> {
  const location = parseLakeUri(source.lake);
  const storage = openLakeStorage(location, { s3: source.s3 });
  const { manifest, version } = await readVersionedManifest(storage);
  if (version === null) {
    const file = location.kind === 'local' ? path.join(location.dir, LAKE_MANIFEST) : `${location.uri}/${LAKE_MANIFEST}`;
    throw new Error(`no lake at ${source.lake}: ${file} is missing (export closed days to it first, or check --lake)`);
  }
  if (location.kind === 'local') {
    return { days: manifest.days, base: location.dir, localPath: async (key) => path.resolve(location.dir, key) };
  }
  const cacheDir = path.resolve(source.cacheDir ?? defaultLakeCacheDir(location));
  return { days: manifest.days, base: cacheDir, localPath: (key) => storage.localPath(key, cacheDir) };
}

/** Every symbol with bars in the listed days, sorted. */
export function symbolsOf(days: readonly LakeDay[]): string[] {
  return [...new Set(days.filter((d) => d.bars1s).map((d) => d.symbol))].sort();
}

/** Every symbol with bars in the lake, sorted. */
export async function lakeSymbols(source: LakeSource | string): Promise<string[]> {
  return symbolsOf((await openLakeFiles(typeof source === 'string' ? { lake: source } : source)).days);
}

/**
 * The manifest keys of the bar files of `symbols` (in that order) whose day can hold a bucket starting in [from, to)
 * of a `timeframeMs` timeframe: a bucket starting just before `to` runs on for one timeframe, into the next day's file.
 */
export function barKeys(days: readonly LakeDay[], symbols: readonly string[], timeframeMs: number, from = -Infinity, to = Infinity): Array<{ symbol: string; keys: string[] }> {
  // the end of the last bucket that starts before `to` (buckets are aligned to the epoch)
  const end = Number.isFinite(to) ? (Math.floor((to - 1) / timeframeMs) + 1) * timeframeMs : Infinity;
  return symbols.map((symbol) => ({
    symbol,
    keys: days
      .filter((d) => d.symbol === symbol && d.bars1s)
      .filter((d) => {
        const start = Date.parse(`${d.date}T00:00:00Z`);
        return start + DAY_MS > from && start < end;
      })
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => d.bars1s.path),
  }));
}

/** The files `barKeys` picks, as local paths (an S3 lake's downloaded into its cache, several at once). */
export async function lakeBarFiles(lake: LakeFiles, symbols: readonly string[], timeframeMs: number, from?: number, to?: number): Promise<SymbolBarFiles[]> {
  const picked = barKeys(lake.days, symbols, timeframeMs, from, to);
  const keys = picked.flatMap((p) => p.keys);
  const local = new Map<string, string>();
  let next = 0;
  const fetcher = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++];
      local.set(key, await lake.localPath(key));
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCHES_AT_ONCE, keys.length) }, fetcher));
  return picked.map(({ symbol, keys: k }) => ({ symbol, files: k.map((key) => local.get(key) as string) }));
}
