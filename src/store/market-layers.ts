// The market-data layers of the store beside ticks: best bid/ask quotes (with one-second rollups), mark prices and
// funding events. Each is a directory of Parquet files with its own manifest, compacted like ticks (L0 → L3).
import type { CompactionSchema } from './compaction';
import type { FundingRow, MarkRow, MarketLayerName, QuoteRow } from './types';

export type ColumnType = 'VARCHAR' | 'BIGINT' | 'DOUBLE';

export interface LayerSpec<R> {
  name: MarketLayerName;
  /** The layer's manifest at the store's top level, beside the ticks' `manifest.json`. */
  manifestName: string;
  schema: CompactionSchema;
  /** Parquet columns in order; the first is always `symbol`. */
  columns: readonly { name: keyof R & string; type: ColumnType }[];
  /** Per-symbol sequence: what dedup compares. */
  seq(r: R): number;
  time(r: R): number;
  /** Throws naming what is wrong with row `index`. */
  check(r: R, index: number): void;
}

export const QUOTES_1S_SUFFIX = '.quotes1s.parquet';

/**
 * One row per symbol-second: the last bid/ask (by updateId), the spread weighted by how long each quote stood within
 * the second (the last one until the second ends), and how many quotes came. Compacted files hold one symbol-hour,
 * so no second spans two files.
 */
export function quotesRollupSelect(from: string): string {
  return `WITH q AS (
      SELECT symbol, updateId, eventTime, bid, bidQty, ask, askQty, eventTime // 1000 * 1000 AS time,
        least(coalesce(lead(eventTime) OVER w, eventTime // 1000 * 1000 + 1000), eventTime // 1000 * 1000 + 1000) - eventTime AS dur
      FROM ${from} WINDOW w AS (PARTITION BY symbol ORDER BY eventTime, updateId))
    SELECT symbol, time, arg_max(bid, updateId) AS bid, arg_max(bidQty, updateId) AS bidQty, arg_max(ask, updateId) AS ask,
      arg_max(askQty, updateId) AS askQty, sum((ask - bid) * dur) / nullif(sum(dur), 0) AS spreadTw, sum(dur) AS coveredMs,
      count(*) AS quotes, min(updateId) AS firstUpdateId, max(updateId) AS lastUpdateId
    FROM q GROUP BY symbol, time ORDER BY symbol, time`;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

function checker(what: string, fields: { ints: readonly string[]; positive: readonly string[]; finite: readonly string[] }) {
  return (r: object, index: number): void => {
    const row = r as Record<string, unknown>;
    const bad = (why: string): never => {
      throw new Error(`append: ${what} row ${index} (${JSON.stringify(r)}) has ${why}; nothing from this call was buffered`);
    };
    if (typeof row.symbol !== 'string' || !SYMBOL.test(row.symbol)) bad('a symbol that is not upper-case letters, digits, "_" or "-"');
    for (const k of fields.ints) if (!Number.isSafeInteger(row[k]) || (row[k] as number) < 0) bad(`a ${k} that is not a non-negative safe integer`);
    for (const k of fields.positive) if (!(typeof row[k] === 'number' && (row[k] as number) > 0 && Number.isFinite(row[k]))) bad(`a ${k} that is not a positive number`);
    for (const k of fields.finite) if (typeof row[k] !== 'number' || !Number.isFinite(row[k])) bad(`a ${k} that is not a finite number`);
  };
}

export const QUOTES_LAYER: LayerSpec<QuoteRow> = {
  name: 'quotes',
  manifestName: 'manifest-quotes.json',
  schema: { root: 'quotes', timeColumn: 'eventTime', idColumn: 'updateId', rollupSelect: quotesRollupSelect, rollupSuffix: QUOTES_1S_SUFFIX },
  columns: [
    { name: 'symbol', type: 'VARCHAR' }, { name: 'updateId', type: 'BIGINT' }, { name: 'eventTime', type: 'BIGINT' }, { name: 'txTime', type: 'BIGINT' },
    { name: 'bid', type: 'DOUBLE' }, { name: 'bidQty', type: 'DOUBLE' }, { name: 'ask', type: 'DOUBLE' }, { name: 'askQty', type: 'DOUBLE' },
    { name: 'recvTime', type: 'BIGINT' },
  ],
  seq: (r) => r.updateId,
  time: (r) => r.eventTime,
  check: checker('quote', { ints: ['updateId', 'eventTime', 'txTime', 'recvTime'], positive: ['bid', 'ask'], finite: ['bidQty', 'askQty'] }),
};

export const MARK_LAYER: LayerSpec<MarkRow> = {
  name: 'mark',
  manifestName: 'manifest-mark.json',
  schema: { root: 'mark', timeColumn: 'eventTime', idColumn: 'eventTime' },
  columns: [
    { name: 'symbol', type: 'VARCHAR' }, { name: 'eventTime', type: 'BIGINT' }, { name: 'markPrice', type: 'DOUBLE' }, { name: 'indexPrice', type: 'DOUBLE' },
    { name: 'estimatedSettlePrice', type: 'DOUBLE' }, { name: 'fundingRate', type: 'DOUBLE' }, { name: 'nextFundingTime', type: 'BIGINT' },
    { name: 'recvTime', type: 'BIGINT' },
  ],
  seq: (r) => r.eventTime,
  time: (r) => r.eventTime,
  check: checker('mark price', { ints: ['eventTime', 'nextFundingTime', 'recvTime'], positive: ['markPrice'], finite: ['indexPrice', 'estimatedSettlePrice', 'fundingRate'] }),
};

export const FUNDING_LAYER: LayerSpec<FundingRow> = {
  name: 'funding',
  manifestName: 'manifest-funding.json',
  schema: { root: 'funding', timeColumn: 'fundingTime', idColumn: 'fundingTime' },
  columns: [
    { name: 'symbol', type: 'VARCHAR' }, { name: 'fundingTime', type: 'BIGINT' }, { name: 'fundingRate', type: 'DOUBLE' }, { name: 'markPrice', type: 'DOUBLE' },
    { name: 'recvTime', type: 'BIGINT' },
  ],
  seq: (r) => r.fundingTime,
  time: (r) => r.fundingTime,
  check: checker('funding', { ints: ['fundingTime', 'recvTime'], positive: [], finite: ['fundingRate'] }),
};

export const MARKET_LAYERS = { quotes: QUOTES_LAYER, mark: MARK_LAYER, funding: FUNDING_LAYER } as const;

/** `name TYPE, …` of a layer's columns (for empty views). */
export function columnList(spec: LayerSpec<unknown>): string {
  return spec.columns.map((c) => `${c.name} ${c.type}`).join(', ');
}
