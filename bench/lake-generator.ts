// A synthetic lake for the scan's bench, written straight from a generator (no store, no exporter): one-second bars
// of cointegrated random walks in the lake's layout (bars_1s/symbol=S/date=D/part-synthetic.parquet, with an empty
// ticks part beside each, as the manifest's checks want) and its manifest.json. Values come from DuckDB's hash of
// (seed, symbol, second), so a lake is the same on every run.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlPath } from '../src/store/fs-atomic';

export interface SyntheticLakeOptions {
  symbols: readonly string[];
  /** First day, YYYY-MM-DD (UTC). */
  firstDay: string;
  days: number;
  /** Seconds of each day that have bars, from midnight (default the whole day, 86,400). */
  secondsPerDay?: number;
  seed?: number;
  /** One second in this many of each symbol has no bar (default 11; 0: every second has one). */
  missingEvery?: number;
  /** Symbol k's first bar is k times this many minutes into the first day (default 1). */
  staggerMinutes?: number;
}

const SYMBOL = /^[A-Z0-9]{2,20}$/;
const TICK_COLUMNS = 'NULL::BIGINT AS aggId, NULL::BIGINT AS tradeTime, NULL::DOUBLE AS price, NULL::DOUBLE AS qty, NULL::BOOLEAN AS isBuyerMaker, NULL::BIGINT AS recvTime';

/** Writes the lake into `dir` (which should be empty) and returns the number of bars written. */
export async function writeSyntheticLake(dir: string, o: SyntheticLakeOptions): Promise<number> {
  const bad = o.symbols.find((s) => !SYMBOL.test(s));
  if (bad !== undefined) throw new Error(`not a symbol: ${bad}`);
  const start = Date.parse(`${o.firstDay}T00:00:00Z`);
  const perDay = o.secondsPerDay ?? 86_400;
  const seed = o.seed ?? 1;
  const missing = o.missingEvery ?? 11;
  const stagger = o.staggerMinutes ?? 1;
  if (![seed, missing, stagger, perDay, o.days].every(Number.isSafeInteger)) throw new Error('seed, missingEvery, staggerMinutes, secondsPerDay and days must be whole numbers');
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE symbols AS SELECT unnest([${o.symbols.map((s) => `'${s}'`).join(',')}]) AS symbol, generate_subscripts([${o.symbols.map((s) => `'${s}'`).join(',')}], 1) AS k`);
    // u(a, b): a uniform number in [-0.5, 0.5) from a hash; factor: the common random walk every symbol loads on
    await conn.run(`CREATE MACRO u(a, b) AS (hash(${seed}, a, b) % 1000000) / 1000000.0 - 0.5`);
    await conn.run(`CREATE TABLE factor AS
      SELECT s, sum(u(0, s)) OVER (ORDER BY s) AS f, sum(u(-1, s)) OVER (ORDER BY s) AS g
      FROM (SELECT d * 86400 + r AS s FROM range(${o.days}) t(d), range(${perDay}) q(r))`);
    // every third symbol also loads on a second walk g (so not every pair is cointegrated); one second in
    // missingEvery of each symbol has no trade (no bar), and symbol k starts k·staggerMinutes into the first day
    await conn.run(`CREATE TABLE bars AS
      SELECT symbol, strftime(to_timestamp((${start} + s * 1000) / 1000), '%Y-%m-%d') AS date,
             ${start} + s * 1000 AS time, close, close AS open, close + 0.01 AS high, close - 0.01 AS low,
             1.0 + (hash(${seed}, k, s, 7) % 100) / 10.0 AS volume, 1 + (hash(${seed}, k, s, 8) % 5)::BIGINT AS trades,
             s * 100 + k AS firstId, s * 100 + k AS lastId
      FROM (SELECT symbol, k, s, round(100 * k + (1 + k / 10.0) * f + (CASE WHEN k % 3 = 0 THEN 2 * g ELSE 0 END) + 3 * u(k, s), 4) AS close
            FROM symbols, factor
            WHERE s >= k * ${60 * stagger} AND ${missing > 0 ? `hash(${seed}, k, s, 9) % ${missing} <> 0` : 'true'})`);
    await conn.run(`COPY (SELECT symbol, date, time, open, high, low, close, volume, trades, close * volume AS pv, firstId, lastId FROM bars ORDER BY symbol, time)
      TO ${sqlPath(path.join(dir, 'bars_1s'))} (FORMAT parquet, PARTITION_BY (symbol, date), OVERWRITE_OR_IGNORE)`);
    const counts = await conn.runAndReadAll('SELECT symbol, date, count(*)::DOUBLE FROM bars GROUP BY ALL ORDER BY ALL');
    // the manifest's names: part-<id>.parquet files, and a ticks part for every day (empty: the scan reads bars only)
    const days = [];
    for (const [symbol, date, rows] of counts.getRows()) {
      const rel = `bars_1s/symbol=${String(symbol)}/date=${String(date)}`;
      const written = readdirSync(path.join(dir, rel)).find((f) => f.endsWith('.parquet')) as string;
      renameSync(path.join(dir, rel, written), path.join(dir, rel, 'part-synthetic.parquet'));
      const ticksRel = `ticks/symbol=${String(symbol)}/date=${String(date)}`;
      mkdirSync(path.join(dir, ticksRel), { recursive: true });
      await conn.run(`COPY (SELECT ${TICK_COLUMNS} LIMIT 0) TO ${sqlPath(path.join(dir, ticksRel, 'part-synthetic.parquet'))} (FORMAT parquet)`);
      days.push({
        symbol, date, exportedAt: new Date().toISOString(),
        ticks: { path: `${ticksRel}/part-synthetic.parquet`, rows: 0, bytes: statSync(path.join(dir, ticksRel, 'part-synthetic.parquet')).size, minId: 0, maxId: 0, minT: 0, maxT: 0 },
        bars1s: { path: `${rel}/part-synthetic.parquet`, rows: Number(rows), bytes: statSync(path.join(dir, rel, 'part-synthetic.parquet')).size },
      });
    }
    writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify({ version: 1, updatedAt: new Date().toISOString(), days }, null, 1)}\n`);
    return days.reduce((s, d) => s + d.bars1s.rows, 0);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
