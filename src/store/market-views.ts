// Relations over the market-data layers: `quotes`, `quotes_1s`, `mark`, `funding`, each over the files its
// manifest lists (optionally only those of one symbol and time window), for the query views and the reader.
import path from 'node:path';
import { sqlPathList } from './fs-atomic';
import { filesFor, type ManifestFile, readManifest } from './manifest';
import { columnList, FUNDING_LAYER, type LayerSpec, MARK_LAYER, QUOTES_LAYER, quotesRollupSelect } from './market-layers';

export type MarketViewName = 'quotes' | 'quotes_1s' | 'mark' | 'funding';

export const marketViewNames: readonly MarketViewName[] = ['quotes', 'quotes_1s', 'mark', 'funding'];

const QUOTES_1S_COLUMNS = 'symbol VARCHAR, time BIGINT, bid DOUBLE, bidQty DOUBLE, ask DOUBLE, askQty DOUBLE, spreadTw DOUBLE, coveredMs BIGINT, quotes BIGINT, firstUpdateId BIGINT, lastUpdateId BIGINT';

function empty(columns: string): string {
  return `SELECT ${columns.split(', ').map((c) => { const [name, type] = c.split(' '); return `NULL::${type} AS ${name}`; }).join(', ')} LIMIT 0`;
}

function layerFiles(dir: string, spec: LayerSpec<unknown>, symbol?: string, from?: number, to?: number): ManifestFile[] {
  const m = readManifest(dir, spec.manifestName);
  return symbol === undefined ? m.files.filter((f) => f.symbols && (from === undefined || Object.values(f.symbols).some((p) => p.maxT >= from && (to === undefined || p.minT < to)))) : filesFor(m, symbol, from, to);
}

const specOf = { quotes: QUOTES_LAYER, mark: MARK_LAYER, funding: FUNDING_LAYER } as const;

/**
 * The rows of a view as a relation (no WHERE on symbol or time: the caller adds it; the file list is already pruned
 * by the manifest's per-file statistics when `symbol`/`from`/`to` are given).
 */
export function marketViewSql(dir: string, view: MarketViewName, symbol?: string, from?: number, to?: number): string {
  const abs = (p: string): string => path.join(dir, p);
  if (view !== 'quotes_1s') {
    const spec = specOf[view] as LayerSpec<unknown>;
    const files = layerFiles(dir, spec, symbol, from, to).map((f) => abs(f.path));
    return files.length ? `SELECT * FROM read_parquet(${sqlPathList(files)})` : empty(columnList(spec));
  }
  const files = layerFiles(dir, QUOTES_LAYER as LayerSpec<unknown>, symbol, from, to);
  const parts: string[] = [];
  const rollups = files.filter((f) => f.rollup).map((f) => abs(f.rollup as string));
  const raw = files.filter((f) => !f.rollup).map((f) => abs(f.path));
  if (rollups.length) parts.push(`SELECT * FROM read_parquet(${sqlPathList(rollups)})`);
  if (raw.length) parts.push(quotesRollupSelect(`read_parquet(${sqlPathList(raw)})`));
  if (parts.length === 0) return empty(QUOTES_1S_COLUMNS);
  // A second can be split between two files until its hour is merged (an L1 file per compaction pass, the newest in
  // L0): its parts are combined, the last quote by update id, the spread weighted by the time each part covered.
  return `SELECT symbol, time, arg_max(bid, lastUpdateId) AS bid, arg_max(bidQty, lastUpdateId) AS bidQty, arg_max(ask, lastUpdateId) AS ask,
      arg_max(askQty, lastUpdateId) AS askQty, sum(spreadTw * coveredMs) / nullif(sum(coveredMs), 0) AS spreadTw,
      CAST(sum(coveredMs) AS BIGINT) AS coveredMs, CAST(sum(quotes) AS BIGINT) AS quotes, min(firstUpdateId) AS firstUpdateId, max(lastUpdateId) AS lastUpdateId
    FROM (${parts.map((p) => `(${p})`).join(' UNION ALL ')}) GROUP BY symbol, time`;
}
