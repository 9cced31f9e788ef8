// Turning DuckDB results into typed columns (bars) or a generic ResultTable (any query).
import duckdb from '@duckdb/node-bindings';
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import type { CellValue, QueryParams, ResultTable } from './types';

/** Reads a result whose columns are all DOUBLE without NULLs into one Float64Array per column. */
export async function readDoubleColumns(result: DuckDBResult | DuckDBMaterializedResult): Promise<Float64Array[]> {
  const chunks = await result.fetchAllChunks();
  const columnCount = result.columnCount;
  const total = chunks.reduce((s, c) => s + c.rowCount, 0);
  const columns = Array.from({ length: columnCount }, () => new Float64Array(total));
  let at = 0;
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    if (n === 0) continue;
    for (let c = 0; c < columnCount; c++) {
      const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, c), n * 8);
      columns[c].set(new Float64Array(bytes.buffer, bytes.byteOffset, n), at);
    }
    at += n;
  }
  return columns;
}

function toCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

export async function toResultTable(result: DuckDBResult | DuckDBMaterializedResult): Promise<ResultTable> {
  const names = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  const values = await result.getColumnsJS();
  // A DATE comes back as a JS Date at UTC midnight: shown as the day itself, not as a midnight timestamp.
  const cell = (type: string) => (type === 'DATE' ? (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : toCell(v)) : toCell);
  const columns = names.map((name, i) => ({ name, type: types[i], values: (values[i] ?? []).map(cell(types[i])) }));
  return { columns, rowCount: columns.length ? columns[0].values.length : 0 };
}

/** Runs a user's SQL with its bound parameters (never interpolated) and returns the rows as a ResultTable. */
export async function runToTable(conn: DuckDBConnection, sql: string, params?: QueryParams): Promise<ResultTable> {
  const values = params === undefined ? undefined : (params as DuckDBValue[] | Record<string, DuckDBValue>);
  return toResultTable(await conn.run(sql, values));
}
