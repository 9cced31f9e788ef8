// Writes a columnar batch (symbol ids and typed columns) to a Parquet file with one COPY, through a DuckDB table
// function that hands DuckDB the typed columns by memory copy, 2,048 rows at a time (measured 1.6–2.4× faster than
// an appender for ticks; for a market-data layer at 40,000 quotes/s an appender, one native call per value, took most
// of the event loop). Ticks and every market-data layer use it.
import duckdb from '@duckdb/node-bindings';
import { BOOLEAN, DOUBLE, INTEGER, type DuckDBConnection, DuckDBTableFunction } from '@duckdb/node-api';
import { sqlPath } from './fs-atomic';

const VECTOR_SIZE = 2048;

export interface ColumnBatch {
  length: number;
  symbolId: Int32Array;
  /** One per column, in the copier's column order: Float64Array (integers are exact and cast in SQL) or Uint8Array (BOOLEAN). */
  values: (Float64Array | Uint8Array)[];
}

export interface CopiedColumn {
  name: string;
  type: 'BIGINT' | 'DOUBLE' | 'BOOLEAN';
}

interface ScanState {
  pos: number;
}

export class ColumnCopier {
  private batch: ColumnBatch | null = null;
  private readonly knownSymbols = new Set<number>();

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly fn: string,
    private readonly symbolTable: string,
    private readonly columns: readonly CopiedColumn[],
  ) {}

  /** Registers the table function `fn` and the symbol table (fixed identifiers chosen by the store) on `conn`. */
  static async create(conn: DuckDBConnection, fn: string, symbolTable: string, columns: readonly CopiedColumn[]): Promise<ColumnCopier> {
    const copier = new ColumnCopier(conn, fn, symbolTable, columns);
    const all: [string, typeof INTEGER | typeof DOUBLE | typeof BOOLEAN, number][] = [
      ['symbolId', INTEGER, 4],
      ...columns.map((c): [string, typeof DOUBLE | typeof BOOLEAN, number] => (c.type === 'BOOLEAN' ? [c.name, BOOLEAN, 1] : [c.name, DOUBLE, 8])),
    ];
    conn.registerTableFunction(DuckDBTableFunction.create({
      name: fn,
      bindFunction: (bind) => {
        for (const [name, type] of all) bind.addResultColumn(name, type);
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
        all.forEach(([, , width], c) => {
          const arr = c === 0 ? batch.symbolId : batch.values[c - 1];
          duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(out.chunk, c), 0, arr.buffer as ArrayBuffer, arr.byteOffset + state.pos * width, n * width);
        });
        state.pos += n;
      },
    }));
    await conn.run(`CREATE TEMP TABLE IF NOT EXISTS ${symbolTable} (id INTEGER PRIMARY KEY, symbol VARCHAR NOT NULL)`);
    return copier;
  }

  /** Makes symbol ids usable in COPY; the id → name map must never change for an id. */
  async defineSymbols(symbols: readonly string[]): Promise<void> {
    for (let id = 0; id < symbols.length; id++) {
      if (this.knownSymbols.has(id)) continue;
      await this.conn.run(`INSERT OR IGNORE INTO ${this.symbolTable} VALUES ($1, $2)`, [id, symbols[id]]);
      this.knownSymbols.add(id);
    }
  }

  /**
   * Writes `batch` (symbol first, then the columns) to `file`, a temp name the caller renames. Unsorted and
   * snappy-compressed: an L0 file is one row group and lives only until the next compaction (which sorts and uses
   * zstd); measured 2–3× faster than sorted zstd for 20,000-row tick flushes.
   */
  async copyToParquet(batch: ColumnBatch, file: string): Promise<void> {
    this.batch = batch;
    try {
      const select = this.columns.map((c) => (c.type === 'BIGINT' ? `CAST(t.${c.name} AS BIGINT) AS ${c.name}` : `t.${c.name} AS ${c.name}`)).join(', ');
      await this.conn.run(`COPY (SELECT s.symbol AS symbol, ${select} FROM ${this.fn}() t JOIN ${this.symbolTable} s ON s.id = t.symbolId)
        TO ${sqlPath(file)} (FORMAT parquet)`);
    } finally {
      this.batch = null;
    }
  }
}
