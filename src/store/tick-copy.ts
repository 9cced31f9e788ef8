// Writes a batch of buffered ticks to a Parquet file with one COPY. A DuckDB table function hands DuckDB the
// typed columns by memory copy, 2,048 rows at a time (measured 1.6–2.4× faster than an appender).
import duckdb from '@duckdb/node-bindings';
import { BOOLEAN, DOUBLE, INTEGER, type DuckDBConnection, DuckDBTableFunction } from '@duckdb/node-api';
import type { TickColumns } from './tick-buffer';
import { sqlPath } from './fs-atomic';

const VECTOR_SIZE = 2048;
const FUNCTION_NAME = 'pairs_lab_tick_batch';

/** The Parquet columns of a tick file, in order. */
export const TICK_SELECT = `s.symbol AS symbol, CAST(t.aggId AS BIGINT) AS aggId, CAST(t.tradeTime AS BIGINT) AS tradeTime,
  t.price AS price, t.qty AS qty, t.isBuyerMaker AS isBuyerMaker, CAST(t.recvTime AS BIGINT) AS recvTime`;

interface ScanState {
  pos: number;
}

export class TickCopier {
  private batch: TickColumns | null = null;
  private readonly knownSymbols = new Set<number>();

  private constructor(private readonly conn: DuckDBConnection) {}

  static async create(conn: DuckDBConnection): Promise<TickCopier> {
    const copier = new TickCopier(conn);
    const columns: [keyof TickColumns, typeof DOUBLE | typeof INTEGER | typeof BOOLEAN, number][] = [
      ['symbolId', INTEGER, 4], ['aggId', DOUBLE, 8], ['tradeTime', DOUBLE, 8], ['price', DOUBLE, 8],
      ['qty', DOUBLE, 8], ['isBuyerMaker', BOOLEAN, 1], ['recvTime', DOUBLE, 8],
    ];
    const fn = DuckDBTableFunction.create({
      name: FUNCTION_NAME,
      bindFunction: (bind) => {
        for (const [name, type] of columns) bind.addResultColumn(name, type);
        bind.setCardinality(copier.batch?.length ?? 0, true);
      },
      initFunction: (init) => {
        init.setMaxThreads(1);
        init.setInitData({ pos: 0 } satisfies ScanState);
      },
      mainFunction: (info, out) => {
        const state = info.initData as ScanState;
        const batch = copier.batch;
        const n = batch ? Math.min(VECTOR_SIZE, batch.length - state.pos) : 0;
        out.rowCount = n;
        if (!batch || n === 0) return;
        columns.forEach(([name, , width], c) => {
          const arr = batch[name] as Int32Array | Float64Array | Uint8Array;
          duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(out.chunk, c), 0, arr.buffer as ArrayBuffer,
            arr.byteOffset + state.pos * width, n * width);
        });
        state.pos += n;
      },
    });
    conn.registerTableFunction(fn);
    await conn.run('CREATE TEMP TABLE IF NOT EXISTS pairs_lab_symbols (id INTEGER PRIMARY KEY, symbol VARCHAR NOT NULL)');
    return copier;
  }

  /** Makes symbol ids usable in COPY; the id → name map must never change for an id. */
  async defineSymbols(symbols: readonly string[]): Promise<void> {
    for (let id = 0; id < symbols.length; id++) {
      if (this.knownSymbols.has(id)) continue;
      await this.conn.run('INSERT INTO pairs_lab_symbols VALUES ($1, $2)', [id, symbols[id]]);
      this.knownSymbols.add(id);
    }
  }

  /**
   * Writes `batch` to `file` (a temp name the caller renames). Unsorted and snappy-compressed: an L0 file is one
   * row group, so sorting would not help pruning, and it lives only until the next compaction (which sorts and
   * uses zstd). Measured 2–3× faster than sorted zstd for 20,000-row flushes.
   */
  async copyToParquet(batch: TickColumns, file: string): Promise<void> {
    this.batch = batch;
    try {
      await this.conn.run(`COPY (SELECT ${TICK_SELECT} FROM ${FUNCTION_NAME}() t JOIN pairs_lab_symbols s ON s.id = t.symbolId)
        TO ${sqlPath(file)} (FORMAT parquet)`);
    } finally {
      this.batch = null;
    }
  }
}

