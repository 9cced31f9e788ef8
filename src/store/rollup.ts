// One-second rollups: for every compacted tick file the compactor also writes its one-second bars, with the
// first and last aggId of each second. Every timeframe is a whole number of seconds, so bars of any timeframe
// are an exact re-aggregation of these (open = open of the lowest first id, close = close of the highest last id),
// and a day of 1 s bars reads 86,400 rows instead of millions of ticks.

export const ROLLUP_MS = 1000;

/** Columns of a rollup file, as a SELECT over a tick relation (`WHERE` and source supplied by the caller). */
export function rollupSelect(from: string): string {
  return `SELECT tradeTime // ${ROLLUP_MS} * ${ROLLUP_MS} AS time, arg_min(price, aggId) AS open, max(price) AS high, min(price) AS low,
    arg_max(price, aggId) AS close, sum(qty) AS volume, count(*) AS trades, sum(price * qty) AS pv,
    min(aggId) AS firstId, max(aggId) AS lastId
  FROM ${from} GROUP BY 1 ORDER BY 1`;
}

/** The rollup path beside a tick file path. */
export function rollupPathFor(tickPath: string, suffix = '.bars1s.parquet'): string {
  return tickPath.replace(/\.parquet$/, suffix);
}
